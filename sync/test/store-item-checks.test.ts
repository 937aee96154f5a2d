// Issue 8: what the registry would refuse is refused at commit, before it is queued: an item naming
// another kiosk than this one, two consent records under one id, more than a handful of records,
// control characters in any text, a name without a letter. Coded errors that name the field only.
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitConsentEvent, commitEnrollment } from '../store/commit.js';
import { openStore, type Store } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import type { EnrollmentPayload } from '../wire/schemas.js';
import { makeEnrollment, T0 } from './fixtures/payloads.js';
import { newKey, silent, tempDir } from './fixtures/store.js';

let dir: { dir: string; cleanup: () => void };
let store: Store;
beforeEach(() => {
  dir = tempDir();
  store = openStore({ path: join(dir.dir, 'kiosk.db'), key: newKey(), log: silent, kioskId: 'kiosk-1' });
});
afterEach(() => {
  store.close();
  dir.cleanup();
});

const commit = (payload: EnrollmentPayload) => () => commitEnrollment(store, { payload, policy: DEFAULT_POLICY }, T0);
const count = () => (store.db.prepare('SELECT count(*) AS n FROM outbox').get() as { n: number }).n;

describe('commit checks', () => {
  it('commits an enrollment of this kiosk', () => {
    commit(makeEnrollment(1))();
    expect(count()).toBe(1);
  });

  it('refuses an enrollment or a record naming another kiosk than the configured one', () => {
    expect(commit(makeEnrollment(1, { kioskId: 'kiosk-10' }))).toThrow(
      expect.objectContaining({ code: 'INVALID_PAYLOAD', detail: 'kioskId: not this kiosk (kiosk-1)' }),
    );
    const mixed = makeEnrollment(2);
    mixed.consents[1]!.event.kioskId = 'kiosk-10';
    expect(commit(mixed)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD' }));
    const withdrawal = { ...makeEnrollment(3).consents[0]!, recordId: randomUUID() };
    withdrawal.event = { ...withdrawal.event, kioskId: 'kiosk-10', type: 'withdrawn' };
    expect(() => commitConsentEvent(store, withdrawal, T0)).toThrow(
      expect.objectContaining({ code: 'INVALID_PAYLOAD', detail: 'event.kioskId: not this kiosk (kiosk-1)' }),
    );
    expect(count()).toBe(0);
  });

  it('refuses two records under one id, and more than four records', () => {
    const twin = makeEnrollment(1);
    twin.consents[1]!.recordId = twin.consents[0]!.recordId;
    expect(commit(twin)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD', detail: 'consents: two records share a record id' }));
    const flood = makeEnrollment(2);
    flood.consents = Array.from({ length: 5 }, () => ({ ...flood.consents[0]!, recordId: randomUUID() }));
    expect(commit(flood)).toThrow(expect.objectContaining({ code: 'INVALID_PAYLOAD', detail: expect.stringMatching(/^consents: /) }));
    expect(count()).toBe(0);
  });

  it('refuses control characters in any text and a name without a letter, naming the field, not the value', () => {
    const cases: Array<[string, (p: EnrollmentPayload) => void]> = [
      ['person.surname', (p) => (p.person.surname = 'Pee\u0000ters')],
      ['person.firstNames', (p) => (p.person.firstNames = 'Jan\u202e')],
      ['person.address.street', (p) => (p.person.address!.street = 'Kerkstraat\n1')],
      ['consents.0.controller.name', (p) => (p.consents[0]!.controller.name = 'Chain\u0007')],
      ['person.surname', (p) => (p.person.surname = ' - ')],
    ];
    for (const [path, change] of cases) {
      const p = makeEnrollment(1);
      change(p);
      let error: unknown;
      try {
        commit(p)();
      } catch (e) {
        error = e;
      }
      expect(error, path).toMatchObject({
        code: 'INVALID_PAYLOAD',
        detail: expect.stringMatching(new RegExp(`^${path.replaceAll('.', '\\.')}: `)),
      });
      expect(String((error as Error).message)).not.toMatch(/Pee|Kerkstraat/);
    }
    expect(count()).toBe(0);
  });
});
