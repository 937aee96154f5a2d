// How long consents last and data are kept, in one place. The statements' "retention" sections say
// the same in words; a test checks that every figure here appears in each of them.
import type { Party } from './statements.js';

/** A consent is reviewed (the customer asked again) this long after it was given. */
export const CONSENT_REVIEW_MONTHS = 24;

export const RETENTION = {
  chain: { inactivityYears: 2, purchasesMonths: 24, erasureDays: 30, proofYears: 5 },
  registry: { inactivityYears: 2, erasureDays: 30, proofYears: 5 },
} as const satisfies Record<Party, Record<string, number>>;

/** The record's `validity.retention`: ISO 8601 durations with what they count from. */
export const RETENTION_SUMMARY: Record<Party, string> = {
  chain:
    `profile P${RETENTION.chain.inactivityYears}Y after last account use or P${RETENTION.chain.erasureDays}D after all consents withdrawn; ` +
    `purchases P${RETENTION.chain.purchasesMonths}M; consent proof P${RETENTION.chain.proofYears}Y after consent ends; kiosk copy until registry acknowledgement`,
  registry:
    `profile P${RETENTION.registry.inactivityYears}Y after last visit or P${RETENTION.registry.erasureDays}D after last chain consent withdrawn; ` +
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
