// What the registry's countersignature signs (the receipt's form is compact-receipt.ts). Pure (zod only).
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
