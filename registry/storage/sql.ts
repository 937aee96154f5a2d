// Database work written once for both engines. A unit of work is a generator that yields SQL
// operations and receives their results: the SQLite driver runs it synchronously inside one
// better-sqlite3 transaction (nothing can interleave), the PostgreSQL driver awaits each step on
// one pooled client. `?` placeholders throughout; the PostgreSQL driver numbers them.
export type SqlValue = string | number | null;
export type Row = readonly SqlValue[];

export type Op =
  | { readonly op: 'get' | 'all' | 'run'; readonly sql: string; readonly params: readonly SqlValue[] }
  /**
   * A write whose row count nobody needs: the PostgreSQL driver holds it and sends the writes that
   * follow it in the same statement (data-modifying WITH), before any other operation and at the end
   * of the unit, so a batch's inserts cost one round trip; SQLite runs it at once.
   */
  | { readonly op: 'exec'; readonly sql: string; readonly params: readonly SqlValue[] }
  /**
   * An INSERT of many rows (`head` VALUES rows `tail`), held like 'exec'. PostgreSQL gets one
   * multi-row statement (one round trip). SQLite, with no round trips to save, runs the one-row
   * statement once per row: one prepared statement for every row count, where each count's multi-row
   * text was a statement of its own to prepare (about 15 µs an item on the writer under 200 kiosks).
   */
  | { readonly op: 'insert'; readonly head: string; readonly width: number; readonly rows: readonly Row[]; readonly tail: string }
  /** Reads that do not depend on each other (see `parallel`): one round trip on PostgreSQL, in order on SQLite. */
  | { readonly op: 'reads'; readonly reads: readonly Read[] }
  /**
   * Transaction-scoped locks (PostgreSQL advisory locks), taken in one sorted order so that two
   * transactions locking overlapping sets never deadlock; SQLite has one writer, so a no-op there.
   */
  | { readonly op: 'lock'; readonly space: LockSpace; readonly keys: readonly string[] }
  /** Work to run at the end of the transaction, just before COMMIT (so a lock it takes is held briefly). */
  | { readonly op: 'at-commit'; readonly work: () => Work<void> }
  /** Work in a savepoint: a throw rolls back only what it did (and drops its at-commit work), and is returned. */
  | { readonly op: 'savepoint'; readonly work: () => Work<unknown> };

export type Attempt<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

export type Work<T> = Generator<Op, T, unknown>;

export interface Read {
  readonly op: 'get' | 'all';
  readonly sql: string;
  readonly params: readonly SqlValue[];
}

export const LockSpace = {
  /** One consumer's normalised name: matching and consent decisions for it are serialised. */
  Consumer: 1,
  /** Change-event appends: sequence numbers are then issued in commit order. */
  Feed: 2,
} as const;
export type LockSpace = (typeof LockSpace)[keyof typeof LockSpace];

/** `?, ?, ?`: one placeholder per value of an IN list. */
export function marks(count: number): string {
  return Array.from({ length: count }, () => '?').join(', ');
}

/** `(?, ?), (?, ?)`: the VALUES of a multi-row INSERT, `count` rows of `width` columns. */
export function valueRows(count: number, width: number): string {
  const row = `(${marks(width)})`;
  return Array.from({ length: count }, () => row).join(', ');
}

export function* get<T extends object>(sql: string, ...params: SqlValue[]): Work<T | undefined> {
  return (yield { op: 'get', sql, params }) as T | undefined;
}

export function* all<T extends object>(sql: string, ...params: SqlValue[]): Work<T[]> {
  return (yield { op: 'all', sql, params }) as T[];
}

export function* run(sql: string, ...params: SqlValue[]): Work<number> {
  return (yield { op: 'run', sql, params }) as number; // rows changed
}

export function* exec(sql: string, ...params: SqlValue[]): Work<void> {
  yield { op: 'exec', sql, params };
}

/** `head` is the INSERT up to VALUES, `tail` what follows the rows (an ON CONFLICT clause); each row `width` values. */
export function* insertRows(head: string, width: number, rows: readonly Row[], tail = ''): Work<void> {
  if (rows.length === 0) return;
  yield { op: 'insert', head, width, rows, tail };
}

type Results<T extends readonly Work<unknown>[]> = { [K in keyof T]: T[K] extends Work<infer R> ? R : never };

/**
 * Runs units of reads side by side: each step, the reads they are waiting on go out together (one
 * 'reads' op), so three lookups cost one round trip instead of three. Any other operation is
 * passed on alone. SQLite answers the reads in order, so a later unit's read is the later one.
 */
export function* parallel<T extends readonly Work<unknown>[]>(...works: T): Work<Results<T>> {
  const steps: Array<IteratorResult<Op, unknown>> = works.map((w) => w.next());
  for (;;) {
    const waiting = steps.flatMap((s, i) => (s.done ? [] : [i]));
    if (waiting.length === 0) return steps.map((s) => s.value) as Results<T>;
    const ops = waiting.map((i) => steps[i]!.value as Op);
    const reads = ops.filter((o): o is Read => o.op === 'get' || o.op === 'all');
    if (reads.length === ops.length && reads.length > 1) {
      const results = (yield { op: 'reads', reads }) as unknown[];
      waiting.forEach((i, j) => (steps[i] = works[i]!.next(results[j])));
    } else {
      const i = waiting[0]!;
      steps[i] = works[i]!.next(yield ops[0]!);
    }
  }
}

export function* lock(space: LockSpace, ...keys: string[]): Work<void> {
  if (keys.length > 0) yield { op: 'lock', space, keys };
}

export function* atCommit(work: () => Work<void>): Work<void> {
  yield { op: 'at-commit', work };
}

/** Runs `work` in a savepoint of the current transaction; a failure is rolled back and returned, not thrown. */
export function* savepoint<T>(work: () => Work<T>): Work<Attempt<T>> {
  return (yield { op: 'savepoint', work }) as Attempt<T>;
}

/**
 * The database refused the data itself (a constraint, a value the column cannot hold such as NUL in
 * PostgreSQL text): the same statement would fail again, so it is the item's fault, not the server's.
 */
export function isDataError(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  if (/^2[23][0-9A-Z]{3}$/.test(code)) return true; // PostgreSQL classes 22 (data exception) and 23 (integrity)
  return /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
}

/** The engine underneath a RegistryStore. */
export interface SqlDriver {
  readonly engine: 'sqlite' | 'postgres';
  /** One write transaction; any throw rolls it back and is rethrown. */
  write<T>(work: () => Work<T>): Promise<T>;
  read<T>(work: () => Work<T>): Promise<T>;
  close(): Promise<void>;
}
