// A withdrawal from "my consents", queued like an enrollment: one consent record per statement
// version the withdrawn purposes were given under, naming the enrollment the registry knows the
// customer by at this chain (its lookup's `subjectRef`). The kiosk holds no copy of the record it
// reverses, so the statement the registry named is taken from the published catalogue and the
// record carries only the purposes it withdraws (as the registry's own withdrawals do).
import { buildWithdrawal, type DecisionContext } from '../sync/consent/records.js';
import { RETENTION_SUMMARY } from '../sync/consent/retention.js';
import type { Party, StatementCatalog } from '../sync/consent/statements.js';
import type { ConsentLookupResponse } from '../sync/wire/registry-api.js';
import type { ConsentRecord, Language } from '../sync/wire/schemas.js';

export interface WithdrawalRequest {
  known: ConsentLookupResponse & { subjectRef: string };
  party: Party;
  purposes: readonly string[];
  /** The notice's language where the registry does not say it (its aggregate of the registry party). */
  language: Language;
}

interface Given {
  purposeId: string;
  statementId: string;
  version: string;
  language: Language;
  legalBasis?: string;
  recordId?: string;
}

/** The records to commit; empty when none of the purposes is given (nothing to withdraw). */
export function withdrawalRecords(req: WithdrawalRequest, catalog: StatementCatalog, ctx: DecisionContext): ConsentRecord[] {
  const given: Given[] =
    req.party === 'chain'
      ? req.known.chain.filter((s) => s.status === 'given')
      : req.known.registry.filter((s) => s.status === 'given').map((s) => ({ ...s, language: req.language }));
  const targets = given.filter((s) => req.purposes.includes(s.purposeId));
  const byNotice = new Map<string, Given[]>();
  for (const s of targets) {
    const key = `${s.statementId}\u0000${s.version}\u0000${s.language}`;
    byNotice.set(key, [...(byNotice.get(key) ?? []), s]);
  }
  return [...byNotice.values()].map((states) => {
    const { statementId, version, language, recordId } = states[0]!;
    const statement = catalog.find(statementId, version, language);
    // The decision it reverses, as far as the registry's answer and the catalogue tell it.
    const reversed: ConsentRecord = {
      recordId: recordId ?? ctx.newId(),
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
