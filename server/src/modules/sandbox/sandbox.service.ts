import crypto from 'node:crypto';
import canonicalize from 'canonicalize';
import type { FilterQuery, Types } from 'mongoose';
import type { Config } from '../../config';
import { now } from '../../platform/clock';
import { AppError, notFound } from '../../platform/errors';
import type { Principal } from '../../platform/http/auth';
import { assertDeliverable, buyerEntitlement, spend, used, type EntitlementRecord } from '../delivery/delivery.service';
import { orderById, type OrderRecord } from '../trade/orders.service';
import { canSeeOrder } from '../trade/trade.policy';
import type { ListingRecord } from '../listings/listings.service';
import { COARSENINGS, COARSENING_MACROS } from './coarsenings';
import {
  analyse,
  expressionTree,
  lowEffectCheck,
  Refusal,
  RULES,
  totalsCheck,
  withGroupCounts,
  type Analysis,
  type CheckColumn,
  type ProductSchema,
  type RuleId,
} from './disclosure';
import { deparseSql, EngineFailure, parseSql, runSteps, type StepResult } from './engine';
import { prepare } from './prepared';
import { SandboxQueryModel, type LeanSandboxQuery, type SandboxOutcome } from './sandbox-query.model';

export interface SandboxDeps {
  config: Config;
}

/** Groups a query may produce before suppression (beyond that it is refused as max-rows). */
const MAX_GROUPS_SCANNED = 10_000;

const sha256 = (s: string) => crypto.createHash('sha256').update(s, 'utf8').digest('hex');

function kOf(config: Config, listing: Pick<ListingRecord, 'sandboxK'>): number {
  return listing.sandboxK ?? config.SANDBOX_DEFAULT_K;
}

async function sandboxEntitlement(
  p: Principal,
  orderId: string,
): Promise<{ ent: EntitlementRecord; order: OrderRecord }> {
  const ent = await buyerEntitlement(p, orderId);
  if (ent.kind !== 'sandbox') throw new AppError('not-sandbox', 409, 'This order is not delivered through the sandbox');
  const order = (await orderById(orderId))!;
  return { ent, order };
}

/** Queries the entitlement allows: its own quota, else SANDBOX_QUERY_QUOTA per licence bought. */
function quotaOf(config: Config, ent: EntitlementRecord, order: OrderRecord): number {
  return ent.callQuota ?? config.SANDBOX_QUERY_QUOTA * Math.max(1, order.quantity ?? 1);
}

/** Example queries for the product's schema: some that run, one that is refused. */
function examples(schema: ProductSchema) {
  const t = `"${schema.table}"`;
  const q = (n: string) => `"${n.replace(/"/g, '""')}"`;
  const plain = schema.fields.filter((f) => !f.sensitive);
  // A grouping field is a text field that does not look like a per-record identifier.
  const identifierLike = /编号|单号|号码|流水|(^|_)(id|no|code)$/i;
  const group =
    plain.find((f) => f.sqlType === 'VARCHAR' && !identifierLike.test(f.name)) ??
    plain.find((f) => f.sqlType === 'VARCHAR') ??
    plain[0];
  const numeric = plain.find((f) => ['BIGINT', 'DOUBLE'].includes(f.sqlType));
  const date = plain.find((f) => ['DATE', 'TIMESTAMP'].includes(f.sqlType));
  const coarse = schema.fields.find((f) => f.sensitive && f.coarsenings.length > 0);
  const sensitive = schema.fields.find((f) => f.sensitive);
  const out: { title: { zh: string; en: string }; sql: string; refused?: boolean }[] = [];
  if (group) {
    out.push({
      title: { zh: `按${group.name}统计记录数`, en: `Records per ${group.name}` },
      sql: `SELECT ${q(group.name)}, count(*) AS n${numeric ? `, round(avg(${q(numeric.name)}), 2) AS avg_${numeric.name.replace(/\W/g, '') || 'value'}` : ''}\nFROM ${t}\nGROUP BY ${q(group.name)}\nORDER BY n DESC`,
    });
  }
  if (date) {
    out.push({
      title: { zh: `按月统计`, en: 'Per month' },
      sql: `SELECT date_trunc('month', ${q(date.name)}) AS month, count(*) AS n${numeric ? `, sum(${q(numeric.name)}) AS total` : ''}\nFROM ${t}\nGROUP BY month\nORDER BY month`,
    });
  }
  if (coarse) {
    const c = coarse.coarsenings[0]!;
    out.push({
      title: { zh: `${coarse.name}只能经粗化使用：${c}`, en: `${coarse.name} only through a coarsening: ${c}` },
      sql: `SELECT ${c}(${q(coarse.name)}) AS ${c}, count(*) AS n\nFROM ${t}\nGROUP BY 1\nORDER BY 1`,
    });
  }
  if (sensitive) {
    out.push({
      title: { zh: `会被拒绝：直接输出 ${sensitive.name}`, en: `Refused: outputs ${sensitive.name} raw` },
      sql: `SELECT ${q(sensitive.name)}, count(*) AS n\nFROM ${t}\nGROUP BY ${q(sensitive.name)}`,
      refused: true,
    });
  } else {
    out.push({
      title: { zh: '会被拒绝：SELECT *', en: 'Refused: SELECT *' },
      sql: `SELECT * FROM ${t}`,
      refused: true,
    });
  }
  return out;
}

