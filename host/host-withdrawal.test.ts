// A withdrawal from "my consents" is queued like an enrollment: with the registry down it is still
// committed at once (a consent event in the outbox), and the sync client delivers it once the
// registry is back, after which the registry's own lookup shows the purpose withdrawn. Everyone who
// gave a chain consent finds it again at this chain's kiosks: by the receipt's withdrawal code with
// their name (a form with a name only), or by their eID after a "no" to the registry. The real store,
// the reference registry on loopback (stopped and restarted on the same port and database), the real
// pcscd with a virtual card in slot 0 (the end-to-end suite owns slot 1).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { eject, insert, profile, trustFor, usePcscd } from '../card-reader/test/support.js';
import type { VirtualCard } from '../card-reader/virtual/vpcd-card.js';
import { SyncClient } from '../sync/client/sync-client.js';
import { storeTransport } from '../sync/client/compose-sync.js';
import { SqliteOutbox } from '../sync/outbox/sqlite-outbox.js';
import { provisionKiosk } from '../registry/provisioning.js';
import type { EmailSender, OutgoingEmail } from '../registry/mail/senders.js';
import { serve, type RunningRegistry } from '../registry/server.js';
import { countByState } from '../sync/store/outbox-items.js';
import type { CardEvent, ConsentOverview, Receipt, StatementScreen } from '../api/contract.js';
import { RegistryDesk } from './registry-desk.js';
import { answers, CONFIG, testHost, type TestHost } from './test-support.js';

let dir: string;
let registry: RunningRegistry | undefined;
let port: number;
let url: string;
let token: string;
let desk: RegistryDesk;
let h: TestHost;
let sync: SyncClient;

const db = () => join(dir, 'registry.db');
const up = async () => {
  registry ??= await serve({ port, host: '127.0.0.1', db: db(), email: inbox });
};
/** The registry's e-mail, kept: the one-time codes the customer reads. */
const mails: OutgoingEmail[] = [];
const inbox: EmailSender = { send: async (m) => void mails.push(m), close: () => undefined };
const down = async () => {
  await registry?.close();
  registry = undefined;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'kiosk-withdrawal-'));
  registry = await serve({ port: 0, host: '127.0.0.1', db: db(), email: inbox });
  url = registry.url;
  port = Number(new URL(url).port);
  token = await provisionKiosk(registry.store, { kioskId: CONFIG.kioskId, chainId: CONFIG.chainId, storeId: CONFIG.storeId }, new Date());
  desk = new RegistryDesk({ registryUrl: url, token, timeoutMs: 2000 });
  h = testHost({ desk });
  sync = syncing(h);
});

/** A started sync client for a host of this kiosk; a short backoff: once the registry is back, the next try comes within a second. */
function syncing(host: TestHost): SyncClient {
  const client = new SyncClient({
    outbox: new SqliteOutbox(host.store),
    transport: storeTransport(host.store, { registryUrl: url, token }),
    kioskId: CONFIG.kioskId,
    backoff: { baseMs: 100, capMs: 500 },
    pollIntervalMs: 200,
  });
  client.start();
  return client;
}
afterAll(async () => {
  await sync.stop();
  h.dispose();
  await desk.close();
  await down();
  rmSync(dir, { recursive: true, force: true });
});

const CUSTOMER = { surname: 'Wouters', firstNames: 'Sien', email: 'sien.wouters@example.be' };

const until = async (what: string, check: () => boolean | Promise<boolean>): Promise<void> => {
  for (let i = 0; i < 100; i++) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
};

/** An enrollment's answers, party by party: yes to the purposes named, no to the rest. */
async function decide(host: TestHost, yes: { chain: readonly string[]; registry: readonly string[] }): Promise<void> {
  for (const party of ['chain', 'registry'] as const) {
    const screen = await host.ok<StatementScreen>('statement.get', { party });
    await host.ok('consent.decide', { party, decisions: answers(screen.purposes, yes[party]), controlsTouched: ['confirm'] });
  }
}

async function myConsents(): Promise<ConsentOverview> {
  await h.ok('session.start', { language: 'fr', intent: 'my-consents' });
  await h.ok('card.decline');
  await h.ok('manual.submit', CUSTOMER);
  return h.ok<ConsentOverview>('myConsents.lookup');
}

const stateOf = (host: TestHost, receiptId: string): unknown =>
  (host.store.db.prepare('SELECT state FROM outbox WHERE subject_ref = ?').get(receiptId) as { state: string } | undefined)?.state;

const statusOf = (o: ConsentOverview, party: 'chain' | 'registry', id: string) => o[party].find((p) => p.id === id)?.status;

