// A withdrawal from "my consents" is queued like an enrollment: with the registry down it is still
// committed at once (a consent event in the outbox), and the sync client delivers it once the
// registry is back, after which the registry's own lookup shows the purpose withdrawn. The real
// store, the reference registry on loopback (stopped and restarted on the same port and database).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SyncClient } from '../sync/client/sync-client.js';
import { HttpTransport } from '../sync/client/transport.js';
import { SqliteOutbox } from '../sync/outbox/sqlite-outbox.js';
import { provisionKiosk } from '../registry/provisioning.js';
import type { EmailSender, OutgoingEmail } from '../registry/mail/senders.js';
import { serve, type RunningRegistry } from '../registry/server.js';
import { countByState } from '../sync/store/outbox-items.js';
import type { ConsentOverview, StatementScreen } from '../api/contract.js';
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
  // A short backoff: once the registry is back, the next try comes within a second.
  sync = new SyncClient({
    outbox: new SqliteOutbox(h.store),
    transport: new HttpTransport({ registryUrl: url, token }),
    kioskId: CONFIG.kioskId,
    backoff: { baseMs: 100, capMs: 500 },
    pollIntervalMs: 200,
  });
  sync.start();
});
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

async function myConsents(): Promise<ConsentOverview> {
  await h.ok('session.start', { language: 'fr', intent: 'my-consents' });
  await h.ok('card.decline');
  await h.ok('manual.submit', CUSTOMER);
  return h.ok<ConsentOverview>('myConsents.lookup');
}

const statusOf = (o: ConsentOverview, party: 'chain' | 'registry', id: string) => o[party].find((p) => p.id === id)?.status;

describe('a withdrawal queued like an enrollment', () => {
  it('is committed with the registry down, delivered when it is back, then shown by the registry', async () => {
    await h.ok('session.start', { language: 'nl', intent: 'enroll' });
    await h.ok('card.decline');
    await h.ok('manual.submit', CUSTOMER);
    for (const [party, yes] of [
      ['chain', ['loyalty', 'offers-email']],
      ['registry', ['profile-sync']],
    ] as const) {
      const screen = await h.ok<StatementScreen>('statement.get', { party });
      await h.ok('consent.decide', { party, decisions: answers(screen.purposes, yes), controlsTouched: ['confirm'] });
    }
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
    const reg = await h.ok<ConsentOverview & { withdrawal: string }>('myConsents.withdraw', {
      party: 'registry',
      purposes: ['profile-sync'],
    });
    expect(chain.withdrawal).toBe('queued');
    expect(statusOf(chain, 'chain', 'offers-email')).toBe('withdrawn');
    expect(statusOf(chain, 'chain', 'loyalty')).toBe('given');
    expect(reg.withdrawal).toBe('queued');
    // A second touch (a double tap) queues nothing more.
    await h.ok('myConsents.withdraw', { party: 'chain', purposes: ['offers-email'] });
    expect(statusOf(reg, 'registry', 'profile-sync')).toBe('withdrawn');
    // Another language re-titles the session's answer: no registry call, so it works offline too.
    await h.ok('session.setLanguage', { language: 'de' });
    const again = await h.ok<ConsentOverview>('myConsents.lookup');
    expect(statusOf(again, 'chain', 'offers-email')).toBe('withdrawn');
    expect(again.chain.map((p) => p.title)).not.toEqual(chain.chain.map((p) => p.title));
    await h.ok('session.end', { reason: 'done' });

    // Two consent events wait in the outbox, naming the enrollment the registry knows.
    const rows = h.store.db.prepare("SELECT kind, state FROM outbox WHERE kind = 'consent-event' ORDER BY sequence").all();
    expect(rows).toEqual([
      { kind: 'consent-event', state: 'pending' },
      { kind: 'consent-event', state: 'pending' },
    ]);
    // Offline, "my consents" cannot identify anyone: said as such.
    await h.ok('session.start', { language: 'fr', intent: 'my-consents' });
    await h.ok('card.decline');
    await h.ok('manual.submit', CUSTOMER);
    expect(await h.code('myConsents.lookup')).toBe('REGISTRY_UNREACHABLE');

    await up();
    sync.notify();
    await until('both consent events acknowledged', () => countByState(h.store.db).acknowledged === 3);
    const after = await myConsents();
    expect(statusOf(after, 'chain', 'offers-email')).toBe('withdrawn');
    expect(statusOf(after, 'chain', 'loyalty')).toBe('given');
    expect(statusOf(after, 'registry', 'profile-sync')).toBe('withdrawn');
    await h.ok('session.end', { reason: 'done' });
  });

  it('takes a customer this chain never enrolled to the registry at once (nothing of theirs to name in a queued event)', async () => {
    // Enrolled at another chain's kiosk with the registry consent given: visible here through it alone.
    const other = { kioskId: 'kiosk-other', chainId: 'other-retail', storeId: 'store-other' };
    const elsewhere = testHost({ config: other });
    const otherToken = await provisionKiosk(registry!.store, other, new Date());
    const otherSync = new SyncClient({
      outbox: new SqliteOutbox(elsewhere.store),
      transport: new HttpTransport({ registryUrl: url, token: otherToken }),
      kioskId: other.kioskId,
    });
    const customer = { surname: 'Peeters', firstNames: 'Anna', email: 'anna.peeters@example.be' };
    try {
      otherSync.start();
      await elsewhere.ok('session.start', { language: 'en', intent: 'enroll' });
      await elsewhere.ok('card.decline');
      await elsewhere.ok('manual.submit', customer);
      for (const [party, yes] of [
        ['chain', []],
        ['registry', ['profile-sync']],
      ] as const) {
        const screen = await elsewhere.ok<StatementScreen>('statement.get', { party });
        await elsewhere.ok('consent.decide', { party, decisions: answers(screen.purposes, yes), controlsTouched: ['confirm'] });
      }
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
