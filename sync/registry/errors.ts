// The registry's typed errors. `code` is stable (clients and tests branch on it); `statusCode` is
// the HTTP answer when the error reaches a route.
export type RegistryErrorCode =
  | 'unauthenticated'
  | 'kiosk-revoked'
  | 'kiosk-mismatch'
  | 'kiosk-unbound'
  | 'invalid-request'
  | 'consumer-not-found'
  | 'ambiguous-match'
  | 'plain-http-refused'
  | 'tls-incomplete'
  | 'schema-too-new'
  | 'bad-migrations'
  | 'migration-failed'
  | 'bad-database-url'
  | 'unknown-kiosk'
  | 'no-match-key'
  | 'rate-limited'
  | 'body-too-large'
  | 'body-too-deep';

const STATUS: Record<RegistryErrorCode, number> = {
  unauthenticated: 401,
  'kiosk-revoked': 401,
  'kiosk-mismatch': 403,
  'kiosk-unbound': 403,
  'invalid-request': 400,
  'consumer-not-found': 404,
  'ambiguous-match': 409,
  'plain-http-refused': 500,
  'tls-incomplete': 500,
  'schema-too-new': 500,
  'bad-migrations': 500,
  'migration-failed': 500,
  'bad-database-url': 500,
  'unknown-kiosk': 404,
  'no-match-key': 500,
  'rate-limited': 429,
  'body-too-large': 413,
  'body-too-deep': 400,
};

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  readonly statusCode: number;
  constructor(
    readonly code: RegistryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = STATUS[code];
  }
}

/** Why one batch item was rejected (422); the kiosk dead-letters it with this reason. */
export type RejectionCode =
  | 'invalid-item'
  | 'kiosk-mismatch'
  | 'chain-mismatch'
  | 'store-mismatch'
  | 'enrollment-exists'
  | 'record-exists'
  | 'unknown-subject'
  | 'duplicate-record-id'
  | 'storage-refused'
  | 'unknown-statement'
  | 'unknown-text-hash'
  | 'unknown-purpose'
  | 'party-mismatch'
  | 'registry-match-refused';

export class ItemRejection extends Error {
  override readonly name = 'ItemRejection';
  constructor(
    readonly code: RejectionCode,
    message: string,
  ) {
    super(message);
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
