// Issue 8: two people with the same name are never one profile, one chain's customer's data never
// reaches another chain, and records must name a published statement.
import { signed } from '../../sync/test/fixtures/kiosk-keys.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BatchResponse, Person } from '../../sync/wire/schemas.js';
import { consentRecord, enrollmentItem, type EnrollmentOptions } from '../../sync/test/fixtures/payloads.js';
import { ENGINES, feed, type Kiosk, postBatch, postJson, send, testEnv, type TestEnv, twoChains } from './fixtures/registry-app.js';

const JAN = { surname: 'Peeters', firstNames: 'Jan', language: 'nl' } as const;
const JAN_A: Partial<Person> = {
  ...JAN,
  birthDate: undefined,
  address: { street: 'Kerkstraat 1', postalCode: '2000', municipality: 'Antwerpen', country: 'BE' },
  email: 'jan.a@example.be',
};
const JAN_B: Partial<Person> = {
  ...JAN,
  birthDate: undefined,
  address: { street: 'Veldstraat 99', postalCode: '9000', municipality: 'Gent', country: 'BE' },
  email: 'jan.b@example.be',
};
const MOVED = { street: 'Meir 10', postalCode: '2000', municipality: 'Antwerpen', country: 'BE' };

describe.each(ENGINES)('identity resolution on %s', (engine) => {
  let env: TestEnv, a: Kiosk, b: Kiosk;
  beforeEach(async () => {
    ({ env, a, b } = await twoChains(engine));
  });
  afterEach(async () => env.dispose());

  const enroll = (k: Kiosk, o: EnrollmentOptions) => send(env, k, enrollmentItem(k, { registry: 'given', ...o }));

  it.each([
    ['no birth date, different e-mails', {}, {}],
    ['the same birth year, different e-mails', { birthDate: '1980' }, { birthDate: '1980' }],
    [
      'the same birth month, typed, different mobiles',
      { birthDate: '1980-05', email: undefined, mobile: '+32470000001' },
      { birthDate: '1980-05', email: undefined, mobile: '+32470000002' },
    ],
  ] as const)('keeps two Jan Peeters with %s apart, and chain A’s customer out of chain B’s feed', async (_case, extraA, extraB) => {
    await enroll(a, { person: { ...JAN_A, ...extraA } });
    await enroll(b, { person: { ...JAN_B, ...extraB } });
    env.advance(86_400_000);
    // Jan A moves, and says so at chain A, typed and then by eID.
    await enroll(a, { person: { ...JAN_A, ...extraA, address: MOVED }, source: 'manual' });
    await enroll(a, { person: { ...JAN_A, mobile: '+32470000009', ...extraA, address: MOVED } });
    expect((await env.store.stats()).profiles).toBe(2);
    const fb = JSON.stringify(await feed(env, b));
    for (const secret of ['Kerkstraat', 'Meir', 'jan.a', '+32470000001']) expect(fb).not.toContain(secret);
    expect((await feed(env, b)).events).toEqual([]);
    // Each still finds his own consents by his own details.
    for (const [k, who] of [
      [a, { ...JAN_A, ...extraA }],
      [b, { ...JAN_B, ...extraB }],
    ] as const) {
      const res = await postJson(env, k, '/v1/consents/lookup', {
        surname: 'Peeters',
        firstNames: 'Jan',
        ...(who.email ? { email: who.email } : { mobile: who.mobile }),
      });
      expect(res.statusCode).toBe(200);
    }
  });

  it('makes one profile of the same person read by eID twice, matched on the birth date the chains drop', async () => {
    const match = { registryMatch: { birthDate: '1980-05-17' } };
    await enroll(a, { person: JAN_A, ...match });
    await enroll(b, { person: { ...JAN_A, address: MOVED, email: undefined }, ...match });
    expect((await env.store.stats()).profiles).toBe(1);
    const [fa, fb] = [await feed(env, a), await feed(env, b)];
    expect(fa.events.map((e) => e.data)).toEqual([{ kind: 'profile-updated', changes: { address: MOVED } }]);
    expect(fb.events.map((e) => e.data)).toEqual([{ kind: 'profile-updated', changes: { address: MOVED } }]);
    // The birth date was only ever a digest at the registry: no feed carries it.
    for (const f of [fa, fb]) expect(JSON.stringify(f)).not.toMatch(/1980|05-17/);
  });

  it('keeps two eID-verified people apart by their birth dates, even at one address and e-mail', async () => {
    await enroll(a, { person: JAN_A, registryMatch: { birthDate: '1955-02-01' } });
    await enroll(a, { person: JAN_A, registryMatch: { birthDate: '1985-09-30' } });
    expect((await env.store.stats()).profiles).toBe(2);
  });

  it('takes a birth date for matching only with a verified eID read and a given registry consent', async () => {
    const refused = enrollmentItem(a, { registry: 'refused', person: JAN_A, registryMatch: { birthDate: '1980-05-17' } });
    const typed = enrollmentItem(a, { registry: 'given', source: 'manual', person: JAN_A, registryMatch: { birthDate: '1980-05-17' } });
    const unverified = enrollmentItem(a, {
      registry: 'given',
      person: JAN_A,
      registryMatch: { birthDate: '1980-05-17' },
      eidVerification: { identity: true, address: true, photo: false, chain: true },
    });
    const res = await postBatch(env, a, [refused, typed, unverified]);
    expect(res.json<BatchResponse>().results.map((r) => r.reason?.code)).toEqual([
      'REGISTRY_MATCH_REFUSED',
      'REGISTRY_MATCH_REFUSED',
      'REGISTRY_MATCH_REFUSED',
    ]);
    expect(res.body).not.toContain('1980');
  });

  it('lets no typed enrollment overwrite what a verified read said, nor tell other chains of it', async () => {
    await enroll(a, { person: JAN_A, registryMatch: { birthDate: '1980-05-17' } });
    await enroll(b, { person: { ...JAN_A, surname: 'PEETERS', address: MOVED, email: 'jan.a@example.be' }, source: 'manual' });
    await enroll(b, { person: { ...JAN_A, mobile: '+32470999999' }, source: 'paper' });
    expect((await env.store.stats()).profiles).toBe(1);
    expect((await feed(env, a)).events).toEqual([]);
  });
});