describe('a withdrawal queued like an enrollment', () => {
  it('is committed with the registry down, delivered when it is back, then shown by the registry', async () => {
    await h.ok('session.start', { language: 'nl', intent: 'enroll' });
    await h.ok('card.decline');
    await h.ok('manual.submit', CUSTOMER);
    await decide(h, { chain: ['loyalty', 'offers-email'], registry: ['profile-sync'] });
    await h.ok('enrollment.commit');
    await h.ok('session.end', { reason: 'done' });
    sync.notify();
    await until('the enrollment acknowledged', () => countByState(h.store.db).acknowledged === 1);

    // Identified and looked up while online: the lookup needs the registry's answer.
    const before = await myConsents();
    expect(statusOf(before, 'chain', 'offers-email')).toBe('given');
    expect(statusOf(before, 'registry', 'profile-sync')).toBe('given');

    await down();
    h.clock.now = new Date(h.clock.now.getTime() + 60_000);
    const chain = await h.ok<ConsentOverview & { withdrawal: string }>('myConsents.withdraw', {
      party: 'chain',
      purposes: ['offers-email'],
    });
    // On typed details the registry's consent needs the one-time code first: proof of control.
    expect(await h.code('myConsents.withdraw', { party: 'registry', purposes: ['profile-sync'] })).toBe('PROOF_REQUIRED');
    expect(chain.withdrawal).toBe('queued');
    expect(statusOf(chain, 'chain', 'offers-email')).toBe('withdrawn');
    expect(statusOf(chain, 'chain', 'loyalty')).toBe('given');
    // A second touch (a double tap) queues nothing more.
    await h.ok('myConsents.withdraw', { party: 'chain', purposes: ['offers-email'] });
    // Another language re-titles the session's answer: no registry call, so it works offline too.
    await h.ok('session.setLanguage', { language: 'de' });
    const again = await h.ok<ConsentOverview>('myConsents.lookup');
    expect(statusOf(again, 'chain', 'offers-email')).toBe('withdrawn');
    expect(again.chain.map((p) => p.title)).not.toEqual(chain.chain.map((p) => p.title));
    await h.ok('session.end', { reason: 'done' });

    // The chain's withdrawal waits in the outbox, naming the enrollment the registry knows and the
    // record that gave what it withdraws (the enrollment's chain record, as the lookup named it).
    const rows = h.store.db.prepare("SELECT kind, state FROM outbox WHERE kind = 'consent-event' ORDER BY sequence").all();
    expect(rows).toEqual([{ kind: 'consent-event', state: 'pending' }]);
    const consentsOf = (kind: string) =>
      JSON.parse((h.store.db.prepare('SELECT consents FROM outbox WHERE kind = ?').get(kind) as { consents: string }).consents) as Array<{
        recordId: string;
        party: string;
        event: { withdraws?: string[] };
      }>;
    const chainGive = consentsOf('enrollment').find((c) => c.party === 'chain')!.recordId;
    expect(consentsOf('consent-event').map((c) => c.event.withdraws)).toEqual([[chainGive]]);
    // Offline, "my consents" cannot identify anyone: said as such.
    await h.ok('session.start', { language: 'fr', intent: 'my-consents' });
    await h.ok('card.decline');
    await h.ok('manual.submit', CUSTOMER);
    expect(await h.code('myConsents.lookup')).toBe('REGISTRY_UNREACHABLE');

    await up();
    sync.notify();
    await until('the consent event acknowledged', () => countByState(h.store.db).acknowledged === 2);
    const after = await myConsents();
    expect(statusOf(after, 'chain', 'offers-email')).toBe('withdrawn');
    expect(statusOf(after, 'chain', 'loyalty')).toBe('given');
    // Online, with the code the registry mailed to the address on file: withdrawn at the registry.
    expect(await h.ok('myConsents.sendCode')).toEqual({ channel: 'email' });
    await registry!.mail.tick();
    const oneTimeCode = /\b\d{6}\b/.exec(mails.at(-1)?.text ?? '')?.[0];
    expect(mails.at(-1)?.to).toBe(CUSTOMER.email);
    const reg = await h.ok<ConsentOverview & { withdrawal: string }>('myConsents.withdraw', {
      party: 'registry',
      purposes: ['profile-sync'],
      oneTimeCode,
    });
    expect(reg.withdrawal).toBe('registered');
    expect(statusOf(reg, 'registry', 'profile-sync')).toBe('withdrawn');
    await h.ok('session.end', { reason: 'done' });
  });

  it('takes a customer this chain never enrolled to the registry at once (nothing of theirs to name in a queued event)', async () => {
    // Enrolled at another chain's kiosk with the registry consent given: visible here through it alone.
    const other = { kioskId: 'kiosk-other', chainId: 'other-retail', storeId: 'store-other' };
    const elsewhere = testHost({ config: other });
    const otherToken = await provisionKiosk(registry!.store, other, new Date());
    const otherSync = new SyncClient({
      outbox: new SqliteOutbox(elsewhere.store),
      transport: storeTransport(elsewhere.store, { registryUrl: url, token: otherToken }),
      kioskId: other.kioskId,
    });
    const customer = { surname: 'Peeters', firstNames: 'Anna', email: 'anna.peeters@example.be' };
    try {
      otherSync.start();
      await elsewhere.ok('session.start', { language: 'en', intent: 'enroll' });
      await elsewhere.ok('card.decline');
      await elsewhere.ok('manual.submit', customer);
      // A yes to that chain too: a "no" to every chain purpose would keep nothing (enrollment.ts).
      await decide(elsewhere, { chain: ['loyalty'], registry: ['profile-sync'] });
      await elsewhere.ok('enrollment.commit');
      otherSync.notify();
      await until("the other chain's enrollment acknowledged", () => countByState(elsewhere.store.db).acknowledged === 1);
    } finally {
      await otherSync.stop();
      elsewhere.dispose();
    }

    await h.ok('session.start', { language: 'en', intent: 'my-consents' });
    await h.ok('card.decline');
    await h.ok('manual.submit', customer);
    const shown = await h.ok<ConsentOverview>('myConsents.lookup');
    expect(shown.chain).toEqual([]);
    expect(statusOf(shown, 'registry', 'profile-sync')).toBe('given');
    const queuedBefore = countByState(h.store.db);
    // Typed details: the registry's consent is withdrawn with the one-time code sent to the address it holds.
    expect(shown.codeChannel).toBe('email');
    expect(await h.ok('myConsents.sendCode')).toEqual({ channel: 'email' });
    await registry!.mail.tick();
    const oneTimeCode = /\b\d{6}\b/.exec(mails.at(-1)?.text ?? '')?.[0];
    expect(mails.at(-1)?.to).toBe(customer.email);
    const answer = await h.ok<ConsentOverview & { withdrawal: string }>('myConsents.withdraw', {
      party: 'registry',
      purposes: ['profile-sync'],
      oneTimeCode,
    });
    expect(answer.withdrawal).toBe('registered');
    expect(statusOf(answer, 'registry', 'profile-sync')).toBe('withdrawn');
    expect(countByState(h.store.db)).toEqual(queuedBefore); // nothing queued on this kiosk
    await h.ok('session.end', { reason: 'done' });
  });

  it('refuses a withdrawal before the customer was shown their consents', async () => {
    await h.ok('session.start', { language: 'en', intent: 'my-consents' });
    await h.ok('card.decline');
    await h.ok('manual.submit', CUSTOMER);
    expect(await h.code('myConsents.withdraw', { party: 'chain', purposes: ['loyalty'] })).toBe('WRONG_STEP');
    await h.ok('session.end', { reason: 'done' });
  });
});

