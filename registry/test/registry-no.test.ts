// Issue 14, "Lawful in every path": a "no" to the registry means the registry uses nothing of that
// enrollment (no merge, no registry key, no co-update, no change to what other chains see), while it
// still holds it for its chain, as the chain's processor; and everyone who gave a chain consent can
// be found again by that chain's kiosks (chain keys, the receipt's withdrawal code), by no other.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsentLookupResponse, SubjectAccessResponse } from '../../sync/wire/registry-api.js';
import type { BatchResponse, ChainMatch } from '../../sync/wire/schemas.js';
import { EMILE, enrollmentItem, type EnrollmentOptions } from '../../sync/test/fixtures/payloads.js';
import { ENGINES, feed, type Kiosk, postBatch, postJson, send, testEnv, type TestEnv } from './fixtures/registry-app.js';

const NAME = { surname: EMILE.surname, firstNames: EMILE.firstNames };
const WHO = { ...NAME, birthDate: '1980-05-02' };
const MOVED = { street: 'Meir 10', postalCode: '2000', municipality: 'Antwerpen', country: 'BE' };
const CODE = '7K3M9QXR2D';

describe.each(ENGINES)('a "no" to the registry on %s', (engine) => {
  let env: TestEnv, a: Kiosk, b: Kiosk, c: Kiosk;
  beforeEach(async () => {
    env = await testEnv(engine);
    [a, b, c] = [await env.kiosk('kiosk-a', 'chain-a'), await env.kiosk('kiosk-b', 'chain-b'), await env.kiosk('kiosk-c', 'chain-c')];
  });
  afterEach(async () => env.dispose());

  const item = (k: Kiosk, o: EnrollmentOptions, chainMatch?: ChainMatch) => {
    const i = enrollmentItem(k, o);
    if (chainMatch) i.payload.chainMatch = chainMatch;
    return i;
  };
  const enroll = async (k: Kiosk, o: EnrollmentOptions, chainMatch?: ChainMatch): Promise<string> => {
    const i = item(k, o, chainMatch);
    await send(env, k, i);
    return i.payload.enrollmentId;
  };
  const profileOf = async (...ids: string[]) => {
    const byId = await env.reader.profileIdsOf(ids);
    return ids.map((id) => byId.get(id));
  };
  const lookup = (k: Kiosk, who: object) => postJson(env, k, '/v1/consents/lookup', who);

  it('merges nothing, co-updates no other chain and changes nothing other chains see', async () => {
    const atA = await enroll(a, { registry: 'given' });
    // The same person (name, verified birth date, e-mail), moved, says no to the registry at chain B.
    const atB = await enroll(b, { registry: 'refused', person: { address: MOVED, mobile: '+32470111222' } });
    const atC = await enroll(c, { person: { address: MOVED } });
    expect(new Set(await profileOf(atA, atB, atC)).size).toBe(3);
    for (const k of [a, b, c]) expect((await feed(env, k)).events).toEqual([]);
    // Chain A still sees what chain A's enrollment said; the registry holds no key of B's or C's.
    const seenByA = (await postJson(env, a, '/v1/subject/access', WHO)).json<SubjectAccessResponse>();
    expect(seenByA.profile).toMatchObject({ address: EMILE.address });
    expect(seenByA.profile).not.toHaveProperty('mobile');
    for (const k of [b, c])
      expect((await postJson(env, k, '/v1/subject/access', WHO)).json<SubjectAccessResponse>().matchingKeys).toEqual([]);
  });

  it('is never joined by an enrollment that said yes, at its chain or another', async () => {
    const no = await enroll(b, { registry: 'refused' });
    const yesAtB = await enroll(b, { registry: 'given' });
    const yesAtA = await enroll(a, { registry: 'given' });
    const [p0, p1, p2] = await profileOf(no, yesAtB, yesAtA);
    expect(p0).not.toBe(p1);
    expect(p1).toBe(p2);
  });

  it("keeps one chain's customer as one, found again by that chain alone", async () => {
    const first = await enroll(b, { registry: 'refused' });
    env.advance(60_000);
    const again = await enroll(b, { person: { address: MOVED } });
    const elsewhere = await enroll(c, { registry: 'refused' });
    const [p0, p1, p2] = await profileOf(first, again, elsewhere);
    expect(p0).toBe(p1);
    expect(p2).not.toBe(p0);

    const res = await lookup(b, WHO);
    expect(res.statusCode).toBe(200);
    expect(res.json<ConsentLookupResponse>()).toMatchObject({ subjectRef: again, registry: [{ status: 'refused' }] });
    expect((await lookup(a, WHO)).json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
    const withdrawn = await postJson(env, b, '/v1/consents/withdraw', {
      ...WHO,
      party: 'chain',
      purposes: ['loyalty'],
      method: 'kiosk-eid',
      utcOffsetMinutes: 60,
    });
    expect(withdrawn.json()).toMatchObject({ withdrawn: { party: 'chain', purposes: ['loyalty'] } });
    expect((await feed(env, b)).events.map((e) => [e.subjectRefs, e.data.kind])).toEqual([[[first, again], 'consent-withdrawn']]);
    expect((await feed(env, c)).events).toEqual([]);
  });

  it('finds a form customer who gave only a name by the withdrawal code of the receipt, at that chain only', async () => {
    const person = { birthDate: undefined, address: undefined, email: undefined };
    const id = await enroll(b, { source: 'manual', registry: 'refused', person }, { withdrawalCode: CODE });
    const typed = { ...NAME, withdrawalCode: '7k3m9-qxr2d' };
    const res = await lookup(b, typed);
    expect(res.statusCode).toBe(200);
    expect(res.json<ConsentLookupResponse>().subjectRef).toBe(id);
    const miss = (await lookup(b, { ...NAME, withdrawalCode: '7K3M9QXR2E' })).body;
    expect((await lookup(c, typed)).body).toBe(miss);
    expect((await lookup(b, { ...NAME, surname: 'Dupont', withdrawalCode: CODE })).body).toBe(miss);
    expect(JSON.parse(miss)).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
  });

  it('finds by the code whatever the registry answer, and takes a wrong code beside a right date as a wrong guess', async () => {
    await enroll(a, { registry: 'given' }, { birthDate: '1980-05-02', withdrawalCode: CODE });
    expect((await lookup(a, { ...NAME, withdrawalCode: CODE })).statusCode).toBe(200);
    expect((await lookup(a, { ...WHO, withdrawalCode: '0000000000' })).json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
    expect((await lookup(b, { ...NAME, withdrawalCode: CODE })).json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
  });

  it("refuses the chain's lookup keys without a chain consent, and a birth date in them from a typed enrollment", async () => {
    const noChain = item(a, { registry: 'given' }, { withdrawalCode: CODE });
    noChain.payload.consents = noChain.payload.consents.filter((r) => r.party === 'registry');
    const typed = item(a, { source: 'manual' }, { birthDate: '1980-05-02', withdrawalCode: CODE });
    const res = await postBatch(env, a, [noChain, typed]);
    expect(res.json<BatchResponse>().results.map((r) => r.reason?.code)).toEqual(['INVALID_ITEM', 'INVALID_ITEM']);
  });
});
