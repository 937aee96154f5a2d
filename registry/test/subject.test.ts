// Issue 8: strong identification is rate-limited per subject and answers a miss and a wrong guess
// alike; the person's access and erasure at the registry; the retention purge on an injected clock.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SubjectAccessResponse } from '../../sync/wire/registry-api.js';
import type { Person } from '../../sync/wire/schemas.js';
import { ENGINES, feed, type Kiosk, postJson, send, type TestEnv, twoChains } from './fixtures/registry-app.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';

const JAN: Partial<Person> = {
  surname: 'Peeters',
  firstNames: 'Jan',
  language: 'nl',
  birthDate: undefined,
  address: { street: 'Kerkstraat 1', postalCode: '2000', municipality: 'Antwerpen', country: 'BE' },
  email: 'jan@example.be',
};
const BORN = '1980-05-17';
const WHO = { surname: 'PEETERS', firstNames: 'jan', birthDate: BORN };
const DAY = 86_400_000;

describe.each(ENGINES)('identification, access and erasure on %s', (engine) => {
  let env: TestEnv, a: Kiosk, b: Kiosk;
  beforeEach(async () => {
    ({ env, a, b } = await twoChains(engine));
    await send(env, a, enrollmentItem(a, { registry: 'given', person: JAN, registryMatch: { birthDate: BORN } }));
    // Chain B's policy keeps neither address nor e-mail; it took the mobile.
    await send(
      env,
      b,
      enrollmentItem(b, {
        registry: 'given',
        person: { ...JAN, address: undefined, email: undefined, mobile: '+32470123456' },
        registryMatch: { birthDate: BORN },
      }),
    );
  });
  afterEach(async () => env.dispose());

  it('stops guessing one person after a few misses, from any kiosk, and says when to come back', async () => {
    // Eight kiosks of eight chains, four guesses each: well within each kiosk's own limit.
    const kiosks = [a, b];
    for (const x of ['c', 'd', 'e', 'f', 'g', 'h']) kiosks.push(await env.kiosk(`kiosk-${x}`, `chain-${x}`));
    const answers: number[] = [];
    let retryAfter: string | undefined;
    for (let guess = 0; guess < 32; guess++) {
      const day = String(1 + (guess % 28)).padStart(2, '0');
      const res = await postJson(env, kiosks[guess % kiosks.length]!, '/v1/consents/lookup', {
        ...WHO,
        birthDate: `1979-${guess < 28 ? '01' : '02'}-${day}`,
      });
      answers.push(res.statusCode);
      if (res.statusCode === 429) retryAfter ??= res.headers['retry-after'] as string | undefined;
    }
    expect(answers.slice(0, 10)).toEqual(Array(10).fill(404));
    expect(answers.slice(10)).toEqual(Array(22).fill(429));
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const blocked = await postJson(env, a, '/v1/consents/lookup', WHO);
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json()).toMatchObject({ code: 'RATE_LIMITED' });
    // Another person is not blocked; this one is again after the window.
    expect(
      (await postJson(env, a, '/v1/consents/lookup', { surname: 'Maes', firstNames: 'Els', email: 'els@example.be' })).statusCode,
    ).toBe(404);
    env.advance(3_600_000);
    expect((await postJson(env, a, '/v1/consents/lookup', WHO)).statusCode).toBe(200);
  });

  it("limits each kiosk's identification tries on each route, whoever it asks about", async () => {
    const c = await env.kiosk('kiosk-c', 'chain-c');
    const answers: number[] = [];
    for (let n = 0; n < 11; n++) {
      answers.push(
        (await postJson(env, c, '/v1/subject/access', { surname: `Peeters${'e'.repeat(n + 1)}`, firstNames: 'Jan', birthDate: BORN }))
          .statusCode,
      );
    }
    expect(answers).toEqual([...Array(10).fill(404), 429]);
    // Another kiosk is not held back by it.
    expect((await postJson(env, a, '/v1/subject/access', WHO)).statusCode).toBe(200);
  });

  it('refuses names without a letter instead of matching them to each other', async () => {
    for (const who of [
      { ...WHO, surname: ' - ' },
      { ...WHO, firstNames: '--' },
    ]) {
      expect((await postJson(env, a, '/v1/consents/lookup', who)).statusCode).toBe(400);
    }
  });

  it('answers a wrong guess exactly as it answers nobody at all', async () => {
    const wrong = await postJson(env, a, '/v1/consents/lookup', { ...WHO, birthDate: '1980-05-18' });
    const nobody = await postJson(env, a, '/v1/consents/lookup', { surname: 'Nobody', firstNames: 'Here', birthDate: '1980-05-18' });
    expect([wrong.statusCode, wrong.body]).toEqual([nobody.statusCode, nobody.body]);
    for (const url of ['/v1/subject/access', '/v1/subject/erase']) {
      // Erasure on typed details takes a one-time code (one-time-code-mail.test.ts): a guessed one too.
      const proof = url.endsWith('erase') ? { oneTimeCode: '000000' } : {};
      const res = await postJson(env, a, url, { ...WHO, email: 'other@example.be', birthDate: undefined, ...proof });
      expect([res.statusCode, res.body]).toEqual([nobody.statusCode, nobody.body]);
    }
  });

  it('shows each chain what it holds: the fields its own enrollments carried, never the matching birth date', async () => {
    const atA = (await postJson(env, a, '/v1/subject/access', WHO)).json<SubjectAccessResponse>();
    expect(atA.profile).toEqual({ surname: 'Peeters', firstNames: 'Jan', language: 'nl', address: JAN.address, email: 'jan@example.be' });
    expect(atA.matchingKeys).toEqual(['name+birth-date', 'name+email', 'name+mobile']);
    expect(atA.enrollments).toHaveLength(1);
    expect(atA.consents.chain.map((s) => s.status)).toEqual(['given', 'given']);
    expect(atA.receivedAt).toBe(env.now().toISOString());
    const atB = await postJson(env, b, '/v1/subject/access', { ...WHO, birthDate: undefined, mobile: '+32470123456' });
    expect(atB.json<SubjectAccessResponse>().profile).toEqual({
      surname: 'Peeters',
      firstNames: 'Jan',
      language: 'nl',
      mobile: '+32470123456',
    });
    for (const res of [JSON.stringify(atA), atB.body]) expect(res).not.toMatch(/1980-05-17|17\/05\/1980|birthDate/);
    for (const t of ['chain-b', 'kiosk-b']) expect(JSON.stringify(atA)).not.toContain(t);
  });

  it('keeps what a verified read said when a typed enrollment says otherwise', async () => {
    const typed = { street: 'Andere straat 2', postalCode: '1000', municipality: 'Brussel', country: 'BE' };
    env.advance(DAY);
    await send(env, a, enrollmentItem(a, { registry: 'given', source: 'manual', person: { ...JAN, surname: 'PEETERS', address: typed } }));
    const res = (await postJson(env, a, '/v1/subject/access', WHO)).json<SubjectAccessResponse>();
    expect(res.profile).toMatchObject({ surname: 'Peeters', address: JAN.address });
    expect(res.enrollments.map((e) => e.source)).toEqual(['eid', 'manual']);
  });

  it('erases the profile on request, keeps the consent proof, and starts afresh at the next visit', async () => {
    env.advance(DAY);
    const moved = { street: 'Meir 10', postalCode: '2000', municipality: 'Antwerpen', country: 'BE' };
    await send(env, b, enrollmentItem(b, { registry: 'given', person: { ...JAN, address: moved }, registryMatch: { birthDate: BORN } }));
    // Chain A heard of the mobile chain B took, then of the move.
    expect((await feed(env, a)).events).toHaveLength(2);
    const consentsBefore = (await env.store.stats()).consents;

    const res = await postJson(env, b, '/v1/subject/erase', WHO);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ erased: true, receivedAt: env.now().toISOString() });
    for (const url of ['/v1/consents/lookup', '/v1/subject/access', '/v1/subject/erase']) {
      expect((await postJson(env, a, url, WHO)).json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
    }
    // The change events carried the new address: they go with the profile. Each chain hears of the
    // erasure under its own refs; every consent given is withdrawn, and the proof stays.
    for (const k of [a, b]) {
      const events = (await feed(env, k)).events;
      expect(events.map((e) => e.data)).toEqual([{ kind: 'subject-erased', reason: 'request' }]);
      expect(events[0]?.subjectRefs).toHaveLength(k === a ? 1 : 2);
    }
    expect((await env.store.stats()).consents).toBe(consentsBefore + 4);

    await send(env, a, enrollmentItem(a, { registry: 'given', person: JAN, registryMatch: { birthDate: BORN } }));
    const again = (await postJson(env, a, '/v1/subject/access', WHO)).json<SubjectAccessResponse>();
    expect(again.enrollments).toHaveLength(1);
    expect((await env.store.stats()).profiles).toBe(2);
  });

  it("drops the registry's own data within 30 days after its consent is withdrawn at every chain, never the chains' files", async () => {
    env.advance(DAY);
    await send(
      env,
      b,
      enrollmentItem(b, { registry: 'given', person: { ...JAN, email: 'jan@new.be' }, registryMatch: { birthDate: BORN } }),
    );
    const withdrawal = { ...WHO, party: 'registry', purposes: ['profile-sync'], method: 'kiosk-manual', utcOffsetMinutes: 60 };
    expect((await postJson(env, a, '/v1/consents/withdraw', withdrawal)).statusCode).toBe(200);
    const none = { 'registry-data-withdrawn': 0, 'chain-data-withdrawn': 0, erased: 0 };
    env.advance(29 * DAY - 1); // the daily purge before the 30th day ends leaves it one more run
    expect(await env.store.purge(env.now())).toMatchObject(none);
    env.advance(1);
    expect(await env.store.purge(env.now())).toMatchObject({ ...none, 'registry-data-withdrawn': 1 });
    // Gone: the birth-date key (matching only) and the co-update events. Each chain's file stays.
    expect((await postJson(env, a, '/v1/subject/access', WHO)).statusCode).toBe(404);
    const atA = (
      await postJson(env, a, '/v1/subject/access', { ...WHO, birthDate: undefined, email: 'jan@new.be' })
    ).json<SubjectAccessResponse>();
    expect(atA.profile).toMatchObject({ surname: 'Peeters', address: JAN.address, email: 'jan@new.be' });
    expect(atA.matchingKeys).toEqual(['name+email', 'name+mobile']);
    expect(atA.consents.chain.map((s) => s.status)).toEqual(['given', 'given']);
    expect((await feed(env, a)).events.map((e) => e.data.kind)).toEqual(['consent-withdrawn']);
  });

  it('purges each chain file 2 years after the last visit there, then the consent proof 5 years after consent ends', async () => {
    const stay = await env.kiosk('kiosk-s', 'chain-s');
    const els = { surname: 'Maes', firstNames: 'Els', email: 'els@example.be' };
    env.advance(400 * DAY);
    await send(env, stay, enrollmentItem(stay, { registry: 'given', person: els }));
    // Jan's last visits: both enrollments at 2025-03-01T10:00; two years end at 2027-03-01T10:00.
    const lastRun = Date.parse('2027-02-28T10:00:00.000Z') - env.now().getTime();
    env.advance(lastRun - 1);
    expect(await env.store.purge(env.now())).toMatchObject({ 'chain-data-inactive': 0, erased: 0 });
    env.advance(1);
    expect(await env.store.purge(env.now())).toEqual({
      'transient-messages': 0,
      'registry-data-withdrawn': 0,
      'registry-data-inactive': 1,
      'chain-data-withdrawn': 0,
      'chain-data-inactive': 2,
      'consent-proof': 0,
      erased: 1,
    });
    expect((await postJson(env, a, '/v1/subject/access', WHO)).statusCode).toBe(404);
    expect((await feed(env, b)).events.map((e) => e.data)).toContainEqual({ kind: 'subject-erased', reason: 'retention' });
    expect((await postJson(env, stay, '/v1/subject/access', els)).statusCode).toBe(200);
    const { consents } = await env.store.stats();
    // Jan's consents ended with the erasure: their proof goes 5 years later, to the day.
    env.advance(Date.parse('2032-02-27T10:00:00.000Z') - env.now().getTime() - 1);
    expect(await env.store.purge(env.now())).toMatchObject({ 'consent-proof': 0 });
    env.advance(1);
    expect(await env.store.purge(env.now())).toMatchObject({ 'consent-proof': 4, erased: 0 });
    expect((await env.store.stats()).consents).toBe(consents - 4);
  });
});
