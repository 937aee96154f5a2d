import { describe, expect, it } from 'vitest';
import { assertTransportAllowed } from './server.js';

describe('transport policy', () => {
  it('refuses plain HTTP off loopback, allows TLS anywhere', () => {
    expect(() => assertTransportAllowed('0.0.0.0', false)).toThrow(expect.objectContaining({ code: 'PLAIN_HTTP_REFUSED' }));
    expect(() => assertTransportAllowed('0.0.0.0', true)).not.toThrow();
    expect(() => assertTransportAllowed('127.0.0.1', false)).not.toThrow();
  });
});
