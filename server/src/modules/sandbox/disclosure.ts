import type { DetectorName, Level } from '@zdec/shared';
import { COARSENING_BY_NAME } from './coarsenings';
import type { ParseTree } from './engine';

/**
 * Disclosure control of the sandbox, on DuckDB's own parse tree (json_serialize_sql), never on the
 * SQL text. A query passes only when it is one SELECT over the product's one table that aggregates;
 * every rule that refuses names itself. What runs is then checked group by group (service.ts): groups
 * resting on fewer than k records are suppressed, conditions that move fewer than k records in or out
 * of a released group are refused (low effect), as are populations that differ from an earlier
 * released query's by fewer than k records (differencing). See the README, section "Sandbox".
 */

export const RULES = {
  syntax: 'The SQL does not parse',
  'single-statement': 'Exactly one statement per query',
  'select-only': 'Only SELECT queries run in the sandbox (no COPY, ATTACH, INSTALL, SET, PRAGMA, DDL or DML)',
  'one-table': "A query reads one of the product's tables and nothing else (no table functions, files or joins)",
  'no-subqueries': 'No subqueries, CTEs or set operations (they defeat record counting)',
  'no-star': 'No SELECT * or whole rows: name the fields and aggregate them',
  'aggregate-only': 'Only aggregates leave the sandbox: GROUP BY and/or aggregate functions, no window functions',
  'function-not-allowed': 'Only the listed scalar and aggregate functions may be used',
  'aggregate-not-allowed': 'Aggregates that return one record’s value (min, max, first, list …) are not allowed',
  'conditional-aggregate': 'Conditions inside aggregates (FILTER, CASE, comparisons) are not allowed; use WHERE',
  'sensitive-field': 'L3/L4 fields may be used only through their declared coarsenings (or counted)',
  'min-group-size': 'Groups resting on fewer than k records are suppressed',
  'max-rows': 'A result has at most N rows',
  'low-effect-condition': 'A condition that moves fewer than k records in or out of a group is refused',
  differencing: 'A population that differs from an earlier released one by fewer than k records is refused',
  'time-limit': 'The query ran past the time limit',
  'memory-limit': 'The query needed more memory than the limit',
} as const;
export type RuleId = keyof typeof RULES;

export class Refusal extends Error {
  constructor(
    readonly rule: RuleId,
    detail: string,
  ) {
    super(detail);
  }
}

export interface SandboxField {
  name: string;
  type: string;
  sqlType: string;
  description: string;
  level: Level;
  detector?: DetectorName;
  /** Found at L3/L4: usable only through `coarsenings` (or inside count). */
  sensitive: boolean;
  coarsenings: string[];
}

