// Reading the certificates the card and the trust store hold, with pkijs, into what the checks need.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { Certificate, type RelativeDistinguishedNames } from 'pkijs';
import * as asn1js from 'asn1js';
import { trimPaddedSequence } from '../eid/der.js';
import type { VerdictCode } from '../types.js';

export type Outcome<T> = { ok: true; value: T } | { ok: false; code: VerdictCode; reason: string };

export interface CardCertificate {
  certificate: Certificate;
  publicKey: KeyObject;
}

/** Parses a DER certificate, cutting the zero padding the card adds after it. Never throws. */
export function readCertificate(file: Uint8Array | undefined, label: string): Outcome<CardCertificate> {
  if (file === undefined) return { ok: false, code: 'NOT_READ', reason: `The ${label} was not read from the card.` };
  if (file.every((b) => b === 0))
    return { ok: false, code: 'CERTIFICATE_INVALID', reason: `The card holds no ${label} (the file is empty).` };
  const invalid = { ok: false, code: 'CERTIFICATE_INVALID', reason: `The ${label} on the card is not a valid certificate.` } as const;
  const der = trimPaddedSequence(file);
  if (der === undefined) return invalid;
  try {
    const certificate = Certificate.fromBER(der);
    // DER, not merely BER: the certificate must re-encode to exactly the bytes read (the signed part
    // from its own bytes, the rest from the parsed fields). A length that swallowed padding, or a
    // lenient parse of a damaged unsigned field, is another byte string than the one the CA issued.
    if (!Buffer.from(certificate.toSchema().toBER(false)).equals(der)) return invalid;
    // A signature is whole bytes (no unused bits), and the unsigned outer algorithm must be the one
    // inside the signed part (RFC 5280 §4.1.1.2).
    if (certificate.signatureValue.valueBlock.unusedBits !== 0) return invalid;
    const outer = Buffer.from(certificate.signatureAlgorithm.toSchema().toBER(false));
    if (!outer.equals(Buffer.from(certificate.signature.toSchema().toBER(false)))) return invalid;
    // An ECDSA signature value is DER itself (a SEQUENCE of r and s), inside bytes the re-encoding
    // above keeps opaque: a lenient read of another encoding (the SEQUENCE tag without its
    // constructed bit, say) would verify a byte string the CA never signed.
    if (
      certificate.signatureAlgorithm.algorithmId.startsWith(ECDSA_PREFIX) &&
      !isDerEcdsaSignature(certificate.signatureValue.valueBlock.valueHexView)
    )
      return invalid;
    const spki = certificate.subjectPublicKeyInfo.toSchema().toBER(false);
    const publicKey = createPublicKey({ key: Buffer.from(spki), format: 'der', type: 'spki' });
    return { ok: true, value: { certificate, publicKey } };
  } catch {
    return invalid;
  }
}

/** ecdsa-with-SHA256/384/512 (RFC 5758): 1.2.840.10045.4.3.x. */
const ECDSA_PREFIX = '1.2.840.10045.4.';

/**
 * True when `bytes` are exactly one DER SEQUENCE of two positive, minimally encoded INTEGERs, as an
 * ECDSA signature is. asn1js keeps the tag octets it read when it re-encodes, so the tags are checked
 * as bytes.
 */
function isDerEcdsaSignature(bytes: Uint8Array): boolean {
  const parsed = asn1js.fromBER(bytes);
  if (parsed.offset !== bytes.length || bytes[0] !== 0x30 || !(parsed.result instanceof asn1js.Sequence)) return false;
  if (!Buffer.from(parsed.result.toBER(false)).equals(bytes)) return false;
  const parts = parsed.result.valueBlock.value;
  return parts.length === 2 && parts.every((p) => isDerPositiveInteger(new Uint8Array(p.toBER(false))));
}

function isDerPositiveInteger(der: Uint8Array): boolean {
  if (der[0] !== 0x02 || der.length < 3) return false;
  const header = der[1]! < 0x80 ? 2 : 2 + (der[1]! & 0x7f);
  const [first, second = 0] = der.subarray(header);
  return first !== undefined && first < 0x80 && !(first === 0 && second < 0x80);
}

const NAME_ATTRIBUTES: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.5': 'serialNumber',
  '2.5.4.6': 'C',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
};

/** "CN=test RRN, O=test RRN, C=BE": certificate names are public, so staff and support may see them. */
export function describeName(name: RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => `${NAME_ATTRIBUTES[tv.type] ?? tv.type}=${String(tv.value.valueBlock.value)}`)
    .reverse()
    .join(', ');
}

export function commonName(name: RelativeDistinguishedNames): string {
  const cn = name.typesAndValues.find((tv) => tv.type === '2.5.4.3');
  return cn ? String(cn.value.valueBlock.value) : describeName(name);
}

const KEY_USAGE_OID = '2.5.29.15';

/** Whether key usage allows digitalSignature (bit 0). No extension means no restriction (RFC 5280 §4.2.1.3). */
export function allowsDigitalSignature(certificate: Certificate): boolean {
  const extension = certificate.extensions?.find((e) => e.extnID === KEY_USAGE_OID);
  if (!extension) return true;
  const bits = extension.parsedValue;
  if (!(bits instanceof asn1js.BitString)) return false;
  const first = bits.valueBlock.valueHexView[0] ?? 0;
  return (first & 0x80) !== 0;
}

export const isValidAt = (certificate: Certificate, at: Date): boolean =>
  certificate.notBefore.value.getTime() <= at.getTime() && at.getTime() <= certificate.notAfter.value.getTime();

export const isoDay = (date: Date): string => date.toISOString().slice(0, 10);
