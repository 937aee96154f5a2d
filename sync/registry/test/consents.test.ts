import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentLookupResponse, ConsentWithdrawResponse } from '../../wire/registry-api.js';
import { ENGINES, enrollmentItem, feed, postJson, send, testEnv, type Kiosk, type TestEnv } from './helper.js';

const WHO = { surname: 'DUPONT LEFEVRE', firstNames: 'emile', birthDate: '1980-05-02' };

describe.each(ENGINES)('"my consents" on %s', (engine) => {
  let env: TestEnv;
  let a: Kiosk;
  let b: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    a = await env.kiosk('kiosk-a', 'chain-a');
    b = await env.kiosk('kiosk-b', 'chain-b');
    await send(env, a, enrollmentItem(a, { registry: 'given' }));
    await send(env, b, enrollmentItem(b, { registry: 'given' }));
  });
  afterEach(async () => env.dispose());

  const lookup = async (kiosk: Kiosk, who: object = WHO) => postJson(env, kiosk, '/v1/consents/lookup', who);

  it("shows the requesting chain's consents and the registry's, not another chain's", async () => {
    const res = await lookup(a);
    expect(res.statusCode).toBe(200);
    const body = res.json<ConsentLookupResponse>();
    expect(body.consents.map((s) => [s.party, s.chainId, s.purposeId, s.status])).toEqual([
      ['chain', 'chain-a', 'loyalty', 'given'],
      ['chain', 'chain-a', 'offers-email', 'given'],
      ['registry', 'chain-a', 'keep-current', 'given'],
      ['registry', 'chain-b', 'keep-current', 'given'],
    ]);
    expect(body.consents[0]).toMatchObject({ controllerId: 'chain-a', statementId: 'chain-terms', version: '1', language: 'nl' });
  });

  it('needs a detail that confirms the name, and none that contradicts it', async () => {
    expect((await lookup(a, { surname: 'Dupont-Lefèvre', firstNames: 'Émile', email: 'EMILE@example.be' })).statusCode).toBe(200);
    expect((await lookup(a, { surname: 'Dupont-Lefèvre', firstNames: 'Émile', mobile: '+32470000000' })).json()).toMatchObject({
      code: 'consumer-not-found',
    });
    expect((await lookup(a, { surname: 'Dupont-Lefèvre', firstNames: 'Émile' })).statusCode).toBe(404);
    expect((await lookup(a, { ...WHO, email: 'someone.else@example.be' })).statusCode).toBe(404);
    expect((await lookup(a, { ...WHO, birthDate: '1981' })).statusCode).toBe(404);
    expect((await lookup(a, { ...WHO, nationalNumber: '80050212345' })).statusCode).toBe(400);
  });

  it('answers 409 when the details fit several consumers', async () => {
    await send(env, a, enrollmentItem(a, { person: { birthDate: '1990-01-01' } }));
    const res = await lookup(a, { surname: 'Dupont-Lefèvre', firstNames: 'Émile', email: 'emile@example.be' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'ambiguous-match' });
  });

  it('withdraws chain purposes at the requesting chain as a new record and a change event', async () => {
    env.advance(3_600_000);
    const res = await postJson(env, a, '/v1/consents/withdraw', {
      ...WHO,
      party: 'chain',
      purposes: ['offers-email', 'not-given'],
      method: 'kiosk-eid',
      utcOffsetMinutes: 60,
    });
    expect(res.statusCode).toBe(200);
    const body = res.json<ConsentWithdrawResponse>();
    expect(body.receivedAt).toBe('2025-03-01T11:00:00.000Z');
    expect(body.withdrawn).toEqual([{ recordId: expect.any(String), party: 'chain', chainId: 'chain-a', purposes: ['offers-email'] }]);
    expect(body.consents.filter((s) => s.party === 'chain').map((s) => [s.purposeId, s.status])).toEqual([
      ['loyalty', 'given'],
      ['offers-email', 'withdrawn'],
    ]);
    expect((await feed(env, a)).events.map((e) => e.data)).toEqual([
      { kind: 'consent-withdrawn', party: 'chain', purposes: ['offers-email'], recordId: body.withdrawn[0]?.recordId },
    ]);
    expect((await feed(env, b)).events).toEqual([]);
    expect((await env.store.stats()).consents).toBe(5);
  });

  it('withdraws the registry consent at every chain, each told in its feed', async () => {
    const res = await postJson(env, b, '/v1/consents/withdraw', {
      ...WHO,
      party: 'registry',
      purposes: ['keep-current'],
      method: 'kiosk-manual',
      utcOffsetMinutes: 60,
    });
    const body = res.json<ConsentWithdrawResponse>();
    expect(body.withdrawn.map((w) => w.chainId)).toEqual(['chain-a', 'chain-b']);
    expect(body.consents.filter((s) => s.party === 'registry').map((s) => s.status)).toEqual(['withdrawn', 'withdrawn']);
    for (const k of [a, b]) {
      expect((await feed(env, k)).events.map((e) => e.data)).toMatchObject([{ kind: 'consent-withdrawn', party: 'registry' }]);
    }
    // Withdrawing again finds nothing given.
    const again = await postJson(env, b, '/v1/consents/withdraw', { ...WHO, party: 'registry', purposes: ['keep-current'], method: 'kiosk-manual', utcOffsetMinutes: 60 });
    expect(again.json<ConsentWithdrawResponse>().withdrawn).toEqual([]);
  });
});
