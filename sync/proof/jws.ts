// Compact JWS (RFC 7515) with Ed25519 (RFC 8037, alg EdDSA), the one form every signature of a
// consent takes: the kiosk's over a record, a receipt and a batch it sends, the registry's
// countersignatures. A record's JWS travels detached (RFC 7515 appendix F: `header..signature`),
// the receiver putting back the record's canonical JSON it holds anyway.
// Parsing and checking are pure; the Ed25519 primitive is passed in (node:crypto on the kiosk and
// the registry, @noble/curves in a phone's browser), so both sides judge a JWS the same way.
import { decodeBase64url, encodeBase64url, encodeBase64urlText, fromUtf8, utf8 } from './base64url.js';
import type { KeySet, PublishedKey } from './key-set.js';

export const JWS_TYPES = [
  'consent-record+jws',
  'consent-receipt+jws',
  'consent-countersignature+jws',
  'consent-batch+jws',
  'consent-batch-countersignature+jws',
] as const;
export type JwsType = (typeof JWS_TYPES)[number];

/** What a signer needs: its kid (the public key's thumbprint) and a way to sign bytes. */
export interface Signer {
  readonly kid: string;
  sign(data: Uint8Array): Uint8Array;
}

export type VerifyEd25519 = (key: PublishedKey, data: Uint8Array, signature: Uint8Array) => boolean;

export type JwsFailure =
  /** Not three base64url parts, a header that is not ours (alg, typ, crit...), a payload that is not UTF-8 JSON text. */
  | 'MALFORMED'
  | 'WRONG_TYPE'
  /** No published key of that kid (or, given an owner check, not that owner's). */
  | 'UNKNOWN_KEY'
  /** The key was not valid at the time the signed thing claims. */
  | 'KEY_NOT_VALID'
  | 'BAD_SIGNATURE'
  /** A good signature over something else than the value it is checked against. */
  | 'PAYLOAD_MISMATCH';

export type JwsCheck =
  { readonly ok: true; readonly key: PublishedKey; readonly payload: string } | { readonly ok: false; readonly failure: JwsFailure };

export function signCompact(typ: JwsType, payload: string, signer: Signer): string {
  const header = encodeBase64urlText(JSON.stringify({ alg: 'EdDSA', kid: signer.kid, typ }));
  const signingInput = `${header}.${encodeBase64urlText(payload)}`;
  return `${signingInput}.${encodeBase64url(signer.sign(utf8(signingInput)))}`;
}

export interface VerifyOptions {
  /** The key must have been valid at this time (ISO 8601): the record's event time, the receipt's time. */
  readonly at?: string;
  /** Only a key this returns true for will do (e.g. the sending kiosk's own). */
  readonly accept?: (key: PublishedKey) => boolean;
}

/** Checks a compact JWS of type `typ` against a key set; returns the payload text and the key that signed it. */
export function verifyCompact(jws: string, typ: JwsType, keys: KeySet, verify: VerifyEd25519, options: VerifyOptions = {}): JwsCheck {
  const parts = jws.split('.');
  if (parts.length !== 3) return fail('MALFORMED');
  const [h, p, s] = parts as [string, string, string];
  const headerBytes = decodeBase64url(h);
  const payloadBytes = decodeBase64url(p);
  const signature = decodeBase64url(s);
  if (!headerBytes || !payloadBytes || !signature) return fail('MALFORMED');
  const header = parseJson(headerBytes);
  if (!isOurHeader(header)) return fail('MALFORMED');
  if (header.typ !== typ) return fail('WRONG_TYPE');
  const key = keys.keys.find((k) => k.kid === header.kid);
  if (!key || (options.accept && !options.accept(key))) return fail('UNKNOWN_KEY');
  if (options.at !== undefined && !keyValidAt(key, options.at)) return fail('KEY_NOT_VALID');
  if (!verify(key, utf8(`${h}.${p}`), signature)) return fail('BAD_SIGNATURE');
  let payload: string;
  try {
    payload = fromUtf8(payloadBytes);
  } catch {
    return fail('MALFORMED');
  }
  return { ok: true, key, payload };
}

export type Verified<T> =
  { readonly ok: true; readonly key: PublishedKey; readonly value: T } | { readonly ok: false; readonly failure: JwsFailure };

const fail = (failure: JwsFailure): JwsCheck => ({ ok: false, failure });

/** The JWS without its payload (RFC 7515 appendix F), as a record's travels. */
export function detach(jws: string): string {
  const first = jws.indexOf('.');
  return `${jws.slice(0, first)}.${jws.slice(jws.indexOf('.', first + 1))}`;
}

/** A JWS whose payload part is empty: detached. */
export function isDetached(jws: string): boolean {
  const first = jws.indexOf('.');
  return first >= 0 && jws[first + 1] === '.';
}

/** The attached JWS again: the detached one's header and signature around this payload (whatever payload `jws` carried is replaced). */
export function attach(jws: string, payload: string): string {
  const first = jws.indexOf('.');
  return `${jws.slice(0, first)}.${encodeBase64urlText(payload)}${jws.slice(jws.indexOf('.', first + 1))}`;
}

/** The protected header's kid and typ, unverified, or undefined when it is not one of ours. */
export function headerOf(jws: string): { kid: string; typ: string } | undefined {
  const text = jws.slice(0, Math.max(0, jws.indexOf('.')));
  // A batch's records share one header (one kiosk key): each header text is read once.
  let header = headers.get(text);
  if (header === undefined) {
    const bytes = decodeBase64url(text);
    const parsed = bytes && parseJson(bytes);
    header = isOurHeader(parsed) ? { kid: parsed.kid, typ: parsed.typ } : null;
    if (headers.size >= MAX_HEADERS) headers.clear();
    headers.set(text, header);
  }
  return header ?? undefined;
}

const headers = new Map<string, { kid: string; typ: string } | null>();
/** Headers differ by key and type only: a few per kiosk; past this many the memo starts over rather than grow. */
const MAX_HEADERS = 50_000;

/** A signed JSON payload checked against its schema: the signature first, then its shape. */
export function parsePayload<T>(
  schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } },
  text: string,
): T | undefined {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = schema.safeParse(json);
  return parsed.success ? parsed.data : undefined;
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(fromUtf8(bytes));
  } catch {
    return undefined;
  }
}

/** Exactly alg, kid and typ: a header asking for anything more (crit, b64, jku, jwk...) is not one of ours. */
function isOurHeader(h: unknown): h is { alg: 'EdDSA'; kid: string; typ: string } {
  if (typeof h !== 'object' || h === null || Array.isArray(h)) return false;
  const o = h as Record<string, unknown>;
  return Object.keys(o).length === 3 && o.alg === 'EdDSA' && typeof o.kid === 'string' && typeof o.typ === 'string';
}

/** The key was published as valid at `at` (ISO 8601): a retired key verifies only what it signed before. */
export function keyValidAt(key: PublishedKey, at: string): boolean {
  const t = Date.parse(at) / 1000;
  return !Number.isNaN(t) && t >= key.nbf && (key.exp === undefined || t < key.exp);
}