/** GET /orders/:id/sandbox: the workspace of a sandbox entitlement (buyer). */
export async function workspace(deps: SandboxDeps, p: Principal, orderId: string) {
  const { config } = deps;
  const { ent, order } = await sandboxEntitlement(p, orderId);
  const listing = await assertDeliverable(ent, now());
  const prepared = await prepare(config.DATA_DIR, listing);
  const k = kOf(config, listing);
  const quota = quotaOf(config, ent, order);
  const spent = await used(ent._id, 'call');
  return {
    orderId: String(order._id),
    orderNumber: order.number,
    workspaceId: ent.workspaceId ?? null,
    listing: { id: String(listing._id), code: listing.code, title: listing.title, providerName: listing.providerName },
    tables: [
      {
        name: prepared.schema.table,
        fields: prepared.schema.fields.map((f) => ({
          name: f.name,
          type: f.type,
          sqlType: f.sqlType,
          description: f.description,
          level: f.level,
          sensitive: f.sensitive,
          detector: f.detector ?? null,
          coarsenings: f.coarsenings,
        })),
      },
    ],
    coarsenings: COARSENINGS.map((c) => ({ name: c.name, detectors: c.detectors, zh: c.zh, en: c.en })),
    rules: Object.entries(RULES).map(([id, text]) => ({ id, text })),
    limits: {
      k,
      maxRows: config.SANDBOX_MAX_ROWS,
      timeoutMs: config.SANDBOX_TIMEOUT_MS,
      memoryMb: config.SANDBOX_MEMORY_MB,
    },
    quota: { queries: quota, used: spent, left: Math.max(0, quota - spent) },
    validUntil: ent.validUntil ?? null,
    examples: examples(prepared.schema),
  };
}

interface Released {
  columns: string[];
  types: string[];
  rows: unknown[][];
  suppressedGroups: number;
  suppressedRecords: number;
}

/** JSON values from the engine: big integers come as strings; make the safe ones numbers. */
function jsValue(v: unknown, type: string): unknown {
  if (typeof v === 'string' && /^(BIGINT|HUGEINT|UBIGINT|INTEGER|SMALLINT|TINYINT|DECIMAL)/.test(type)) {
    const n = Number(v);
    if (Number.isFinite(n) && (Number.isSafeInteger(n) || !/^-?\d+$/.test(v))) return n;
  }
  return v;
}

const countAt = (row: unknown[], i: number) => Number(row[i] ?? 0);

/**
 * Suppression: groups resting on fewer than k records are withheld. If what is withheld adds up to
 * fewer than k records, the smallest released groups are withheld too (secondary suppression), so
 * that subtracting the released groups from a total never yields an aggregate of fewer than k.
 */
function suppress(main: StepResult, k: number): Released {
  const kIndex = main.columns.length - 1;
  const rows = main.rows.map((r) => ({ row: r, n: countAt(r, kIndex) }));
  const released = rows.filter((r) => r.n >= k);
  const withheld = rows.filter((r) => r.n < k);
  let withheldRecords = withheld.reduce((s, r) => s + r.n, 0);
  if (withheldRecords > 0 && withheldRecords < k && released.length > 0) {
    const bySize = [...released].sort((a, b) => a.n - b.n);
    while (withheldRecords < k && bySize.length) {
      const next = bySize.shift()!;
      withheld.push(next);
      withheldRecords += next.n;
      released.splice(released.indexOf(next), 1);
    }
  }
  const types = main.types.slice(0, kIndex);
  return {
    columns: main.columns.slice(0, kIndex),
    types,
    rows: released.map((r) => r.row.slice(0, kIndex).map((v, i) => jsValue(v, types[i] ?? ''))),
    suppressedGroups: withheld.length,
    suppressedRecords: withheldRecords,
  };
}

