// Time-ordered UUIDs (RFC 9562 version 7): 48 bits of Unix milliseconds, then random bits. Keys made
// this way land on the rightmost leaf of their index, so an insert touches one index page, not a
// random one; they are valid UUIDs for the wire schema like any other version. The random bits come
// from a version-4 UUID (Node serves those from a buffered CSPRNG, far cheaper than randomBytes(16)).
import { randomUUID } from 'node:crypto';

export function uuidv7(now: () => number = Date.now, randomUuid: () => string = randomUUID): string {
  const time = now().toString(16).padStart(12, '0');
  const random = randomUuid();
  return `${time.slice(0, 8)}-${time.slice(8)}-7${random.slice(15)}`;
}
