// What the store needs to know of a consent statement to turn a staff-keyed paper form into consent
// records: controller, purposes, text hash, retention and withdrawal methods. The statements live in
// resources/consent and sync/consent loads them; callers map those to these plain facts.
import type { Language } from '../wire/schemas.js';

export type PartyId = 'chain' | 'registry';

export interface StatementFacts {
  readonly party: PartyId;
  readonly statementId: string;
  readonly version: string;
  readonly language: Language;
  readonly textSha256: string;
  readonly controller: { readonly id: string; readonly name: string; readonly contact: string };
  readonly purposes: readonly { readonly id: string; readonly legalBasis: string }[];
  readonly retention: string;
  readonly withdrawalMethods: readonly string[];
}

export const findStatement = (
  statements: readonly StatementFacts[],
  ref: { party: PartyId; statementId: string; version: string; language: Language },
): StatementFacts | undefined =>
  statements.find(
    (s) => s.party === ref.party && s.statementId === ref.statementId && s.version === ref.version && s.language === ref.language,
  );
