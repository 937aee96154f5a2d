// PostgreSQL plans the hot lookups (keys, profiles, records) from table statistics that autovacuum
// refreshes about once a minute at best, from a sample that misses rows still being committed. A
// registry that grows fast (its first day, a chain's import, the burst after an outage) outruns
// them: a planner that believed `profiles` held 7 rows while it held 2,270 scanned it whole at every
// group commit, 18 ms a lookup and growing with the table (bench:sync, 200 kiosks at 1,250 items/s).
// So the store analyzes the tables it writes each time they may have doubled since it last did.
import { logger } from '../../sync/log.js';

/**
 * The tables a batch writes, with the columns the next batches look rows up by. ANALYZE of a column
 * list still counts the table's rows, and leaves out the record and payload texts, the costly part.
 */
const ANALYZED = {
  profiles: ['profile_id'],
  profile_keys: ['digest', 'profile_id'],
  enrollments: ['enrollment_id', 'profile_id'],
  consent_records: ['record_id', 'profile_id'],
  idempotency_keys: ['kiosk_id', 'idempotency_key'],
} as const;

/** One statement for all of them. */
export const ANALYZE_SQL = `ANALYZE ${Object.entries(ANALYZED)
  .map(([table, columns]) => `${table} (${columns.join(', ')})`)
  .join(', ')}`;

export class StatisticsKeeper {
  private sinceLast = 0;
  private atLast = 0;
  private running: Promise<void> | undefined;

  /** `analyze` runs ANALYZE_SQL; `minItems` is the first threshold. */
  constructor(
    private readonly analyze: () => Promise<void>,
    private readonly minItems = 1_000,
  ) {}

  /** Items were committed; analyzes in the background once they reach the size analyzed last (one run at a time). */
  wrote(items: number): void {
    this.sinceLast += items;
    if (this.running || this.sinceLast < Math.max(this.minItems, this.atLast)) return;
    const counted = this.sinceLast;
    this.running = this.analyze()
      .then(
        () => {
          this.atLast += counted;
          this.sinceLast -= counted;
        },
        // Not fatal: the next write tries again.
        (err: unknown) =>
          log.warn({ err: { type: (err as Error).name, code: (err as { code?: unknown }).code } }, 'analyzing the registry tables failed'),
      )
      .finally(() => (this.running = undefined));
  }

  /** Resolves once no analysis is running. */
  async idle(): Promise<void> {
    await this.running;
  }
}

const log = logger('registry');
