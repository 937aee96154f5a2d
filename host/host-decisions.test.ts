// Issue 14, "nothing leaves before its decision": every request the reference registry receives
// during an eID enrollment (real pcscd, a virtual card in "Virtual PCD 00 00") and a form enrollment
// is recorded by a proxy in front of it. Before the customer's decision on the chain's screen, only
// the chain-scoped returning-customer check may carry anything about them; before the decision on
// the registry's screen, nothing registry-scoped leaves at all. A "no" to everything sends nothing.
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { eject, insert, profile, trustFor, usePcscd } from '../card-reader/test/support.js';
import type { VirtualCard } from '../card-reader/virtual/vpcd-card.js';
import { startRegistry, type TestRegistry } from '../registry/test/fixtures/registry.js';
import { SyncClient } from '../sync/client/sync-client.js';
import { storeTransport } from '../sync/client/compose-sync.js';
import { SqliteOutbox } from '../sync/outbox/sqlite-outbox.js';
import { countByState } from '../sync/store/outbox-items.js';
import { startFaultProxy, type FaultProxy } from '../sync/test/fixtures/fault-proxy.js';
import type { CardEvent, StatementScreen } from '../api/contract.js';
import { RegistryDesk } from './registry-desk.js';
import { answers, CONFIG, testHost, type TestHost } from './test-support.js';

const READER = 'Virtual PCD 00 00';
const pcsc = usePcscd();
let registry: TestRegistry;
let proxy: FaultProxy;
let token: string;
let desk: RegistryDesk;
let t: TestHost | undefined;
let card: VirtualCard | undefined;
/** Where this test's requests start in the proxy's record. */
let from: number;

beforeAll(async () => {
  registry = await startRegistry({ db: 'sqlite' });
  token = await registry.provisionKiosk(CONFIG.kioskId, CONFIG.chainId, CONFIG.storeId);
  proxy = await startFaultProxy(registry.url);
  desk = new RegistryDesk({ registryUrl: proxy.url, token });
});
beforeEach(() => {
  from = proxy.received.length;
});
afterEach(async () => {
  t?.dispose();
  t = undefined;
  if (card) await eject(pcsc.session(), card);
  card = undefined;
});
afterAll(async () => {
  await desk.close();
  await proxy.close();
  await registry.close();
});

/** Field names of personal data on the wire, and the values this customer gave or their card holds. */
const PERSONAL_KEYS = /"(surname|firstNames|birthDate|email|mobile|address|street|postalCode|municipality)"/;
const carries = (body: string, values: readonly string[]): boolean => PERSONAL_KEYS.test(body) || values.some((v) => body.includes(v));

const isChainLookup = (request: string, body: string): boolean =>
  request === 'POST /v1/consents/lookup' && (JSON.parse(body) as { scope?: string }).scope === 'chain';

/** Where the decisions fell in the proxy's record: requests before these indexes came before them. */
interface Marks {
  chain: number;
  registry: number;
}

/** The requests that broke the rule, in words (an empty list passes). */
function leaks(values: readonly string[], marks: Marks): string[] {
  return proxy.received.flatMap(({ request, body }, i) => {
    if (i < from) return [];
    const chainScoped = isChainLookup(request, body);
    if (i < marks.chain && carries(body, values) && !chainScoped) return [`before the chain decision: ${request}`];
    if (i < marks.registry && !chainScoped && !request.startsWith('GET ')) return [`before the registry decision: ${request}`];
    return [];
  });
}

async function decide(party: 'chain' | 'registry', yes: string[]): Promise<unknown> {
  const screen = await t!.ok<StatementScreen>('statement.get', { party });
  return t!.ok('consent.decide', { party, decisions: answers(screen.purposes, yes), controlsTouched: ['confirm'] });
}

/** Both decisions, each marked in the proxy's record just before it is taken. */
async function decideBoth(chain: string[], registryYes: string[]): Promise<Marks> {
  const marks = { chain: proxy.received.length, registry: Number.POSITIVE_INFINITY };
  const answer = await decide('chain', chain);
  marks.registry = proxy.received.length;
  if (!(answer as { keepsNothing?: boolean }).keepsNothing) await decide('registry', registryYes);
  return marks;
}