/** The low-effect and differencing checks on the engine's counts; throws the Refusal they call for. */
async function checkCounts(
  a: Analysis,
  k: number,
  check: { result: StepResult; columns: CheckColumn[] },
  totals: StepResult | null,
  priors: LeanSandboxQuery[],
  priorsSameGrouping: number[],
): Promise<void> {
  const base = check.result.columns.length - check.columns.length;
  const at = (c: CheckColumn) => base + check.columns.indexOf(c);
  const nCol = check.columns.find((c) => c.kind === 'n')!;
  for (const row of check.result.rows) {
    const n = countAt(row, at(nCol));
    if (n < k) continue; // withheld anyway
    for (const c of check.columns) {
      if (c.kind === 'drop') {
        const d = countAt(row, at(c)) - n;
        if (d > 0 && d < k) {
          const [text] = await deparseSql([expressionTree(c.term!, a.node)]).catch(() => ['']);
          throw new Refusal(
            'low-effect-condition',
            `The condition ${text ? `"${text!.replace(/^SELECT\s+/i, '')}" ` : ''}changes a group by ${d} record(s), fewer than k = ${k}: such a condition singles out records`,
          );
        }
      }
    }
    for (const [j, i] of priorsSameGrouping.entries()) {
      const pa = check.columns.find((c) => c.kind === 'prior-a' && c.prior === j)!;
      const pb = check.columns.find((c) => c.kind === 'prior-b' && c.prior === j)!;
      const diff = countAt(row, at(pa)) + countAt(row, at(pb));
      const priorN = n - countAt(row, at(pa)) + countAt(row, at(pb));
      if (diff > 0 && diff < k && priorN >= k) {
        throw new Refusal(
          'differencing',
          `A group of this query differs by ${diff} record(s) from the same group of your query of ${priors[i]!.at.toISOString()}: the difference would single out records`,
        );
      }
    }
  }
  if (totals && totals.rows[0]) {
    const row = totals.rows[0];
    const n = countAt(row, 0);
    priors.forEach((prior, i) => {
      const p = countAt(row, 1 + 3 * i);
      const diff = countAt(row, 2 + 3 * i) + countAt(row, 3 + 3 * i);
      if (n >= k && p >= k && diff > 0 && diff < k) {
        throw new Refusal(
          'differencing',
          `This query's population differs by ${diff} record(s) from that of your query of ${prior.at.toISOString()}: the difference would single out records`,
        );
      }
    });
  }
}

export interface QueryOutcome {
  outcome: SandboxOutcome;
  rule?: RuleId | string;
  reason?: string;
  released?: Released;
  engineMs: number;
  statements: number;
}

/** Runs one buyer query through disclosure control. Never throws a Refusal: it returns it. */
async function evaluate(
  config: Config,
  dbPath: string,
  schema: ProductSchema,
  k: number,
  sql: string,
  priors: LeanSandboxQuery[],
): Promise<QueryOutcome> {
  let engineMs = 0;
  let statements = 0;
  try {
    const trees = await parseSql([sql, ...priors.map((q) => q.sql)]);
    const a = analyse(trees[0]!, schema);
    // Earlier released queries of this buyer on this product, as analysed now (those that no longer
    // pass are left out: they cannot be compared).
    const priorAnalyses: { a: Analysis; index: number }[] = [];
    trees.slice(1).forEach((t, index) => {
      try {
        priorAnalyses.push({ a: analyse(t, schema), index });
      } catch {
        /* not comparable */
      }
    });
    const same = priorAnalyses.filter((x) => x.a.groupingKey === a.groupingKey);
    const check = lowEffectCheck(
      a,
      same.map((x) => x.a),
    );
    const limits = { timeoutMs: config.SANDBOX_TIMEOUT_MS, memoryLimitMb: config.SANDBOX_MEMORY_MB };
    const steps = [
      { tree: withGroupCounts(a), maxRows: MAX_GROUPS_SCANNED },
      { tree: check.tree, maxRows: MAX_GROUPS_SCANNED * 4 },
      ...(priorAnalyses.length
        ? [
            {
              tree: totalsCheck(
                a,
                priorAnalyses.map((x) => x.a),
              ),
              maxRows: 1,
            },
          ]
        : []),
    ];
    const out = await runSteps(dbPath, COARSENING_MACROS, steps, limits);
    engineMs = out.ms;
    statements = out.results.length;
    if (out.error) {
      if (out.error.kind === 'time-limit') {
        throw new Refusal(
          'time-limit',
          `The query ran past the time limit of ${config.SANDBOX_TIMEOUT_MS} ms and was stopped`,
        );
      }
      if (out.error.kind === 'memory-limit') {
        throw new Refusal(
          'memory-limit',
          `The query needed more than the memory limit of ${config.SANDBOX_MEMORY_MB} MB and was stopped`,
        );
      }
      return { outcome: 'failed', rule: 'engine', reason: cleanEngineMessage(out.error.message), engineMs, statements };
    }
    const [main, checkResult, totals] = out.results;
    if (main!.truncated || checkResult!.truncated) {
      throw new Refusal('max-rows', `The query produces more than ${MAX_GROUPS_SCANNED} groups; coarsen the grouping`);
    }
    await checkCounts(
      a,
      k,
      { result: checkResult!, columns: check.columns },
      totals ?? null,
      priorAnalyses.map((x) => priors[x.index]!),
      same.map((x) => priorAnalyses.indexOf(x)),
    );
    const released = suppress(main!, k);
    if (released.rows.length > config.SANDBOX_MAX_ROWS) {
      throw new Refusal(
        'max-rows',
        `The result has ${released.rows.length} rows; at most ${config.SANDBOX_MAX_ROWS} are released`,
      );
    }
    return {
      outcome: released.suppressedGroups > 0 ? 'suppressed' : 'ran',
      ...(released.suppressedGroups > 0
        ? {
            rule: 'min-group-size',
            reason: `${released.suppressedGroups} group(s) resting on fewer than k = ${k} records were suppressed`,
          }
        : {}),
      released,
      engineMs,
      statements,
    };
  } catch (err) {
    if (err instanceof Refusal)
      return { outcome: 'refused', rule: err.rule, reason: err.message, engineMs, statements };
    if (err instanceof EngineFailure) {
      if (err.error.kind === 'time-limit') {
        return {
          outcome: 'refused',
          rule: 'time-limit',
          reason: `The query ran past the time limit of ${config.SANDBOX_TIMEOUT_MS} ms and was stopped`,
          engineMs,
          statements,
        };
      }
      return { outcome: 'failed', rule: 'engine', reason: cleanEngineMessage(err.message), engineMs, statements };
    }
    throw err;
  }
}

