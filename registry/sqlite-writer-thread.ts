// The SQLite registry's writer thread (sqlite-writer.ts): a complete store on its own connection,
// answering the main thread's write calls in order of arrival. Calls that arrive while a group
// commit is being written wait for the next one, as they would on the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { MatchKeyer } from './matching.js';
import { PublishedStatements } from './published-notices.js';
import { requestArgs, sendError, WRITER_CHECKPOINT_BYTES, type WriterInit, type WriterReply, type WriterRequest } from './sqlite-writer.js';
import { registryStore, WRITE_METHODS, type WriteMethod } from './store.js';
import { openSqliteDriver } from './storage/sqlite.js';
import { uuidv7 } from '../sync/uuid7.js';

const port = parentPort;
if (!port) throw new Error('sqlite-writer-thread runs as a worker thread');
const { init } = workerData as { init: WriterInit };

try {
  const store = registryStore(openSqliteDriver(init.db, { walAutocheckpointBytes: WRITER_CHECKPOINT_BYTES }), () => uuidv7(), {
    keyer: new MatchKeyer(init.matchSecret && Buffer.from(init.matchSecret)),
    statements: new PublishedStatements(init.statements),
  });
  const reply = (m: WriterReply): void => port.postMessage(m);
  port.on('message', (m: WriterRequest) => {
    if (m.method === 'close') {
      void store.close().then(
        () => {
          reply({ id: m.id, ok: true, value: undefined });
          port.close();
        },
        (e: unknown) => reply({ id: m.id, ok: false, error: sendError(e) }),
      );
      return;
    }
    if (!(WRITE_METHODS as readonly string[]).includes(m.method)) {
      reply({ id: m.id, ok: false, error: { name: 'Error', message: `not a write method: ${m.method}` } });
      return;
    }
    const method = store[m.method as WriteMethod] as (...args: unknown[]) => Promise<unknown>;
    void method(...requestArgs(m)).then(
      (value) => reply({ id: m.id, ok: true, value }),
      (e: unknown) => reply({ id: m.id, ok: false, error: sendError(e) }),
    );
  });
  port.postMessage({ ready: true });
} catch (e) {
  port.postMessage({ error: sendError(e) });
}
