// The registry's codes on the wire, one style with the rest of the project (UPPER_SNAKE), as zod
// enums so both sides switch on them exhaustively. Registry versions before this one answered
// kebab-case ('chain-mismatch'), and kiosks kept those in their outbox: `currentCode` reads them.
import { z } from 'zod';

/** Every non-2xx answer of the registry (`ErrorResponse.code`). */
export const RegistryErrorCode = z.enum([
  'UNAUTHENTICATED',
  'KIOSK_REVOKED',
  'KIOSK_MISMATCH',
  'KIOSK_UNBOUND',
  'FORBIDDEN', // a credential of the wrong kind for the route (a kiosk token on the back office's)
  'INVALID_REQUEST',
  'CONSUMER_NOT_FOUND',
  'PROOF_REQUIRED',
  'UNKNOWN_KIOSK',
  'UNKNOWN_ENROLL_CODE', // a one-time code unknown, used or expired: alike
  'RATE_LIMITED',
  'BODY_TOO_LARGE',
  'BODY_TOO_DEEP',
  'NOT_FOUND', // no such route
  'PLAIN_HTTP_REFUSED',
  'TLS_INCOMPLETE',
  'SCHEMA_TOO_NEW',
  'BAD_MIGRATIONS',
  'MIGRATION_FAILED',
  'BAD_DATABASE_URL',
  'NO_MATCH_KEY',
  'KEY_REFUSED', // a kiosk key already registered to another kiosk
  'INTERNAL',
]);
export type RegistryErrorCode = z.infer<typeof RegistryErrorCode>;

/** Why one batch item was refused (422) or is a conflict (409): the item's `reason.code`. */
export const RejectionCode = z.enum([
  'INVALID_ITEM',
  'KIOSK_MISMATCH',
  'CHAIN_MISMATCH',
  'STORE_MISMATCH',
  'ENROLLMENT_EXISTS',
  'RECORD_EXISTS',
  'UNKNOWN_SUBJECT',
  'DUPLICATE_RECORD_ID',
  'STORAGE_REFUSED',
  'UNKNOWN_STATEMENT',
  'UNKNOWN_TEXT_HASH',
  'UNKNOWN_PURPOSE',
  'PARTY_MISMATCH',
  'REGISTRY_MATCH_REFUSED',
  'IDEMPOTENCY_CONFLICT',
  'RECORD_UNSIGNED',
  'RECORD_SIGNATURE_INVALID',
  /** The batch's own signature failed (not the kiosk's key, another request's): every item of it, which the kiosk signs again and re-sends. */
  'BATCH_SIGNATURE_INVALID',
]);
export type RejectionCode = z.infer<typeof RejectionCode>;

/**
 * An item's reason as the kiosk reads it: the registry's, UNKNOWN_REASON for a code of a newer
 * registry (schemas.ts, ItemReason), or BATCH_REFUSED, the client's own for an item the registry
 * refused alone by refusing its whole batch.
 */
export const ItemReasonCode = z.enum([...RejectionCode.options, 'UNKNOWN_REASON', 'BATCH_REFUSED']);
export type ItemReasonCode = z.infer<typeof ItemReasonCode>;

/** What a code may look like on the wire, in either style; anything else is a malformed answer. */
export const CODE_SHAPE = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;

/** A code as this version writes it: a kebab-case one of an older registry, upper-cased. */
export const currentCode = (code: string): string => code.replaceAll('-', '_').toUpperCase();

/**
 * A code read from the wire: one of `codes`, an older registry's kebab-case spelling of one, or
 * `fallback` for a well-formed code this version does not know (a newer registry). Any other shape
 * is refused.
 */
export function wireCode<const Code extends string, const Fallback extends Code>(codes: readonly Code[], fallback: Fallback) {
  const known = new Set<string>(codes);
  return z
    .string()
    .regex(CODE_SHAPE)
    .transform((code): Code => {
      const current = currentCode(code);
      return known.has(current) ? (current as Code) : fallback;
    });
}