/** The kiosk's sync client run until its queue is empty: what the registry gets after the commit. */
async function syncAll(): Promise<void> {
  const sync = new SyncClient({
    outbox: new SqliteOutbox(t!.store),
    transport: storeTransport(t!.store, { registryUrl: proxy.url, token }),
    kioskId: CONFIG.kioskId,
  });
  sync.start();
  try {
    sync.notify();
    for (let i = 0; i < 100 && countByState(t!.store.db).pending + countByState(t!.store.db).sending > 0; i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(countByState(t!.store.db)).toMatchObject({ pending: 0, sending: 0 });
  } finally {
    await sync.stop();
  }
}

/** Commits and syncs, then: one chain-scoped check, nothing early, and the enrollment sent after both decisions. */
async function committedAndSent(values: readonly string[], marks: Marks): Promise<void> {
  await t!.ok('enrollment.commit');
  await syncAll();
  expect(leaks(values, marks)).toEqual([]);
  const seen = proxy.received.slice(from);
  expect(seen.filter((r) => isChainLookup(r.request, r.body))).toHaveLength(1);
  expect(seen.some((r) => r.request === 'POST /v1/batches' && carries(r.body, values))).toBe(true);
}

const FORM = { surname: 'Vermeulen', firstNames: 'Jana', email: 'jana.vermeulen@example.be', mobile: '0475 11 22 33' };
const FORM_VALUES = [FORM.surname, FORM.firstNames, FORM.email, '475112233'];

async function form(): Promise<void> {
  t = testHost({ desk });
  await t.ok('session.start', { language: 'nl', intent: 'enroll' });
  await t.ok('card.decline');
  await t.ok('manual.submit', FORM);
}

describe('what the registry receives, and when', () => {
  it('a form enrollment: the chain-scoped check before the chain decision, the enrollment after both', async () => {
    await form();
    const marks = await decideBoth(['loyalty'], ['profile-sync']);
    await committedAndSent(FORM_VALUES, marks);
  });

  it('an eID enrollment: the card read and the check reach only the chain file before the decisions', async () => {
    const p = await profile('applet17-rsa');
    t = testHost({ pcsc: pcsc.session(), trust: trustFor(p), config: { reader: READER }, desk });
    await t.ok('session.start', { language: 'fr', intent: 'enroll' });
    card = await insert(pcsc.session(), { files: p.files, basicPrivateKey: p.basicPrivateKey, slot: 0 });
    const shown = new Promise<CardEvent[]>((resolve) => {
      const seen: CardEvent[] = [];
      const off = t!.host.on('card', (event) => {
        seen.push(event);
        if (event.phase === 'verified' || event.phase === 'error') {
          off();
          resolve(seen);
        }
      });
    });
    await t.ok('card.allowRead', { controlsTouched: ['read-my-eid'] });
    const events = await shown;
    expect(events.at(-1)).toMatchObject({ phase: 'verified', genuine: true });
    const identity = events.find((e) => e.phase === 'identity');
    const who = identity?.phase === 'identity' ? identity.identity : undefined;
    const values = [who?.surname ?? '', who?.firstNames ?? '', who?.address?.street ?? ''].filter(Boolean);
    expect(values).toHaveLength(3);
    await t.ok('staff.confirm', { code: t.staffCodes.add('Sofie').code });
    const marks = await decideBoth(['loyalty'], ['profile-sync']);
    await t.ok('contact.submit', { email: 'lecteur@example.be' });
    await committedAndSent(values, marks);
  });

  it('a "no" to everything: nothing about the customer after the check, and no enrollment', async () => {
    const before = (await registry.stats()).enrollments;
    await form();
    const marks = await decideBoth([], []);
    expect(await t!.ok('enrollment.commit')).toEqual({ kept: false });
    await syncAll();
    expect(leaks(FORM_VALUES, marks)).toEqual([]);
    expect(proxy.received.slice(marks.chain).filter((r) => carries(r.body, FORM_VALUES))).toEqual([]);
    expect((await registry.stats()).enrollments).toBe(before);
  });
});
