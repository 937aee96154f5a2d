// `npm run bench:proof`: the standard exports' and the audit's throughput (issue 16) on a chain of a
// few thousand signed records, SQLite and PostgreSQL. Records arrive over the registry's HTTP API as
// kiosks send them, signed (a chain give and a registry refusal per enrollment, every tenth chain
// give withdrawn later), in signed batches of 100 items, checked and countersigned by the registry
// once a batch on arrival. Prints
// records/s for reading the rows, each export (reading included) and the audit (reading included).
import { parseArgs } from 'node:util';
import { buildApp } from '../app.js';
import { auditRows } from '../proof/audit.js';
import { proofDocument } from '../proof/export.js';
import { statementRecord } from '../proof/fixtures/records.js';
import { RegistrySigningKeys } from '../signing-keys.js';
import { openRegistryStore, type RegistryStore } from '../store.js';
import { freshDatabase, provisionTestKiosk, type TestEngine } from '../test/fixtures/registry.js';
import { signed, signedRequest } from '../../sync/test/fixtures/kiosk-keys.js';
import { consentEventItem, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { configureLogging, logLevel } from '../../sync/log.js';
import type { ConsentRecord, WireItem } from '../../sync/wire/schemas.js';

configureLogging(logLevel(process.env.LOG_LEVEL, 'warn'));
const { values } = parseArgs({ options: { enrollments: { type: 'string', default: '2000' }, runs: { type: 'string', default: '3' } } });
const ENROLLMENTS = Number(values.enrollments);
const RUNS = Number(values.runs);
const KIOSK = { kioskId: 'bench-kiosk', chainId: 'bench-chain', storeId: 'bench-store' };
const CHUNK = 100;

async function seed(store: RegistryStore): Promise<ConsentRecord[]> {
  const now = new Date('2025-03-01T10:00:00.000Z');
  const app = buildApp({ store, now: () => now });
  const token = await provisionTestKiosk(store, KIOSK, now);
  const records: ConsentRecord[] = [];
  const items: WireItem[] = [];
  for (let i = 0; i < ENROLLMENTS; i++) {
    const item = enrollmentItem(KIOSK, { person: { surname: `Bench${i}`, birthDate: '1980-01-01', email: `bench${i}@example.be` } });
    const of = (
      party: 'chain' | 'registry',
      type: 'given' | 'refused' | 'withdrawn',
      at = '2025-03-01T09:00:00.000Z',
      withdraws?: string[],
    ) => statementRecord({ party, type, kiosk: KIOSK, subjectRef: item.payload.enrollmentId, at, ...(withdraws ? { withdraws } : {}) });
    const consents = [of('chain', 'given'), of('registry', 'refused')];
    items.push(signed({ ...item, payload: { ...item.payload, consents } }));
    records.push(...consents);
    if (i % 10 === 0) {
      const withdrawal = of('chain', 'withdrawn', '2025-03-01T09:30:00.000Z', [consents[0]!.recordId]);
      items.push(consentEventItem(KIOSK, withdrawal));
      records.push(withdrawal);
    }
  }
  for (let i = 0; i < items.length; i += CHUNK) {
    const res = await app.inject({
      method: 'POST',
      url: '/v1/batches',
      headers: { authorization: `Bearer ${token}` },
      payload: signedRequest({ kioskId: KIOSK.kioskId, sentAt: now.toISOString(), items: items.slice(i, i + CHUNK) }),
    });
    if (res.statusCode !== 200) throw new Error(`batch answered ${res.statusCode}`);
  }
  await app.close();
  return records;
}

async function bench(engine: TestEngine): Promise<void> {
  const fresh = await freshDatabase(engine);
  const store = await openRegistryStore(fresh.db, {
    matchSecret: fresh.matchSecret,
    ...(fresh.pgSchema ? { pgSchema: fresh.pgSchema } : {}),
  });
  try {
    const records = await seed(store);
    const keys = await new RegistrySigningKeys(store).keySet();
    const statements = store.rules.statements;
    const read = () => store.proofRows(KIOSK.chainId, null);
    const tasks: Array<[string, () => Promise<unknown>]> = [
      ['read the rows', read],
      ['export 27560 (DPV JSON-LD)', async () => proofDocument('27560', await read(), statements)],
      ['export kantara', async () => proofDocument('kantara', await read(), statements)],
      ['audit, signatures included', async () => auditRows(await read(), statements, keys)],
    ];
    const audited = auditRows(await read(), statements, keys);
    if (audited.failed > 0) throw new Error(`${audited.failed} records failed the audit`);
    process.stdout.write(`${engine}: ${records.length} records of one chain (${ENROLLMENTS} enrollments), signed; best of ${RUNS}\n`);
    for (const [name, task] of tasks) {
      let best = Infinity;
      for (let r = 0; r < RUNS; r++) {
        const started = performance.now();
        await task();
        best = Math.min(best, performance.now() - started);
      }
      const perSecond = Math.round((records.length / best) * 1000).toLocaleString('en');
      process.stdout.write(`  ${name.padEnd(28)} ${best.toFixed(0).padStart(6)} ms  ${perSecond.padStart(9)} records/s\n`);
    }
  } finally {
    await store.close();
    await fresh.dispose();
  }
}

for (const engine of ['sqlite', 'postgres'] as const) await bench(engine);