export interface ProductSchema {
  table: string;
  fields: SandboxField[];
}

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Scalar functions and operators a query may use (lower case, as the parse tree names them). */
// prettier-ignore
const SCALARS = new Set([
  '+', '-', '*', '/', '//', '%', '^', '**', '||', '~~', '!~~', '~~*', '!~~*', '~~~', '!~~~',
  'abs', 'round', 'floor', 'ceil', 'ceiling', 'trunc', 'sign', 'ln', 'log', 'log2', 'log10', 'exp', 'sqrt',
  'cbrt', 'pow', 'power', 'greatest', 'least', 'ifnull', 'nullif', 'if', 'lower', 'upper', 'lcase', 'ucase',
  'length', 'strlen', 'trim', 'ltrim', 'rtrim', 'concat', 'concat_ws', 'substr', 'substring', 'left', 'right',
  'replace', 'repeat', 'starts_with', 'ends_with', 'contains', 'prefix', 'suffix', 'lpad', 'rpad', 'strpos',
  'position', 'instr', 'levenshtein', 'jaro_winkler_similarity', 'regexp_matches', 'date_trunc', 'datetrunc',
  'date_part', 'datepart', 'year', 'month', 'day', 'dayofmonth', 'dayofweek', 'dayofyear', 'isodow', 'week',
  'weekofyear', 'quarter', 'hour', 'minute', 'yearweek', 'strftime', 'strptime', 'try_strptime', 'make_date',
  'date_diff', 'datediff', 'date_sub', 'datesub', 'date_add', 'epoch', 'to_timestamp', 'current_date', 'today',
  'time_bucket', 'grouping', 'grouping_id',
]);
/** Aggregates that summarise many records. */
// prettier-ignore
const AGGREGATES = new Set([
  'count', 'count_star', 'sum', 'avg', 'mean', 'median', 'quantile_cont', 'stddev', 'stddev_samp', 'stddev_pop',
  'var_samp', 'var_pop', 'variance', 'corr', 'covar_pop', 'covar_samp', 'regr_slope', 'regr_intercept', 'regr_r2',
  'approx_count_distinct', 'kurtosis', 'skewness', 'entropy', 'fsum',
]);
/** Aggregates that return a value of one record: refused with their own rule. */
// prettier-ignore
const SINGLE_VALUE_AGGREGATES = new Set([
  'min', 'max', 'first', 'last', 'any_value', 'arbitrary', 'arg_min', 'arg_max', 'argmin', 'argmax', 'min_by',
  'max_by', 'list', 'array_agg', 'string_agg', 'group_concat', 'listagg', 'mode', 'histogram', 'quantile',
  'quantile_disc', 'reservoir_quantile', 'approx_quantile', 'bit_and', 'bit_or', 'bit_xor', 'bitstring_agg',
  'first_value', 'last_value', 'nth_value', 'product',
]);
const ALLOWED_OPERATORS = new Set([
  'OPERATOR_NOT',
  'OPERATOR_IS_NULL',
  'OPERATOR_IS_NOT_NULL',
  'COMPARE_IN',
  'COMPARE_NOT_IN',
  'OPERATOR_COALESCE',
]);
const CONDITIONAL = new Set(['CASE', 'COMPARISON', 'CONJUNCTION', 'BETWEEN']);

export interface Analysis {
  /** The query's SELECT node (DuckDB's parse tree). */
  node: Node;
  /** WHERE, or null. */
  where: Node | null;
  /** The WHERE's top-level AND terms. */
  conjuncts: Node[];
  /** Same for queries grouped the same way (structure of GROUP BY, without positions). */
  groupingKey: string;
}

const lower = (v: unknown) => String(v ?? '').toLowerCase();

/** The node without `query_location`s (positions), for structural comparison and deserialisation. */
export function stripLocations<T>(v: T): T {
  if (Array.isArray(v)) return v.map(stripLocations) as T;
  if (!isNode(v)) return v;
  const out: Node = {};
  for (const [k, x] of Object.entries(v)) out[k] = k === 'query_location' ? 0 : stripLocations(x);
  return out as T;
}

/** The top-level AND terms of an expression. */
export function conjunctsOf(expr: Node | null): Node[] {
  if (!expr) return [];
  if (expr.class === 'CONJUNCTION' && expr.type === 'CONJUNCTION_AND') {
    return (expr.children as Node[]).flatMap((c) => conjunctsOf(c));
  }
  return [expr];
}

/** The top-level OR terms of an expression (one term when it is not an OR). */
export function disjunctsOf(expr: Node): Node[] {
  if (expr.class === 'CONJUNCTION' && expr.type === 'CONJUNCTION_OR') {
    return (expr.children as Node[]).flatMap((c) => disjunctsOf(c));
  }
  return [expr];
}

/**
 * Checks a parse tree against the rules; throws a Refusal naming the first rule broken.
 */
