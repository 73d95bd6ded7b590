'use strict';
/**
 * The sandbox engine's worker process (plain CommonJS, so it loads the same way under tsx, under jest
 * with @swc/jest and from a build: no TypeScript, no loader). It owns DuckDB; the server process never
 * touches it, so no query, however heavy, runs on the server's event loop, and a worker that must be
 * killed (a query that does not stop when interrupted) takes nothing else with it.
 *
 * Jobs (one at a time per worker):
 *  - parse:   SQL texts → DuckDB's own parse trees (json_serialize_sql), in a locked in-memory engine.
 *  - prepare: rows of a deliverable → a DuckDB database file (typed table `records`, the raw rows as
 *             JSON in `__rows` for API delivery, `__meta`), written to a temporary name and renamed.
 *  - run:     opens the prepared file READ_ONLY with external access off and the configuration
 *             locked, a memory limit and one thread, defines the coarsening macros, runs each step
 *             (SQL text or a parse tree that DuckDB turns back into SQL) under a time limit, closes.
 */
const fs = require('node:fs');
const { setTimeout, clearTimeout } = require('node:timers');
const { DuckDBInstance } = require('@duckdb/node-api');

/** Settings every engine opened for a query gets; lock_configuration makes them final. */
function lockedConfig(memoryLimitMb) {
  return {
    access_mode: 'READ_ONLY',
    enable_external_access: 'false',
    autoload_known_extensions: 'false',
    autoinstall_known_extensions: 'false',
    allow_community_extensions: 'false',
    allow_unsigned_extensions: 'false',
    enable_http_metadata_cache: 'false',
    max_temp_directory_size: '0B',
    preserve_insertion_order: 'false',
    threads: '1',
    memory_limit: `${memoryLimitMb}MB`,
    lock_configuration: 'true',
  };
}

function classify(err) {
  const message = String((err && err.message) || err);
  if (/INTERRUPT|Interrupted/i.test(message)) return { kind: 'time-limit', message };
  if (/Out of Memory|memory limit|failed to allocate/i.test(message)) return { kind: 'memory-limit', message };
  return { kind: 'engine', message };
}

let parser = null;
async function parserConnection() {
  if (!parser) {
    const instance = await DuckDBInstance.create(':memory:', { ...lockedConfig(64), access_mode: 'AUTOMATIC' });
    parser = await instance.connect();
  }
  return parser;
}

async function parse(job) {
  const c = await parserConnection();
  const trees = [];
  for (const sql of job.sqls) {
    const r = await c.runAndReadAll('SELECT json_serialize_sql($1::VARCHAR) AS j', [sql]);
    trees.push(JSON.parse(String(r.getRowsJson()[0][0])));
  }
  return { trees };
}

async function deparse(job) {
  const c = await parserConnection();
  const sqls = [];
  for (const tree of job.trees) {
    const r = await c.runAndReadAll('SELECT json_deserialize_sql($1::JSON) AS s', [JSON.stringify(tree)]);
    sqls.push(String(r.getRowsJson()[0][0]));
  }
  return { sqls };
}

const quoteIdent = (name) => `"${String(name).replace(/"/g, '""')}"`;

async function prepare(job) {
  const tmp = `${job.path}.${process.pid}.${Date.now()}.tmp`;
  fs.rmSync(tmp, { force: true });
  const instance = await DuckDBInstance.create(tmp, {
    autoload_known_extensions: 'false',
    autoinstall_known_extensions: 'false',
    threads: '1',
  });
  const c = await instance.connect();
  try {
    const cols = job.columns;
    const staging = cols.map((col, i) => `c${i} VARCHAR`).join(', ');
    await c.run(`CREATE TABLE staging (rid BIGINT, ${staging}, raw VARCHAR)`);
    const appender = await c.createAppender('staging');
    for (let r = 0; r < job.rows.length; r++) {
      const row = job.rows[r];
      appender.appendBigInt(BigInt(r));
      for (let i = 0; i < cols.length; i++) {
        const v = row[i];
        if (v === null || v === undefined) appender.appendNull();
        else appender.appendVarchar(v);
      }
      appender.appendVarchar(job.json[r]);
      appender.endRow();
    }
    appender.flushSync();
    appender.closeSync();
    const typed = cols
      .map((col, i) =>
        col.sqlType === 'VARCHAR'
          ? `c${i} AS ${quoteIdent(col.name)}`
          : `TRY_CAST(c${i} AS ${col.sqlType}) AS ${quoteIdent(col.name)}`,
      )
      .join(', ');
    await c.run(`CREATE TABLE records AS SELECT ${typed} FROM staging ORDER BY rid`);
    await c.run('CREATE TABLE __rows AS SELECT rid, raw FROM staging ORDER BY rid');
    await c.run('CREATE TABLE __meta (columns VARCHAR, fields VARCHAR, row_count BIGINT)');
    await c.run('INSERT INTO __meta VALUES ($1, $2, $3)', [
      JSON.stringify(job.columnNames),
      job.fieldsJson,
      job.rows.length,
    ]);
    await c.run('DROP TABLE staging');
    await c.run('CHECKPOINT');
  } finally {
    c.closeSync();
    instance.closeSync();
  }
  fs.renameSync(tmp, job.path);
  fs.rmSync(`${tmp}.wal`, { force: true });
  return { rows: job.rows.length };
}

