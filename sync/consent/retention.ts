// How long consents last and data are kept, in one place. The statements' "retention" sections say
// the same in words; a test checks that every figure here appears in each of them.
import type { ConsentRecord } from '../wire/schemas.js';

type Party = ConsentRecord['party'];

/** A consent is reviewed (the customer asked again) this long after it was given. */
export const CONSENT_REVIEW_MONTHS = 24;

export const RETENTION = {
  chain: { inactivityYears: 2, purchasesMonths: 24, erasureDays: 30, proofYears: 5, messagesDays: 30 },
  registry: { inactivityYears: 2, erasureDays: 30, proofYears: 5, messagesDays: 30 },
} as const satisfies Record<Party, Record<string, number>>;

/** The record's `validity.retention`: ISO 8601 durations with what they count from. */
export const RETENTION_SUMMARY: Record<Party, string> = {
  chain:
    `customer file P${RETENTION.chain.inactivityYears}Y after last visit at a kiosk of the chain or P${RETENTION.chain.erasureDays}D after all chain consents withdrawn; ` +
    `purchases P${RETENTION.chain.purchasesMonths}M; consent proof P${RETENTION.chain.proofYears}Y after consent ends; kiosk copy until registry acknowledgement`,
  registry:
    `registry data P${RETENTION.registry.inactivityYears}Y after last visit at any chain or P${RETENTION.registry.erasureDays}D after the registry consent is withdrawn at the last chain; ` +
    `consent proof P${RETENTION.registry.proofYears}Y after consent ends; kiosk copy until registry acknowledgement`,
};

/** `from` plus whole months in UTC, clamped to the month's last day (29 Feb + 24 months = 28 Feb). */
export function addMonthsUtc(from: Date, months: number): Date {
  const y = from.getUTCFullYear();
  const m = from.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return new Date(
    Date.UTC(
      y,
      m,
      Math.min(from.getUTCDate(), lastDay),
      from.getUTCHours(),
      from.getUTCMinutes(),
      from.getUTCSeconds(),
      from.getUTCMilliseconds(),
    ),
  );
}

export const reviewDate = (givenAt: Date): Date => addMonthsUtc(givenAt, CONSENT_REVIEW_MONTHS);

/** The registry's purge runs this often (`serve`'s default timer); every rule below counts on it. */
export const PURGE_EVERY_DAYS = 1;

/** The purges that enforce a rule: the registry's (subject-desk.ts `purgeExpired`) and the kiosk's acknowledgement. */
export type PurgeName =
  | 'registry-data-inactive'
  | 'registry-data-withdrawn'
  | 'chain-data-withdrawn'
  | 'chain-data-inactive'
  | 'consent-proof'
  | 'transient-messages'
  | 'kiosk-acknowledgement'
  | 'never-received';

export interface RetentionRule {
  party: Party;
  /** The data the rule covers, in the words of the statement's retention section. */
  data: string;
  /** What the period counts from. */
  from: string;
  /** The longest the data may be kept: the purge deletes them no later than `from` plus this. */
  period: { months: number } | { days: number };
  purge: PurgeName;
}

/**
 * Every retention promise of the statements and the purge that keeps it. A period is a maximum
 * ("within 30 days", "2 years after"): the purge deletes data whose period ends before its next run.
 * A visit is an enrollment or a consent decision (given, refused, withdrawn) received from a
 * kiosk of the chain: what the registry sees of the person; a lookup without a decision is none.
 */
export const RETENTION_RULES = [
  {
    party: 'chain',
    data: "the chain's customer file of the person (profile fields, enrollments, change events)",
    from: "the last visit at the chain's kiosks",
    period: { months: 12 * RETENTION.chain.inactivityYears },
    purge: 'chain-data-inactive',
  },
  {
    party: 'chain',
    data: "the chain's customer file of the person",
    from: 'the withdrawal (or refusal) that left no chain purpose given',
    period: { days: RETENTION.chain.erasureDays },
    purge: 'chain-data-withdrawn',
  },
  {
    party: 'chain',
    data: 'purchases',
    from: 'the purchase',
    period: { months: RETENTION.chain.purchasesMonths },
    // Kept by the chain's own systems: no kiosk, feed or registry table holds a purchase.
    purge: 'never-received',
  },
  {
    party: 'chain',
    data: "consent proof of the chain's purposes",
    from: 'the end of the consent (withdrawal, refusal, erasure)',
    period: { months: 12 * RETENTION.chain.proofYears },
    purge: 'consent-proof',
  },
  {
    party: 'registry',
    data: 'what the registry holds for its own purpose: the birth-date matching key, co-update events',
    from: 'the last visit at any chain',
    period: { months: 12 * RETENTION.registry.inactivityYears },
    purge: 'registry-data-inactive',
  },
  {
    party: 'registry',
    data: 'what the registry holds for its own purpose: the birth-date matching key, co-update events',
    from: 'the withdrawal that left the registry purpose given at no chain',
    period: { days: RETENTION.registry.erasureDays },
    purge: 'registry-data-withdrawn',
  },
  {
    party: 'registry',
    data: "consent proof of the registry's purposes",
    from: 'the end of the consent (withdrawal, refusal, erasure)',
    period: { months: 12 * RETENTION.registry.proofYears },
    purge: 'consent-proof',
  },
  // The chain's: codes for typed details and the confirmation it sends; the registry's: codes before
  // a registry withdrawal or an erasure. One purge, one table, so one period.
  ...(['chain', 'registry'] as const).map((party): RetentionRule => ({
    party,
    data: 'a one-time code (as a keyed digest) and an e-mail or SMS waiting to be sent (its address and content)',
    from: 'when the code or the message was made',
    period: { days: RETENTION[party].messagesDays },
    purge: 'transient-messages',
  })),
  ...(['chain', 'registry'] as const).map((party): RetentionRule => ({
    party,
    data: 'personal data on the kiosk',
    from: "the registry's acknowledgement",
    period: { days: 0 },
    purge: 'kiosk-acknowledgement',
  })),
] as const satisfies readonly RetentionRule[];

/** When data kept under `period` since `from` must be gone. */
export function retentionDeadline(from: Date, period: RetentionRule['period']): Date {
  return 'months' in period ? addMonthsUtc(from, period.months) : new Date(from.getTime() + period.days * DAY_MS);
}

/**
 * The purge at `now` deletes what counts from `cutoff` or earlier: everything whose deadline falls
 * before the next run, so nothing outlives its period by up to a day.
 */
export function purgeCutoff(now: Date, period: RetentionRule['period']): Date {
  const nextRun = new Date(now.getTime() + PURGE_EVERY_DAYS * DAY_MS);
  return 'months' in period ? addMonthsUtc(nextRun, -period.months) : new Date(nextRun.getTime() - period.days * DAY_MS);
}

const DAY_MS = 86_400_000;

/** The period of the first rule `purge` enforces for `party`. */
export function periodOf(party: Party, purge: PurgeName): RetentionRule['period'] {
  const rule = RETENTION_RULES.find((r) => r.party === party && r.purge === purge);
  if (!rule) throw new Error(`no ${party} retention rule for ${purge}`);
  return rule.period;
}
