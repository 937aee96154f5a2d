import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentLookupResponse, ConsentWithdrawResponse } from '../../sync/wire/registry-api.js';
import { ENGINES, feed, type Kiosk, postJson, send, testEnv, type TestEnv } from './fixtures/registry-app.js';
import { consentEventItem, consentRecord, enrollmentItem, type EnrollmentOptions } from '../../sync/test/fixtures/payloads.js';
import { currentStatement } from '../../sync/consent/statements.js';
import type { ConsentRecord } from '../../sync/wire/schemas.js';

const current = (party: 'chain' | 'registry'): string => currentStatement(party, 'nl').version;

const WHO = { surname: 'DUPONT LEFEVRE', firstNames: 'emile', birthDate: '1980-05-02' };

describe.each(ENGINES)('"my consents" on %s', (engine) => {
  let env: TestEnv;
  let a: Kiosk;
  let b: Kiosk;
  /** The enrollment ids sent by each kiosk. */
  let sent: Map<string, string[]>;
  const enroll = async (k: Kiosk, o?: EnrollmentOptions) => {
    const item = enrollmentItem(k, o);
    sent.set(k.kioskId, [...(sent.get(k.kioskId) ?? []), item.payload.enrollmentId]);
    await send(env, k, item);
    return item.payload.consents;
  };
  /** The consent records of each chain's first enrollment. */
  let atA: ConsentRecord[], atB: ConsentRecord[];
  beforeEach(async () => {
    sent = new Map();
    env = await testEnv(engine);
    a = await env.kiosk('kiosk-a', 'chain-a');
    b = await env.kiosk('kiosk-b', 'chain-b');
    atA = await enroll(a, { registry: 'given' });
    atB = await enroll(b, { registry: 'given' });
  });
  afterEach(async () => env.dispose());

  const lookup = async (kiosk: Kiosk, who: object = { ...WHO, recordIds: true }) => postJson(env, kiosk, '/v1/consents/lookup', who);
  const withdraw = async (kiosk: Kiosk, party: 'chain' | 'registry', purposes: string[]) =>
    postJson(env, kiosk, '/v1/consents/withdraw', { ...WHO, party, purposes, method: 'kiosk-manual', utcOffsetMinutes: 60 });
  /** Everything that would tell one chain's kiosk about the other chain. */
  const traces = (k: Kiosk): string[] => [k.chainId, k.kioskId, k.storeId, ...(sent.get(k.kioskId) ?? [])];

  it("shows the requesting chain's consents and one registry state for all chains", async () => {
    const res = await lookup(a);
    expect(res.statusCode).toBe(200);
    const body = res.json<ConsentLookupResponse>();
    expect(body.chain.map((s) => [s.purposeId, s.status])).toEqual([
      ['loyalty', 'given'],
      ['offers-email', 'given'],
    ]);
    expect(body.chain[0]).toMatchObject({
      controllerId: 'chain-a',
      statementId: 'demo-retail-loyalty',
      version: current('chain'),
      language: 'nl',
      recordId: atA[0]!.recordId,
    });
    // The registry state names the record that gave it: one of the asking chain's own.
    expect(body.registry).toEqual([
      {
        purposeId: 'profile-sync',
        status: 'given',
        controllerId: 'registry',
        statementId: 'central-registry-profile',
        version: current('registry'),
        recordId: atA[1]!.recordId,
      },
    ]);
  });

  it('answers a kiosk from before record ids (it does not ask) in the form it reads strictly: registry states without them', async () => {
    const old = (await lookup(a, WHO)).json<ConsentLookupResponse>();
    expect(old.registry.map((s) => Object.keys(s).sort())).toEqual([['controllerId', 'purposeId', 'statementId', 'status', 'version']]);
    expect(old.chain[0]?.recordId).toBe(atA[0]!.recordId);
  });

  it("names the record of a registry give only to the chain where it stands, never another chain's", async () => {
    // Both gave at the same kiosk time: the state shown is A's give, which B is not told the id of.
    const atBNow = (await lookup(b)).json<ConsentLookupResponse>();
    expect(atBNow.registry).toEqual([expect.not.objectContaining({ recordId: expect.anything() })]);
    expect(JSON.stringify(atBNow)).not.toContain(atA[1]!.recordId);
    // A later give at B is the state shown, and B's own: B is told its id, A is not.
    const later = consentRecord({ subjectRef: atB[1]!.subjectRef, party: 'registry', kiosk: b, at: '2025-03-02T09:00:00.000Z' });
    await send(env, b, consentEventItem(b, later));
    expect((await lookup(b)).json<ConsentLookupResponse>().registry[0]?.recordId).toBe(later.recordId);
    const atANow = (await lookup(a)).body;
    expect(atANow).not.toContain(later.recordId);
    expect(atANow).not.toContain(atA[1]!.recordId);
  });

  it('never names another chain, its kiosks, stores or enrollments, nor how many there are', async () => {
    const c = await env.kiosk('kiosk-c', 'chain-c');
    await enroll(c, { registry: 'given' });
    for (const [asker, others] of [
      [a, [b, c]],
      [b, [a, c]],
    ] as const) {
      const json = (await lookup(asker)).body;
      for (const other of others) for (const t of traces(other)) expect(json, `${asker.chainId} sees ${t}`).not.toContain(t);
    }
    // Three chains or one: the registry part of the answer is the same.
    expect((await lookup(a)).json<ConsentLookupResponse>().registry).toHaveLength(1);
  });

  it('finds a consumer known only to other chains only through a valid registry consent', async () => {
    const c = await env.kiosk('kiosk-c', 'chain-c');
    const anna = { surname: 'Peeters', firstNames: 'Anna', birthDate: '1975-01-01' };
    await enroll(a, { registry: 'refused', person: anna });
    expect((await lookup(c, anna)).json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
    await enroll(b, { registry: 'given', person: anna });
    const res = await lookup(c, anna);
    expect(res.json<ConsentLookupResponse>()).toEqual({
      chain: [],
      registry: [
        {
          purposeId: 'profile-sync',
          status: 'given',
          controllerId: 'registry',
          statementId: 'central-registry-profile',
          version: current('registry'),
        },
      ],
    });
    for (const t of [...traces(a), ...traces(b)]) expect(res.body).not.toContain(t);
  });

  it('needs a strong detail that confirms the name, and none that contradicts it', async () => {
    expect((await lookup(a, { surname: 'Dupont-Lefèvre', firstNames: 'Émile', email: 'EMILE@example.be' })).statusCode).toBe(200);
    expect((await lookup(a, { surname: 'Dupont-Lefèvre', firstNames: 'Émile', mobile: '+32470000000' })).json()).toMatchObject({
      code: 'CONSUMER_NOT_FOUND',
    });
    expect((await lookup(a, { ...WHO, email: 'someone.else@example.be' })).statusCode).toBe(404);
    // The name alone, or with a year or month of birth, identifies no one (issue 8: a birth year took 32 tries).
    expect((await lookup(a, { surname: 'Dupont-Lefèvre', firstNames: 'Émile' })).json()).toMatchObject({ code: 'INVALID_REQUEST' });
    expect((await lookup(a, { ...WHO, birthDate: '1980' })).statusCode).toBe(400);
    expect((await lookup(a, { ...WHO, birthDate: '1980-05' })).statusCode).toBe(400);
    expect((await lookup(a, { ...WHO, nationalNumber: '80050212345' })).statusCode).toBe(400);
  });

  it('answers details that fit several consumers as not found, and a detail more finds the one', async () => {
    await enroll(a, { person: { birthDate: '1990-01-01' } });
    const res = await lookup(a, { surname: 'Dupont-Lefèvre', firstNames: 'Émile', email: 'emile@example.be' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual((await lookup(a, { ...WHO, birthDate: '1970-01-01' })).json());
    expect((await lookup(a, { ...WHO, email: 'emile@example.be', birthDate: '1990-01-01' })).statusCode).toBe(200);
  });

  it('withdraws chain purposes at the requesting chain as a new record and a change event', async () => {
    env.advance(3_600_000);
    const res = await withdraw(a, 'chain', ['offers-email', 'not-given']);
    expect(res.statusCode).toBe(200);
    const body = res.json<ConsentWithdrawResponse>();
    expect(body.receivedAt).toBe('2025-03-01T11:00:00.000Z');
    expect(body.withdrawn).toEqual({ party: 'chain', purposes: ['offers-email'] });
    expect(body.chain.map((s) => [s.purposeId, s.status])).toEqual([
      ['loyalty', 'given'],
      ['offers-email', 'withdrawn'],
    ]);
    const withdrawal = body.chain[1]?.recordId;
    expect((await feed(env, a)).events.map((e) => e.data)).toEqual([
      { kind: 'consent-withdrawn', party: 'chain', purposes: ['offers-email'], recordId: withdrawal },
    ]);
    expect((await feed(env, b)).events).toEqual([]);
    expect((await env.store.stats()).consents).toBe(5);
  });

  it('withdraws the registry consent at every chain, each told in its feed, without naming them', async () => {
    const res = await withdraw(b, 'registry', ['profile-sync']);
    const body = res.json<ConsentWithdrawResponse>();
    expect(body.withdrawn).toEqual({ party: 'registry', purposes: ['profile-sync'] });
    expect(body.registry.map((s) => s.status)).toEqual(['withdrawn']);
    for (const t of traces(a)) expect(res.body).not.toContain(t);
    for (const k of [a, b]) {
      expect((await feed(env, k)).events.map((e) => e.data)).toMatchObject([{ kind: 'consent-withdrawn', party: 'registry' }]);
    }
    expect((await env.store.stats()).consents).toBe(6);
    // Withdrawing again finds nothing given.
    expect((await withdraw(b, 'registry', ['profile-sync'])).json<ConsentWithdrawResponse>().withdrawn.purposes).toEqual([]);
  });

  it('withdraws the registry consent at every chain when the withdrawal comes queued, as a consent event', async () => {
    const subjectRef = sent.get(b.kioskId)?.[0];
    if (!subjectRef) throw new Error('b enrolled one');
    const at = '2025-03-01T09:30:00.000Z';
    const record = consentRecord({ subjectRef, party: 'registry', kiosk: b, status: 'withdrawn', purposes: ['profile-sync'], at });
    await send(env, b, consentEventItem(b, record));
    for (const k of [a, b]) {
      expect((await lookup(k)).json<ConsentLookupResponse>().registry.map((s) => s.status)).toEqual(['withdrawn']);
      expect((await feed(env, k)).events.map((e) => e.data)).toMatchObject([{ kind: 'consent-withdrawn', party: 'registry' }]);
    }
    // The kiosk's record and one reversing chain A's give.
    expect((await env.store.stats()).consents).toBe(6);
    expect((await withdraw(b, 'registry', ['profile-sync'])).json<ConsentWithdrawResponse>().withdrawn.purposes).toEqual([]);
  });
});
