// Which parties must ask a returning customer again: consent is bound to the statement version it
// was given under, so a new version (or a passed review date) means asking anew, before any use.
import type { ConsentRecord } from '../wire/schemas.js';
import type { Party, StatementView } from './statements.js';

/**
 * The parties (in the order of `currentStatements`) for which the customer must be asked: no record
 * yet, a latest record under another statement id or version, or, when `now` is given, a latest
 * record whose review date has passed. `latestRecords` may hold older records too: per party the
 * one with the latest event time counts.
 */
export function needsReconsent(
  latestRecords: readonly ConsentRecord[],
  currentStatements: readonly Pick<StatementView, 'party' | 'id' | 'version'>[],
  now?: Date,
): Party[] {
  const latest = new Map<Party, ConsentRecord>();
  for (const r of latestRecords) {
    const seen = latest.get(r.party);
    if (!seen || Date.parse(r.event.at) >= Date.parse(seen.event.at)) latest.set(r.party, r);
  }
  return currentStatements
    .filter((s) => {
      const r = latest.get(s.party);
      if (!r || r.notice.statementId !== s.id || r.notice.version !== s.version) return true;
      const reviewAt = r.validity.reviewAt;
      return now !== undefined && reviewAt !== undefined && Date.parse(reviewAt) <= now.getTime();
    })
    .map((s) => s.party);
}
