// What a request body may cost before anything looks at it: its size (fastify's bodyLimit, checked
// against Content-Length before reading) and its nesting, scanned in one pass before JSON.parse so
// a deeply nested body is refused in proportion to its length, never parsed and walked.
import { MAX_BATCH_ITEMS } from '../sync/wire/schemas.js';
import { RegistryError } from './errors.js';

/** A batch item with every field at its longest and four consent records is under 10 KB. */
export const BODY_LIMIT = MAX_BATCH_ITEMS * 10 * 1024;

/** The deepest a valid request goes is 7 (batch, items, item, payload, consents, record, purposes); a little room. */
export const MAX_NESTING = 16;

/** Throws 'BODY_TOO_DEEP' when arrays and objects nest deeper than `max`; strings are skipped whole. */
export function assertNesting(text: string, max = MAX_NESTING): void {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // Skip the string: to the next quote not escaped by a backslash.
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) throw new RegistryError('BODY_TOO_DEEP', `the body nests deeper than ${max} levels`);
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}