export function analyse(tree: ParseTree, schema: ProductSchema): Analysis {
  if (tree.error) {
    if (/Only SELECT statements/i.test(tree.error_message ?? '')) {
      throw new Refusal('select-only', 'Only SELECT queries run in the sandbox; this statement is not a SELECT');
    }
    throw new Refusal('syntax', tree.error_message ?? 'The SQL does not parse');
  }
  const statements = tree.statements ?? [];
  if (statements.length !== 1) {
    throw new Refusal('single-statement', `Send exactly one SELECT statement (got ${statements.length})`);
  }
  const node = statements[0]!.node;
  checkQueryNode(node, schema);

  const fields = new Map(schema.fields.map((f) => [f.name.toLowerCase(), f]));
  const aliases = new Set((node.select_list as Node[]).map((e) => lower(e.alias)).filter((a) => a !== ''));
  const parts: unknown[] = [node.select_list, node.where_clause, node.group_expressions, node.having, node.modifiers];
  for (const part of parts) walk(part, { fields, aliases, table: schema.table.toLowerCase(), inAggregate: null });

  const hasAggregate = (node.select_list as Node[]).some((e) => containsAggregate(e));
  const grouped = (node.group_expressions as unknown[]).length > 0 || node.aggregate_handling === 'FORCE_AGGREGATES';
  if (!hasAggregate && !grouped) {
    throw new Refusal(
      'aggregate-only',
      'This query returns records, not aggregates: GROUP BY some fields and/or use aggregate functions such as count(*), sum, avg',
    );
  }
  const where = (node.where_clause as Node | null) ?? null;
  return {
    node,
    where,
    conjuncts: conjunctsOf(where),
    groupingKey: JSON.stringify(
      stripLocations([node.group_expressions, node.group_sets, node.aggregate_handling, node.select_list]),
    ),
  };
}

function checkQueryNode(node: Node, schema: ProductSchema): void {
  if (node.type !== 'SELECT_NODE') {
    throw new Refusal('no-subqueries', 'Set operations (UNION, EXCEPT, INTERSECT) and VALUES lists are not allowed');
  }
  const ctes = (node.cte_map as { map?: unknown[] } | undefined)?.map ?? [];
  if (ctes.length) throw new Refusal('no-subqueries', 'WITH (common table expressions) is not allowed');
  for (const m of (node.modifiers as Node[]) ?? []) {
    if (m.type === 'DISTINCT_MODIFIER') {
      throw new Refusal('aggregate-only', 'SELECT DISTINCT lists records; use GROUP BY with an aggregate');
    }
    if (m.type !== 'ORDER_MODIFIER' && m.type !== 'LIMIT_MODIFIER') {
      throw new Refusal('aggregate-only', `${String(m.type)} is not allowed`);
    }
  }
  if (node.sample) throw new Refusal('aggregate-only', 'USING SAMPLE is not allowed');
  if (node.qualify) throw new Refusal('aggregate-only', 'QUALIFY is not allowed (it filters window functions)');
  const from = node.from_table as Node;
  const tables = schema.table;
  switch (from.type) {
    case 'BASE_TABLE': {
      const name = lower(from.table_name);
      const schemaName = lower(from.schema_name);
      if (from.catalog_name || (schemaName && schemaName !== 'main') || name !== tables.toLowerCase()) {
        throw new Refusal(
          'one-table',
          `"${[from.catalog_name, from.schema_name, from.table_name].filter(Boolean).join('.')}" is not a table of this product; query "${tables}"`,
        );
      }
      if (from.at_clause || from.sample)
        throw new Refusal('one-table', 'AT (time travel) and TABLESAMPLE are not allowed');
      return;
    }
    case 'TABLE_FUNCTION': {
      const fn = (from.function as Node | undefined)?.function_name;
      throw new Refusal(
        'one-table',
        `${String(fn ?? 'A table function')}(…) reads outside the product's data; the sandbox reads only "${tables}"`,
      );
    }
    case 'JOIN':
      throw new Refusal('one-table', `Joins are not allowed: a query reads one table ("${tables}")`);
    case 'SUBQUERY':
      throw new Refusal('no-subqueries', 'Subqueries in FROM are not allowed');
    case 'EMPTY':
      throw new Refusal('one-table', `Name the product's table: FROM "${tables}"`);
    default:
      throw new Refusal('one-table', `${String(from.type)} in FROM is not allowed`);
  }
}

