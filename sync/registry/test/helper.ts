// Shared by the registry's integration tests: an app over a fresh store (SQLite or PostgreSQL),
// a controllable clock, provisioned kiosks, and builders for valid wire items.
import { randomUUID } from 'node:crypto';
import { bundledStatements } from '../../consent/statements.js';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { BatchResponse, ConsentRecord, EnrollmentPayload, ItemResult, Person, WireItem } from '../../wire/schemas.js';
import type { FeedResponse } from '../../wire/registry-api.js';
import { buildApp } from '../app.js';
import { provisionKiosk } from '../provisioning.js';
import type { RegistryStore } from '../store.js';
import { freshStore, type DatabaseReader, type TestEngine } from '../../test/fixtures/registry.js';

export const ENGINES: TestEngine[] = ['sqlite', 'postgres'];

export interface Kiosk {
  kioskId: string;
  chainId: string;
  storeId: string;
  token: string;
}

export interface TestEnv {
  app: FastifyInstance;
  store: RegistryStore;
  /** The same database read directly, for what the registry never serves. */
  reader: DatabaseReader;
  /** Moves the registry clock forward. */
  advance(ms: number): void;
  now(): Date;
  kiosk(kioskId: string, chainId: string, storeId?: string): Promise<Kiosk>;
  dispose(): Promise<void>;
}

export async function testEnv(engine: TestEngine): Promise<TestEnv> {
  const { store, reader, dispose } = await freshStore(engine);
  let t = Date.parse('2025-03-01T10:00:00.000Z');
  const now = (): Date => new Date(t);
  const app = buildApp({ store, now });
  await app.ready();
  return {
    app,
    store,
    reader,
    now,
    advance: (ms) => {
      t += ms;
    },
    kiosk: async (kioskId, chainId, storeId = `${chainId}-store-1`) => ({
      kioskId,
      chainId,
      storeId,
      token: await provisionKiosk(store, { kioskId, chainId, storeId }, now()),
    }),
    dispose: async () => {
      await app.close();
      await dispose();
    },
  };
}

/** A fresh registry with one kiosk of chain A and one of chain B. */
export async function twoChains(engine: TestEngine): Promise<{ env: TestEnv; a: Kiosk; b: Kiosk }> {
  const env = await testEnv(engine);
  return { env, a: await env.kiosk('kiosk-a', 'chain-a'), b: await env.kiosk('kiosk-b', 'chain-b') };
}

let sequence = 0;

export interface ConsentOptions {
  subjectRef: string;
  party: 'chain' | 'registry';
  kiosk: Pick<Kiosk, 'kioskId' | 'chainId' | 'storeId'>;
  status?: 'given' | 'refused' | 'withdrawn';
  purposes?: string[];
  at?: string;
}

/** The notice of the party's current published statement (the registry rejects any other). */
export function publishedNotice(party: 'chain' | 'registry'): ConsentRecord['notice'] {
  const s = bundledStatements().current(party, 'nl');
  return { statementId: s.id, version: s.version, language: s.language, textSha256: s.textSha256 };
}

export const VERIFIED = { identity: true, address: true, photo: true, chain: true } as const;

export function consentRecord(o: ConsentOptions): ConsentRecord {
  const status = o.status ?? 'given';
  return {
    recordId: randomUUID(),
    subjectRef: o.subjectRef,
    party: o.party,
    controller:
      o.party === 'chain'
        ? { id: o.kiosk.chainId, name: `Chain ${o.kiosk.chainId}`, contact: 'dpo@chain.example' }
        : { id: 'registry', name: 'Consumer Registry', contact: 'dpo@registry.example' },
    purposes: (o.purposes ?? (o.party === 'chain' ? ['loyalty', 'offers-email'] : ['profile-sync'])).map((id) => ({
      id,
      status,
      legalBasis: 'consent',
    })),
    dataCategories: [{ id: 'name', source: 'eid-chip' }],
    notice: publishedNotice(o.party),
    event: {
      at: o.at ?? '2025-03-01T09:00:00.000Z',
      utcOffsetMinutes: 60,
      type: status === 'refused' ? 'refused' : status === 'withdrawn' ? 'withdrawn' : 'given',
      method: 'kiosk-eid',
      storeId: o.kiosk.storeId,
      kioskId: o.kiosk.kioskId,
    },
    evidence: { allUncheckedAtStart: true, controlsTouched: [] },
    validity: { retention: 'P3Y' },
    withdrawal: { methods: ['kiosk', 'email'], asEasyAsGiving: true },
  };
}

