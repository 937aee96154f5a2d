// A reference registry of our own on loopback, with this kiosk provisioned, that a test can take
// down and bring back on the same port and database.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadStatements } from '../../sync/consent/statements.js';
import { provisionKiosk } from '../../registry/provisioning.js';
import { serve, type RunningRegistry } from '../../registry/server.js';
import { test as base } from './fixtures.js';

export interface TestRegistry {
  url: string;
  tokenFile: string;
  down(): Promise<void>;
  /** Back on the same port and database; `statements`: the catalogue it now knows (a chain's new version published to it). */
  up(statements?: string): Promise<void>;
  close(): Promise<void>;
  /** The registry's own answer to "my consents" for these details, as the kiosk's token asks it. */
  lookup(who: object): Promise<{ status: number; body: unknown }>;
}

/** The demo kiosk's identity (the demo branch of host/settings.ts). */
const KIOSK = { kioskId: 'kiosk-01', chainId: 'demo-retail', storeId: 'store-001' };

export async function startRegistry(): Promise<TestRegistry> {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-registry-'));
  const db = join(dir, 'registry.db');
  let running: RunningRegistry | undefined = await serve({ port: 0, host: '127.0.0.1', db });
  const url = running.url;
  const port = Number(new URL(url).port);
  const tokenFile = join(dir, 'kiosk.token');
  writeFileSync(tokenFile, await provisionKiosk(running.store, KIOSK, new Date()));
  return {
    url,
    tokenFile,
    async down() {
      await running?.close();
      running = undefined;
    },
    async up(statements) {
      running ??= await serve({ port, host: '127.0.0.1', db, ...(statements ? { statements: loadStatements(statements) } : {}) });
    },
    async close() {
      await running?.close();
    },
    async lookup(who) {
      const res = await fetch(`${url}/v1/consents/lookup`, {
        method: 'POST',
        headers: { authorization: `Bearer ${readFileSync(tokenFile, 'utf8').trim()}`, 'content-type': 'application/json' },
        body: JSON.stringify(who),
      });
      return { status: res.status, body: await res.json() };
    },
  };
}

/** The suite's `test` with a registry of the test file's own, which its host syncs to. */
export const testWithOwnRegistry = base.extend<object, { registry: TestRegistry }>({
  registry: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const registry = await startRegistry();
      await use(registry);
      await registry.close();
    },
    { scope: 'worker' },
  ],
  hostOptions: [async ({ registry }, use) => use({ registry }), { scope: 'worker' }],
});
