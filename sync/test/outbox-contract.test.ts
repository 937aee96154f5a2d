// Every OutboxPort implementation against one suite: the store's SqliteOutbox and the sync client
// tests' MemoryOutbox. (The registry's store has two engines behind one implementation; its tests
// run each engine already, see registry/test/fixtures/registry-app.ts ENGINES.)
import { join } from 'node:path';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { MemoryOutbox } from './fixtures/memory-outbox.js';
import { describeOutboxContract } from './fixtures/outbox-contract.js';
import { enrollmentPayload, idGenerator, makeWireItem } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

describeOutboxContract('SqliteOutbox', () => {
  const dir = tempDir();
  const store = openTestStore(join(dir.dir, 'kiosk.db'), newKey());
  const ids = idGenerator(3);
  return {
    outbox: new SqliteOutbox(store),
    enqueue: (at) => commitEnrollment(store, { payload: enrollmentPayload(ids, undefined, at), policy: DEFAULT_POLICY }, at).idempotencyKey,
    dispose: () => {
      store.close();
      dir.cleanup();
    },
  };
});

describeOutboxContract('MemoryOutbox', () => {
  const outbox = new MemoryOutbox();
  let n = 0;
  return {
    outbox,
    enqueue: (at) => {
      const item = makeWireItem(n++, { at });
      outbox.add(item, at);
      return item.idempotencyKey;
    },
    dispose: () => undefined,
  };
});