export interface EnrollmentOptions {
  person?: Partial<Person>;
  /** The registry consent's status in this enrollment; none when undefined. */
  registry?: 'given' | 'refused';
  at?: string;
  /** 'eid' (the default) comes with every verification passed unless `eidVerification` says otherwise. */
  source?: 'eid' | 'manual' | 'paper';
  eidVerification?: EnrollmentPayload['eidVerification'];
  registryMatch?: EnrollmentPayload['registryMatch'];
}

export const EMILE: Person = {
  surname: 'Dupont-Lefèvre',
  firstNames: 'Émile',
  language: 'fr',
  birthDate: '1980-05-02',
  address: { street: 'Rue Haute 1', postalCode: '1000', municipality: 'Bruxelles', country: 'BE' },
  email: 'emile@example.be',
};

export function enrollmentItem(kiosk: Kiosk, o: EnrollmentOptions = {}): Extract<WireItem, { kind: 'enrollment' }> {
  const enrollmentId = randomUUID();
  const at = o.at ?? '2025-03-01T09:00:00.000Z';
  const consents = [consentRecord({ subjectRef: enrollmentId, party: 'chain', kiosk, at })];
  if (o.registry) consents.push(consentRecord({ subjectRef: enrollmentId, party: 'registry', kiosk, status: o.registry, at }));
  const source = o.source ?? 'eid';
  const eidVerification = 'eidVerification' in o ? o.eidVerification : source === 'eid' ? VERIFIED : undefined;
  return {
    kind: 'enrollment',
    idempotencyKey: randomUUID(),
    sequence: ++sequence,
    createdAt: at,
    payload: {
      enrollmentId,
      chainId: kiosk.chainId,
      storeId: kiosk.storeId,
      kioskId: kiosk.kioskId,
      source,
      enrolledAt: at,
      utcOffsetMinutes: 60,
      person: withoutUndefined({ ...EMILE, ...o.person }),
      ...(eidVerification && { eidVerification }),
      ...(o.registryMatch && { registryMatch: o.registryMatch }),
      consents,
    },
  };
}

/** `{ ...EMILE, birthDate: undefined }` means "no birth date": the key goes, as on the wire. */
function withoutUndefined(person: Person): Person {
  return Object.fromEntries(Object.entries(person).filter(([, v]) => v !== undefined)) as Person;
}

export function consentEventItem(kiosk: Kiosk, consent: ConsentRecord): Extract<WireItem, { kind: 'consent-event' }> {
  return { kind: 'consent-event', idempotencyKey: randomUUID(), sequence: ++sequence, createdAt: consent.event.at, payload: { consent } };
}

export function postBatch(env: TestEnv, kiosk: Kiosk, items: unknown[], token = kiosk.token): Promise<LightMyRequestResponse> {
  return env.app.inject({
    method: 'POST',
    url: '/v1/batches',
    headers: { authorization: `Bearer ${token}` },
    payload: { kioskId: kiosk.kioskId, sentAt: env.now().toISOString(), items },
  });
}

/** Posts items and expects every one accepted. */
export async function send(env: TestEnv, kiosk: Kiosk, ...items: unknown[]): Promise<ItemResult[]> {
  const res = await postBatch(env, kiosk, items);
  if (res.statusCode !== 200) throw new Error(`batch answered ${res.statusCode}: ${res.body}`);
  const results = res.json<BatchResponse>().results;
  const bad = results.filter((r) => r.status !== 'accepted');
  if (bad.length > 0) throw new Error(`items not accepted: ${JSON.stringify(bad)}`);
  return results;
}

export async function feed(env: TestEnv, kiosk: Kiosk, query = ''): Promise<FeedResponse> {
  const res = await env.app.inject({ method: 'GET', url: `/v1/feed${query}`, headers: { authorization: `Bearer ${kiosk.token}` } });
  if (res.statusCode !== 200) throw new Error(`feed answered ${res.statusCode}: ${res.body}`);
  return res.json<FeedResponse>();
}

export function postJson(env: TestEnv, kiosk: Kiosk, url: string, payload: object): Promise<LightMyRequestResponse> {
  return env.app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${kiosk.token}` }, payload });
}
