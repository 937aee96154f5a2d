// kill -9 a kiosk process while it commits, and again while it syncs; then sync to completion.
// Every enrollment the child reported committed reaches the registry exactly once, and nothing it
// never committed does.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createTestKiosk, type TestKiosk } from './fixtures/kiosk-store.js';
import { startRegistry, type TestRegistry } from '../../registry/test/fixtures/registry.js';
import { seededRandom } from './fixtures/seeded-random.js';

const CHILD = fileURLToPath(new URL('./fixtures/kiosk-process.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url)); // where tsx resolves from

let kiosk: TestKiosk;
let registry: TestRegistry;

beforeEach(async () => {
  kiosk = createTestKiosk();
  kiosk.close(); // the child processes own the database
  registry = await startRegistry({ db: 'sqlite' });
});
afterEach(async () => {
  await registry.close();
  kiosk.remove();
});

interface Child {
  process: ChildProcess;
  lines: string[];
  /** Resolves when `count` lines starting with `prefix` were printed. */
  printed(prefix: string, count: number): Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startChild(...args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], {
    env: { ...process.env, KIOSK_DB_KEY: kiosk.key.toString('hex'), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'pipe', 'inherit'],
    cwd: ROOT,
  });
  const lines: string[] = [];
  const waiters = new Set<() => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    for (const check of waiters) check();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const printed = (prefix: string, count: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (lines.filter((l) => l.startsWith(prefix)).length >= count) {
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
      void exited.then(() => waiters.has(check) && reject(new Error(`child exited before ${count} "${prefix}" lines`)));
    });
  return { process: child, lines, printed, exited };
}

async function killAfter(child: Child, prefix: string, count: number): Promise<void> {
  await child.printed(prefix, count);
  child.process.kill('SIGKILL');
  expect((await child.exited).signal).toBe('SIGKILL');
}

const idsOf = (lines: readonly string[], prefix: string) => lines.filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length));

it('loses no acknowledged commit and sends nothing twice across SIGKILLs during commits and syncs', async () => {
  const seed = Date.now();
  const next = seededRandom(seed);
  const random = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const token = await registry.provisionKiosk('kiosk-1', 'chain-1', 'store-1');
  const tried: string[] = [];
  const acknowledged: string[] = [];

  // Two commit loops, each killed at a random commit.
  for (let round = 0; round < 2; round++) {
    const committer = startChild('commit', kiosk.dbFile, '100000');
    await killAfter(committer, 'ok ', random(60, 200));
    tried.push(...idsOf(committer.lines, 'try '));
    acknowledged.push(...idsOf(committer.lines, 'ok '));
  }
  // A sync in small batches, killed after a random number of answers.
  const syncer = startChild('sync', kiosk.dbFile, registry.url, token, '5');
  await killAfter(syncer, 'batch ', random(1, 5));
  const partly = (await registry.enrollments()).length;

  const finisher = startChild('sync', kiosk.dbFile, registry.url, token, '50');
  expect(await finisher.exited).toEqual({ code: 0, signal: null });

  const context = `seed ${seed}, ${tried.length} tried, ${acknowledged.length} acknowledged, ${partly} synced before the sync kill`;
  const stored = (await registry.enrollments()).map((e) => e.enrollmentId);
  const storedSet = new Set(stored);
  expect(storedSet.size, context).toBe(stored.length);
  expect(
    acknowledged.filter((id) => !storedSet.has(id)),
    context,
  ).toEqual([]);
  const triedSet = new Set(tried);
  expect(
    stored.filter((id) => !triedSet.has(id)),
    context,
  ).toEqual([]);
  // At most the one commit in flight at each kill landed without its "ok" line.
  expect(stored.length - acknowledged.length, context).toBeLessThanOrEqual(2);
  expect(partly, context).toBeGreaterThan(0);
  expect(partly, context).toBeLessThan(stored.length);

  kiosk.reopen();
  const local = kiosk.store.db.prepare('SELECT id FROM enrollments').pluck().all() as string[];
  expect(new Set(local), context).toEqual(storedSet);
  expect(kiosk.states(), context).toEqual({ acknowledged: stored.length });
  expect(kiosk.unpurged(), context).toBe(0);
});