/** DuckDB's message without the parts that describe our rewrites (the __k, __n … columns). */
function cleanEngineMessage(message: string): string {
  return message.split('\n')[0]!.slice(0, 500);
}

function auditView(q: LeanSandboxQuery, forRegulator: boolean) {
  return {
    id: String(q._id),
    orderId: String(q.orderId),
    orderNumber: q.orderNumber,
    listingCode: q.listingCode,
    buyerOrgId: String(q.buyerOrgId),
    providerOrgId: String(q.providerOrgId),
    userId: String(q.userId),
    n: q.n,
    sql: q.sql,
    sqlSha256: q.sqlSha256,
    dataSha256: q.dataSha256 ?? null,
    outcome: q.outcome,
    rule: q.rule ?? null,
    reason: q.reason ?? null,
    k: q.k,
    rows: q.rows ?? 0,
    suppressedGroups: q.suppressedGroups ?? 0,
    ...(forRegulator ? { suppressedRecords: q.suppressedRecords ?? 0 } : {}),
    resultSha256: q.resultSha256 ?? null,
    result: q.resultJson ? (JSON.parse(q.resultJson) as unknown) : null,
    costMs: q.costMs,
    engineMs: q.engineMs ?? 0,
    statements: q.statements ?? 0,
    at: q.at,
  };
}

/**
 * POST /orders/:id/sandbox/queries: one query. The entitlement, the listing and its authorization
 * are checked at this moment (a revocation, refund or revoked authorization stops the next query);
 * the query spends one slot of the quota whatever comes of it; every query is audited.
 */