interface WalkContext {
  fields: Map<string, SandboxField>;
  aliases: Set<string>;
  table: string;
  /** Name of the aggregate we are inside of, if any. */
  inAggregate: string | null;
}

function containsAggregate(v: unknown): boolean {
  if (Array.isArray(v)) return v.some(containsAggregate);
  if (!isNode(v)) return false;
  if (v.class === 'FUNCTION' && AGGREGATES.has(lower(v.function_name))) return true;
  return Object.values(v).some(containsAggregate);
}

function columnName(ref: Node): string {
  const names = ref.column_names as string[];
  return lower(names[names.length - 1]);
}

function walk(v: unknown, ctx: WalkContext): void {
  if (Array.isArray(v)) {
    for (const x of v) walk(x, ctx);
    return;
  }
  if (!isNode(v)) return;
  if (typeof v.class !== 'string') {
    for (const x of Object.values(v)) walk(x, ctx);
    return;
  }
  const cls = v.class;
  if (ctx.inAggregate && CONDITIONAL.has(cls)) {
    throw new Refusal(
      'conditional-aggregate',
      `A condition inside ${ctx.inAggregate}(…) is not allowed: filter with WHERE and split with GROUP BY`,
    );
  }
  switch (cls) {
    case 'STAR':
      throw new Refusal(
        'no-star',
        v.columns
          ? 'COLUMNS(…) is not allowed: name the fields'
          : 'SELECT * is not allowed: name the fields and aggregate them',
      );
    case 'SUBQUERY':
      throw new Refusal('no-subqueries', 'Subqueries are not allowed');
    case 'WINDOW':
      throw new Refusal(
        'aggregate-only',
        `Window functions (${String(v.function_name)} OVER …) return one value per record`,
      );
    case 'LAMBDA':
    case 'LAMBDA_REF':
    case 'PARAMETER':
    case 'POSITIONAL_REFERENCE':
    case 'COLLATE':
    case 'DEFAULT':
      throw new Refusal('function-not-allowed', `${cls.toLowerCase().replace('_', ' ')} expressions are not allowed`);
    case 'OPERATOR':
      if (!ALLOWED_OPERATORS.has(String(v.type))) {
        throw new Refusal('function-not-allowed', `The operator ${String(v.type)} is not allowed`);
      }
      if (ctx.inAggregate && v.type !== 'OPERATOR_COALESCE') {
        throw new Refusal(
          'conditional-aggregate',
          `A condition inside ${ctx.inAggregate}(…) is not allowed: use WHERE`,
        );
      }
      break;
    case 'COLUMN_REF': {
      const name = columnName(v);
      const names = v.column_names as string[];
      if (names.length === 1 && name === ctx.table && !ctx.fields.has(name)) {
        throw new Refusal('no-star', `"${names[0]}" as a value is the whole record: name the fields`);
      }
      if (name === 'rowid') throw new Refusal('sensitive-field', 'rowid identifies records and may not be used');
      const field = ctx.fields.get(name);
      if (field?.sensitive) {
        throw new Refusal(
          'sensitive-field',
          `"${field.name}" is ${field.level} (${field.detector ?? 'personal data'}): use it only through ` +
            (field.coarsenings.length
              ? `${field.coarsenings.map((c) => `${c}(${field.name})`).join(', ')} or count(…)`
              : `count(…); it has no declared coarsening`),
        );
      }
      return;
    }
    case 'FUNCTION': {
      const name = lower(v.function_name);
      if (v.schema || v.catalog) {
        throw new Refusal(
          'function-not-allowed',
          `Qualified function names (${String(v.schema)}.${name}) are not allowed`,
        );
      }
      const children = (v.children as Node[]) ?? [];
      const coarsening = COARSENING_BY_NAME.get(name);
      if (coarsening) {
        const [first, ...rest] = children;
        if (first?.class === 'COLUMN_REF') {
          const field = ctx.fields.get(columnName(first));
          if (field?.sensitive && (!field.detector || !coarsening.detectors.includes(field.detector))) {
            throw new Refusal(
              'sensitive-field',
              `${name}() is not a declared coarsening of "${field.name}" (${field.detector ?? field.level}); ` +
                (field.coarsenings.length ? `use ${field.coarsenings.join(', ')}` : 'it can only be counted'),
            );
          }
          if (!field?.sensitive) walk(first, ctx);
        } else walk(first, ctx);
        walk(rest, ctx);
        return;
      }
      if (AGGREGATES.has(name)) {
        if (ctx.inAggregate) throw new Refusal('aggregate-only', 'Aggregates inside aggregates are not allowed');
        if (v.filter) {
          throw new Refusal('conditional-aggregate', `${name}(…) FILTER (WHERE …) is not allowed: filter with WHERE`);
        }
        const orders = (v.order_bys as { orders?: unknown[] } | undefined)?.orders ?? [];
        if (orders.length) throw new Refusal('aggregate-not-allowed', `ORDER BY inside ${name}(…) is not allowed`);
        if (name === 'count' && children.length === 1 && children[0]!.class === 'COLUMN_REF') {
          // Counting (distinct) values of a field discloses none of them: allowed for every field.
          return;
        }
        walk(children, { ...ctx, inAggregate: name });
        return;
      }
      if (SINGLE_VALUE_AGGREGATES.has(name)) {
        throw new Refusal(
          'aggregate-not-allowed',
          `${name}() returns the value of a single record; use avg, median, sum or count`,
        );
      }
      if (!SCALARS.has(name)) {
        throw new Refusal('function-not-allowed', `${name}() is not one of the sandbox's functions`);
      }
      walk(children, ctx);
      walk(v.filter, ctx);
      return;
    }
    default:
      break;
  }
  for (const [k, x] of Object.entries(v)) if (k !== 'class' && k !== 'type') walk(x, ctx);
}

