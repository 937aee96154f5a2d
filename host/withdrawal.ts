// A withdrawal from "my consents", queued like an enrollment: one consent record per record that
// gave the withdrawn purposes (the registry's lookup names it), naming that record and the
// enrollment the registry knows the customer by at this chain (its lookup's `subjectRef`). The kiosk
// holds no copy of the record it reverses, so the statement the registry named is taken from the
// published catalogue and the record carries only the purposes it withdraws (as the registry's own
// withdrawals do).
import { buildWithdrawal, type DecisionContext } from '../sync/consent/records.js';
import { RETENTION_SUMMARY } from '../sync/consent/retention.js';
import type { Party, StatementCatalog } from '../sync/consent/statements.js';
import type { ConsentLookupResponse } from '../sync/wire/registry-api.js';
import type { ConsentRecord, Language } from '../sync/wire/schemas.js';

/** What the customer withdraws, from what the registry answered. */
export interface WithdrawalChoice {
  known: ConsentLookupResponse;
  party: Party;
  purposes: readonly string[];
  /** The notice's language where the registry does not say it (its aggregate of the registry party). */
  language: Language;
}

export interface WithdrawalRequest extends WithdrawalChoice {
  known: ConsentLookupResponse & { subjectRef: string };
}

interface Given {
  purposeId: string;
  statementId: string;
  version: string;
  language: Language;
  legalBasis?: string;
  recordId?: string;
}

/** The given states of the chosen purposes, as the registry's answer lists them. */
function givenStates({ known, party, purposes, language }: WithdrawalChoice): Given[] {
  const given: Given[] =
    party === 'chain'
      ? known.chain.filter((s) => s.status === 'given')
      : known.registry.filter((s) => s.status === 'given').map((s) => ({ ...s, language }));
  return given.filter((s) => purposes.includes(s.purposeId));
}

/**
 * Whether a queued record can name what it withdraws: the registry names the record of each give
 * that stands at this chain, not one made at another chain (a registry consent given only there),
 * which the registry's own route withdraws.
 */
export function namesEveryGive(choice: WithdrawalChoice): boolean {
  return givenStates(choice).every((s) => s.recordId !== undefined);
}

/** The records to commit; empty when none of the purposes is given (nothing to withdraw). */
export function withdrawalRecords(req: WithdrawalRequest, catalog: StatementCatalog, ctx: DecisionContext): ConsentRecord[] {
  const byRecord = new Map<string, Given[]>();
  for (const s of givenStates(req)) {
    if (s.recordId === undefined) throw new Error('a withdrawal must name the record it reverses (namesEveryGive)');
    byRecord.set(s.recordId, [...(byRecord.get(s.recordId) ?? []), s]);
  }
  return [...byRecord].map(([recordId, states]) => {
    const { statementId, version, language } = states[0]!;
    const statement = catalog.find(statementId, version, language);
    // The decision it reverses, as far as the registry's answer and the catalogue tell it.
    const reversed: ConsentRecord = {
      recordId,
      subjectRef: req.known.subjectRef,
      party: req.party,
      controller: { ...statement.controller },
      purposes: states.map((s) => ({
        id: s.purposeId,
        status: 'given',
        legalBasis: s.legalBasis ?? statement.purposes.find((p) => p.id === s.purposeId)?.legalBasis ?? '',
      })),
      dataCategories: [],
      notice: { statementId, version, language, textSha256: statement.textSha256 },
      event: {
        at: ctx.now.toISOString(),
        utcOffsetMinutes: ctx.utcOffsetMinutes,
        type: 'given',
        method: ctx.method,
        storeId: ctx.storeId,
        kioskId: ctx.kioskId,
      },
      evidence: { allUncheckedAtStart: false, controlsTouched: [] },
      validity: { retention: RETENTION_SUMMARY[req.party] },
      withdrawal: { methods: [...statement.withdrawalMethods], asEasyAsGiving: true },
    };
    return buildWithdrawal(
      reversed,
      states.map((s) => s.purposeId),
      ctx,
    );
  });
}
