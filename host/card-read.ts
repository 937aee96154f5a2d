// One permitted card read for the host: wait for a card in the kiosk's reader (a card inserted
// before the tap has sat there untouched), read it with the photo, report progress as contract
// events, and turn the verdicts into what the screens and the commit need. Nothing here keeps the
// read: the caller decides what of it lives on in the session.
import type { Address } from '../card-reader/eid/address.js';
import type { Identity } from '../card-reader/eid/identity.js';
import { CardError } from '../card-reader/errors.js';
import type { PcscSession } from '../card-reader/pcsc/session.js';
import { readCard, type CardRead } from '../card-reader/read-card.js';
import type { Verification } from '../card-reader/types.js';
import type { TrustStore } from '../card-reader/verify/trust-store.js';
import type { ChainPolicy } from '../sync/store/policy.js';
import type { EidVerification } from '../sync/wire/schemas.js';
import type { CardEvent, ShownIdentity, VerdictView } from '../api/contract.js';

export interface CardReadOptions {
  pcsc: PcscSession | undefined;
  reader?: string;
  trust: TrustStore;
  policy: ChainPolicy;
  now: () => Date;
  random?: (n: number) => Uint8Array;
  apduTimeoutMs?: number;
  /** How long to wait for a card after the tap (the host's idle deadline ends it sooner). */
  waitMs: number;
  emit: (event: CardEvent) => void;
}

/** What the host keeps of a read: the person as on the card (the policy applies at commit) and the verdicts. */
export interface PermittedRead {
  identity: Identity;
  address: Address;
  verification: Verification;
  genuine: boolean;
}

export async function readPermittedCard(opts: CardReadOptions): Promise<PermittedRead> {
  const { pcsc } = opts;
  if (!pcsc || pcsc.readers().length === 0) throw new CardError('NO_READER');
  opts.emit({ phase: 'waiting' });
  const status = await pcsc.waitForCard({ reader: opts.reader, timeoutMs: opts.waitMs });
  opts.emit({ phase: 'reading' });
  const read: CardRead = await readCard(pcsc, {
    reader: status.reader,
    photo: true, // the photo check needs it; the photo itself goes to the screen only
    trust: opts.trust,
    now: opts.now,
    waitMs: 0,
    ...(opts.apduTimeoutMs ? { apduTimeoutMs: opts.apduTimeoutMs } : {}),
    ...(opts.random ? { random: opts.random } : {}),
    onProgress: (p) => {
      if (p.stage === 'identity') opts.emit({ phase: 'identity', identity: shownIdentity(p.identity, p.address, opts.policy) });
      else opts.emit({ phase: 'photo', photo: `data:image/jpeg;base64,${p.photo}` });
    },
  });
  const genuine = Object.values(read.verification).every((v) => v.ok);
  return { identity: read.identity, address: read.address, verification: read.verification, genuine };
}

/**
 * The names as the wire and the registry need them. A card with no first names (tag 08 absent: rare,
 * some foreigners' cards) repeats its surname there: the wire requires first names, and anything else
 * would be invented.
 */
export const namesOnCard = (identity: Identity): { surname: string; firstNames: string } => ({
  surname: identity.surname,
  firstNames: identity.firstNames ?? identity.surname,
});

/** Only what the chain's policy keeps, plus the card's expiry for the staff check. */
export function shownIdentity(identity: Identity, address: Address, policy: ChainPolicy): ShownIdentity {
  return {
    surname: identity.surname,
    firstNames: identity.firstNames ?? '',
    ...(policy.keep.birthDate ? { birthDate: identity.birthDate } : {}),
    ...(policy.keep.sex ? { sex: identity.sex } : {}),
    ...(policy.keep.address ? { address: { ...address } } : {}),
    ...(identity.validityEnd ? { cardValidUntil: identity.validityEnd } : {}),
  };
}

export function verdictViews(v: Verification): VerdictView[] {
  return (Object.entries(v) as [VerdictView['check'], Verification['identity']][]).map(([check, verdict]) => ({
    check,
    ok: verdict.ok,
    code: verdict.code,
  }));
}

/** The wire's verification summary (the registry keeps these four and the expiry). */
export function wireVerification(read: PermittedRead): EidVerification {
  const v = read.verification;
  return {
    identity: v.identity.ok,
    address: v.address.ok,
    photo: v.photo.ok,
    chain: v.chain.ok,
    ...(read.identity.validityEnd ? { cardValidUntil: read.identity.validityEnd } : {}),
  };
}
