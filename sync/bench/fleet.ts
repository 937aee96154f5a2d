// The simulated fleet's identities, and the registry child process that serves them.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freshDatabase, type TestEngine } from '../../registry/test/fixtures/registry.js';
import { openRegistryStore } from '../../registry/store.js';
import type { RegistryStats } from '../wire/registry-api.js';

export const kioskIdentity = (k: number) => ({ kioskId: `kiosk-${k}`, chainId: 'chain-1', storeId: `store-${k % 40}` });

export interface ChildRegistry {
  url: string;
  /** The bearer token of kioskIdentity(k), at index k. */
  tokens: string[];
  stats(): Promise<RegistryStats>;
  /** Stops it; resolves with the CPU time its threads used while it served. */
  close(): Promise<{ cpuMs: number }>;
}

const CHILD = fileURLToPath(new URL('./registry-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A registry on a fresh database (SQLite file or PostgreSQL schema) in a child process. */
export async function startChildRegistry(engine: TestEngine, kiosks: number): Promise<ChildRegistry> {
  const fresh = await freshDatabase(engine);
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, fresh.db, fresh.pgSchema ?? '-', String(kiosks)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  const lines = createInterface({ input: child.stdout });
  const first = await new Promise<string>((resolve, reject) => {
    lines.once('line', resolve);
    void exited.then(() => reject(new Error('the registry process exited before it was ready')));
  });
  const last = new Promise<string>((resolve) => lines.once('line', resolve));
  const { url, tokens } = JSON.parse(first) as { url: string; tokens: string[] };
  return {
    url,
    tokens,
    stats: async () => {
      const store = await openRegistryStore(fresh.db, fresh.pgSchema ? { pgSchema: fresh.pgSchema } : {});
      try {
        return await store.stats();
      } finally {
        await store.close();
      }
    },
    close: async () => {
      child.kill('SIGTERM');
      const report = await Promise.race([last, exited.then(() => '{"cpuMs":NaN}')]);
      await exited;
      await fresh.dispose();
      return JSON.parse(report) as { cpuMs: number };
    },
  };
}
