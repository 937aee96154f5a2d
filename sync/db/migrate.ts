// The one migration runner, for the kiosk store and the registry, on SQLite and on PostgreSQL:
// numbered migrations 1, 2, 3... applied in order, each in its own transaction together with the
// record of its version (a crash between two leaves the database at a version it really has), and a
// database written by newer code refused rather than guessed at. An engine is a small adapter
// (`Schema`): `userVersionSchema` below for SQLite, the registry's `registry_schema` table for
// PostgreSQL. Errors are the caller's own coded errors (`MigrationErrors`).
import type { Database } from 'better-sqlite3';

export interface Migration {
  readonly version: number;
  readonly name: string;
}

/** How the caller names each refusal in its own error vocabulary. */
export interface MigrationErrors {
  /** The database is at `database`, later than the last migration this code knows (`code`). */
  newer(database: number, code: number): Error;
  /** The list is not numbered 1, 2, 3... (a gap, a duplicate, out of order). */
  badList(detail: string): Error;
  /** A migration (or its transaction) failed and was rolled back; `migration` is the one chosen to
   *  run, unset when the failure came before the version was read. */
  failed(cause: unknown, migration: Migration | undefined): unknown;
}

/** One transaction's worth: the version found, and the migration applied on it (none when up to date). */
export interface Step<M> {
  readonly current: number;
  readonly applied: M | undefined;
}

/**
 * An engine's side. `step` runs one transaction: reads the recorded version under the write lock,
 * asks `choose` for the migration to apply on it, applies it and records its version. Re-reading
 * under the lock lets two processes migrate the same database at once.
 */
export interface Schema<M, R extends Step<M> | Promise<Step<M>>> {
  step(choose: (current: number) => M | undefined): R;
}

export interface MigrationRun {
  readonly from: number;
  readonly to: number;
}

/** Brings a synchronous engine (SQLite) to the last version in `migrations`. */
export function migrateSync<M extends Migration>(
  migrations: readonly M[],
  schema: Schema<M, Step<M>>,
  errors: MigrationErrors,
): MigrationRun {
  const plan = new Plan(migrations, errors);
  let from: number | undefined;
  for (;;) {
    const { current, applied } = plan.guard(() => schema.step(plan.choose));
    from ??= current;
    if (!applied) return { from, to: current };
  }
}

/** Brings an asynchronous engine (PostgreSQL) to the last version in `migrations`. */
export async function migrateAsync<M extends Migration>(
  migrations: readonly M[],
  schema: Schema<M, Promise<Step<M>>>,
  errors: MigrationErrors,
): Promise<MigrationRun> {
  const plan = new Plan(migrations, errors);
  let from: number | undefined;
  for (;;) {
    const { current, applied } = await plan
      .guard(() => schema.step(plan.choose))
      .catch((e: unknown) => {
        throw plan.failure(e);
      });
    from ??= current;
    if (!applied) return { from, to: current };
  }
}

/** The checks and the choice both runners share; remembers what it chose so a failure names it. */
class Plan<M extends Migration> {
  private chosen: M | undefined;
  private refusal: unknown;

  constructor(
    private readonly migrations: readonly M[],
    private readonly errors: MigrationErrors,
  ) {
    migrations.forEach((m, i) => {
      if (m.version !== i + 1) throw errors.badList(`position ${i + 1} holds version ${m.version}`);
    });
  }

  /** The migration after `current`, or none when `current` is the last; a newer database is refused. */
  readonly choose = (current: number): M | undefined => {
    this.chosen = undefined;
    if (current > this.migrations.length) {
      this.refusal = this.errors.newer(current, this.migrations.length);
      throw this.refusal;
    }
    this.chosen = this.migrations[current];
    return this.chosen;
  };

  /** Runs one step, the synchronous throws mapped as `failure` maps them. */
  guard<R>(step: () => R): R {
    this.chosen = undefined;
    try {
      return step();
    } catch (e) {
      throw this.failure(e);
    }
  }

  failure(e: unknown): unknown {
    return e === this.refusal ? e : this.errors.failed(e, this.chosen);
  }
}

/** SQLite's adapter: the version is PRAGMA user_version, each step one IMMEDIATE transaction. */
export function userVersionSchema<M extends Migration>(db: Database, apply: (m: M) => void): Schema<M, Step<M>> {
  return {
    step: (choose) => {
      // An up-to-date database is answered without the write lock (a read-only tool opening it).
      const current = userVersion(db);
      if (choose(current) === undefined) return { current, applied: undefined };
      return db
        .transaction((): Step<M> => {
          const locked = userVersion(db);
          const m = choose(locked);
          if (m !== undefined) {
            apply(m);
            db.pragma(`user_version = ${m.version}`);
          }
          return { current: locked, applied: m };
        })
        .immediate();
    },
  };
}

export const userVersion = (db: Database): number => db.pragma('user_version', { simple: true }) as number;
