import { describe, expect, it } from 'vitest';
import { currentCode, ItemReasonCode, RegistryErrorCode, RejectionCode, type ItemReasonCode as ReasonCode } from './error-codes.js';
import { ErrorResponse } from './registry-api.js';
import { ItemResult } from './schemas.js';

const rejected = (reason: unknown): unknown => ({ idempotencyKey: 'k', status: 'rejected', statusCode: 422, reason });

// What a kiosk does with each reason: compiles only while every code has its case.
function advice(code: ReasonCode): 'fix-kiosk' | 'fix-item' | 'ask-registry' {
  switch (code) {
    case 'KIOSK_MISMATCH':
    case 'CHAIN_MISMATCH':
    case 'STORE_MISMATCH':
    case 'RECORD_UNSIGNED':
    case 'RECORD_SIGNATURE_INVALID':
    case 'BATCH_SIGNATURE_INVALID':
      return 'fix-kiosk';
    case 'INVALID_ITEM':
    case 'ENROLLMENT_EXISTS':
    case 'RECORD_EXISTS':
    case 'UNKNOWN_SUBJECT':
    case 'DUPLICATE_RECORD_ID':
    case 'UNKNOWN_STATEMENT':
    case 'UNKNOWN_TEXT_HASH':
    case 'UNKNOWN_PURPOSE':
    case 'PARTY_MISMATCH':
    case 'REGISTRY_MATCH_REFUSED':
    case 'IDEMPOTENCY_CONFLICT':
      return 'fix-item';
    case 'STORAGE_REFUSED':
    case 'UNKNOWN_REASON':
    case 'BATCH_REFUSED':
      return 'ask-registry';
    default: {
      const unhandled: never = code;
      throw new Error(`unhandled code ${String(unhandled)}`);
    }
  }
}

describe('the codes on the wire', () => {
  it('are one style, UPPER_SNAKE, as every error class of the project', () => {
    for (const code of [...RegistryErrorCode.options, ...ItemReasonCode.options]) expect(code).toMatch(/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/);
  });

  it('give every reason a case in an exhaustive switch', () => {
    expect(ItemReasonCode.options.map(advice)).toHaveLength(ItemReasonCode.options.length);
    expect(advice('CHAIN_MISMATCH')).toBe('fix-kiosk');
  });

  it('read every registry error code and reason code as itself', () => {
    for (const code of RegistryErrorCode.options) expect(ErrorResponse.parse({ code, message: 'm' }).code).toBe(code);
    for (const code of RejectionCode.options)
      expect(ItemResult.parse(rejected({ code, message: 'm' }))).toMatchObject({ reason: { code, message: 'm' } });
  });

  it("read an older registry's kebab-case codes as today's", () => {
    expect(currentCode('chain-mismatch')).toBe('CHAIN_MISMATCH');
    expect(ItemResult.parse(rejected({ code: 'registry-match-refused', message: 'm' }))).toMatchObject({
      reason: { code: 'REGISTRY_MATCH_REFUSED', message: 'm' },
    });
    expect(ErrorResponse.parse({ code: 'invalid-request', message: 'm' }).code).toBe('INVALID_REQUEST');
  });

  it("read a newer registry's unknown code as a generic one, keeping the code for people", () => {
    expect(ItemResult.parse(rejected({ code: 'CONSENT_EXPIRED', message: 'too old' }))).toMatchObject({
      status: 'rejected',
      reason: { code: 'UNKNOWN_REASON', message: 'CONSENT_EXPIRED: too old' },
    });
    expect(ErrorResponse.parse({ code: 'MAINTENANCE', message: 'back at 6' }).code).toBe('INTERNAL');
  });

  it('refuse a code of any other shape', () => {
    for (const code of ['', 'two words', 'x'.repeat(65), 42, null, 'DROP;TABLE']) {
      expect(ItemResult.safeParse(rejected({ code, message: 'm' })).success).toBe(false);
      expect(ErrorResponse.safeParse({ code, message: 'm' }).success).toBe(false);
    }
    expect(ItemResult.safeParse(rejected({ code: 'INVALID_ITEM' })).success).toBe(false);
  });
});
