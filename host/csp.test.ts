import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy } from './csp.js';

describe('the kiosk UI content security policy', () => {
  it('differs between Electron and the loopback server only in where the page may connect', () => {
    const electron = contentSecurityPolicy("'none'").split('; ');
    const loopback = contentSecurityPolicy("'self' ws://127.0.0.1:4000").split('; ');
    expect(electron).toContain("connect-src 'none'");
    expect(loopback).toContain("connect-src 'self' ws://127.0.0.1:4000");
    expect(electron.filter((d) => !loopback.includes(d))).toEqual(["connect-src 'none'"]);
    for (const directive of ["script-src 'self'", "object-src 'none'", "frame-ancestors 'none'"]) expect(electron).toContain(directive);
    expect(electron.join('; ')).not.toContain('unsafe');
  });
});
