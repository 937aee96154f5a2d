// The registry in its own process for the benchmark, so the simulated kiosks' load does not share
// its event loop. Args: DB SCHEMA|- KIOSKS. Prints one JSON line {url, tokens}; on SIGTERM it closes
// and prints {cpuMs}: the CPU its threads used since it was ready (the registry's own cost of the load).
import { randomBytes } from 'node:crypto';
import { provisionTestKiosk } from '../../registry/test/fixtures/registry.js';
import { serve } from '../../registry/server.js';
import { kioskIdentity } from './fleet.js';
import { configureLogging, logLevel } from '../log.js';

// Its figures own stdout: warnings only unless LOG_LEVEL asks for more.
configureLogging(logLevel(process.env.LOG_LEVEL, 'warn'));

const [db, schema, kiosks] = process.argv.slice(2) as [string, string, string];
const running = await serve({
  port: 0,
  host: '127.0.0.1',
  db,
  matchSecret: randomBytes(32),
  ...(schema !== '-' ? { pgSchema: schema } : {}),
});
const tokens: string[] = [];
for (let k = 0; k < Number(kiosks); k++) tokens.push(await provisionTestKiosk(running.store, kioskIdentity(k), new Date()));
process.stdout.write(`${JSON.stringify({ url: running.url, tokens })}\n`);
const ready = process.cpuUsage();
process.once('SIGTERM', () => {
  const used = process.cpuUsage(ready);
  void running.close().then(() => {
    process.stdout.write(`${JSON.stringify({ cpuMs: (used.user + used.system) / 1000 })}\n`, () => process.exit(0));
  });
});
