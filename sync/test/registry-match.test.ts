// Issue 8, end to end: the kiosk gets the full person from the card, the chain's policy drops the
// birth date, and the registry still tells two people with the same name apart (and one person
// read at two chains together), because the date travels apart, sealed, under a given registry
// consent only, and never reaches a chain.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { runSyncCommand, SYNC_EXIT } from '../cli/sync-command.js';
import { startRegistry, type TestRegistry } from '../../registry/test/fixtures/registry.js';
import { commitEnrollment } from '../store/commit.js';
import { openStore, type Store } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { closeItem } from '../store/outbox-items.js';
import { WITHDRAWAL_CODE } from '../wire/withdrawal-code.js';
import type { ConsentRecord, EnrollmentPayload, Person } from '../wire/schemas.js';
import { makeEnrollment } from './fixtures/payloads.js';
import { ENGINES } from '../../registry/test/fixtures/registry-app.js';
import { tempDir } from './fixtures/store.js';

const CARD: Person = {
  surname: 'Peeters',
  firstNames: 'Jan',
  language: 'nl',
  birthDate: '1980-05-17',
  sex: 'M',
  address: { street: 'Kerkstraat 1', postalCode: '2000', municipality: 'Antwerpen', country: 'BE' },
};

interface KioskUnderTest {
  kioskId: string;
  chainId: string;
  dbFile: string;
  key: Buffer;
  store: Store;
  token: string;
}

/** The flow's payload: the person exactly as read from the card, the registry (and chain) consent as decided. */
function enrollment(
  k: KioskUnderTest,
  person: Person,
  registry: 'given' | 'refused',
  verified = true,
  chain: 'given' | 'refused' = 'given',
): EnrollmentPayload {
  const p = makeEnrollment(0, { chainId: k.chainId, storeId: `${k.chainId}-store`, kioskId: k.kioskId });
  const decided = (c: ConsentRecord, to: 'given' | 'refused'): ConsentRecord => ({
    ...c,
    purposes: c.purposes.map((x) => ({ ...x, status: to })),
    event: { ...c.event, type: to },
  });
  const status = (c: ConsentRecord): ConsentRecord => decided(c, c.party === 'registry' ? registry : chain);
  return {
    ...p,
    person,
    consents: p.consents.map(status),
    ...(!verified && { eidVerification: { identity: true, address: true, photo: true, chain: false } }),
  };
}

describe('the kiosk keeps the registry’s birth date apart and sealed', () => {
  let dir: ReturnType<typeof tempDir>;
  let store: Store;
  beforeEach(() => {
    dir = tempDir();
    store = openStore({ path: join(dir.dir, 'kiosk.db'), key: randomBytes(32) });
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });
  const k = (): KioskUnderTest => ({ kioskId: 'kiosk-1', chainId: 'chain-1', dbFile: '', key: Buffer.alloc(0), store, token: '' });

  it('queues it apart from the person only under a given registry consent and a verified read', () => {
    const now = new Date();
    commitEnrollment(store, { payload: enrollment(k(), CARD, 'given'), policy: DEFAULT_POLICY }, now);
    commitEnrollment(store, { payload: enrollment(k(), CARD, 'refused'), policy: DEFAULT_POLICY }, now);
    commitEnrollment(store, { payload: enrollment(k(), CARD, 'given', false), policy: DEFAULT_POLICY }, now);
    commitEnrollment(
      store,
      { payload: { ...enrollment(k(), CARD, 'given'), source: 'manual', eidVerification: undefined }, policy: DEFAULT_POLICY },
      now,
    );
    const items = new SqliteOutbox(store).claimDue(new Date(Date.now() + 1000), 10);
    const queued = items.map((i) => (i.kind === 'enrollment' ? i.payload : undefined));
    expect(queued.map((p) => p?.registryMatch)).toEqual([{ birthDate: '1980-05-17' }, undefined, undefined, undefined]);
    for (const p of queued) expect(p?.person).toEqual({ surname: 'Peeters', firstNames: 'Jan', language: 'nl', address: CARD.address });
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    expect(readFileSync(join(dir.dir, 'kiosk.db')).includes('1980-05-17')).toBe(false);
  });

  it("makes a withdrawal code once under a given chain consent, sends it with the chain's birth date, and keeps it sealed", () => {
    const now = new Date();
    const commit = (p: EnrollmentPayload) => commitEnrollment(store, { payload: p, policy: DEFAULT_POLICY }, now);
    const committed = [
      commit(enrollment(k(), CARD, 'refused')),
      commit({ ...enrollment(k(), CARD, 'refused'), source: 'manual', eidVerification: undefined }),
      commit(enrollment(k(), CARD, 'given', true, 'refused')),
    ];
    const [eid, typed, noChain] = committed.map((c) => c.withdrawalCode);
    for (const code of [eid, typed]) expect(code).toMatch(WITHDRAWAL_CODE);
    expect(eid).not.toBe(typed);
    expect(noChain).toBe(undefined);
    const items = new SqliteOutbox(store).claimDue(new Date(Date.now() + 1000), 10);
    expect(items.map((i) => (i.kind === 'enrollment' ? i.payload.chainMatch : undefined))).toEqual([
      { birthDate: '1980-05-17', withdrawalCode: eid },
      { withdrawalCode: typed },
      undefined,
    ]);
    // Sealed with the person while the item waits (the sync client above got it from there), in no
    // column of its own (migration 008), and gone with the person once it left.
    const columns = store.db.prepare("SELECT name FROM pragma_table_info('outbox')").pluck().all();
    expect(columns).not.toContain('withdrawal_code');
    const sealed = () =>
      committed.map((c) =>
        store.db.prepare('SELECT payload IS NOT NULL FROM outbox WHERE idempotency_key = ?').pluck().get(c.idempotencyKey),
      );
    expect(sealed()).toEqual([1, 1, 1]);
    for (const c of committed)
      closeItem(store.db, c.idempotencyKey, {
        outcome: 'accepted',
        closedAt: now.toISOString(),
        registryReceiptId: 'r',
        registryReceivedAt: now.toISOString(),
      });
    expect(sealed()).toEqual([0, 0, 0]);
    expect(new SqliteOutbox(store).claimDue(new Date(Date.now() + 1000), 10)).toEqual([]);
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    const file = readFileSync(join(dir.dir, 'kiosk.db'));
    for (const secret of [eid!, typed!, '1980-05-17']) expect(file.includes(secret)).toBe(false);
  });

  it('queues the ask for a confirmation by e-mail sealed with the person, also when nothing else travels beside it', () => {
    const person = { ...CARD, email: 'jan@example.be' };
    const neither = enrollment(k(), person, 'refused', true, 'refused'); // no matching date, no withdrawal code
    commitEnrollment(store, { payload: { ...neither, confirmationEmail: true }, policy: DEFAULT_POLICY }, new Date());
    commitEnrollment(store, { payload: enrollment(k(), person, 'refused', true, 'refused'), policy: DEFAULT_POLICY }, new Date());
    const items = new SqliteOutbox(store).claimDue(new Date(Date.now() + 1000), 10);
    expect(items.map((i) => (i.kind === 'enrollment' ? i.payload.confirmationEmail : undefined))).toEqual([true, undefined]);
  });

  it('takes no partial birth date for matching', () => {
    commitEnrollment(store, { payload: enrollment(k(), { ...CARD, birthDate: '1980' }, 'given'), policy: DEFAULT_POLICY }, new Date());
    const [item] = new SqliteOutbox(store).claimDue(new Date(Date.now() + 1000), 10);
    expect(item?.kind === 'enrollment' && item.payload.registryMatch).toBe(undefined);
  });
});

