// The SQLite registry writes on a thread of its own. better-sqlite3 is synchronous: a commit's
// fsync and a WAL checkpoint would otherwise stop the event loop, and with it every request being
// parsed, checked and answered. The writer thread holds a complete store (sqlite-writer-thread.ts)
// and runs the store's writes, group-committed as usual; the main thread reads on its own
// connection (WAL: readers never wait for the writer) and sees a write once it is answered.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StatementView } from '../consent/statements.js';
import { RegistryError } from './errors.js';

export interface WriterInit {
  db: string;
  matchSecret: Uint8Array | undefined;
  statements: readonly StatementView[];
}

/** `method` names a store method that writes (store.ts WRITE_METHODS), or closes the thread. */
export interface WriterRequest {
  id: number;
  method: string;
  args: unknown[];
}
export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SentError };

/** An error as it crosses the thread boundary: what callers branch on, never a stack. */
export interface SentError {
  name: string;
  message: string;
  code?: string;
}

export const sendError = (e: unknown): SentError => {
  const err = e instanceof Error ? e : new Error(String(e));
  const code = (err as { code?: unknown }).code;
  return { name: err.name, message: err.message, ...(typeof code === 'string' ? { code } : {}) };
};

function receivedError(e: SentError): Error {
  if (e.name === 'RegistryError') return new RegistryError(e.code as RegistryError['code'], e.message);
  return Object.assign(new Error(e.message), { name: e.name, ...(e.code ? { code: e.code } : {}) });
}

const ENTRY = new URL(`./sqlite-writer-thread.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url).href;
// Under tsx or vitest the thread loads TypeScript through tsx's loader, registered in the thread.
const TSX_API = ENTRY.endsWith('.ts') ? tsxEsmApi() : undefined;

/** tsx's ESM API (its `import` export; require.resolve would give the CommonJS one). */
function tsxEsmApi(): string {
  const manifest = createRequire(import.meta.url).resolve('tsx/package.json');
  return pathToFileURL(join(dirname(manifest), 'dist/esm/api/index.mjs')).href;
}
const BOOT = `
const { workerData } = require('node:worker_threads');
(async () => {
  if (workerData.tsx) (await import(workerData.tsx)).register();
  await import(workerData.entry);
})();`;

export interface Writer {
  /** Runs the store's `method` on the thread. */
  call(method: string, args: unknown[]): Promise<unknown>;
  close(): Promise<void>;
}

/** Starts the writer thread on an already migrated database; resolves once it has opened it. */
export async function startSqliteWriter(init: WriterInit): Promise<Writer> {
  const worker = new Worker(BOOT, { eval: true, workerData: { init, entry: ENTRY, tsx: TSX_API } });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let stopped: Error | undefined;
  const stop = (why: Error): void => {
    stopped ??= why;
    for (const p of pending.values()) p.reject(why);
    pending.clear();
  };
  await new Promise<void>((resolve, reject) => {
    worker.once('message', (m: { ready?: true; error?: SentError }) => (m.ready ? resolve() : reject(receivedError(m.error!))));
    worker.once('error', reject);
  });
  worker.on('message', (m: WriterReply) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.ok) p.resolve(m.value);
    else p.reject(receivedError(m.error));
  });
  worker.on('error', (e) => stop(e));
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  void exited.then(() => stop(new Error('the registry writer thread stopped')));

  const call = (method: string, args: unknown[] = []): Promise<unknown> =>
    new Promise((resolve, reject) => {
      if (stopped) return reject(stopped);
      const id = next++;
      pending.set(id, { resolve, reject });
      worker.postMessage({ id, method, args } satisfies WriterRequest);
    });
  return {
    call,
    close: async () => {
      if (!stopped) await call('close');
      await exited;
    },
  };
}
