import { describe, expect, it } from 'vitest';
import { bearerToken, hashToken, newToken, tokenMatches } from './auth.js';

describe('kiosk tokens', () => {
  it('are 32 random bytes in base64url, kept as a SHA-256', () => {
    const token = newToken((n) => Buffer.alloc(n, 0xfb));
    expect(token).toBe(Buffer.alloc(32, 0xfb).toString('base64url'));
    expect(token).toHaveLength(43);
    expect(hashToken(token)).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenMatches(token, hashToken(token))).toBe(true);
    expect(tokenMatches(`${token}x`, hashToken(token))).toBe(false);
    expect(tokenMatches(token, 'abcd')).toBe(false);
  });

  it('are read from a Bearer header only', () => {
    const token = newToken();
    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer ${token}`)).toBeUndefined();
    expect(bearerToken(`Basic ${token}`)).toBeUndefined();
    expect(bearerToken('Bearer a b')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
