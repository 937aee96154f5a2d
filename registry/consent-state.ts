// A consumer's current consent state, derived from the append-only records: per party, chain and
// purpose, the latest decision by the kiosk's clock when it was taken (a give queued offline for
// days must not override a withdrawal made meanwhile elsewhere), ties broken by arrival.
import type { ConsentRecord } from '../sync/wire/schemas.js';
import type { ChainConsentState, RegistryConsentState } from '../sync/wire/registry-api.js';
import type { StoredConsent } from './storage/consents.js';

/** The current decision on one purpose of one party at one chain (the registry's own view; never sent whole). */
export interface ConsentState extends ChainConsentState {
  party: ConsentRecord['party'];
  chainId: string;
}

export function currentStates(records: readonly StoredConsent[]): ConsentState[] {
  const latest = new Map<string, { at: number; seq: number; state: ConsentState }>();
  for (const { seq, chainId, record } of records) {
    const at = Date.parse(record.event.at);
    for (const p of record.purposes) {
      const key = `${record.party}\u0000${chainId}\u0000${p.id}`;
      const prev = latest.get(key);
      if (prev && (prev.at > at || (prev.at === at && prev.seq > seq))) continue;
      latest.set(key, {
        at,
        seq,
        state: {
          party: record.party,
          chainId,
          controllerId: record.controller.id,
          purposeId: p.id,
          status: p.status,
          legalBasis: p.legalBasis,
          statementId: record.notice.statementId,
          version: record.notice.version,
          language: record.notice.language,
          decidedAt: record.event.at,
          recordId: record.recordId,
        },
      });
    }
  }
  return [...latest.values()]
    .map((v) => v.state)
    .sort((a, b) => a.party.localeCompare(b.party) || a.chainId.localeCompare(b.chainId) || a.purposeId.localeCompare(b.purposeId));
}

/** Chains holding a valid registry consent: some registry purpose given there and not later withdrawn. */
export function chainsWithRegistryConsent(states: readonly ConsentState[]): string[] {
  return [...new Set(states.filter((s) => s.party === 'registry' && s.status === 'given').map((s) => s.chainId))].sort();
}

/** The given states, one list per party and chain: what an erasure withdraws, a record for each. */
export function givenByPartyAndChain(states: readonly ConsentState[]): ConsentState[][] {
  const groups = new Map<string, ConsentState[]>();
  for (const s of states.filter((x) => x.status === 'given')) {
    const key = `${s.party}\u0000${s.chainId}`;
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return [...groups.values()];
}

/** The requesting chain's own chain-party states, without the fields that only repeat whose they are. */
export function chainView(chainId: string | null, states: readonly ConsentState[]): ChainConsentState[] {
  return states.filter((s) => s.party === 'chain' && s.chainId === chainId).map(({ party: _party, chainId: _chain, ...own }) => own);
}

/**
 * One registry-party state per purpose over all chains: the latest valid give, else the latest
 * decision. A give at the asking chain names its record, for the withdrawal to name; another
 * chain's record id is never sent (one id shown at every chain would link the person across them).
 */
export function registryView(chainId: string | null, states: readonly ConsentState[]): RegistryConsentState[] {
  const decisive = new Map<string, ConsentState>();
  const rank = (s: ConsentState): [number, number] => [s.status === 'given' ? 1 : 0, Date.parse(s.decidedAt)];
  for (const s of states) {
    if (s.party !== 'registry') continue;
    const prev = decisive.get(s.purposeId);
    const [r, at] = rank(s);
    const [pr, pat] = prev ? rank(prev) : [-1, 0];
    if (r > pr || (r === pr && at > pat)) decisive.set(s.purposeId, s);
  }
  return [...decisive.values()]
    .sort((a, b) => a.purposeId.localeCompare(b.purposeId))
    .map((s) => ({
      purposeId: s.purposeId,
      status: s.status,
      controllerId: s.controllerId,
      statementId: s.statementId,
      version: s.version,
      ...(s.status === 'given' && s.chainId === chainId ? { recordId: s.recordId } : {}),
    }));
}

/**
 * A new record withdrawing `states` (all of one chain, each given), under the notice and controller
 * of the decision it reverses (the record that gave the first of them), taken at `event(given)` with
 * `evidence`, naming the records that gave them.
 */
export function reversingRecord(
  records: readonly StoredConsent[],
  states: readonly ConsentState[],
  event: (given: ConsentRecord) => ConsentRecord['event'],
  evidence: ConsentRecord['evidence'],
  recordId: string,
): ConsentRecord {
  const first = states[0];
  const given = records.find((r) => r.record.recordId === first?.recordId)?.record;
  if (!first || !given) throw new Error('withdrawal without the record it reverses');
  return {
    ...given,
    recordId,
    purposes: states.map((s) => ({ id: s.purposeId, status: 'withdrawn', legalBasis: s.legalBasis })),
    event: { ...event(given), withdraws: [...new Set(states.map((s) => s.recordId))] },
    evidence,
  };
}

/** The given registry-party states of these purposes at chains other than `chainId`, by chain; with `decidedBy`, only those decided by then. */
export function registryGivesElsewhere(
  states: readonly ConsentState[],
  chainId: string,
  purposes: readonly string[],
  decidedBy?: string,
): Map<string, ConsentState[]> {
  const byChain = new Map<string, ConsentState[]>();
  // A give decided after the withdrawal (an offline kiosk's, received first) is the later decision: it stands.
  const until = decidedBy === undefined ? Infinity : Date.parse(decidedBy);
  for (const s of states) {
    if (s.party !== 'registry' || s.status !== 'given' || s.chainId === chainId || !purposes.includes(s.purposeId)) continue;
    if (Date.parse(s.decidedAt) > until) continue;
    byChain.set(s.chainId, [...(byChain.get(s.chainId) ?? []), s]);
  }
  return byChain;
}
