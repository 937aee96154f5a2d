// The receipt the customer takes home inside the QR code, signed by the kiosk (issue #16), and the
// QR's text around it. Pure (zod and base64url only), so the verification page in a phone's browser
// reads a receipt with the same code as `registry verify-receipt`.
//
// Every character costs QR modules, so the signed form is terse: one-letter keys and codes, the
// enrollment id as 22 base64url characters, the time as Unix seconds, a record's language only when
// it is not the receipt's, and each statement text named by the first 128 bits of its SHA-256
// (with the statement id, version and language: enough to tell the published text apart from any
// other). `receiptView` spells it out for people and tools.
import { z } from 'zod';
import { decodeBase64url, encodeBase64url } from './base64url.js';
import { parsePayload, verifyCompact, type VerifyEd25519, type Verified } from './jws.js';
import type { KeySet } from './key-set.js';
import { Language, type ConsentRecord } from '../wire/schemas.js';

type Party = ConsentRecord['party'];
type EventType = ConsentRecord['event']['type'];
type Status = ConsentRecord['purposes'][number]['status'];

const PARTY_CODES = { chain: 'c', registry: 'r' } as const satisfies Record<Party, string>;
const EVENT_CODES = { given: 'g', refused: 'r', withdrawn: 'w', renewed: 'n' } as const satisfies Record<EventType, string>;
const STATUS_CODES = { given: 'g', refused: 'r', withdrawn: 'w', expired: 'x' } as const satisfies Record<Status, string>;

const codeEnum = <T extends Record<string, string>>(codes: T) => z.enum(Object.values(codes) as [T[keyof T], ...T[keyof T][]]);
const decode = <K extends string>(codes: Record<K, string>, code: string): K => (Object.keys(codes) as K[]).find((k) => codes[k] === code)!;

const base64urlOf = (bytes: number) => z.string().regex(new RegExp(`^[A-Za-z0-9_-]{${Math.ceil((bytes * 4) / 3)}}$`));
/** How many bytes of the text's SHA-256 the receipt carries. */
const TEXT_HASH_BYTES = 16;

export const CompactReceipt = z.strictObject({
  v: z.literal(1),
  /** The enrollment's random uuid (the receipt's reference): names nobody without the registry. */
  id: base64urlOf(16),
  /** Chain and kiosk ids. */
  c: z.string().min(1),
  k: z.string().min(1),
  /** When the customer decided (kiosk clock), Unix seconds. */
  t: z.number().int().nonnegative(),
  /** The language the receipt is shown in. */
  l: Language,
  r: z
    .array(
      z.strictObject({
        p: codeEnum(PARTY_CODES),
        e: codeEnum(EVENT_CODES),
        s: z.string().min(1),
        v: z.string().min(1),
        /** The statement's language, when it is not the receipt's. */
        l: Language.optional(),
        h: base64urlOf(TEXT_HASH_BYTES),
        /** Each purpose's decision. */
        u: z.record(z.string().min(1), codeEnum(STATUS_CODES)),
      }),
    )
    .min(1),
});
export type CompactReceipt = z.infer<typeof CompactReceipt>;

const hexToBytes = (hex: string): Uint8Array => Uint8Array.from(hex.match(/../g)!, (h) => parseInt(h, 16));
const bytesToHex = (bytes: Uint8Array): string => [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');

export function compactReceipt(records: readonly ConsentRecord[], chainId: string, language: Language): CompactReceipt {
  const first = records[0]!;
  return {
    v: 1,
    id: encodeBase64url(hexToBytes(first.subjectRef.replace(/-/g, ''))),
    c: chainId,
    k: first.event.kioskId,
    t: Math.floor(Date.parse(first.event.at) / 1000),
    l: language,
    r: records.map((r) => ({
      p: PARTY_CODES[r.party],
      e: EVENT_CODES[r.event.type],
      s: r.notice.statementId,
      v: r.notice.version,
      ...(r.notice.language !== language && { l: r.notice.language }),
      h: encodeBase64url(hexToBytes(r.notice.textSha256).subarray(0, TEXT_HASH_BYTES)),
      u: Object.fromEntries(r.purposes.map((p) => [p.id, STATUS_CODES[p.status]])),
    })),
  };
}

/** The receipt spelled out, as the verification page and `registry verify-receipt` show it. */
export interface ReceiptView {
  /** The reference printed on the receipt (a uuid). */
  readonly id: string;
  readonly chain: string;
  readonly kiosk: string;
  /** ISO 8601, UTC. */
  readonly at: string;
  readonly lang: Language;
  readonly records: readonly {
    readonly party: Party;
    readonly event: EventType;
    readonly statement: string;
    readonly version: string;
    readonly lang: Language;
    /** The first 128 bits of the statement text's SHA-256, hex: the record's `textSha256` starts with it. */
    readonly textSha256Prefix: string;
    readonly purposes: Readonly<Record<string, Status>>;
  }[];
}

export function receiptView(receipt: CompactReceipt): ReceiptView {
  const hex = bytesToHex(decodeBase64url(receipt.id)!);
  return {
    id: `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`,
    chain: receipt.c,
    kiosk: receipt.k,
    at: new Date(receipt.t * 1000).toISOString(),
    lang: receipt.l,
    records: receipt.r.map((r) => ({
      party: decode(PARTY_CODES, r.p),
      event: decode(EVENT_CODES, r.e),
      statement: r.s,
      version: r.v,
      lang: r.l ?? receipt.l,
      textSha256Prefix: bytesToHex(decodeBase64url(r.h)!),
      purposes: Object.fromEntries(Object.entries(r.u).map(([id, s]) => [id, decode(STATUS_CODES, s)])),
    })),
  };
}

/**
 * A receipt read back from its JWS alone (the QR code): the signature and its shape. Its time is
 * the kiosk's clock: shown, not held against the key's validity.
 */
export function readReceipt(jws: string, keys: KeySet, verify: VerifyEd25519): Verified<CompactReceipt> {
  const check = verifyCompact(jws, 'consent-receipt+jws', keys, verify);
  if (!check.ok) return check;
  const receipt = parsePayload(CompactReceipt, check.payload);
  if (!receipt) return { ok: false, failure: 'MALFORMED' };
  return { ok: true, key: check.key, value: receipt };
}

/**
 * The QR's text: the registry's verification page with the receipt in the fragment (a browser never
 * sends a fragment to the server), `…/verify#r=<JWS>&c=<code>`. The withdrawal code rides beside
 * the JWS, unsigned: it is the customer's secret, not part of the proof. Without a registry, the
 * fragment alone (`#r=<JWS>&c=<code>`), which `registry verify-receipt` reads the same.
 */
export function receiptQrText(jws: string, options: { verifyUrl?: string; withdrawalCode?: string } = {}): string {
  const code = options.withdrawalCode === undefined ? '' : `&c=${options.withdrawalCode}`;
  return `${options.verifyUrl ?? ''}#r=${jws}${code}`;
}

/** The receipt's JWS and the withdrawal code from the QR's text: the verification URL, its fragment, or the JWS itself. */
export function readQrText(text: string): { jws: string; withdrawalCode?: string } {
  const hash = text.indexOf('#');
  if (hash < 0) return { jws: text.trim() };
  const params = new URLSearchParams(text.slice(hash + 1).trim());
  const code = params.get('c');
  return { jws: params.get('r') ?? '', ...(code !== null && { withdrawalCode: code }) };
}
