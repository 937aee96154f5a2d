// What the receipt and the registry's countersignature sign. Pure (zod only), so the verification
// page in a phone's browser reads a receipt with the same schema.
import { z } from 'zod';
import { parsePayload, verifyCompact, type VerifyEd25519, type Verified } from './jws.js';
import type { KeySet } from './key-set.js';
import { ConsentEventType, Language, Party, PurposeStatus, type ConsentRecord } from '../wire/schemas.js';

const isoDateTime = z.iso.datetime({ offset: false });

/**
 * The receipt the customer takes home, inside the QR code: ids, statement versions and text hashes,
 * purposes and decisions, time, kiosk and chain. No personal data: `id` is the enrollment's random
 * uuid, which names nobody without the registry. Short keys, since it rides in a QR code.
 */
export const CompactReceipt = z.strictObject({
  v: z.literal(1),
  id: z.uuid(),
  chain: z.string().min(1),
  kiosk: z.string().min(1),
  at: isoDateTime,
  /** The kiosk's UTC offset, minutes, so the page shows the time the customer saw. */
  tz: z.number().int().min(-900).max(900),
  /** The language the receipt is shown in. */
  lang: Language,
  records: z
    .array(
      z.strictObject({
        id: z.uuid(),
        party: Party,
        event: ConsentEventType,
        statement: z.string().min(1),
        version: z.string().min(1),
        lang: Language,
        sha256: z.string().regex(/^[0-9a-f]{64}$/),
        purposes: z.record(z.string().min(1), PurposeStatus),
      }),
    )
    .min(1),
});
export type CompactReceipt = z.infer<typeof CompactReceipt>;

export function compactReceipt(records: readonly ConsentRecord[], chainId: string, language: Language): CompactReceipt {
  const first = records[0]!;
  return {
    v: 1,
    id: first.subjectRef,
    chain: chainId,
    kiosk: first.event.kioskId,
    at: first.event.at,
    tz: first.event.utcOffsetMinutes,
    lang: language,
    records: records.map((r) => ({
      id: r.recordId,
      party: r.party,
      event: r.event.type,
      statement: r.notice.statementId,
      version: r.notice.version,
      lang: r.notice.language,
      sha256: r.notice.textSha256,
      purposes: Object.fromEntries(r.purposes.map((p) => [p.id, p.status])),
    })),
  };
}

/**
 * A receipt read back from its JWS alone (the QR code), as the verification page and
 * `registry verify-receipt` read it: the signature and its shape (its time is the kiosk's clock: shown, not held against the key's validity).
 */
export function readReceipt(jws: string, keys: KeySet, verify: VerifyEd25519): Verified<CompactReceipt> {
  const check = verifyCompact(jws, 'consent-receipt+jws', keys, verify);
  if (!check.ok) return check;
  const receipt = parsePayload(CompactReceipt, check.payload);
  if (!receipt) return { ok: false, failure: 'MALFORMED' };
  return { ok: true, key: check.key, value: receipt };
}

/** The registry's countersignature: it received this record, signed by the kiosk with that JWS, at that time. */
export const Countersignature = z.strictObject({
  recordId: z.uuid(),
  /** SHA-256 (hex) of the kiosk's compact JWS, as received. */
  kioskJwsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  receivedAt: isoDateTime,
  registryKid: z.string().min(1),
});
export type Countersignature = z.infer<typeof Countersignature>;