describe('the withdrawal code on the receipt', () => {
  const NAME_ONLY = { surname: 'Claes', firstNames: 'Mira' };

  it('finds a form customer who gave only a name, by the code typed as they like, and withdraws in one touch', async () => {
    await h.ok('session.start', { language: 'nl', intent: 'enroll' });
    await h.ok('card.decline');
    // The code finds consents already given: an enrollment does not take one.
    expect(await h.host.call('manual.submit', { ...NAME_ONLY, withdrawalCode: 'ABCDE12345' })).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', fields: { withdrawalCode: 'UNKNOWN' } },
    });
    await h.ok('manual.submit', NAME_ONLY);
    await decide(h, { chain: ['loyalty'], registry: [] });
    const receipt = await h.ok<Receipt>('enrollment.commit');
    await h.ok('session.end', { reason: 'done' });
    const code = receipt.withdrawalCode!;
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    expect(receipt.lines.slice(2, 4)).toEqual([
      `Uw intrekkingscode: ${code}`,
      '  Met deze code en uw naam kunt u uw keuzes bekijken of intrekken aan elke kiosk van Demo Retail NV.',
    ]);
    // The customer's secret: not in the manager's export.
    h.pins.set('4821');
    await h.ok('manager.unlock', { pin: '4821' });
    const { csv } = await h.ok<{ csv: string }>('manager.exportReceipts');
    expect(csv).toContain(receipt.receiptId);
    expect(csv).not.toContain(code);
    expect(csv).not.toContain(code.replace('-', ''));
    await h.ok('manager.lock');
    sync.notify();
    await until('the enrollment acknowledged', () => stateOf(h, receipt.receiptId) === 'acknowledged');

    await h.ok('session.start', { language: 'en', intent: 'my-consents' });
    await h.ok('card.decline');
    // A name alone identifies no one; a code that cannot be one is said at its field.
    expect(await h.host.call('manual.submit', NAME_ONLY)).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', fields: { email: 'REQUIRED' } },
    });
    expect(await h.host.call('manual.submit', { ...NAME_ONLY, withdrawalCode: 'ABC' })).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', fields: { withdrawalCode: 'CODE_INVALID' } },
    });
    // A code mistyped into another valid one finds nothing, and the customer corrects the form.
    const wrong = code.startsWith('0') ? `1${code.slice(1)}` : `0${code.slice(1)}`;
    await h.ok('manual.submit', { ...NAME_ONLY, withdrawalCode: wrong });
    expect(await h.code('myConsents.lookup')).toBe('NOT_FOUND');
    // Lower case, a space for the dash: read back as issued.
    await h.ok('manual.submit', { ...NAME_ONLY, withdrawalCode: ` ${code.toLowerCase().replace('-', ' ')} ` });
    const shown = await h.ok<ConsentOverview>('myConsents.lookup');
    expect(statusOf(shown, 'chain', 'loyalty')).toBe('given');
    const answer = await h.ok<ConsentOverview & { withdrawal: string }>('myConsents.withdraw', { party: 'chain', purposes: ['loyalty'] });
    expect(answer.withdrawal).toBe('queued');
    expect(statusOf(answer, 'chain', 'loyalty')).toBe('withdrawn');
    await h.ok('session.end', { reason: 'done' });
  });

  it('is not made without a chain consent given: nothing is kept at all', async () => {
    await h.ok('session.start', { language: 'fr', intent: 'enroll' });
    await h.ok('card.decline');
    await h.ok('manual.submit', NAME_ONLY);
    const screen = await h.ok<StatementScreen>('statement.get', { party: 'chain' });
    await h.ok('consent.decide', { party: 'chain', decisions: answers(screen.purposes, []), controlsTouched: ['confirm'] });
    expect(await h.ok('enrollment.commit')).toEqual({ kept: false });
    await h.ok('session.end', { reason: 'done' });
  });
});

