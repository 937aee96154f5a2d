// A long offline spell's backlog drained by the real client and store to a registry on loopback,
// in its own process as it would be on its own machine.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { storeTransport } from '../client/compose-sync.js';
import { SyncClient } from '../client/sync-client.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import { openStore } from '../store/open.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import { makeEnrollment } from '../test/fixtures/payloads.js';
import { kioskIdentity, startChildRegistry } from './fleet.js';

/** Items per second from the client's start to an empty outbox. */
export async function benchDrain(dir: string, count: number): Promise<number> {
  const registry = await startChildRegistry('sqlite', 1);
  const store = openStore({ path: join(dir, 'backlog.db'), key: randomBytes(32) });
  try {
    const identity = kioskIdentity(0);
    for (let n = 0; n < count; n++) commitEnrollment(store, { payload: makeEnrollment(n, identity), policy: DEFAULT_POLICY }, new Date());
    const client = new SyncClient({
      outbox: new SqliteOutbox(store),
      // The store's key is registered before the first batch, as a kiosk's sync does.
      transport: storeTransport(store, { registryUrl: registry.url, token: registry.tokens[0]! }),
    });
    const drained = new Promise<void>((resolve) => client.on('status', (s) => s.pending === 0 && s.online && resolve()));
    const started = performance.now();
    client.start();
    await drained;
    const perSec = count / ((performance.now() - started) / 1000);
    await client.stop();
    const { enrollments } = await registry.stats();
    if (enrollments !== count) throw new Error(`drain: the registry holds ${enrollments} of ${count} enrollments`);
    return perSec;
  } finally {
    store.close();
    await registry.close();
  }
}
