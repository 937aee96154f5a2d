// Issue 14: the returning-customer check a kiosk makes before the customer decided for the registry
// (`scope: 'chain'`) is answered by the registry as that chain's processor only: found by the asking
// chain's own keys, never by the registry's profile keys, answered from that chain's own records,
// and it writes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentLookupResponse } from '../../sync/wire/registry-api.js';
import { EMILE, enrollmentItem, type EnrollmentOptions } from '../../sync/test/fixtures/payloads.js';
import { ENGINES, feed, type Kiosk, postJson, send, testEnv, type TestEnv } from './fixtures/registry-app.js';

const WHO = { surname: EMILE.surname, firstNames: EMILE.firstNames, birthDate: '1980-05-02' };

describe.each(ENGINES)('the chain-scoped lookup on %s', (engine) => {
  let env: TestEnv, a: Kiosk, b: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    [a, b] = [await env.kiosk('kiosk-a', 'chain-a'), await env.kiosk('kiosk-b', 'chain-b')];
  });
  afterEach(async () => env.dispose());

  const enroll = async (k: Kiosk, o: EnrollmentOptions): Promise<string> => {
    const i = enrollmentItem(k, o);
    await send(env, k, i);
    return i.payload.enrollmentId;
  };
  const lookup = (k: Kiosk, who: object) => postJson(env, k, '/v1/consents/lookup', who);

  it('finds a customer by the asking chain keys only, never through a registry consent given elsewhere', async () => {
    const atA = await enroll(a, { registry: 'given' });
    const mine = await lookup(a, { ...WHO, scope: 'chain' });
    expect(mine.statusCode).toBe(200);
    expect(mine.json<ConsentLookupResponse>()).toMatchObject({ subjectRef: atA, registry: [{ status: 'given' }] });
    // Chain B's "my consents" finds the registry consent given at A; its returning-customer check does not.
    expect((await lookup(b, WHO)).statusCode).toBe(200);
    const miss = await lookup(b, { ...WHO, scope: 'chain' });
    expect(miss.json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
  });

  it("weighs only the asking chain's keys, not what the registry holds from other chains", async () => {
    await enroll(a, { registry: 'given' });
    // The same person at chain B, merged by the registry consent; B's kiosks never took an e-mail.
    const atB = await enroll(b, { registry: 'given', person: { email: undefined, mobile: '+32470111222' } });
    const withMail = { ...WHO, email: 'someone.else@example.be' };
    // The registry's e-mail key (from A) says "someone else"; B holds no e-mail, so its check finds B's customer.
    expect((await lookup(b, withMail)).json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
    expect((await lookup(b, { ...withMail, scope: 'chain' })).json<ConsentLookupResponse>()).toMatchObject({ subjectRef: atB });
  });

  it('writes nothing: no enrollment, profile, consent or change event', async () => {
    await enroll(a, { registry: 'given' });
    const before = await env.store.stats();
    for (const who of [WHO, { ...WHO, birthDate: '1990-01-01' }, { ...WHO, surname: 'Nobody' }])
      await lookup(a, { ...who, scope: 'chain' });
    expect(await env.store.stats()).toEqual(before);
    expect((await feed(env, a)).events).toEqual([]);
  });

  it('is refused to a kiosk without a chain, in the words of a miss', async () => {
    const unbound = await env.kiosk('kiosk-x', null as unknown as string);
    expect((await lookup(unbound, { ...WHO, scope: 'chain' })).json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
  });
});
