// The PostgreSQL engine (pg Pool). READ COMMITTED with explicit locks where it matters: the
// idempotency row is claimed first with ON CONFLICT DO NOTHING (a concurrent claim of the same key
// waits for the first to commit or roll back), a consumer's name key is advisory-locked while it is
// matched, and change events are appended under one lock so their sequence follows commit order.
import pg from 'pg';
import type { PoolClient } from 'pg';
import { migrateAsync, type Step } from '../../sync/db/migrate.js';
import { RegistryError } from '../errors.js';
import { MIGRATION_ERRORS, MIGRATIONS, migrationSql, type Migration } from './migrations.js';
import { valueRows, type Op, type SqlDriver, type SqlValue, type Work } from './sql.js';

export interface PostgresOptions {
  /** Schema to work in (created if missing); defaults to the connection's search_path. */
  schema?: string;
  maxConnections?: number;
}

// Deadlock, serialization failure, and a unique row won by a concurrent transaction: the
// transaction is re-run from the start and then sees the committed state.
const RETRYABLE = new Set(['40P01', '40001', '23505']);
const ATTEMPTS = 3;
const MIGRATION_LOCK = 0x5e9_0001;
const NAMED_STATEMENTS = 256;
// Named statements keep PostgreSQL's default plan caching: after five runs a statement may keep a
// generic plan instead of planning every execution, which was a third of the server's CPU under 200
// kiosks. A generic plan once scanned the whole key table for `digest IN ($1, ..., $n)` (60 ms a
// lookup against 6): that came from statistics a fast-growing registry had outrun, which the store
// now refreshes itself (pg-statistics.ts); each ANALYZE also drops the cached plans that used them.
// A batch is a few statements and one commit, so a connection mostly waits for the WAL flush: more
// transactions in flight share flushes. Measured in-process with 200 concurrent kiosks: 10
// connections ~1,900-3,500 items/s, 40 ~4,200-4,500 (the server's max_connections is 100 here).
const DEFAULT_CONNECTIONS = 32;
// One statement for any number of keys, in the order of the lock identities themselves (two names
// can share a hash): two transactions locking overlapping sets then never wait on each other in a cycle.
const LOCK_SQL = `SELECT pg_advisory_xact_lock($1, h) FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest($2::text[]) AS k ORDER BY h) AS s`;