describe.each(ENGINES)('published statements at the registry on %s', (engine) => {
  let env: TestEnv;
  let a: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    a = await env.kiosk('kiosk-a', 'chain-a');
  });
  afterEach(async () => env.dispose());

  it('rejects, item by item, a record naming an unpublished statement, version, text, purpose or the wrong party', async () => {
    const bad = [
      (i: ReturnType<typeof enrollmentItem>) => ((i.payload.consents[0]!.notice.statementId = 'made-up'), i),
      (i: ReturnType<typeof enrollmentItem>) => ((i.payload.consents[0]!.notice.version = '9'), i),
      (i: ReturnType<typeof enrollmentItem>) => ((i.payload.consents[0]!.notice.textSha256 = 'b'.repeat(64)), i),
      (i: ReturnType<typeof enrollmentItem>) => ((i.payload.consents[0]!.purposes[0]!.id = 'sell-to-anyone'), i),
      (i: ReturnType<typeof enrollmentItem>) => ((i.payload.consents[1]!.party = 'chain'), i),
    ].map((spoil) => signed(spoil(enrollmentItem(a, { registry: 'given' }))));
    const good = enrollmentItem(a, { registry: 'given' });
    const res = await postBatch(env, a, [...bad, good]);
    expect(res.statusCode).toBe(200);
    expect(res.json<BatchResponse>().results.map((r) => [r.statusCode, r.reason?.code])).toEqual([
      [422, 'UNKNOWN_STATEMENT'],
      [422, 'UNKNOWN_STATEMENT'],
      [422, 'UNKNOWN_TEXT_HASH'],
      [422, 'UNKNOWN_PURPOSE'],
      [422, 'PARTY_MISMATCH'],
      [201, undefined],
    ]);
    expect((await env.store.stats()).enrollments).toBe(1);
  });

  it('rejects a consent event naming an unpublished statement', async () => {
    const enrollment = enrollmentItem(a, { registry: 'given' });
    await send(env, a, enrollment);
    const record = consentRecord({ subjectRef: enrollment.payload.enrollmentId, party: 'registry', kiosk: a, status: 'withdrawn' });
    record.notice.textSha256 = 'c'.repeat(64);
    const res = await postBatch(env, a, [
      signed({
        kind: 'consent-event',
        idempotencyKey: crypto.randomUUID(),
        sequence: 999,
        createdAt: record.event.at,
        payload: { consent: record },
      }),
    ]);
    expect(res.json<BatchResponse>().results[0]).toMatchObject({ statusCode: 422, reason: { code: 'UNKNOWN_TEXT_HASH' } });
  });
});
