import { describe, expect, it } from 'vitest';
import { assertTransportAllowed, isLoopbackHost } from './server.js';

describe('transport policy', () => {
  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.5', false],
    ['128.0.0.1', false],
    ['127.example.com', false],
  ])('%s is loopback: %s', (host, expected) => {
    expect(isLoopbackHost(host)).toBe(expected);
  });

  it('refuses plain HTTP off loopback, allows TLS anywhere', () => {
    expect(() => assertTransportAllowed('0.0.0.0', false)).toThrow(expect.objectContaining({ code: 'PLAIN_HTTP_REFUSED' }));
    expect(() => assertTransportAllowed('0.0.0.0', true)).not.toThrow();
    expect(() => assertTransportAllowed('127.0.0.1', false)).not.toThrow();
  });
});