export async function openPostgresDriver(url: string, opts: PostgresOptions = {}): Promise<SqlDriver> {
  if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(opts.schema)) {
    throw new RegistryError('BAD_DATABASE_URL', 'schema names are lower-case letters, digits and _');
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.maxConnections ?? DEFAULT_CONNECTIONS,
    ...(opts.schema ? { options: `-c search_path=${opts.schema}` } : {}),
  });
  try {
    if (opts.schema) await pool.query(`CREATE SCHEMA IF NOT EXISTS ${opts.schema}`);
    await migrate(pool);
  } catch (e) {
    await pool.end();
    throw e;
  }

  // Statements are prepared once per connection under a name (saves a parse and plan per call).
  const named = new Map<string, { name: string | undefined; text: string }>();
  const statement = (sql: string): { name: string | undefined; text: string } => {
    let s = named.get(sql);
    if (s === undefined) {
      let n = 0;
      const text = sql.replace(/\?/g, () => `$${++n}`);
      s = { name: named.size < NAMED_STATEMENTS ? `r${named.size}` : undefined, text };
      named.set(sql, s);
    }
    return s;
  };
  const query = async (client: PoolClient, sql: string, params: readonly SqlValue[]) => {
    const { name, text } = statement(sql);
    return client.query(name ? { name, text, values: [...params] } : { text, values: [...params] });
  };
  /** Held writes as one statement: `WITH w0 AS (first), w1 AS (second) last` (the placeholders number on). */
  const flush = async (client: PoolClient, held: Array<{ sql: string; params: readonly SqlValue[] }>): Promise<void> => {
    if (held.length === 0) return;
    const writes = held.splice(0);
    const last = writes.pop() as (typeof writes)[number];
    const sql = writes.length === 0 ? last.sql : `WITH ${writes.map((w, i) => `w${i} AS (${w.sql})`).join(', ')} ${last.sql}`;
    await query(client, sql, [...writes.flatMap((w) => w.params), ...last.params]);
  };
  /** Runs a unit; `atCommit` collects the work it defers to the end of the transaction. */
  const runOn = async <T>(client: PoolClient, work: Work<T>, atCommit: Array<() => Work<void>>): Promise<T> => {
    const held: Array<{ sql: string; params: readonly SqlValue[] }> = [];
    let step = work.next();
    while (!step.done) {
      const op: Op = step.value;
      let result: unknown;
      if (op.op === 'exec' || op.op === 'insert') {
        held.push(
          op.op === 'exec' ? op : { sql: `${op.head} VALUES ${valueRows(op.rows.length, op.width)} ${op.tail}`, params: op.rows.flat() },
        );
        step = work.next(undefined);
        continue;
      }
      // What follows may read what the held writes wrote, or roll them back: they go first.
      await flush(client, held);
      if (op.op === 'reads') {
        // Each read as a JSON array column of one row: SELECT (SELECT json_agg(t) FROM (read) t) AS r0, ...
        const columns = op.reads.map((r, i) => `(SELECT coalesce(json_agg(t), '[]'::json) FROM (${r.sql}) t) AS r${i}`);
        const row = (
          await query(
            client,
            `SELECT ${columns.join(', ')}`,
            op.reads.flatMap((r) => r.params),
          )
        ).rows[0] as Record<string, unknown[]>;
        result = op.reads.map((r, i) => (r.op === 'get' ? row[`r${i}`]?.[0] : row[`r${i}`]));
      } else if (op.op === 'lock') {
        await client.query({ name: 'lock', text: LOCK_SQL, values: [op.space, op.keys] });
      } else if (op.op === 'at-commit') {
        atCommit.push(op.work);
      } else if (op.op === 'savepoint') {
        // Its deferred work joins the transaction's only if it is released, not rolled back.
        const deferred: Array<() => Work<void>> = [];
        await client.query('SAVEPOINT work');
        try {
          result = { ok: true, value: await runOn(client, op.work(), deferred) };
          await client.query('RELEASE SAVEPOINT work');
          atCommit.push(...deferred);
        } catch (error) {
          await client.query('ROLLBACK TO SAVEPOINT work');
          result = { ok: false, error };
        }
      } else {
        const res = await query(client, op.sql, op.params);
        result = op.op === 'get' ? res.rows[0] : op.op === 'all' ? res.rows : (res.rowCount ?? 0);
      }
      step = work.next(result);
    }
    await flush(client, held);
    return step.value;
  };
  const transaction = async <T>(body: (client: PoolClient, atCommit: Array<() => Work<void>>) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      for (let attempt = 1; ; attempt++) {
        const atCommit: Array<() => Work<void>> = [];
        await client.query('BEGIN');
        try {
          const result = await body(client, atCommit);
          for (const work of atCommit) await runOn(client, work(), []);
          await client.query('COMMIT');
          return result;
        } catch (e) {
          await client.query('ROLLBACK');
          const code = (e as { code?: unknown }).code;
          if (attempt >= ATTEMPTS || typeof code !== 'string' || !RETRYABLE.has(code)) throw e;
        }
      }
    } finally {
      client.release();
    }
  };

  return {
    engine: 'postgres',
    write: (work) => transaction((client, atCommit) => runOn(client, work(), atCommit)),
    read: async (work) => {
      const client = await pool.connect();
      try {
        return await runOn(client, work(), []);
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

async function migrate(pool: pg.Pool): Promise<void> {
  // Each migration in its own transaction with the one row of `registry_schema`, under an advisory
  // lock (two servers starting on one database take turns, and the second finds the work done).
  const step = async (choose: (current: number) => Migration | undefined): Promise<Step<Migration>> => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      await client.query('CREATE TABLE IF NOT EXISTS registry_schema (version INTEGER NOT NULL)');
      const row = (await client.query<{ version: number }>('SELECT version FROM registry_schema')).rows[0];
      const current = row?.version ?? 0;
      const m = choose(current);
      if (m) {
        await client.query(migrationSql(m, 'postgres'));
        if (!row) await client.query('INSERT INTO registry_schema (version) VALUES ($1)', [m.version]);
        else await client.query('UPDATE registry_schema SET version = $1', [m.version]);
      }
      await client.query('COMMIT');
      return { current, applied: m };
    } catch (e) {
      await client.query('ROLLBACK');
      throw e;
    } finally {
      client.release();
    }
  };
  await migrateAsync(MIGRATIONS, { step }, MIGRATION_ERRORS);
}
