// The card's authenticity checks in one call: the National Register's signatures over identity and
// address, the photo against its signed hash, the RRN certificate against the trust store, and the
// card's validity period, and on applet 1.8 the chip's basic key. A failed check is a verdict with
// a stable code and a reason for staff, never an exception.
import type { CardFiles, Verdict, Verification } from '../types.js';
import { readCertificate, type CardCertificate, type Outcome } from './certificate.js';
import type { ChipChallenge } from '../eid/protocol.js';
import { checkBasicKey } from './basic-key.js';
import { checkChain, type CheckMoment } from './chain.js';
import { checkPhoto } from './photo.js';
import { addressSignedData, checkSignature } from './signature.js';
import type { TrustStore } from './trust-store.js';
import { checkCardValidity, isoDate } from './validity.js';

export interface VerifyCardInput {
  files: CardFiles;
  /** Identity tag 0x11. */
  photoHash?: Uint8Array;
  /** 'YYYY-MM-DD', identity tags 03 and 04. */
  validityBegin?: string;
  validityEnd?: string;
  /** Applet 1.8: the basic-key challenge sent during the read, with identity tag 0x1A. Gives `basicKey`. */
  chip?: ChipChallenge & { keyHash?: Uint8Array };
  trust: TrustStore;
  now: Date;
}

export async function verifyCard(input: VerifyCardInput): Promise<Verification> {
  const { files } = input;
  const rrn = readCertificate(files['rrn-cert.der'], 'RRN certificate');
  const identitySignature = files['identity-signature.bin'];
  const identity = signatureVerdict('identity data', files['identity.tlv'] ?? notRead('identity data'), identitySignature, rrn);
  const addressData = !files['address.tlv']
    ? notRead('address')
    : !identitySignature
      ? notRead('identity signature')
      : addressSignedData(files['address.tlv'], identitySignature);
  const address = signatureVerdict('address', addressData, files['address-signature.bin'], rrn);
  return {
    identity,
    address,
    photo: checkPhoto(files['photo.jpg'], input.photoHash),
    chain: await checkChain(rrn, input.trust, checkMoment(input.validityBegin, input.now)),
    cardValidity: checkCardValidity(input.validityBegin, input.validityEnd, input.now),
    ...(input.chip ? { basicKey: checkBasicKey({ ...input.chip, keyFile: files['basic-key.der'] }) } : {}),
  };
}

// Dates rule (README.md "Dates"): the National Register signed the card's data when the card was
// issued, so the RRN certificate and its root must have been valid on the card's first valid day,
// not today: roots and RRN certificates expire while the cards they signed are still valid. The
// card's own expiry is the cardValidity check. Midday UTC stands for "some time that day".
function checkMoment(validityBegin: string | undefined, now: Date): CheckMoment {
  const issued = isoDate(validityBegin);
  return issued === undefined
    ? { at: now, label: 'today, as the card issue date is unknown' }
    : { at: new Date(`${issued}T12:00:00Z`), label: "the card's issue date" };
}

const notRead = (file: string) => ({ notRead: file });

function signatureVerdict(
  what: 'identity data' | 'address',
  data: Uint8Array | { notRead: string },
  signature: Uint8Array | undefined,
  rrn: Outcome<CardCertificate>,
): Verdict {
  const signatureName = what === 'address' ? 'address signature' : 'identity signature';
  if (!(data instanceof Uint8Array)) {
    return { ok: false, code: 'NOT_READ', reason: `The ${data.notRead} was not read from the card, so the ${what} could not be checked.` };
  }
  if (signature === undefined) return { ok: false, code: 'NOT_READ', reason: `The ${signatureName} was not read from the card.` };
  if (signature.length === 0 || signature.every((b) => b === 0)) {
    return { ok: false, code: 'SIGNATURE_EMPTY', reason: `The ${signatureName} on the card is empty.` };
  }
  if (!rrn.ok) return { ok: false, code: rrn.code, reason: `The ${what} could not be checked: ${lowerFirst(rrn.reason)}` };
  const check = checkSignature(data, signature, rrn.value.publicKey);
  if (check.ok) return { ok: true, code: 'SIGNED', reason: `The ${what} is signed by the National Register (${check.algorithm}).` };
  switch (check.problem) {
    case 'mismatch':
      return {
        ok: false,
        code: 'SIGNATURE_MISMATCH',
        reason: `The ${what} does not match the National Register's signature: it was changed, or signed by someone else.`,
      };
    case 'malformed':
      return { ok: false, code: 'SIGNATURE_MALFORMED', reason: `The ${signatureName} on the card is not a valid signature.` };
    case 'unsupported-key':
      return {
        ok: false,
        code: 'UNSUPPORTED_KEY',
        reason: `The ${what} could not be checked: the RRN certificate holds a key of an unsupported type.`,
      };
  }
}

const lowerFirst = (s: string) => s.charAt(0).toLowerCase() + s.slice(1);
