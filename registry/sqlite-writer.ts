// The SQLite registry writes on a thread of its own. better-sqlite3 is synchronous: a commit's
// fsync and a WAL checkpoint would otherwise stop the event loop, and with it every request being
// parsed, checked and answered. The writer thread holds a complete store (sqlite-writer-thread.ts)
// and runs the store's writes, group-committed as usual; a third thread copies the WAL back into
// the database file; the main thread reads on its own connection (WAL: readers never wait for the
// writer) and sees a write once it is answered.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { StatementView } from '../sync/consent/statements.js';
import { RegistryError } from './errors.js';

export interface WriterInit {
  db: string;
  matchSecret: Uint8Array | undefined;
  statements: readonly StatementView[];
}

/**
 * `method` names a store method that writes (store.ts WRITE_METHODS), or closes the thread. Its
 * arguments come as `args`, or for applyItems as `json`, their JSON text: a batch's items are JSON
 * data, and as text they cross to the thread in about half the time a structured clone takes
 * (25 µs an item against 50, measured), which counts when every item of every batch crosses.
 */
export type WriterRequest = { id: number; method: string } & ({ args: unknown[] } | { json: string });

/** The write methods whose arguments are plain JSON data: strings, numbers, the items as received. */
const JSON_ARGS: ReadonlySet<string> = new Set(['applyItems']);
/** The arguments of a request, as the thread reads them. */
export const requestArgs = (m: WriterRequest): unknown[] => ('json' in m ? (JSON.parse(m.json) as unknown[]) : m.args);
export type WriterReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: SentError };

/** An error as it crosses the thread boundary: what callers branch on, never a stack. */
export interface SentError {
  name: string;
  message: string;
  code?: string;
  detail?: string;
}

export const sendError = (e: unknown): SentError => {
  const err = e instanceof Error ? e : new Error(String(e));
  const { code, detail } = err as { code?: unknown; detail?: unknown };
  return {
    name: err.name,
    message: err.message,
    ...(typeof code === 'string' ? { code } : {}),
    ...(typeof detail === 'string' ? { detail } : {}),
  };
};

function receivedError(e: SentError): Error {
  if (e.name === 'RegistryError') return new RegistryError(e.code as RegistryError['code'], e.detail);
  return Object.assign(new Error(e.message), { name: e.name, ...(e.code ? { code: e.code } : {}) });
}

const TS = import.meta.url.endsWith('.ts');
const entry = (name: string): string => new URL(`./${name}.${TS ? 'ts' : 'js'}`, import.meta.url).href;
// Under tsx or vitest a thread loads TypeScript through tsx's loader, registered in the thread.
const TSX_API = TS ? tsxEsmApi() : undefined;

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

/** A thread running `name`'s module, once it said it is ready (or why it could not be). */
async function startThread(name: string, data: object): Promise<Worker> {
  const worker = new Worker(BOOT, { eval: true, workerData: { ...data, entry: entry(name), tsx: TSX_API } });
  try {
    await new Promise<void>((resolve, reject) => {
      worker.once('message', (m: { ready?: true; error?: SentError }) => (m.ready ? resolve() : reject(receivedError(m.error!))));
      worker.once('error', reject);
    });
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  return worker;
}

/**
 * WAL size past which the writer checkpoints by itself: only if the checkpointer thread falls far
 * behind, as it copies the WAL back every CHECKPOINT_EVERY_MS.
 */
export const WRITER_CHECKPOINT_BYTES = 64 * 1024 * 1024;
const CHECKPOINT_EVERY_MS = 250;

/**
 * Starts the writer thread on an already migrated database, and beside it the checkpointer thread
 * (sqlite-checkpointer-thread.ts): a checkpoint copies megabytes back into the database file, and
 * done by the writer it would hold every commit waiting behind it.
 */
export async function startSqliteWriter(init: WriterInit): Promise<Writer> {
  const worker = await startThread('sqlite-writer-thread', { init });
  let checkpointer: Worker;
  try {
    checkpointer = await startThread('sqlite-checkpointer-thread', { db: init.db, everyMs: CHECKPOINT_EVERY_MS });
  } catch (e) {
    await worker.terminate();
    throw e;
  }
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let stopped: Error | undefined;
  const stop = (why: Error): void => {
    stopped ??= why;
    for (const p of pending.values()) p.reject(why);
    pending.clear();
  };
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
      worker.postMessage(
        (JSON_ARGS.has(method) ? { id, method, json: JSON.stringify(args) } : { id, method, args }) satisfies WriterRequest,
      );
    });
  return {
    call,
    close: async () => {
      const checkpointerExited = new Promise<void>((resolve) => checkpointer.once('exit', () => resolve()));
      checkpointer.postMessage('close');
      await checkpointerExited;
      if (!stopped) await call('close');
      await exited;
    },
  };
}