describe.each(ENGINES)('two kiosks, two chains, one registry on %s', (engine) => {
  let registry: TestRegistry;
  let dirs: Array<ReturnType<typeof tempDir>>;
  let kiosks: KioskUnderTest[];
  beforeEach(async () => {
    registry = await startRegistry({ db: engine });
    dirs = [tempDir(), tempDir()];
    kiosks = await Promise.all(
      ['a', 'b'].map(async (x, i) => {
        const dbFile = join(dirs[i]!.dir, 'kiosk.db');
        const key = randomBytes(32);
        const [kioskId, chainId] = [`kiosk-${x}`, `chain-${x}`];
        return {
          kioskId,
          chainId,
          dbFile,
          key,
          store: openStore({ path: dbFile, key }),
          token: await registry.provisionKiosk(kioskId, chainId, `${chainId}-store`),
        };
      }),
    );
  });
  afterEach(async () => {
    for (const k of kiosks) k.store.close();
    await registry.close();
    for (const d of dirs) d.cleanup();
  });

  const syncAll = async (): Promise<void> => {
    for (const k of kiosks) {
      expect(await runSyncCommand({ dbFile: k.dbFile, key: k.key, registryUrl: registry.url, token: k.token, once: true })).toBe(
        SYNC_EXIT.OK,
      );
    }
  };

  it('makes one profile of one person read at two chains, and two of two Jan Peeters born on other days', async () => {
    const [a, b] = kiosks as [KioskUnderTest, KioskUnderTest];
    const now = new Date();
    commitEnrollment(a.store, { payload: enrollment(a, CARD, 'given'), policy: DEFAULT_POLICY }, now);
    commitEnrollment(
      b.store,
      { payload: enrollment(b, { ...CARD, address: { ...CARD.address!, street: 'Meir 10' } }, 'given'), policy: DEFAULT_POLICY },
      now,
    );
    for (const k of kiosks) k.store.close();
    await syncAll();
    expect((await registry.stats()).profiles).toBe(1);

    for (const k of kiosks) k.store = openStore({ path: k.dbFile, key: k.key });
    commitEnrollment(a.store, { payload: enrollment(a, { ...CARD, birthDate: '1955-02-01' }, 'given'), policy: DEFAULT_POLICY }, now);
    commitEnrollment(b.store, { payload: enrollment(b, { ...CARD, birthDate: '1985-09-30' }, 'given'), policy: DEFAULT_POLICY }, now);
    for (const k of kiosks) k.store.close();
    await syncAll();
    expect((await registry.stats()).profiles).toBe(3);
    for (const k of kiosks) k.store = openStore({ path: k.dbFile, key: k.key });
  });

  it('lets a customer who said no to the registry and gave only a name find their consents by the code, at their chain only', async () => {
    const [a, b] = kiosks as [KioskUnderTest, KioskUnderTest];
    const name = { surname: 'Peeters', firstNames: 'Jan', language: 'nl' } as const;
    const form = { ...enrollment(b, name, 'refused'), source: 'manual' as const, eidVerification: undefined };
    const { withdrawalCode } = commitEnrollment(b.store, { payload: form, policy: DEFAULT_POLICY }, new Date());
    for (const k of kiosks) k.store.close();
    await syncAll();
    for (const k of kiosks) k.store = openStore({ path: k.dbFile, key: k.key });
    const lookup = (k: KioskUnderTest) =>
      fetch(`${registry.url}/v1/consents/lookup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${k.token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ surname: name.surname, firstNames: name.firstNames, withdrawalCode }),
      });
    expect((await lookup(b)).status).toBe(200);
    expect((await lookup(a)).status).toBe(404);
  });
});