// ---------------------------------------------------------------------------------------------
// Trees the service adds: the record count of each group, and the checks' conditional counts

const constant = (value: boolean): Node => ({
  class: 'CONSTANT',
  type: 'VALUE_CONSTANT',
  alias: '',
  query_location: 0,
  value: { type: { id: 'BOOLEAN', type_info: null }, is_null: false, value },
});
const integer = (value: number): Node => ({
  class: 'CONSTANT',
  type: 'VALUE_CONSTANT',
  alias: '',
  query_location: 0,
  value: { type: { id: 'INTEGER', type_info: null }, is_null: false, value },
});
const op = (type: string, children: Node[]): Node => ({
  class: 'OPERATOR',
  type,
  alias: '',
  query_location: 0,
  children,
});
const and = (children: Node[]): Node =>
  children.length === 0
    ? constant(true)
    : children.length === 1
      ? children[0]!
      : { class: 'CONJUNCTION', type: 'CONJUNCTION_AND', alias: '', query_location: 0, children };
const or = (children: Node[]): Node =>
  children.length === 0
    ? constant(false)
    : children.length === 1
      ? children[0]!
      : { class: 'CONJUNCTION', type: 'CONJUNCTION_OR', alias: '', query_location: 0, children };
/** cond IS TRUE, as WHERE reads it (NULL counts as false). */
const holds = (cond: Node): Node => op('OPERATOR_COALESCE', [cond, constant(false)]);
const not = (cond: Node): Node => op('OPERATOR_NOT', [holds(cond)]);

/** count(*) [FILTER (WHERE cond)] AS alias. */
export function countStar(alias: string, cond?: Node): Node {
  return {
    class: 'FUNCTION',
    type: 'FUNCTION',
    alias,
    query_location: 0,
    function_name: 'count_star',
    schema: '',
    children: [],
    filter: cond ? holds(cond) : null,
    order_bys: { type: 'ORDER_MODIFIER', orders: [] },
    distinct: false,
    is_operator: false,
    export_state: false,
    catalog: '',
  };
}