export async function runQuery(deps: SandboxDeps, p: Principal, orderId: string, sql: string) {
  const { config } = deps;
  const started = Date.now();
  const { ent, order } = await sandboxEntitlement(p, orderId);
  const at = now();
  const audit = (fields: Partial<LeanSandboxQuery> & { outcome: SandboxOutcome; n: number; k: number }) =>
    SandboxQueryModel.create({
      entitlementId: ent._id,
      orderId: order._id,
      orderNumber: order.number,
      listingId: ent.listingId,
      listingCode: ent.listingCode,
      buyerOrgId: ent.buyerOrgId,
      providerOrgId: ent.providerOrgId,
      userId: p.id,
      sql,
      sqlSha256: sha256(sql),
      at,
      costMs: Date.now() - started,
      ...fields,
    });

  let listing: ListingRecord;
  try {
    listing = await assertDeliverable(ent, at);
  } catch (err) {
    if (err instanceof AppError) {
      await audit({ outcome: 'refused', n: 0, k: config.SANDBOX_DEFAULT_K, rule: err.code, reason: err.message });
    }
    throw err;
  }
  const k = kOf(config, listing);
  const quota = quotaOf(config, ent, order);
  const n = await spend(ent._id, 'call', quota, at);
  if (n === null) {
    await audit({ outcome: 'refused', n: 0, k, rule: 'quota-exhausted', reason: 'The query quota is spent' });
    throw new AppError('quota-exhausted', 429, `The ${quota} queries of this order are spent`);
  }
  const prepared = await prepare(config.DATA_DIR, listing);
  const priors = config.SANDBOX_DIFFERENCING_WINDOW
    ? await SandboxQueryModel.find({
        listingId: ent.listingId,
        buyerOrgId: ent.buyerOrgId,
        outcome: { $in: ['ran', 'suppressed'] },
      } as FilterQuery<LeanSandboxQuery>)
        .sort({ at: -1 })
        .limit(config.SANDBOX_DIFFERENCING_WINDOW)
        .lean<LeanSandboxQuery[]>()
    : [];
  const result = await evaluate(config, prepared.path, prepared.schema, k, sql, priors);
  const released = result.released;
  const publicResult = released ? { columns: released.columns, types: released.types, rows: released.rows } : null;
  const resultSha256 = publicResult ? sha256(canonicalize(publicResult) ?? '') : undefined;
  const doc = await audit({
    outcome: result.outcome,
    n,
    k,
    dataSha256: prepared.dataSha256,
    rule: result.rule,
    reason: result.reason,
    rows: released?.rows.length ?? 0,
    suppressedGroups: released?.suppressedGroups ?? 0,
    suppressedRecords: released?.suppressedRecords ?? 0,
    resultSha256,
    resultJson: publicResult ? JSON.stringify(publicResult) : undefined,
    engineMs: result.engineMs,
    statements: result.statements,
  });
  const query = auditView(doc.toObject() as LeanSandboxQuery, false);
  if (result.outcome === 'refused' || result.outcome === 'failed') {
    throw new AppError(
      result.outcome === 'refused' ? 'query-refused' : 'query-failed',
      422,
      result.reason ?? 'The query was refused',
      { extra: { rule: result.rule, query, callsLeft: quota - n } },
    );
  }
  return { query, result: publicResult, callsLeft: quota - n };
}

export interface AuditFilter {
  listingCode?: string;
  outcome?: SandboxOutcome;
  page: number;
  pageSize: number;
}

/** What a principal may see of the audit: its own organisation's, its products', or all (regulator). */
function auditScope(p: Principal): FilterQuery<LeanSandboxQuery> | null {
  if (p.role === 'regulator' || p.role === 'admin') return {};
  if (p.role === 'buyer') return { buyerOrgId: p.orgId };
  if (p.role === 'provider') return { providerOrgId: p.orgId };
  return null;
}

/** GET /orders/:id/sandbox/queries: the query history of one order (buyer, provider, regulator). */
export async function orderQueries(p: Principal, orderId: string, f: AuditFilter) {
  const order = await orderById(orderId, ['buyerOrgId', 'providerOrgId']);
  if (!order || p.role === 'exchange' || !canSeeOrder(p, order)) throw notFound('Order');
  const filter: FilterQuery<LeanSandboxQuery> = { orderId: order._id as Types.ObjectId };
  if (f.outcome) filter.outcome = f.outcome;
  return listAudit(p, filter, f);
}

/** GET /sandbox/queries: the sandbox audit (regulator: all; provider: its products; buyer: its own). */
export async function auditList(p: Principal, f: AuditFilter) {
  const filter: FilterQuery<LeanSandboxQuery> = {};
  if (f.listingCode) filter.listingCode = f.listingCode;
  if (f.outcome) filter.outcome = f.outcome;
  return listAudit(p, filter, f);
}

async function listAudit(
  p: Principal,
  filter: FilterQuery<LeanSandboxQuery>,
  page: { page: number; pageSize: number },
) {
  const scope = auditScope(p);
  if (!scope) throw new AppError('forbidden', 403, 'Your role does not see the sandbox audit');
  const where = { ...filter, ...scope };
  const [items, total] = await Promise.all([
    SandboxQueryModel.find(where)
      .sort({ at: -1, _id: -1 })
      .skip((page.page - 1) * page.pageSize)
      .limit(page.pageSize)
      .lean<LeanSandboxQuery[]>(),
    SandboxQueryModel.countDocuments(where),
  ]);
  const regulator = p.role === 'regulator' || p.role === 'admin';
  return { items: items.map((q) => auditView(q, regulator)), total, page: page.page, pageSize: page.pageSize };
}
