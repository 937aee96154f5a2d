// The registry's typed errors, on the project's coded error base. `code` is stable (clients and
// tests branch on it, wire/error-codes.ts lists them); `statusCode` is the HTTP answer when the
// error reaches a route; the message is the table's, plus a technical detail.
import { CodedError } from '../common/coded-error.js';
import type { RegistryErrorCode, RejectionCode } from '../sync/wire/error-codes.js';
import type { ErrorResponse } from '../sync/wire/registry-api.js';

export type { RegistryErrorCode, RejectionCode };

export const REGISTRY_ERRORS = {
  UNAUTHENTICATED: { status: 401, message: 'A valid kiosk bearer token is required.' },
  KIOSK_REVOKED: { status: 401, message: 'This kiosk token was revoked.' },
  KIOSK_MISMATCH: { status: 403, message: 'The request names another kiosk.' },
  KIOSK_UNBOUND: { status: 403, message: 'This kiosk is provisioned without a chain.' },
  FORBIDDEN: { status: 403, message: 'This credential may not use this route.' },
  INVALID_REQUEST: { status: 400, message: 'The request is invalid.' },
  CONSUMER_NOT_FOUND: { status: 404, message: 'No consumer matches these details.' },
  PROOF_REQUIRED: { status: 403, message: 'A one-time code sent to the address on file is required.' },
  UNKNOWN_KIOSK: { status: 404, message: 'No active kiosk has this id.' },
  UNKNOWN_ENROLL_CODE: { status: 404, message: 'No such enrollment code, or it was used or has expired.' },
  RATE_LIMITED: { status: 429, message: 'Too many requests from this kiosk.' },
  BODY_TOO_LARGE: { status: 413, message: 'The body is too large.' },
  BODY_TOO_DEEP: { status: 400, message: 'The body nests too deep.' },
  NOT_FOUND: { status: 404, message: 'No such route.' },
  PLAIN_HTTP_REFUSED: { status: 500, message: 'Plain HTTP is refused off loopback.' },
  TLS_INCOMPLETE: { status: 500, message: 'TLS needs both a certificate and a key.' },
  SCHEMA_TOO_NEW: { status: 500, message: 'The registry database is newer than this registry.' },
  BAD_MIGRATIONS: { status: 500, message: "The registry's migrations are not numbered 1, 2, 3... without gaps." },
  MIGRATION_FAILED: { status: 500, message: 'A registry database migration failed and was rolled back.' },
  BAD_DATABASE_URL: { status: 500, message: 'The database URL is invalid.' },
  NO_MATCH_KEY: { status: 500, message: 'The matching secret is missing or invalid.' },
  KEY_REFUSED: { status: 409, message: 'This signing key is registered to another kiosk.' },
  INTERNAL: { status: 500, message: 'Internal error.' },
} as const satisfies Record<RegistryErrorCode, { status: number; message: string }>;

const REGISTRY_MESSAGES = Object.fromEntries(Object.entries(REGISTRY_ERRORS).map(([code, e]) => [code, e.message])) as Record<
  RegistryErrorCode,
  string
>;

export class RegistryError extends CodedError<RegistryErrorCode> {
  override readonly name = 'RegistryError';
  readonly statusCode: number;

  constructor(code: RegistryErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(REGISTRY_MESSAGES, code, detail, options);
    this.statusCode = REGISTRY_ERRORS[code].status;
  }
}

/** An ErrorResponse body: the code type-checked against the wire's enum. */
export const errorBody = (code: RegistryErrorCode, message: string): ErrorResponse => ({ code, message });

export const REJECTION_MESSAGES = {
  INVALID_ITEM: 'The item does not match the wire schema or its rules.',
  KIOSK_MISMATCH: 'The item names another kiosk.',
  CHAIN_MISMATCH: 'The item names another chain than the kiosk is provisioned for.',
  STORE_MISMATCH: 'The item names another store than the kiosk is provisioned for.',
  ENROLLMENT_EXISTS: 'This enrollment was already received under another key.',
  RECORD_EXISTS: 'A consent record id was already received.',
  UNKNOWN_SUBJECT: 'No enrollment with this subject reference was received.',
  DUPLICATE_RECORD_ID: 'Two consent records of this item share a record id.',
  STORAGE_REFUSED: 'The registry database refused a value of this item.',
  UNKNOWN_STATEMENT: 'The consent statement is not published.',
  UNKNOWN_TEXT_HASH: 'The consent statement text is not the published one.',
  UNKNOWN_PURPOSE: 'A purpose is not in the consent statement.',
  PARTY_MISMATCH: 'The consent statement belongs to the other party.',
  REGISTRY_MATCH_REFUSED: 'The details for matching were refused.',
  IDEMPOTENCY_CONFLICT: 'This key was first used with another payload.',
  RECORD_UNSIGNED: 'A consent record carries no signature of the kiosk.',
  RECORD_SIGNATURE_INVALID: "A consent record's signature is not this kiosk's over this record.",
  BATCH_SIGNATURE_INVALID: "The batch's signature is not this kiosk's over this request.",
} as const satisfies Record<RejectionCode, string>;

/** Why one batch item was rejected (422); the kiosk dead-letters it with this reason. */
export class ItemRejection extends CodedError<RejectionCode> {
  override readonly name = 'ItemRejection';

  constructor(code: RejectionCode, detail?: string) {
    super(REJECTION_MESSAGES, code, detail);
  }
}

/**
 * A concurrent batch claimed one of this batch's idempotency keys first. Carries PostgreSQL's
 * serialization-failure code, so the driver re-runs the transaction, which then answers the key
 * as a replay.
 */
export class ClaimRaced extends Error {
  override readonly name = 'ClaimRaced';
  readonly code = '40001';
  constructor() {
    super('an idempotency key was claimed by a concurrent batch');
  }
}