describe('my consents by the eID, after a no to the registry', () => {
  const READER = 'Virtual PCD 00 00';
  const pcsc = usePcscd();
  let card: VirtualCard | undefined;
  afterEach(async () => {
    if (card) await eject(pcsc.session(), card);
    card = undefined;
  });

  /** Reads the card in slot 0 after the tap; the card events until the read ends. */
  async function read(host: TestHost): Promise<CardEvent[]> {
    const p = await profile('applet17-rsa');
    card ??= await insert(pcsc.session(), { files: p.files, basicPrivateKey: p.basicPrivateKey, slot: 0 });
    const seen: CardEvent[] = [];
    const ended = new Promise<void>((resolve) => {
      const off = host.host.on('card', (event) => {
        seen.push(event);
        if (event.phase === 'verified' || event.phase === 'error') {
          off();
          resolve();
        }
      });
    });
    await host.ok('card.allowRead', { controlsTouched: ['read-my-eid'] });
    await ended;
    return seen;
  }

  it('finds the chain consent by the card, without the photo, and withdraws it in one touch', async () => {
    const p = await profile('applet17-rsa');
    const k = testHost({ pcsc: pcsc.session(), trust: trustFor(p), desk, config: { reader: READER } });
    const client = syncing(k);
    try {
      await k.ok('session.start', { language: 'en', intent: 'enroll' });
      await read(k);
      await k.ok('staff.confirm', { code: k.staffCodes.add('Sofie').code });
      await decide(k, { chain: ['loyalty'], registry: [] });
      await k.ok('contact.submit', {});
      const receipt = await k.ok<Receipt>('enrollment.commit');
      expect(receipt.withdrawalCode).toBeDefined();
      await k.ok('session.end', { reason: 'done' });
      client.notify();
      await until('the enrollment acknowledged', () => countByState(k.store.db).acknowledged === 1);

      await k.ok('session.start', { language: 'en', intent: 'my-consents' });
      const events = await read(k);
      // The photo is for the staff check: "my consents" has none, so it never leaves the host.
      expect(events.map((e) => e.phase)).toEqual(['waiting', 'reading', 'identity', 'verified']);
      const shown = await k.ok<ConsentOverview>('myConsents.lookup');
      expect(statusOf(shown, 'chain', 'loyalty')).toBe('given');
      expect(statusOf(shown, 'registry', 'profile-sync')).toBe('refused');
      const answer = await k.ok<ConsentOverview & { withdrawal: string }>('myConsents.withdraw', { party: 'chain', purposes: ['loyalty'] });
      expect(answer.withdrawal).toBe('queued');
      expect(statusOf(answer, 'chain', 'loyalty')).toBe('withdrawn');
      await k.ok('session.end', { reason: 'done' });
    } finally {
      await client.stop();
      k.dispose();
    }
  });
});
