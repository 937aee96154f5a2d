import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Heartbeat } from '../wire/registry-api.js';
import { HEARTBEAT_INTERVAL_MS, HeartbeatSender } from './heartbeat.js';
import { SyncError } from './errors.js';
import { TypedEmitter } from './typed-emitter.js';

const BEAT: Heartbeat = {
  appVersion: '0.1.0',
  queue: { pending: 0, sending: 0, acknowledged: 3, 'dead-letter': 0, discarded: 0 },
  oldestPendingAgeMs: null,
  lastSyncAt: null,
  readerPresent: true,
  freeDiskBytes: 1_000_000,
  failedCommits: 0,
};

class Syncs extends TypedEmitter<{ batch: undefined }> {
  constructor() {
    super(() => undefined);
  }
  synced(): void {
    this.emit('batch', undefined);
  }
}

describe('HeartbeatSender', () => {
  let sent: unknown[];
  let answer: () => Promise<{ status: number; text: string }>;
  let sender: HeartbeatSender;
  let syncs: Syncs;
  let pending = 0;
  beforeEach(() => {
    vi.useFakeTimers();
    sent = [];
    answer = async () => ({ status: 200, text: '{"receivedAt":"2025-03-01T10:00:00.000Z"}' });
    syncs = new Syncs();
    sender = new HeartbeatSender({
      http: {
        call: async (method, path, payload) => {
          sent.push({ method, path, payload });
          return answer();
        },
      },
      collect: () => ({ ...BEAT, queue: { ...BEAT.queue, pending } }),
      syncs,
    });
  });
  afterEach(async () => {
    await sender.stop();
    vi.useRealTimers();
  });

  it('beats at start, then every minute, with what collect says at the time', async () => {
    sender.start();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toEqual([{ method: 'POST', path: 'v1/heartbeat', payload: BEAT }]);
    pending = 4;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS - 1);
    expect(sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toHaveLength(2);
    expect(sent[1]).toMatchObject({ payload: { queue: { pending: 4 } } });
    await vi.advanceTimersByTimeAsync(3 * HEARTBEAT_INTERVAL_MS);
    expect(sent).toHaveLength(5);
  });

  it('beats after each sync, one more at most when syncs come while a beat is in flight', async () => {
    sender.start();
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(20_000);
    syncs.synced();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(2);
    // The minute restarts from that beat.
    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS - 1);
    expect(sent).toHaveLength(2);

    let release!: () => void;
    answer = () => new Promise((resolve) => (release = () => resolve({ status: 200, text: '{"receivedAt":"2025-03-01T10:00:00.000Z"}' })));
    syncs.synced();
    syncs.synced();
    syncs.synced();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(3);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(4);
    release();
    await vi.advanceTimersByTimeAsync(0);
    expect(sent).toHaveLength(4);
  });

  it('takes a refused or failed beat quietly and tries again next minute', async () => {
    answer = async () => {
      throw new SyncError('NETWORK', 'ECONNREFUSED');
    };
    sender.start();
    await vi.advanceTimersByTimeAsync(0);
    answer = async () => ({ status: 401, text: '{"code":"UNAUTHENTICATED","message":"no"}' });
    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS);
    answer = async () => ({ status: 200, text: 'not json' });
    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS);
    expect(sent).toHaveLength(3);
  });

  it('sends nothing once stopped', async () => {
    sender.start();
    await vi.advanceTimersByTimeAsync(0);
    await sender.stop();
    syncs.synced();
    await vi.advanceTimersByTimeAsync(5 * HEARTBEAT_INTERVAL_MS);
    expect(sent).toHaveLength(1);
  });
});
