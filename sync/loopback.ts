// What counts as loopback, asked by everything that allows plain HTTP only there: the registry
// listening without TLS, the sync client sending its token to an http:// URL, and the kiosk host's
// UI server checking who connects.
import { isIP } from 'node:net';

/** 127.0.0.0/8, ::1 (also bracketed, as in a URL, and as an IPv4-mapped address) and the name localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (h === 'localhost' || h === '::1' || h === '0:0:0:0:0:0:0:1') return true;
  const v4 = h.startsWith('::ffff:') ? h.slice(7) : h;
  return isIP(v4) === 4 && v4.startsWith('127.');
}
