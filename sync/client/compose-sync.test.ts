// The sync client as the host and `queue sync` both set it up: it drains the store's outbox, and each
// batch's outcome reaches the manager view's status, a failure as its code.
import { describe, expect, it } from 'vitest';
import { queueStatus } from '../manager/operations.js';
import { useSyncRig } from '../test/fixtures/sync-rig.js';
import type { BatchOutcome } from './sync-client.js';
import { composeSync } from './compose-sync.js';

const rig = useSyncRig();

describe('composeSync', () => {
  it('drains the store to the registry and records each attempt, a failure by its code', async () => {
    rig.kiosk.commit(3);
    rig.proxy.script('status-500');
    const { client, outbox } = composeSync({
      store: rig.kiosk.store,
      registry: { registryUrl: rig.proxy.url, token: rig.token },
      backoff: { baseMs: 5, capMs: 40 },
    });
    const outcomes: BatchOutcome[] = [];
    const status: ReturnType<typeof queueStatus>[] = [];
    const done = new Promise<void>((resolve) =>
      client.on('batch', (b) => {
        outcomes.push(b);
        status.push(queueStatus(rig.kiosk.store, new Date()));
        if (!b.error) resolve();
      }),
    );
    client.start();
    await done;
    await client.stop();

    expect(outcomes.map((o) => o.error?.code ?? 'ok')).toEqual(['SERVER_ERROR', 'ok']);
    expect(status[0]).toMatchObject({ registryReachable: false, lastError: 'SERVER_ERROR', lastSuccessAt: undefined });
    expect(status[1]).toMatchObject({ registryReachable: true, lastError: undefined });
    expect(outbox.unsentCount()).toBe(0);
    expect((await rig.registry.stats()).enrollments).toBe(3);
  });
});