const clone = <T>(v: T): T => stripLocations(structuredClone(v));
/** A statement tree for json_deserialize_sql; positions are zeroed (DuckDB's "none" does not survive JSON numbers). */
const wrap = (node: Node) => ({ error: false, statements: [{ node: stripLocations(node), named_param_map: [] }] });

/** The buyer's query with the record count of each output row appended as `__k`. */
export function withGroupCounts(a: Analysis): unknown {
  const node = clone(a.node);
  (node.select_list as Node[]).push(countStar('__k'));
  return wrap(node);
}

export interface CheckColumn {
  alias: string;
  kind: 'n' | 'drop' | 'prior-a' | 'prior-b';
  /** The condition dropped (drop) or the prior query's index (prior-*). */
  term?: Node;
  prior?: number;
}

/**
 * One query over the whole table, grouped as the buyer's query is, that counts per group: the records
 * the query's WHERE selects (`__n`); for each condition (each AND term, and each OR term inside one),
 * the records selected without it; and for each earlier released query grouped the same way, the
 * records in this population and not in that one, and the other way round.
 */
export function lowEffectCheck(a: Analysis, priorsSameGrouping: Analysis[]): { tree: unknown; columns: CheckColumn[] } {
  const node = clone(a.node);
  const w = and(a.conjuncts);
  node.where_clause = null;
  // Only the groups the query itself has (the rest of the table's groups do not matter).
  node.having = {
    class: 'COMPARISON',
    type: 'COMPARE_GREATERTHAN',
    alias: '',
    query_location: 0,
    left: countStar('', w),
    right: integer(0),
  };
  node.modifiers = [];
  const list = node.select_list as Node[];
  const columns: CheckColumn[] = [];
  const add = (c: CheckColumn, cond: Node) => {
    list.push(countStar(c.alias, clone(cond)));
    columns.push(c);
  };
  add({ alias: '__n', kind: 'n' }, w);
  a.conjuncts.forEach((term, i) => {
    const others = a.conjuncts.filter((_, j) => j !== i);
    add({ alias: `__drop_${i}`, kind: 'drop', term }, and(others));
    const ors = disjunctsOf(term);
    if (ors.length > 1) {
      ors.forEach((d, j) =>
        add({ alias: `__drop_${i}_${j}`, kind: 'drop', term: d }, and([...others, or(ors.filter((_, x) => x !== j))])),
      );
    }
  });
  priorsSameGrouping.forEach((p, i) => {
    const pw = and(p.conjuncts);
    add({ alias: `__pa_${i}`, kind: 'prior-a', prior: i }, and([w, not(pw)]));
    add({ alias: `__pb_${i}`, kind: 'prior-b', prior: i }, and([pw, not(w)]));
  });
  return { tree: wrap(node), columns };
}

/** Ungrouped: this population against each earlier released population (any grouping). */
export function totalsCheck(a: Analysis, priors: Analysis[]): unknown {
  const node = clone(a.node);
  node.where_clause = null;
  node.having = null;
  node.modifiers = [];
  node.group_expressions = [];
  node.group_sets = [];
  node.aggregate_handling = 'STANDARD_HANDLING';
  const w = and(a.conjuncts);
  const list: Node[] = [countStar('__n', w)];
  priors.forEach((p, i) => {
    const pw = and(p.conjuncts);
    list.push(
      countStar(`__p_${i}`, pw),
      countStar(`__pa_${i}`, and([w, not(pw)])),
      countStar(`__pb_${i}`, and([pw, not(w)])),
    );
  });
  node.select_list = list;
  return wrap(node);
}

/** An expression as SQL text is what DuckDB prints; the service asks the engine for it when needed. */
export function expressionTree(expr: Node, template: Node): unknown {
  const node = clone(template);
  node.select_list = [clone(expr)];
  node.where_clause = null;
  node.group_expressions = [];
  node.group_sets = [];
  node.having = null;
  node.modifiers = [];
  node.aggregate_handling = 'STANDARD_HANDLING';
  return wrap(node);
}
