// Issue 14: what the enrollment payload carries to the registry is what the current statements
// declare. Every field of the wire payload is mapped here to what it is kept as, and for whom; the
// payloads the kiosk really queues (../store/registry-match.ts) are checked against the inventories
// of the current chain and registry statements; and every retention rule an inventory names is one
// RETENTION_RULES enforces with a purge.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { DEFAULT_POLICY, type ChainPolicy } from '../store/policy.js';
import { queuedEnrollment } from '../store/registry-match.js';
import { EnrollmentPayload } from '../wire/schemas.js';
import { newWithdrawalCode } from '../wire/withdrawal-code.js';
import { context } from '../test/fixtures/statements.js';
import { notInInventory, type Inventories, type Kept } from '../test/fixtures/inventory.js';
import { buildConsentRecord } from './records.js';
import { RETENTION_RULES } from './retention.js';
import { inventoryProblems, type InventoryEntry } from './statement-format.js';
import { currentStatement, type Party } from './statements.js';

const chainFile = (category: Kept['category']): Kept[] => [{ party: 'chain', category, keptAs: 'plain', viaRegistry: true }];
const visit = chainFile('visits');
const eidChecks = chainFile('eidChecks');

/** Every field the wire payload can carry, and what it is kept as by the registry, for whom. */
const PAYLOAD_FIELDS: Record<string, Kept[]> = {
  enrollmentId: visit,
  chainId: visit,
  storeId: visit,
  kioskId: visit,
  source: visit,
  enrolledAt: visit,
  utcOffsetMinutes: visit,
  // The chain's customer file, kept by the registry as its processor; the registry's own profile
  // uses the same fields only under its own consent (its inventory says so).
  'person.surname': chainFile('surname'),
  'person.firstNames': chainFile('firstNames'),
  'person.language': chainFile('language'),
  'person.address.street': chainFile('address'),
  'person.address.postalCode': chainFile('address'),
  'person.address.municipality': chainFile('address'),
  'person.address.country': chainFile('address'),
  'person.birthDate': chainFile('birthDate'),
  'person.sex': chainFile('sex'),
  'person.email': chainFile('email'),
  'person.mobile': chainFile('mobile'),
  'eidVerification.identity': eidChecks,
  'eidVerification.address': eidChecks,
  'eidVerification.photo': eidChecks,
  'eidVerification.chain': eidChecks,
  'eidVerification.cardValidUntil': eidChecks,
  'registryMatch.birthDate': [{ party: 'registry', category: 'birthDate', keptAs: 'keyed-digest' }],
  'chainMatch.birthDate': [{ party: 'chain', category: 'birthDate', keptAs: 'keyed-digest', viaRegistry: true }],
  'chainMatch.withdrawalCode': [{ party: 'chain', category: 'withdrawalCode', keptAs: 'keyed-digest', viaRegistry: true }],
  // The customer's request for a confirmation of their choices by e-mail, sent to the address of the
  // chain's file (queued by the registry as its processor, dropped once sent).
  confirmationEmail: [{ party: 'chain', category: 'email', keptAs: 'plain', viaRegistry: true }],
  consents: [
    { party: 'chain', category: 'consentProof', keptAs: 'plain', viaRegistry: true },
    { party: 'registry', category: 'consentProof', keptAs: 'plain' },
  ],
  // The kiosk's signature over each record (issue #16): the same record, signed; part of its proof.
  signatures: [
    { party: 'chain', category: 'consentProof', keptAs: 'plain', viaRegistry: true },
    { party: 'registry', category: 'consentProof', keptAs: 'plain' },
  ],
};

/** The leaf fields of a schema: what a payload may carry (the consent records are one item, the proof). */
function schemaFields(schema: z.ZodType, prefix = ''): string[] {
  if (schema instanceof z.ZodOptional) return schemaFields(schema.unwrap() as z.ZodType, prefix);
  if (schema instanceof z.ZodObject && prefix !== 'consents') {
    return Object.entries(schema.shape as Record<string, z.ZodType>).flatMap(([k, v]) => schemaFields(v, prefix ? `${prefix}.${k}` : k));
  }
  return [prefix];
}

/** The leaf fields a payload does carry. */
function sentFields(value: unknown, prefix = ''): string[] {
  if (prefix === 'consents' || value === null || typeof value !== 'object') return [prefix];
  return Object.entries(value).flatMap(([k, v]) => sentFields(v, prefix ? `${prefix}.${k}` : k));
}

const currentInventories = (): Inventories => ({
  chain: currentStatement('chain', 'en').inventory,
  registry: currentStatement('registry', 'en').inventory,
});

const SUBJECT = '11111111-2222-4333-8444-555555555555';
const record = (party: Party, given: boolean) => {
  const statement = currentStatement(party, 'en');
  return buildConsentRecord({
    ...context(),
    party,
    statement,
    decisions: Object.fromEntries(statement.purposes.map((p) => [p.id, given])),
    subjectRef: SUBJECT,
    dataCategories: [{ id: 'surname', source: 'eid-chip' }],
  });
};