async function run(job) {
  const started = Date.now();
  const instance = await DuckDBInstance.create(job.path, lockedConfig(job.memoryLimitMb));
  const c = await instance.connect();
  const timer = setTimeout(() => c.interrupt(), job.timeoutMs);
  const results = [];
  try {
    for (const macro of job.macros || []) await c.run(macro);
    for (const step of job.steps) {
      let sql = step.sql;
      if (step.tree) {
        const r = await c.runAndReadAll('SELECT json_deserialize_sql($1::JSON) AS s', [JSON.stringify(step.tree)]);
        sql = String(r.getRowsJson()[0][0]);
      }
      const t0 = Date.now();
      const reader = await c.runAndReadUntil(sql, step.maxRows + 1);
      const rows = reader.getRowsJson();
      results.push({
        sql,
        columns: reader.columnNames(),
        types: reader.columnTypes().map((t) => t.toString()),
        rows: rows.slice(0, step.maxRows),
        truncated: rows.length > step.maxRows,
        ms: Date.now() - t0,
      });
    }
  } catch (err) {
    return { error: classify(err), results, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
    c.closeSync();
    instance.closeSync();
  }
  return { results, ms: Date.now() - started };
}

/**
 * Trusted reads of the platform itself (API delivery's pages, metadata): fixed SQL, no buyer input,
 * so the read-only, locked engine of a prepared file is kept open between calls (a few files, least
 * recently used first out) instead of being opened per call.
 */
const pageEngines = new Map();
const PAGE_ENGINES = 8;
async function pageConnection(path, memoryLimitMb) {
  let e = pageEngines.get(path);
  if (e) {
    pageEngines.delete(path);
  } else {
    const instance = await DuckDBInstance.create(path, lockedConfig(memoryLimitMb));
    e = { instance, connection: await instance.connect() };
  }
  pageEngines.set(path, e);
  while (pageEngines.size > PAGE_ENGINES) {
    const [oldPath, old] = pageEngines.entries().next().value;
    pageEngines.delete(oldPath);
    old.connection.closeSync();
    old.instance.closeSync();
  }
  return e.connection;
}

async function page(job) {
  const started = Date.now();
  const c = await pageConnection(job.path, job.memoryLimitMb);
  const timer = setTimeout(() => c.interrupt(), job.timeoutMs);
  const results = [];
  try {
    for (const step of job.steps) {
      const reader = await c.runAndReadUntil(step.sql, step.maxRows + 1);
      const rows = reader.getRowsJson();
      results.push({
        sql: step.sql,
        columns: reader.columnNames(),
        types: [],
        rows: rows.slice(0, step.maxRows),
        truncated: rows.length > step.maxRows,
        ms: 0,
      });
    }
  } catch (err) {
    return { error: classify(err), results, ms: Date.now() - started };
  } finally {
    clearTimeout(timer);
  }
  return { results, ms: Date.now() - started };
}

const JOBS = { parse, deparse, prepare, run, page };

process.on('message', async (msg) => {
  try {
    const out = await JOBS[msg.job.type](msg.job);
    process.send({ id: msg.id, ok: true, out });
  } catch (err) {
    process.send({ id: msg.id, ok: false, error: classify(err) });
  }
});
// The server went away: so do we.
process.on('disconnect', () => process.exit(0));
