// The host against the reference registry on loopback (SQLite): an enrollment synced by the sync
// client, "my consents" by the manual details (lookup, one-touch withdrawal, erasure where offered),
// and a returning customer asked again when the chain's statement has a new version.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadStatements } from '../sync/consent/statements.js';
import { startRegistry, type TestRegistry } from '../registry/test/fixtures/registry.js';
import type { ConsentOverview, ManualPerson, Receipt, Result, StatementScreen } from '../api/contract.js';
import { composeHost, type ComposedHost } from './compose.js';
import { CONFIG, answers } from './test-support.js';
import { copyStatements, type StatementsCopy } from '../sync/test/fixtures/statements.js';

let registry: TestRegistry;
let token: string;
let dir: string;
const hosts: ComposedHost[] = [];
/** resources/consent plus the next version of the chain's statement, published to the registry first. */
let withNext: StatementsCopy;
let nextVersion: string;

beforeAll(async () => {
  withNext = copyStatements();
  const next = withNext.next('chain');
  nextVersion = next.version;
  withNext.publish({ ...next, text: { ...next.text, en: { ...next.text.en, title: `${next.text.en.title} (${next.version})` } } });
  registry = await startRegistry({ db: 'sqlite', statements: loadStatements(withNext.dir) });
  token = await registry.provisionKiosk(CONFIG.kioskId, CONFIG.chainId, CONFIG.storeId);
  dir = mkdtempSync(join(tmpdir(), 'kiosk-registry-'));
});
afterAll(async () => {
  for (const h of hosts) await h.close();
  await registry.close();
  rmSync(dir, { recursive: true, force: true });
  withNext.remove();
});

async function start(name: string, statementsDir?: string): Promise<ComposedHost> {
  const composed = await composeHost({
    config: CONFIG,
    dbPath: join(dir, `${name}.db`),
    dbKey: randomBytes(32),
    pinFile: join(dir, `${name}-pin.json`),
    registry: { url: registry.url, token },
    ...(statementsDir ? { statementsDir } : {}),
  });
  hosts.push(composed);
  return composed;
}

async function ok<T>(h: ComposedHost, name: string, input: unknown = {}): Promise<T> {
  const r = (await h.host.call(name, input)) as Result<T>;
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
}

const CUSTOMER = { surname: 'Janssens', firstNames: 'Lotte', email: 'lotte.janssens@example.be' };

async function enrollManually(
  h: ComposedHost,
  yes: { chain: string[]; registry: string[] },
  customer: ManualPerson = CUSTOMER,
): Promise<{ reconsent: string[]; screens: StatementScreen[] }> {
  await ok(h, 'session.start', { language: 'nl', intent: 'enroll' });
  await ok(h, 'card.decline');
  const { reconsent } = await ok<{ reconsent: string[] }>(h, 'manual.submit', customer);
  const screens: StatementScreen[] = [];
  for (const party of reconsent.length > 0 ? reconsent : ['chain', 'registry']) {
    const screen = await ok<StatementScreen>(h, 'statement.get', { party });
    screens.push(screen);
    await ok(h, 'consent.decide', { party, decisions: answers(screen.purposes, yes[party as 'chain' | 'registry']), controlsTouched: [] });
  }
  await ok<Receipt>(h, 'enrollment.commit');
  await ok(h, 'session.end', { reason: 'done' });
  return { reconsent, screens };
}

/** Waits until the registry holds `more` enrollments beyond `from` (an erasure may lower the count). */
async function synced(more: number, from = 0): Promise<void> {
  for (let i = 0; i < 100 && (await registry.stats()).enrollments < from + more; i++) await new Promise((r) => setTimeout(r, 100));
  expect((await registry.stats()).enrollments).toBe(from + more);
}

describe('the host with the registry', () => {
  it('syncs an enrollment, then shows, withdraws and (where offered) erases through "my consents"', async () => {
    const h = await start('kiosk-a');
    const syncEvents: unknown[] = [];
    h.host.on('sync', (e) => syncEvents.push(e));
    const first = await enrollManually(h, { chain: ['loyalty', 'offers-email'], registry: ['profile-sync'] });
    expect(first.reconsent).toEqual([]); // a new customer
    await synced(1);
    // The sync client's status reaches the renderer as `sync` events: queued, then sent.
    for (let i = 0; i < 50 && !syncEvents.some((e) => JSON.stringify(e) === '{"online":true,"pending":0}'); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(syncEvents).toContainEqual({ online: false, pending: 1 });
    expect(syncEvents).toContainEqual({ online: true, pending: 0 });

    await ok(h, 'session.start', { language: 'en', intent: 'my-consents' });
    await ok(h, 'card.decline');
    await ok(h, 'manual.submit', CUSTOMER);
    const overview = await ok<ConsentOverview>(h, 'myConsents.lookup');
    expect(overview.chain.map((p) => `${p.id}:${p.status}`)).toEqual(expect.arrayContaining(['loyalty:given', 'offers-email:given']));
    expect(overview.chain.find((p) => p.id === 'loyalty')?.title).toBe('Loyalty account and benefits');
    expect(overview.registry.map((p) => `${p.id}:${p.status}`)).toEqual(['profile-sync:given']);

    const after = await ok<ConsentOverview>(h, 'myConsents.withdraw', { party: 'chain', purposes: ['offers-email'] });
    expect(after.chain.find((p) => p.id === 'offers-email')?.status).toBe('withdrawn');
    expect(after.chain.find((p) => p.id === 'loyalty')?.status).toBe('given');

    // Erasure on typed details: offered or not, the answer agrees with what the overview said, and
    // where offered it first needs the one-time code sent to the address on file.
    const erase = (await h.host.call('myConsents.erase', {})) as Result<unknown>;
    expect(erase.ok ? 'erased' : erase.error.code).toBe(after.erasureOffered ? 'PROOF_REQUIRED' : 'NOT_FOUND');
    await ok(h, 'session.end', { reason: 'done' });
  });

  it('someone the registry does not know gets NOT_FOUND', async () => {
    const h = hosts[0]!;
    await ok(h, 'session.start', { language: 'en', intent: 'my-consents' });
    await ok(h, 'card.decline');
    await ok(h, 'manual.submit', { surname: 'Nobody', firstNames: 'Known', email: 'nobody@example.be' });
    const r = (await h.host.call('myConsents.lookup', {})) as Result<unknown>;
    expect(r).toEqual({ ok: false, error: { code: 'NOT_FOUND' } });
  });

  it('asks a returning customer again, for the chain only, when its statement has a new version', async () => {
    // The first test's customer asked to be erased: this one enrolls under version 1 first.
    const returning = { surname: 'Claes', firstNames: 'Mila', mobile: '+32470123456' };
    const before = (await registry.stats()).enrollments;
    expect((await enrollManually(hosts[0]!, { chain: ['loyalty'], registry: [] }, returning)).reconsent).toEqual([]);
    await synced(1, before);
    const h = await start('kiosk-b', withNext.dir);
    const again = await enrollManually(h, { chain: ['loyalty'], registry: [] }, returning);
    expect(again.reconsent).toEqual(['chain']);
    expect(again.screens.map((s) => [s.party, s.version, s.reconsent])).toEqual([['chain', nextVersion, true]]);
    await synced(2, before);
  });
});
