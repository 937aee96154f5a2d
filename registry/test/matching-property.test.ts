// The matching rule as properties, over the real registry (sync.md, "Identity resolution"): random
// enrollments of distinct people who share a name never share a profile, and an enrollment sharing a
// strong key with an earlier one of the same person and the same holder (the registry, or one chain
// alone after a "no" to the registry) always lands in that person's profile, and never in another holder's.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Person } from '../../sync/wire/schemas.js';
import { ENGINES, type Kiosk, send, testEnv, type TestEnv } from './fixtures/registry-app.js';
import { enrollmentItem, type EnrollmentOptions } from '../../sync/test/fixtures/payloads.js';

type Kind = 'eid-registry-match' | 'eid-policy-keeps-date' | 'eid-unverified' | 'manual' | 'paper';

interface Draw {
  person: number;
  kind: Kind;
  email: boolean;
  mobile: boolean;
  chain: 0 | 1;
}

const draw: fc.Arbitrary<Draw> = fc.record({
  person: fc.integer({ min: 0, max: 3 }),
  kind: fc.constantFrom<Kind>('eid-registry-match', 'eid-policy-keeps-date', 'eid-unverified', 'manual', 'paper'),
  email: fc.boolean(),
  mobile: fc.boolean(),
  chain: fc.constantFrom<0 | 1>(0, 1),
});

/** Letters only: each run gets its own first name, so runs never meet. */
const letters = (n: number): string => n.toString(26).replace(/./g, (c) => String.fromCharCode(97 + parseInt(c, 26)));

/** Person i of a run: one name for all, each their own birth date, e-mail and mobile. */
function details(run: number, i: number) {
  return {
    birthDate: `19${50 + i * 7}-0${1 + i}-1${i}`,
    email: `jan.${letters(run)}.${i}@example.be`,
    mobile: `+3247${String(run).padStart(5, '0')}${i}`,
  };
}

function options(run: number, d: Draw): EnrollmentOptions {
  const own = details(run, d.person);
  const person: Partial<Person> = {
    surname: 'Peeters',
    firstNames: `Jan ${letters(run)}`,
    birthDate: undefined,
    email: d.email ? own.email : undefined,
    mobile: d.mobile ? own.mobile : undefined,
  };
  switch (d.kind) {
    case 'eid-registry-match':
      return { person, registry: 'given', registryMatch: { birthDate: own.birthDate } };
    case 'eid-policy-keeps-date':
      return { person: { ...person, birthDate: own.birthDate }, registry: 'refused' };
    case 'eid-unverified':
      return {
        person: { ...person, birthDate: own.birthDate.slice(0, 4) },
        eidVerification: { identity: true, address: false, photo: true, chain: true },
      };
    default:
      return { person, source: d.kind };
  }
}

/** Who holds an enrollment's profile: the registry under a given registry consent, else its chain alone ("What a no forbids"). */
const holder = (d: Draw): string => (d.kind === 'eid-registry-match' ? 'registry' : `chain ${d.chain}`);

/** The strong keys an enrollment carries, as the rule names them (not as the code computes them). */
function strongKeys(run: number, d: Draw): string[] {
  const own = details(run, d.person);
  const keys: string[] = [];
  if (d.kind === 'eid-registry-match' || d.kind === 'eid-policy-keeps-date') keys.push(`birth:${own.birthDate}`);
  if (d.email) keys.push(`email:${own.email}`);
  if (d.mobile) keys.push(`mobile:${own.mobile}`);
  return keys;
}

describe.each(ENGINES)('the matching rule, as properties, on %s', (engine) => {
  let env: TestEnv;
  let kiosks: Kiosk[];
  let run = 0;
  beforeAll(async () => {
    env = await testEnv(engine);
    kiosks = [await env.kiosk('kiosk-a', 'chain-a'), await env.kiosk('kiosk-b', 'chain-b')];
  });
  afterAll(async () => env.dispose());

  it('never puts two people in one profile, and always finds a person again by a strong key', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(draw, { minLength: 2, maxLength: 10 }), fc.integer({ min: 1, max: 10 }), async (draws, chunk) => {
        run += 1;
        const items = draws.map((d) => ({ d, item: enrollmentItem(kiosks[d.chain]!, options(run, d)) }));
        for (let i = 0; i < items.length; i += chunk) {
          const part = items.slice(i, i + chunk);
          // One batch per kiosk, in order: matching inside a batch must agree with one by one.
          for (const k of kiosks) {
            const mine = part.filter((p) => kiosks[p.d.chain] === k).map((p) => p.item);
            if (mine.length > 0) await send(env, k, ...mine);
          }
        }
        const profileOf = await env.reader.profileIdsOf(items.map((x) => x.item.payload.enrollmentId));
        const profiles = items.map((x) => profileOf.get(x.item.payload.enrollmentId));
        items.forEach(({ d }, i) => {
          items.forEach(({ d: other }, j) => {
            if (d.person !== other.person) expect(profiles[i], `enrollments ${i} and ${j} are different people`).not.toBe(profiles[j]);
            if (holder(d) !== holder(other)) expect(profiles[i], `enrollments ${i} and ${j} have different holders`).not.toBe(profiles[j]);
          });
        });
        // Sending order: chunk by chunk, kiosk a's before kiosk b's inside a chunk.
        const order = items
          .map((x, i) => ({ ...x, i }))
          .sort((x, y) => Math.floor(x.i / chunk) - Math.floor(y.i / chunk) || x.d.chain - y.d.chain || x.i - y.i);
        order.forEach(({ d, i }, n) => {
          const keys = strongKeys(run, d);
          const earlier = order
            .slice(0, n)
            .filter((e) => e.d.person === d.person && holder(e.d) === holder(d) && strongKeys(run, e.d).some((k) => keys.includes(k)));
          if (earlier.length > 0) expect(earlier.map((e) => profiles[e.i])).toContain(profiles[i]);
        });
      }),
      { numRuns: engine === 'sqlite' ? 40 : 15 },
    );
  }, 120_000);
});
