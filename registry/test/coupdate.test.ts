import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResponse } from '../../sync/wire/schemas.js';
import { consentEventItem, consentRecord, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { ENGINES, feed, type Kiosk, postBatch, postJson, send, testEnv, type TestEnv } from './fixtures/registry-app.js';

const NEW_ADDRESS = { street: 'Meir 10', postalCode: '2000', municipality: 'Antwerpen', country: 'BE' };

describe.each(ENGINES)('matching and co-update on %s', (engine) => {
  let env: TestEnv;
  let a: Kiosk;
  let b: Kiosk;
  let c: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    a = await env.kiosk('kiosk-a', 'chain-a');
    b = await env.kiosk('kiosk-b', 'chain-b');
    c = await env.kiosk('kiosk-c', 'chain-c');
  });
  afterEach(async () => env.dispose());

  it('matches names across diacritics, case, hyphens and whitespace', async () => {
    await send(env, a, enrollmentItem(a, { registry: 'given', person: { surname: 'Dupont-Lefèvre', firstNames: 'Émile' } }));
    await send(
      env,
      b,
      enrollmentItem(b, {
        registry: 'given',
        source: 'manual',
        person: { surname: 'DUPONT  LEFEVRE', firstNames: 'EMILE', birthDate: undefined },
      }),
    );
    await send(
      env,
      c,
      enrollmentItem(c, { registry: 'given', person: { surname: 'Dupont-Lefèvre', firstNames: 'Emile', birthDate: '1980' } }),
    );
    expect((await env.store.stats()).profiles).toBe(1);
  });

  it('keeps eID-verified consumers apart when their full birth dates differ, even sharing an e-mail', async () => {
    await send(env, a, enrollmentItem(a, { person: { birthDate: '1980-05-02' } }));
    await send(env, a, enrollmentItem(a, { person: { birthDate: '1980-05-03' } }));
    expect((await env.store.stats()).profiles).toBe(2);
    // A year or month is no birth key: these join by the shared e-mail (the oldest such profile), never making a third.
    await send(env, a, enrollmentItem(a, { person: { birthDate: '1981' } }));
    await send(env, a, enrollmentItem(a, { person: { birthDate: '1980-05' } }));
    expect((await env.store.stats()).profiles).toBe(2);
  });

  it('sends one change event to every chain holding a registry consent, the enrolling one included', async () => {
    await send(env, a, enrollmentItem(a, { registry: 'given' }));
    await send(env, c, enrollmentItem(c, { registry: 'refused' }));
    env.advance(86_400_000);
    await send(env, b, enrollmentItem(b, { registry: 'given', person: { address: NEW_ADDRESS } }));

    const [fa, fb, fc] = [await feed(env, a), await feed(env, b), await feed(env, c)];
    expect(fc.events).toEqual([]);
    expect(fa.events).toHaveLength(1);
    expect(fb.events).toHaveLength(1);
    expect(fa.events[0]).toMatchObject({
      recordedAt: '2025-03-02T10:00:00.000Z',
      data: { kind: 'profile-updated', changes: { address: NEW_ADDRESS } },
    });
    expect(fa.events[0]?.data).toEqual({ kind: 'profile-updated', changes: { address: NEW_ADDRESS } });
    expect(fa.events[0]?.subjectRefs).toHaveLength(1);
    expect(fa.events[0]?.subjectRefs).not.toEqual(fb.events[0]?.subjectRefs);
  });

  it('gives two chains holding the same consumer feeds that share no identifier', async () => {
    await send(env, a, enrollmentItem(a, { registry: 'given' }));
    await send(env, b, enrollmentItem(b, { registry: 'given' }));
    await send(env, c, enrollmentItem(c, { registry: 'given', person: { address: NEW_ADDRESS, email: 'emile.new@example.be' } }));
    await send(env, a, enrollmentItem(a, { registry: 'given', person: { address: undefined, email: undefined, mobile: '+32470111222' } }));
    const who = { surname: 'Dupont-Lefèvre', firstNames: 'Émile', birthDate: '1980-05-02' };
    const res = await postJson(env, b, '/v1/consents/withdraw', {
      ...who,
      party: 'registry',
      purposes: ['profile-sync'],
      method: 'kiosk-eid',
      utcOffsetMinutes: 60,
    });
    expect(res.statusCode).toBe(200);

    const [fa, fb] = [await feed(env, a), await feed(env, b)];
    const kinds = ['profile-updated', 'profile-updated', 'consent-withdrawn'];
    expect(fa.events.map((e) => e.data.kind)).toEqual(kinds);
    expect(fb.events.map((e) => e.data.kind)).toEqual(kinds);
    // Both legitimately know what changed and when: the changed values, the kind, party, purposes and time.
    const legitimate = new Set(
      [...fa.events, ...fb.events].flatMap((e) => [
        e.recordedAt,
        e.data.kind,
        ...(e.data.kind === 'profile-updated' ? stringsIn(e.data.changes) : 'party' in e.data ? [e.data.party, ...e.data.purposes] : []),
      ]),
    );
    const rest = (f: typeof fa): string[] => stringsIn(f.events).filter((s) => !legitimate.has(s));
    const [ra, rb] = [rest(fa), new Set(rest(fb))];
    expect(ra.length).toBeGreaterThan(0);
    expect(ra.filter((s) => rb.has(s))).toEqual([]);
  });

  it("tells each chain only its own subject refs, never another chain's ids", async () => {
    const atA = enrollmentItem(a, { registry: 'given' });
    const atB = enrollmentItem(b, { registry: 'given', person: { address: NEW_ADDRESS } });
    await send(env, a, atA);
    await send(env, b, atB);
    const who = { surname: 'Dupont-Lefèvre', firstNames: 'Émile', birthDate: '1980-05-02' };
    const res = await postJson(env, b, '/v1/consents/withdraw', {
      ...who,
      party: 'registry',
      purposes: ['profile-sync'],
      method: 'kiosk-eid',
      utcOffsetMinutes: 60,
    });
    expect(res.statusCode).toBe(200);
    for (const [k, own, other] of [
      [a, atA, atB],
      [b, atB, atA],
    ] as const) {
      const f = await feed(env, k);
      expect(f.events.map((e) => e.data.kind)).toEqual(['profile-updated', 'consent-withdrawn']);
      expect(f.events.flatMap((e) => e.subjectRefs)).toEqual([own.payload.enrollmentId, own.payload.enrollmentId]);
      const json = JSON.stringify(f);
      for (const t of [
        other.payload.chainId,
        other.payload.kioskId,
        other.payload.storeId,
        other.payload.enrollmentId,
        ...other.payload.consents.map((c) => c.recordId),
      ]) {
        expect(json, `${k.chainId} sees ${t}`).not.toContain(t);
      }
    }
  });

  it("refuses a consent event about another chain's enrollment as an unknown subject", async () => {
    const atA = enrollmentItem(a, { registry: 'given' });
    await send(env, a, atA);
    const res = await postBatch(env, b, [
      consentEventItem(b, consentRecord({ subjectRef: atA.payload.enrollmentId, party: 'registry', kiosk: b, status: 'withdrawn' })),
    ]);
    expect(res.json<BatchResponse>().results[0]).toMatchObject({ status: 'rejected', reason: { code: 'UNKNOWN_SUBJECT' } });
    expect((await feed(env, a)).events).toEqual([]);
  });

  it('sends no change from an enrollment that gave the registry no purpose, to any chain', async () => {
    await send(env, a, enrollmentItem(a, { registry: 'given' }));
    for (const registry of [undefined, 'refused'] as const) {
      await send(env, b, enrollmentItem(b, { registry, person: { email: 'emile.new@example.be', mobile: '+32470111222' } }));
    }
    expect((await feed(env, a)).events).toEqual([]);
    expect((await feed(env, b)).events).toEqual([]);
    expect((await env.store.stats()).profiles).toBe(2);
  });

  it('records no change when address and contact are unchanged or absent', async () => {
    await send(env, a, enrollmentItem(a, { registry: 'given' }));
    await send(env, b, enrollmentItem(b, { registry: 'given' }));
    await send(
      env,
      b,
      enrollmentItem(b, { registry: 'given', source: 'manual', person: { address: undefined, email: 'EMILE@example.be' } }),
    );
    expect((await env.store.stats()).changeEvents).toBe(0);
  });

  it('turns a withdrawal of the registry consent into a change event at every chain that gave it, and stops co-updates', async () => {
    const enrollment = enrollmentItem(a, { registry: 'given' });
    await send(env, a, enrollment);
    await send(env, b, enrollmentItem(b, { registry: 'given' }));
    const withdrawal = consentRecord({
      subjectRef: enrollment.payload.enrollmentId,
      party: 'registry',
      kiosk: a,
      status: 'withdrawn',
      at: '2025-03-01T09:30:00.000Z',
    });
    await send(env, a, consentEventItem(a, withdrawal));
    expect((await feed(env, a)).events.map((e) => e.data)).toEqual([
      { kind: 'consent-withdrawn', party: 'registry', purposes: ['profile-sync'], recordId: withdrawal.recordId },
    ]);

    // Consent to the registry is withdrawn from the registry: chain B's give is reversed too.
    expect((await feed(env, b)).events.map((e) => e.data)).toMatchObject([
      { kind: 'consent-withdrawn', party: 'registry', purposes: ['profile-sync'] },
    ]);

    await send(env, b, enrollmentItem(b, { person: { address: NEW_ADDRESS } }));
    expect((await feed(env, a)).events).toHaveLength(1);
    expect((await feed(env, b)).events.map((e) => e.data.kind)).toEqual(['consent-withdrawn']);
  });

  it('lets a later decision by the kiosk clock win over an earlier one received later', async () => {
    const enrollment = enrollmentItem(a, { registry: 'given', at: '2025-03-01T09:00:00.000Z' });
    await send(env, a, enrollment);
    const withdrawn = consentRecord({
      subjectRef: enrollment.payload.enrollmentId,
      party: 'registry',
      kiosk: a,
      status: 'withdrawn',
      at: '2025-03-01T09:10:00.000Z',
    });
    await send(env, a, consentEventItem(a, withdrawn));
    // A give decided before the withdrawal but synced after it does not revive the consent.
    const staleGive = consentRecord({
      subjectRef: enrollment.payload.enrollmentId,
      party: 'registry',
      kiosk: a,
      at: '2025-03-01T09:05:00.000Z',
    });
    await send(env, a, consentEventItem(a, staleGive));
    await send(env, b, enrollmentItem(b, { person: { address: NEW_ADDRESS } }));
    expect((await feed(env, a)).events.map((e) => e.data.kind)).toEqual(['consent-withdrawn']);
  });
});

/** Every string value in a JSON value, at any depth. */
function stringsIn(v: unknown): string[] {
  if (typeof v === 'string') return [v];
  if (Array.isArray(v)) return v.flatMap(stringsIn);
  if (v !== null && typeof v === 'object') return Object.values(v).flatMap(stringsIn);
  return [];
}
