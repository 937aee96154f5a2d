// `proof --subject`: one person's records at one chain, found as the subject desk finds them
// (consent-desk.ts identify: the name plus a full birth date, the e-mail, the mobile or the
// withdrawal code, as keyed digests), never by the national register number.
import type { SubjectIdentification } from '../../sync/wire/registry-api.js';
import { identify } from '../consent-desk.js';
import type { MatchKeyer } from '../matching.js';
import { chainProofRows, type StoredProofRow } from '../storage/proof-records.js';
import type { Work } from '../storage/sql.js';

/** The registry operator's export, asking as the chain does (a kiosk id no kiosk has: nothing is written under it). */
const PROOF_DESK = 'registry-proof-export';

export function* subjectProofRows(
  chainId: string,
  since: string | null,
  keyer: MatchKeyer,
  who: SubjectIdentification,
): Work<StoredProofRow[]> {
  const { profile } = yield* identify({ kioskId: PROOF_DESK, chainId, storeId: null }, keyer, who);
  return yield* chainProofRows(chainId, since, [profile.profileId]);
}
