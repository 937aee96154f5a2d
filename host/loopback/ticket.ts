// The loopback door's one-time tickets: what opens the page instead of the session secret. A ticket
// sits in Chromium's command line (`--app=URL#ticket=…`), readable by every local user, so it is
// worth nothing once spent or stale. Apart from the server so that a supervisor holding the secret
// (scripts/start.ts) can make one for each window it opens without loading the server.
import { createHmac, timingSafeEqual } from 'node:crypto';

/** A ticket unused this long after its making is refused: the window it was made for opens within seconds. */
export const TICKET_TTL_MS = 60_000;

export const sameSecret = (given: string, secret: string): boolean => {
  const a = Buffer.from(given);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
};

/**
 * Ticket number n made at `madeAt` (ms since the epoch): `n.madeAt.HMAC-SHA256(secret, "n.madeAt")`. The
 * host's URL line carries number 0; whoever holds the secret (a harness or supervisor that started the
 * host) can make the next ones. Each number is accepted once, and only within TICKET_TTL_MS of its making.
 */
export function ticketFor(secret: string, n: number, madeAt: number): string {
  const body = `${n}.${madeAt}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** The ticket's number when it is genuine, unspent and fresh at `now`; undefined otherwise. */
export function ticketNumber(given: string, secret: string, used: ReadonlySet<number>, now: number): number | undefined {
  const [n, madeAt] = given.split('.').map(Number);
  if (n === undefined || madeAt === undefined || !Number.isSafeInteger(n) || n < 0 || !Number.isSafeInteger(madeAt)) return undefined;
  if (used.has(n) || Math.abs(now - madeAt) > TICKET_TTL_MS) return undefined;
  return sameSecret(given, ticketFor(secret, n, madeAt)) ? n : undefined;
}
