// The compiled check must give zod's verdict on every value: generated valid payloads, the same
// payloads mutated at a random place, and hand-picked edges of each string format.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { describeIssues } from '../zod-issues.js';
import { compileJsonSchemaCheck, compiledValidator } from './compiled.js';
import { ConsentRecord, EnrollmentPayload } from './schemas.js';

const ajvEnrollment = compileJsonSchemaCheck(EnrollmentPayload);
const ajvConsent = compileJsonSchemaCheck(ConsentRecord);

const uuid = fc.oneof(fc.uuid(), fc.uuid({ version: 7 }));
const instant = fc.date({ min: new Date('1900-01-01'), max: new Date('2200-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
// Lengths are code points (zod and ajv both): 'binary' draws any code point, astral ones included.
// Control characters are refused in every text field, so they become an 'x' here (same length).
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const text = (maxLength: number) => fc.string({ minLength: 1, maxLength, unit: 'binary' }).map((s) => s.replace(CONTROL, 'x'));
/** A name needs a letter: one of a few scripts first, then anything. */
const name = fc
  .tuple(fc.constantFrom('J', 'é', 'Ω', 'Ж', '张'), fc.string({ maxLength: 199, unit: 'binary' }))
  .map(([l, s]) => l + s.replace(CONTROL, 'x'));
const offset = fc.integer({ min: -900, max: 900 });
const language = fc.constantFrom('nl', 'fr', 'de', 'en');
const partialDate = fc.constantFrom('1984', '1984-07', '1984-07-31');

const consent = (subjectRef: string) =>
  fc.record({
    recordId: uuid,
    subjectRef: fc.constant(subjectRef),
    party: fc.constantFrom('chain', 'registry'),
    controller: fc.record({ id: text(20), name: text(20), contact: text(20) }),
    purposes: fc.array(
      fc.record({ id: text(10), status: fc.constantFrom('given', 'refused', 'withdrawn', 'expired'), legalBasis: text(10) }),
      { minLength: 1, maxLength: 2 },
    ),
    dataCategories: fc.array(fc.record({ id: text(10), source: fc.constantFrom('eid-chip', 'self-declared', 'staff-paper') }), {
      maxLength: 2,
    }),
    notice: fc.record({ statementId: text(10), version: text(5), language, textSha256: fc.stringMatching(/^[0-9a-f]{64}$/) }),
    event: fc.record({
      at: instant,
      utcOffsetMinutes: offset,
      type: fc.constantFrom('given', 'refused', 'withdrawn', 'renewed'),
      method: fc.constantFrom('kiosk-eid', 'kiosk-manual', 'staff-paper'),
      storeId: text(10),
      kioskId: text(10),
    }),
    evidence: fc.record({ allUncheckedAtStart: fc.boolean(), controlsTouched: fc.array(text(20), { maxLength: 2 }) }),
    validity: fc.record({ reviewAt: instant, retention: text(5) }, { requiredKeys: ['retention'] }),
    withdrawal: fc.record({ methods: fc.array(text(10), { minLength: 1, maxLength: 2 }), asEasyAsGiving: fc.boolean() }),
  });

const person = fc.record(
  {
    surname: name,
    firstNames: name,
    language,
    address: fc.record(
      { street: text(200), postalCode: text(20), municipality: text(100), country: fc.constantFrom('BE', 'NL') },
      { requiredKeys: ['street', 'postalCode', 'municipality'] },
    ),
    birthDate: partialDate,
    sex: fc.constantFrom('M', 'F'),
    email: fc.stringMatching(/^[a-z0-9_+-]{1,8}(\.[a-z0-9_'+-]{0,8}[a-z0-9_+-])?@[a-z0-9][a-z0-9-]{0,8}\.[a-z]{2,6}$/),
    mobile: fc.stringMatching(/^\+[1-9]\d{6,14}$/),
  },
  { requiredKeys: ['surname', 'firstNames', 'language'] },
);

const enrollment = uuid.chain((enrollmentId) =>
  fc.record(
    {
      enrollmentId: fc.constant(enrollmentId),
      chainId: text(10),
      storeId: text(10),
      kioskId: text(10),
      source: fc.constantFrom('eid', 'manual', 'paper'),
      enrolledAt: instant,
      utcOffsetMinutes: offset,
      person,
      eidVerification: fc.record(
        { identity: fc.boolean(), address: fc.boolean(), photo: fc.boolean(), chain: fc.boolean(), cardValidUntil: partialDate },
        { requiredKeys: ['identity', 'address', 'photo', 'chain'] },
      ),
      consents: fc.array(consent(enrollmentId), { minLength: 1, maxLength: 2 }),
    },
    { requiredKeys: ['enrollmentId', 'chainId', 'storeId', 'kioskId', 'source', 'enrolledAt', 'utcOffsetMinutes', 'person', 'consents'] },
  ),
);

/** Near misses of every format the schemas use; each is valid for some fields and wrong for others. */
const EDGES = [
  '',
  ' ',
  'a',
  'BE',
  'B',
  'BEL',
  '😀',
  '😀'.repeat(200),
  '😀'.repeat(201),
  '\uD800'.repeat(2),
  '\uDC00\uD800',
  'x'.repeat(199) + '😀',
  'x'.repeat(200) + '\uD800',
  'x'.repeat(200),
  'x'.repeat(201),
  '2024-02-29T12:00:00Z',
  '2023-02-29T12:00:00Z',
  '2024-06-01T12:00:00.123456Z',
  '2024-06-01T12:00Z',
  '2024-06-01T12:00:00',
  '2024-06-01T12:00:00+01:00',
  '2024-06-01T12:00:00z',
  '2024-06-01 12:00:00Z',
  '2024-06-01T24:00:00Z',
  '+010000-01-01T00:00:00.000Z',
  '0190a6f2-7c1e-7b3a-8f00-1234567890ab',
  '0190A6F2-7C1E-7B3A-8F00-1234567890AB',
  '0190a6f2-7c1e-9b3a-8f00-1234567890ab',
  '0190a6f2-7c1e-7b3a-cf00-1234567890ab',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  '{0190a6f2-7c1e-7b3a-8f00-1234567890ab}',
  'urn:uuid:0190a6f2-7c1e-7b3a-8f00-1234567890ab',
  '0190a6f27c1e7b3a8f001234567890ab',
  'a@b.be',
  'a@b.c',
  'a.b@c.be',
  '.a@b.be',
  'a..b@c.be',
  'a.@b.be',
  "o'brien@example.be",
  'a+b@example.be',
  'a@-b.be',
  'a@b-.be',
  'a@b..be',
  'a@[127.0.0.1]',
  '"a b"@example.be',
  'émile@example.be',
  'a@exämple.be',
  'a@b.be\n',
  'a@b.be ',
  '+32470123456',
  '+3247012',
  '+324701',
  '+0470123456',
  '+123456789012345',
  '+1234567890123456',
  '0470123456',
  '+32 470 12 34 56',
  '1984',
  '1984-07',
  '1984-07-31',
  '1984-7',
  '84',
  '1984-07-31T00:00:00Z',
  '1984-13-45',
  '1984\n',
  'a'.repeat(64),
  'A'.repeat(64),
  'a'.repeat(63),
  'g'.repeat(64),
  'nl',
  'NL',
  'M',
  'm',
  'eid',
  'chain',
  'given',
  'kiosk-eid',
  'eid-chip',
];
const wrongValue = fc.oneof(
  fc.constantFrom(...EDGES),
  fc.constantFrom(null, undefined, true, 0, -0, 60, 60.5, -900, 900, -901, 901, NaN, Infinity, 1e21, [], {}, ['kiosk'], [{}]),
  fc.string(),
  fc.emailAddress(),
  fc.string({ unit: 'binary' }),
  fc.integer({ min: -2000, max: 2000 }),
  fc.double(),
  fc.object({ maxDepth: 1 }),
);
const unknownKey = fc.oneof(
  fc.constantFrom('nationalNumber', 'photo', 'cardNumber', 'chipNumber', 'constructor', 'toString'),
  fc.string({ minLength: 1 }),
);

type Node = Record<string, unknown> | unknown[];
type Path = readonly (string | number)[];

function pathsOf(value: unknown, at: Path = []): Path[] {
  if (typeof value !== 'object' || value === null) return [at];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return [at, ...keys.flatMap((k) => pathsOf((value as Record<string | number, unknown>)[k], [...at, k]))];
}

type Mutation = { kind: 'delete' } | { kind: 'set'; value: unknown } | { kind: 'add'; key: string; value: unknown };
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'delete' as const }),
  wrongValue.map((value) => ({ kind: 'set' as const, value })),
  fc.tuple(unknownKey, wrongValue).map(([key, value]) => ({ kind: 'add' as const, key, value })),
);

/** A copy of `value` with one change at `path` (a key it names need not exist yet). */
function mutateAt(value: unknown, path: Path, change: Mutation): unknown {
  const copy = structuredClone(value);
  const nodeAt = (p: Path) => p.reduce<unknown>((node, k) => (node as Node)[k as never], copy);
  if (change.kind === 'add') {
    const target = nodeAt(path);
    if (typeof target === 'object' && target !== null && !Array.isArray(target))
      (target as Record<string, unknown>)[change.key] = change.value;
    return copy;
  }
  if (path.length === 0) return change.kind === 'set' ? change.value : undefined;
  const parent = nodeAt(path.slice(0, -1)) as Node;
  const key = path[path.length - 1]!;
  if (change.kind === 'set') (parent as Record<string | number, unknown>)[key] = change.value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key as string];
  return copy;
}

/** The same, at the `pick`-th node of `value` in depth-first order. */
const mutate = (value: unknown, pick: number, change: Mutation) => {
  const paths = pathsOf(value);
  return mutateAt(value, paths[pick % paths.length]!, change);
};

const agrees = (schema: z.ZodType, ajv: (v: unknown) => boolean, value: unknown) =>
  expect(ajv(value)).toBe(schema.safeParse(value).success);

describe('the compiled wire check', () => {
  it('accepts every generated payload, as zod does', () => {
    fc.assert(
      fc.property(enrollment, (p) => {
        expect(EnrollmentPayload.safeParse(p).success).toBe(true);
        expect(ajvEnrollment(p)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it("gives zod's verdict on payloads changed at one random place", () => {
    fc.assert(
      fc.property(enrollment, fc.nat(), mutation, (p, pick, change) => {
        agrees(EnrollmentPayload, ajvEnrollment, mutate(p, pick, change));
      }),
      { numRuns: 500 },
    );
  });

  it("gives zod's verdict on consent records changed at one random place", () => {
    fc.assert(
      fc.property(enrollment, fc.nat(), mutation, (p, pick, change) => {
        agrees(ConsentRecord, ajvConsent, mutate(p.consents[0], pick, change));
      }),
      { numRuns: 300 },
    );
  });

  it("gives zod's verdict on every edge value in every field", () => {
    const [base] = fc.sample(enrollment, { numRuns: 1, seed: 7 });
    const paths = pathsOf(base);
    for (let pick = 0; pick < paths.length; pick++) {
      for (const value of [...EDGES, null, undefined, 1.5, NaN])
        agrees(EnrollmentPayload, ajvEnrollment, mutate(base, pick, { kind: 'set', value }));
      agrees(EnrollmentPayload, ajvEnrollment, mutate(base, pick, { kind: 'delete' }));
      agrees(EnrollmentPayload, ajvEnrollment, mutate(base, pick, { kind: 'add', key: 'nationalNumber', value: '85073100123' }));
    }
  });

  it('holds the documented edges: no offsets, no unknown keys, uuid v7, E.164, lengths in code points', () => {
    const [base] = fc.sample(enrollment, { numRuns: 1, seed: 7 });
    const at = (path: Path, value: unknown) => {
      const changed = mutateAt(base, path, { kind: 'set', value });
      const verdict = ajvEnrollment(changed);
      expect(verdict).toBe(EnrollmentPayload.safeParse(changed).success);
      return verdict;
    };
    expect(at(['enrolledAt'], '2024-06-01T12:00:00.000Z')).toBe(true);
    expect(at(['enrolledAt'], '2024-06-01T12:00:00+01:00')).toBe(false);
    expect(at(['enrollmentId'], '0190a6f2-7c1e-7b3a-8f00-1234567890ab')).toBe(true);
    expect(at(['enrollmentId'], 'urn:uuid:0190a6f2-7c1e-7b3a-8f00-1234567890ab')).toBe(false);
    expect(at(['person', 'email'], 'first.last+tag@example.be')).toBe(true);
    expect(at(['person', 'email'], 'a..b@example.be')).toBe(false);
    expect(at(['person', 'email'], `${'a'.repeat(250)}@b.be`)).toBe(false);
    expect(at(['person', 'mobile'], '+32470123456')).toBe(true);
    expect(at(['person', 'mobile'], '0470123456')).toBe(false);
    expect(at(['person', 'surname'], `é${'😀'.repeat(199)}`)).toBe(true);
    expect(at(['person', 'surname'], `é${'😀'.repeat(200)}`)).toBe(false);
    expect(at(['person', 'surname'], '😀'.repeat(3))).toBe(false);
    expect(at(['person', 'surname'], ' - ')).toBe(false);
    expect(at(['person', 'surname'], 'Pee\u0000ters')).toBe(false);
    expect(at(['consents', 0, 'controller', 'name'], 'Chain\u202e')).toBe(false);
    expect(
      at(
        ['consents'],
        Array.from({ length: 5 }, () => base?.consents[0]),
      ),
    ).toBe(false);
    expect(at(['utcOffsetMinutes'], 901)).toBe(false);
    expect(at(['consents'], [])).toBe(false);
    expect(at(['person', 'nationalNumber'], '85073100123')).toBe(false);
  });
});

describe('compiledValidator', () => {
  const check = compiledValidator(EnrollmentPayload);

  it("returns a valid payload as it is, and zod's first issue for an invalid one", () => {
    fc.assert(
      fc.property(enrollment, fc.nat(), mutation, (p, pick, change) => {
        expect(check(p)).toEqual({ ok: true, value: p });
        const changed = mutate(p, pick, change);
        const result = check(changed);
        const zod = EnrollmentPayload.safeParse(changed);
        expect(result.ok).toBe(zod.success);
        if (!result.ok && !zod.success) expect(describeIssues(result.error.issues)).toBe(describeIssues(zod.error.issues));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a schema that transforms or defaults, since it returns its input unchanged', () => {
    expect(() => compiledValidator(z.strictObject({ a: z.string().default('x') }))({ a: 'y' })).toThrow(/transforms/);
    expect(() => compiledValidator(z.string().transform((s) => s.length))('y')).toThrow();
  });
});
