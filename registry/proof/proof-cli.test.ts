// `registry proof` and `registry audit` in-process, as the program runs them, on a SQLite registry
// that received records over its HTTP API as kiosks send them. (The audit on PostgreSQL too:
// registry/test/audit.test.ts.)
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { consentEventItem, EMILE, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import type { BatchResponse, ConsentRecord } from '../../sync/wire/schemas.js';
import { buildApp } from '../app.js';
import { runRegistryCommand } from '../cli.js';
import { openRegistryStore } from '../store.js';
import { statementRecord } from './fixtures/records.js';
import { signed } from '../../sync/test/fixtures/kiosk-keys.js';
import { provisionTestKiosk } from '../test/fixtures/registry.js';
import type { KantaraReceipt } from './kantara-export.js';

const NOW = new Date('2025-03-01T10:00:00.000Z');
const KIOSK = { kioskId: 'kiosk-a', chainId: 'chain-a', storeId: 'store-1' };

let dir: string;
let db: string;
/** Émile's give, registry refusal and withdrawal; then Jan's give. */
let records: ConsentRecord[];
/** The registry's published key set (GET /v1/keys), saved as an auditor would for `audit --keys`. */
let keysFile: string;

/** A registry that received Émile's enrollment and withdrawal and Jan's enrollment, at chain A. */
async function seed(): Promise<ConsentRecord[]> {
  keysFile = join(dir, 'keys.json');
  const store = await openRegistryStore(db);
  const app = buildApp({ store, now: () => NOW });
  try {
    const token = await provisionTestKiosk(store, KIOSK, NOW);
    const post = async (items: unknown[]) => {
      const res = await app.inject({
        method: 'POST',
        url: '/v1/batches',
        headers: { authorization: `Bearer ${token}` },
        payload: { kioskId: KIOSK.kioskId, sentAt: NOW.toISOString(), items },
      });
      expect(res.json<BatchResponse>().results.map((r) => r.status)).toEqual(items.map(() => 'accepted'));
    };
    const emile = enrollmentItem(KIOSK);
    const jan = enrollmentItem(KIOSK, {
      person: { surname: 'Peeters', firstNames: 'Jan', birthDate: '1970-01-01', email: 'jan@example.be' },
    });
    const of = (
      item: typeof emile,
      party: 'chain' | 'registry',
      type: 'given' | 'refused' | 'withdrawn',
      at = '2025-03-01T09:00:00.000Z',
    ) => statementRecord({ party, type, kiosk: KIOSK, subjectRef: item.payload.enrollmentId, at });
    const seeded = [
      of(emile, 'chain', 'given'),
      of(emile, 'registry', 'refused'),
      of(emile, 'chain', 'withdrawn', '2025-03-01T09:30:00.000Z'),
      of(jan, 'chain', 'given'),
    ];
    await post([
      signed({ ...emile, payload: { ...emile.payload, consents: seeded.slice(0, 2) } }),
      consentEventItem(KIOSK, seeded[2]!),
      signed({ ...jan, payload: { ...jan.payload, consents: [seeded[3]!] } }),
    ]);
    writeFileSync(keysFile, (await app.inject({ method: 'GET', url: '/v1/keys' })).body);
    return seeded;
  } finally {
    await app.close();
    await store.close();
  }
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'registry-proof-'));
  db = join(dir, 'registry.db');
  records = await seed();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function registry(argv: string[]) {
  const out = { stdout: '', stderr: '' };
  const code = await runRegistryCommand(argv, {
    stdout: (t) => (out.stdout += t),
    stderr: (t) => (out.stderr += t),
    now: () => NOW,
    interrupted: new Promise(() => {}),
  });
  return { code, ...out };
}

