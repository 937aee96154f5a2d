// Load on the registry over loopback: N kiosks each send B batches of I enrollments, all kiosks at
// once, against the CLI server in its own process. Prints items/s and batch latencies.
//   npx tsx registry/bench/load.ts [--engine sqlite|postgres] [--kiosks 200] [--batches 10] [--items 20]
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Agent, request } from 'undici';
import { provisionTestKiosk } from '../test/fixtures/registry.js';
import { openRegistryStore } from '../store.js';
import { freshDatabase } from '../test/fixtures/registry.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { type Kiosk } from '../test/fixtures/registry-app.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'sqlite' },
    kiosks: { type: 'string', default: '200' },
    batches: { type: 'string', default: '10' },
    items: { type: 'string', default: '20' },
  },
});
const engine = values.engine === 'postgres' ? 'postgres' : 'sqlite';
const [KIOSKS, BATCHES, ITEMS] = [Number(values.kiosks), Number(values.batches), Number(values.items)];
const ROOT = join(import.meta.dirname, '..', '..');

const fresh = await freshDatabase(engine);
const db = fresh.pgSchema ? `${fresh.db}?options=${encodeURIComponent(`-c search_path=${fresh.pgSchema}`)}` : fresh.db;
const store = await openRegistryStore(db);
const kiosks: Kiosk[] = [];
for (let i = 0; i < KIOSKS; i++) {
  const k = { kioskId: `bench-${i}`, chainId: `chain-${i % 5}`, storeId: `store-${i}` };
  kiosks.push({ ...k, token: await provisionTestKiosk(store, k, new Date()) });
}
await store.close();

const server = spawn(process.execPath, ['--import', 'tsx', 'registry/cli.ts', 'serve', '--port', '0', '--db', db], {
  cwd: ROOT,
  env: { ...process.env, LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn', REGISTRY_MATCH_KEY: fresh.matchSecret.toString('hex') },
  stdio: ['ignore', 'pipe', 'inherit'],
});
const agent = new Agent({ connections: KIOSKS });
try {
  let out = '';
  while (!/listening on (\S+)/.test(out)) out += String(((await once(server.stdout, 'data')) as [Buffer])[0]);
  const url = /listening on (\S+)/.exec(out)?.[1] ?? '';

  const post = async (k: Kiosk, items: unknown[]): Promise<number> => {
    const started = performance.now();
    const res = await request(`${url}/v1/batches`, {
      method: 'POST',
      dispatcher: agent,
      headers: { authorization: `Bearer ${k.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ kioskId: k.kioskId, sentAt: new Date().toISOString(), items }),
    });
    await res.body.dump();
    if (res.statusCode !== 200) throw new Error(`batch answered ${res.statusCode}`);
    return performance.now() - started;
  };
  const batch = (k: Kiosk, i: number, b: number) =>
    Array.from({ length: ITEMS }, (_, j) =>
      enrollmentItem(k, { registry: j % 2 ? 'given' : undefined, person: { surname: `Bench ${i}-${b}-${j % 7}`, firstNames: 'Jan' } }),
    );

  // One warm-up batch per kiosk opens the connections and warms the JIT.
  await Promise.all(kiosks.map((k, i) => post(k, batch(k, i, -1))));
  const latencies: number[] = [];
  const t0 = performance.now();
  await Promise.all(
    kiosks.map(async (k, i) => {
      for (let b = 0; b < BATCHES; b++) latencies.push(await post(k, batch(k, i, b)));
    }),
  );
  const secs = (performance.now() - t0) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number): string => (latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0).toFixed(1);
  console.log(
    `registry ${engine}: ${KIOSKS} kiosks x ${BATCHES} batches x ${ITEMS} items in ${secs.toFixed(1)} s: ` +
      `${((KIOSKS * BATCHES * ITEMS) / secs).toFixed(0)} items/s, ${((KIOSKS * BATCHES) / secs).toFixed(0)} batches/s, ` +
      `latency p50 ${pct(0.5)} ms p99 ${pct(0.99)} ms max ${pct(1)} ms`,
  );
} finally {
  await agent.close();
  server.kill('SIGTERM');
  await once(server, 'exit');
  await fresh.dispose();
}
