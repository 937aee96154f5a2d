// `proof --subject` on SQLite and PostgreSQL: one person's records at one chain, found by the subject
// desk's own identification (the name and a full birth date here), nobody else's and no other chain's.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EMILE, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { ENGINES, send, testEnv, type TestEnv } from './fixtures/registry-app.js';

describe.each(ENGINES)('one person’s proof on %s', (engine) => {
  let env: TestEnv;
  let emile: string[];

  beforeEach(async () => {
    env = await testEnv(engine);
    const a = await env.kiosk('kiosk-a', 'chain-a');
    const b = await env.kiosk('kiosk-b', 'chain-b');
    const mine = enrollmentItem(a, { registry: 'refused' });
    await send(env, a, mine, enrollmentItem(a, { person: { surname: 'Peeters', firstNames: 'Jan', birthDate: '1970-01-01' } }));
    await send(env, b, enrollmentItem(b));
    emile = mine.payload.consents.map((c) => c.recordId);
  });
  afterEach(async () => env.dispose());

  it('gives the identified person’s records at that chain only', async () => {
    const who = { surname: EMILE.surname, firstNames: EMILE.firstNames, birthDate: EMILE.birthDate! };
    expect((await env.store.subjectProofRows('chain-a', null, who)).map((r) => r.recordId)).toEqual(emile);
    expect(await env.store.subjectProofRows('chain-a', new Date('2030-01-01T00:00:00Z'), who)).toEqual([]);
    await expect(env.store.subjectProofRows('chain-a', null, { ...who, birthDate: '1980-05-03' })).rejects.toMatchObject({
      code: 'CONSUMER_NOT_FOUND',
    });
  });
});
