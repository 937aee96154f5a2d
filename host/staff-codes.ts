// The staff codes: the face check at the staff check is the shop assistant's act, so each staff
// member has a code of six digits that says who checked. Kept like the manager PIN (pin.ts): scrypt
// hashes in a 0600 JSON file beside the PIN file, never a code; wrong codes lock the staff check
// out the same growing way, with the counters in the file so a restart does not reset them. A
// revoked member keeps its id and name in the file (the records name who checked by that id), but
// loses its hash. Names are staff's personal data: never logged.
import { randomInt, randomUUID } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { HostError } from './errors.js';
import {
  Attempts,
  hasAttempts,
  hashSecret,
  NO_ATTEMPTS,
  refuseWhileLocked,
  ScryptHash,
  secretMatches,
  writePrivateJson,
  wrongTry,
  type LockCodes,
} from './pin.js';

export const STAFF_CODE_LENGTH = 6;
const CODE_FORMAT = new RegExp(`^\\d{${STAFF_CODE_LENGTH}}$`);
/** A display name the manager types: a letter at least, no control characters. */
export const StaffName = z
  .string()
  .trim()
  .min(1)
  .max(60)
  .regex(/\p{L}/u)
  .refine((s) => !/\p{Cc}/u.test(s));

const Member = z.strictObject({
  id: z.string().min(1),
  name: z.string(),
  addedAt: z.string(),
  /** Absent once revoked. */
  scrypt: ScryptHash.optional(),
  revokedAt: z.string().optional(),
});
type Member = z.infer<typeof Member>;
const StaffFile = z.strictObject({ members: z.array(Member), ...Attempts.shape });
type StaffFile = z.infer<typeof StaffFile>;

export interface StaffMember {
  id: string;
  name: string;
}

const CODES: LockCodes = { wrong: 'STAFF_CODE_WRONG', locked: 'STAFF_CODE_LOCKED' };

/** The demo's line on stderr that gives its staff member's code (the end-to-end harness reads it). */
export const DEMO_STAFF_CODE_PREFIX = 'demo: the staff code is ';

/** The file beside the manager PIN's: one folder holds the kiosk's secrets. */
export const staffCodesPath = (pinFile: string): string => join(dirname(pinFile), 'staff-codes.json');

export interface StaffCodeStoreOptions {
  path: string;
  now: () => Date;
  /** The new code's digits; crypto's by default. */
  randomDigit?: () => number;
}

export class StaffCodeStore {
  constructor(private readonly opts: StaffCodeStoreOptions) {}

  /** The members who can confirm a check, names only. */
  list(): StaffMember[] {
    return this.#read()
      .members.filter((m) => m.scrypt !== undefined)
      .map(({ id, name }) => ({ id, name }));
  }

  /** A new member with a new code: the only time the code exists outside the person's head. */
  add(name: string): StaffMember & { code: string } {
    const parsed = StaffName.safeParse(name);
    if (!parsed.success) throw new HostError('INVALID_REQUEST', { fields: { name: 'NAME_INVALID' } });
    const file = this.#read();
    const active = file.members.filter((m) => m.scrypt !== undefined);
    if (active.some((m) => m.name.toLocaleLowerCase() === parsed.data.toLocaleLowerCase())) {
      throw new HostError('INVALID_REQUEST', { fields: { name: 'NAME_TAKEN' } });
    }
    // Codes are unique among active members: a code alone must say who checked.
    let code: string;
    do code = this.#newCode();
    while (active.some((m) => secretMatches(code, m.scrypt!)));
    const member: Member = { id: randomUUID(), name: parsed.data, addedAt: this.opts.now().toISOString(), scrypt: hashSecret(code) };
    this.#write({ ...file, members: [...file.members, member] });
    return { id: member.id, name: member.name, code };
  }

  revoke(id: string): void {
    const file = this.#read();
    const member = file.members.find((m) => m.id === id && m.scrypt !== undefined);
    if (!member) throw new HostError('NOT_FOUND');
    const { scrypt: _dropped, ...kept } = member;
    const revoked: Member = { ...kept, revokedAt: this.opts.now().toISOString() };
    this.#write({ ...file, members: file.members.map((m) => (m === member ? revoked : m)) });
  }

  /** The member whose code this is; otherwise STAFF_CODE_WRONG (triesLeft), STAFF_CODE_LOCKED or STAFF_CODE_NOT_SET. */
  verify(code: string): StaffMember {
    const file = this.#read();
    const active = file.members.filter((m) => m.scrypt !== undefined);
    if (active.length === 0) throw new HostError('STAFF_CODE_NOT_SET');
    const now = this.opts.now();
    refuseWhileLocked(file, now, CODES);
    const member = CODE_FORMAT.test(code) ? active.find((m) => secretMatches(code, m.scrypt!)) : undefined;
    if (member) {
      if (hasAttempts(file)) this.#write({ members: file.members, ...NO_ATTEMPTS });
      return { id: member.id, name: member.name };
    }
    const { attempts, refusal } = wrongTry(file, now, CODES);
    this.#write({ members: file.members, ...attempts });
    throw refusal;
  }

  #newCode(): string {
    const digit = this.opts.randomDigit ?? (() => randomInt(10));
    return Array.from({ length: STAFF_CODE_LENGTH }, digit).join('');
  }

  #read(): StaffFile {
    if (!existsSync(this.opts.path)) return { members: [], ...NO_ATTEMPTS };
    const parsed = StaffFile.safeParse(JSON.parse(readFileSync(this.opts.path, 'utf8')));
    // A damaged file lets nobody confirm: the manager adds the staff again.
    if (!parsed.success) throw new HostError('STAFF_CODE_NOT_SET');
    return parsed.data;
  }

  #write(file: StaffFile): void {
    writePrivateJson(this.opts.path, file);
  }
}