/** The payload the kiosk queues for an eID-verified read (the person as read, before the policy). */
function queued(answers: { chain: boolean; registry: boolean }, policy: ChainPolicy = DEFAULT_POLICY): EnrollmentPayload {
  const full = EnrollmentPayload.parse({
    enrollmentId: SUBJECT,
    chainId: 'demo-retail',
    storeId: 'store-gent-01',
    kioskId: 'kiosk-07',
    source: 'eid',
    enrolledAt: '2025-03-12T13:03:00.000Z',
    utcOffsetMinutes: 60,
    person: {
      surname: 'Peeters',
      firstNames: 'Jan',
      language: 'nl',
      address: { street: 'Veldstraat 1', postalCode: '9000', municipality: 'Gent', country: 'BE' },
      birthDate: '1980-05-17',
      sex: 'M',
      email: 'jan@example.be',
      mobile: '+32470123456',
    },
    eidVerification: { identity: true, address: true, photo: true, chain: true, cardValidUntil: '2030-01-01' },
    consents: [record('chain', answers.chain), record('registry', answers.registry)],
  });
  return queuedEnrollment(full, policy, newWithdrawalCode());
}

const ANSWERS = [
  { chain: true, registry: true },
  { chain: true, registry: false },
  { chain: false, registry: true },
  { chain: false, registry: false },
];

function missingFor(payload: EnrollmentPayload, inventories: Inventories): string[] {
  const fields = sentFields(payload);
  const unmapped = fields.filter((f) => PAYLOAD_FIELDS[f] === undefined).map((f) => `${f}: not mapped`);
  return [
    ...unmapped,
    ...notInInventory(
      fields.map((f) => [f, PAYLOAD_FIELDS[f] ?? []] as const),
      inventories,
    ),
  ];
}

describe('the enrollment payload and the inventories of the current statements', () => {
  it('maps every field the wire schema allows', () => {
    expect(schemaFields(EnrollmentPayload).sort()).toEqual(Object.keys(PAYLOAD_FIELDS).sort());
  });

  it('finds every field the kiosk sends, whatever the answers, in the inventory of the party it is kept for', () => {
    for (const answers of ANSWERS) {
      const payload = queued(answers);
      expect(missingFor(payload, currentInventories()), JSON.stringify(answers)).toEqual([]);
    }
    // The keys that need a given consent do travel with one, so the check above saw them.
    expect(sentFields(queued({ chain: true, registry: true }))).toEqual(
      expect.arrayContaining(['registryMatch.birthDate', 'chainMatch.birthDate', 'chainMatch.withdrawalCode']),
    );
  });

  it('reports a field an inventory lacks, and a field a wider policy would send that the statement does not declare', () => {
    const { chain, registry } = currentInventories();
    const withoutCode = { chain: chain.filter((e) => e.category !== 'withdrawalCode'), registry };
    expect(missingFor(queued({ chain: true, registry: false }), withoutCode)).toEqual([
      'chainMatch.withdrawalCode: chain withdrawalCode keyed-digest via the registry as processor',
    ]);
    const plainBirthDate = { chain, registry: registry.filter((e) => !(e.category === 'birthDate' && e.keptAs === 'keyed-digest')) };
    expect(missingFor(queued({ chain: true, registry: true }), plainBirthDate)).toEqual([
      'registryMatch.birthDate: registry birthDate keyed-digest',
    ]);
    const keepsSex: ChainPolicy = { keep: { ...DEFAULT_POLICY.keep, sex: true } };
    expect(missingFor(queued({ chain: true, registry: false }, keepsSex), currentInventories())).toEqual([
      'person.sex: chain sex plain via the registry as processor',
    ]);
  });
});

describe('the retention an inventory names', () => {
  it('is a rule of RETENTION_RULES, whose purge enforces it (registry/test/retention.test.ts runs each purge)', () => {
    for (const party of ['chain', 'registry'] as const) {
      const s = currentStatement(party, 'en');
      expect(inventoryProblems({ ...s, dataCategories: [] })).toEqual([]);
      for (const e of s.inventory) {
        for (const purge of e.retention) expect(RETENTION_RULES.find((r) => r.party === party && r.purge === purge)?.purge).toBe(purge);
      }
    }
  });

  it('reports a rule that does not exist, or not for that party, and a kept item without one', () => {
    const email: Omit<InventoryEntry, 'retention'> = {
      category: 'email',
      sources: ['self-declared'],
      party: 'chain',
      keptAs: 'plain',
      recipients: [],
    };
    const inventory: InventoryEntry[] = [
      { ...email, retention: ['forever'] },
      { ...email, retention: ['registry-data-inactive'] },
      { ...email, retention: [] },
    ];
    expect(inventoryProblems({ party: 'chain', dataCategories: [], inventory })).toEqual([
      'inventory email (plain) names retention forever, which RETENTION_RULES has not for the chain',
      'inventory email (plain) names retention registry-data-inactive, which RETENTION_RULES has not for the chain',
      'inventory email (plain) needs a retention rule exactly when it is kept',
    ]);
  });
});