describe('registry proof', () => {
  it('writes every record of the chain as Kantara receipts to --out, readable by its owner only', async () => {
    const out = join(dir, 'receipts.json');
    expect(await registry(['proof', '--db', db, '--chain', 'chain-a', '--format', 'kantara', '--out', out])).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    const receipts = JSON.parse(readFileSync(out, 'utf8')) as KantaraReceipt[];
    expect(receipts.map((r) => [r.consentReceiptID, r.consentEvent.type])).toEqual(records.map((r) => [r.recordId, r.event.type]));
    expect(receipts.every((r) => r.signatures?.kiosk.jws.split('.').length === 3)).toBe(true);
    expect(statSync(out).mode & 0o777).toBe(0o600);
  });

  it('writes ISO/IEC TS 27560 records in DPV JSON-LD to stdout; --since keeps what arrived from then on', async () => {
    const all = await registry(['proof', '--db', db, '--chain', 'chain-a', '--format', '27560']);
    expect(all.code).toBe(0);
    const doc = JSON.parse(all.stdout) as { '@context': object; '@graph': Array<{ 'dct:identifier': string }> };
    expect(doc['@graph'].map((n) => n['dct:identifier'])).toEqual(records.map((r) => r.recordId));
    const later = await registry(['proof', '--db', db, '--chain', 'chain-a', '--format', '27560', '--since', '2025-03-01T10:00:01Z']);
    expect(JSON.parse(later.stdout)).toMatchObject({ '@graph': [] });
    expect(await registry(['proof', '--db', db, '--chain', 'chain-b', '--format', 'kantara'])).toMatchObject({ code: 0, stdout: '[]\n' });
  });

  it('--subject gives one person’s records, identified as at a kiosk, and a miss as a miss', async () => {
    const who = join(dir, 'who.json');
    writeFileSync(who, JSON.stringify({ surname: EMILE.surname, firstNames: EMILE.firstNames, birthDate: EMILE.birthDate }));
    const mine = await registry(['proof', '--db', db, '--chain', 'chain-a', '--format', 'kantara', '--subject', who]);
    expect(mine.code).toBe(0);
    expect((JSON.parse(mine.stdout) as KantaraReceipt[]).map((r) => r.consentReceiptID)).toEqual(
      records.slice(0, 3).map((r) => r.recordId),
    );
    expect(mine.stdout).not.toContain(EMILE.surname);

    writeFileSync(who, JSON.stringify({ surname: EMILE.surname, firstNames: EMILE.firstNames, birthDate: '1980-05-03' }));
    const miss = await registry(['proof', '--db', db, '--chain', 'chain-a', '--format', 'kantara', '--subject', who]);
    expect(miss).toMatchObject({ code: 1, stdout: '' });
    expect(miss.stderr).toMatch(/^error: CONSUMER_NOT_FOUND: /);

    writeFileSync(who, JSON.stringify({ surname: EMILE.surname, firstNames: EMILE.firstNames }));
    const vague = await registry(['proof', '--db', db, '--chain', 'chain-a', '--format', 'kantara', '--subject', who]);
    expect(vague).toMatchObject({ code: 1, stdout: '' });
    expect(vague.stderr).not.toContain(EMILE.surname);
  });

  it.each([
    [['proof', '--db', 'x.db', '--chain', 'c'], '--format must be 27560 or kantara'],
    [['proof', '--db', 'x.db', '--chain', 'c', '--format', 'pdf'], '--format must be 27560 or kantara'],
    [['proof', '--db', 'x.db', '--chain', 'c', '--format', 'kantara', '--since', 'yesterday'], '--since must be an ISO 8601'],
    [['audit', '--db', 'x.db'], '--chain is required'],
  ])('%j is a usage error', async (argv, reason) => {
    const r = await registry(argv);
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toContain(reason);
  });
});

describe('registry audit', () => {
  it('prints a verdict per record and the summary, exit 0 when every record verifies', async () => {
    const r = await registry(['audit', '--db', db, '--chain', 'chain-a', '--keys', keysFile]);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    // Without --keys: the keys the registry publishes, read from its database.
    expect(await registry(['audit', '--db', db, '--chain', 'chain-a'])).toEqual(r);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.slice(0, -1).map((l) => l.split(/\s+/)[3])).toEqual(records.map((x) => x.recordId));
    expect(lines.at(-1)).toBe('4 records of chain-a: 4 verified, 0 failed');
  });

  it('names a record edited in the database behind the registry’s back, and exits 1', async () => {
    const target = records[1]!;
    const sqlite = new Database(db);
    sqlite
      .prepare('UPDATE consent_records SET record_json = ? WHERE record_id = ?')
      .run(JSON.stringify({ ...target, notice: { ...target.notice, version: '1' } }), target.recordId);
    sqlite.close();
    const r = await registry(['audit', '--db', db, '--chain', 'chain-a', '--keys', keysFile]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`^FAIL  seq \\d+  ${target.recordId}  registry  refused .*text hash.*kiosk signature`, 'm'));
    expect(r.stdout.match(/^FAIL/gm)).toHaveLength(1);
    expect(r.stdout).toContain('4 records of chain-a: 3 verified, 1 failed\n');
    expect(r.stderr).toBe('error: AUDIT_FAILED: Some consent records do not verify. (1 of 4 records of chain-a failed)\n');
  });
});
