// What the batch signatures and the registry's countersignatures sign (the receipt's form is compact-receipt.ts). Pure (zod only).
import { z } from 'zod';

const isoDateTime = z.iso.datetime({ offset: false });

/** The registry's countersignature: it received this record, signed by the kiosk with that JWS, at that time. */
export const Countersignature = z.strictObject({
  recordId: z.uuid(),
  /** SHA-256 (hex) of the kiosk's compact JWS, as received. */
  kioskJwsSha256: z.string().regex(/^[0-9a-f]{64}$/),
  receivedAt: isoDateTime,
  registryKid: z.string().min(1),
});
export type Countersignature = z.infer<typeof Countersignature>;

const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

/**
 * The kiosk's signature over a batch it sends: each record's commit-time JWS, by its hash, so the
 * registry checks one Ed25519 signature a batch instead of one a record (issue #16's cost aim).
 */
export const BatchSignature = z.strictObject({
  kioskId: z.string().min(1),
  /** The batch request's sentAt: a batch signature names its request. */
  sentAt: isoDateTime,
  /** SHA-256 (hex) of each record's attached compact JWS, as the registry keeps it. */
  records: z.array(z.strictObject({ recordId: z.uuid(), jwsSha256: sha256Hex })).min(1),
});
export type BatchSignature = z.infer<typeof BatchSignature>;

/** The registry's countersignature over a batch it received: one a batch, over the kiosk's batch JWS. */
export const BatchCountersignature = z.strictObject({
  batchJwsSha256: sha256Hex,
  kioskId: z.string().min(1),
  receivedAt: isoDateTime,
  registryKid: z.string().min(1),
});
export type BatchCountersignature = z.infer<typeof BatchCountersignature>;
