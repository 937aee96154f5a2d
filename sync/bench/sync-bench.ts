// `npm run bench:sync`: one figure per line, from one run, bounded to a few minutes on 2 cores.
// PostgreSQL from PG_TEST_URL (default postgres://kiosk:kiosk@127.0.0.1:5432/kiosk_test), in a
// fresh schema dropped afterwards.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchDrain } from './drain-bench.js';
import { benchEnqueue } from './enqueue-bench.js';
import { benchIngest, type IngestShape } from './ingest-bench.js';
import { benchProof } from './proof-bench.js';
import { configureLogging, logLevel } from '../log.js';

// Its figures own stdout: warnings only unless LOG_LEVEL asks for more.
configureLogging(logLevel(process.env.LOG_LEVEL, 'warn'));

const ENQUEUES = 2_000;
const BACKLOG = 10_000;
const FLEET: IngestShape = { kiosks: 200, batchesPerKiosk: 5, itemsPerBatch: 10 };
/** Kiosks syncing each enrollment as they commit it. */
const ONE_ITEM_BATCHES: IngestShape = { kiosks: 200, batchesPerKiosk: 10, itemsPerBatch: 1 };
/** sync.md's realistic burst: 1,500 kiosks pushing a day's backlog within a minute, ~1,250 items/s. */
const BURST: IngestShape = { ...FLEET, itemsPerSec: 1_250 };

const line = (label: string, value: number, unit: string, digits = 0) =>
  console.log(`${label}: ${value.toFixed(digits)}${unit ? ` ${unit}` : ''}`);

const dir = mkdtempSync(join(tmpdir(), 'sync-bench-'));
try {
  const e = benchEnqueue(dir, ENQUEUES);
  line('durable enqueues via commitEnrollment (WAL, synchronous=FULL, 1 tx each)', e.commitPerSec, '/s');
  line(`durable plain inserts of a ${e.rowBytes}-byte row (same pragmas, 1 tx each)`, e.plainPerSec, '/s');
  line('ratio commitEnrollment / plain insert', e.commitPerSec / e.plainPerSec, '', 2);
  line('WAL bytes appended per commitEnrollment', e.commitWalBytes, 'B');
  line('WAL bytes appended per plain insert', e.plainWalBytes, 'B');

  const p = benchProof();
  line("kiosk's Ed25519 signature over one consent record (canonical JSON, compact JWS)", p.signUs, 'µs', 1);
  line("registry's verification of one record's kiosk signature", p.verifyUs, 'µs', 1);
  line("registry's countersignature of one record", p.countersignUs, 'µs', 1);
  line("kiosk's batch signature, per item (2 records an item, 10 items a batch)", p.batchSignPerItemUs, 'µs', 1);
  line("registry's check and countersignature of a signed batch, per item (the same batches)", p.batchCheckPerItemUs, 'µs', 1);

  line(`backlog of ${BACKLOG} items drained to a SQLite registry on loopback`, await benchDrain(dir, BACKLOG), 'items/s');

  for (const [engine, name] of [
    ['sqlite', 'SQLite'],
    ['postgres', 'PostgreSQL'],
  ] as const) {
    const f = await benchIngest(engine, FLEET);
    const shape = `${FLEET.kiosks} kiosks x ${FLEET.batchesPerKiosk} batches of ${FLEET.itemsPerBatch} (after a warm-up batch each)`;
    line(`registry ingest on ${name}, ${shape}`, f.itemsPerSec, 'items/s');
    line(`registry p99 request latency on ${name}, ${shape}`, f.p99Ms, 'ms', 1);
    line(`registry process CPU per 1,000 items on ${name}, flat out (all its threads)`, f.registryCpuMsPer1000, 'ms');
    line(`simulated kiosks' CPU per 1,000 items on ${name}, flat out (same machine)`, f.fleetCpuMsPer1000, 'ms');
    // The same fleet as kiosks before signed batches sent it: each record's JWS verified and countersigned on its own.
    const perRecord = await benchIngest(engine, { ...FLEET, signing: 'record' });
    line(
      `registry process CPU per 1,000 items on ${name}, flat out, records signed one by one (kiosks before signed batches)`,
      perRecord.registryCpuMsPer1000,
      'ms',
    );
    line(
      `registry CPU of signed batches against records signed one by one, on ${name}`,
      (f.registryCpuMsPer1000 / perRecord.registryCpuMsPer1000 - 1) * 100,
      '%',
      0,
    );
    // A kiosk sends each enrollment as it commits: a batch of one, one batch signature checked and countersigned an item.
    const single = await benchIngest(engine, ONE_ITEM_BATCHES);
    line(
      `registry process CPU per 1,000 items on ${name}, ${ONE_ITEM_BATCHES.kiosks} kiosks x ${ONE_ITEM_BATCHES.batchesPerKiosk} batches of one item`,
      single.registryCpuMsPer1000,
      'ms',
    );
    const paced = await benchIngest(engine, BURST);
    line(`registry p99 request latency on ${name}, the same fleet paced at ${BURST.itemsPerSec} items/s`, paced.p99Ms, 'ms', 1);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
