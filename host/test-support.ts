// Shared by the host's tests: a host on a fresh SQLite store (the real one, in a temp folder), the
// published statements, a PIN file and a staff codes file, a clock and timers the test drives, and event recording.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PcscSession } from '../card-reader/pcsc/session.js';
import { productionTrustStore, type TrustStore } from '../card-reader/verify/trust-store.js';
import { loadStatements } from '../sync/consent/statements.js';
import { openStore, type Store } from '../sync/store/open.js';
import { getOutboxRow, openPayload, type OutboxRow } from '../sync/store/outbox-items.js';
import { DEFAULT_POLICY } from '../sync/store/policy.js';
import { uuidv7 } from '../sync/uuid7.js';
import type { WireItem } from '../sync/wire/schemas.js';
import type { EventName, EventPayload, Result } from '../api/contract.js';
import { KioskHost, type HostConfig, type HostDeps, type Timers } from './host.js';
import { HostError } from './errors.js';
import { PinStore } from './pin.js';
import { StaffCodeStore } from './staff-codes.js';
import type { RegistryDesk } from './registry-desk.js';

export const CONFIG: HostConfig = {
  chainId: 'demo-retail',
  chainName: 'Demo Retail NV',
  storeId: 'store-001',
  kioskId: 'kiosk-01',
  defaultLanguage: 'nl',
  idleSeconds: 60,
  countdownSeconds: 20,
  policy: DEFAULT_POLICY,
};

/** Timers fired by the test, never by the wall clock. */
export class ManualTimers implements Timers {
  #next = 0;
  readonly pending = new Map<number, { fn: () => void; ms: number }>();
  setTimeout(fn: () => void, ms: number): unknown {
    this.#next += 1;
    this.pending.set(this.#next, { fn, ms });
    return this.#next;
  }
  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Fires every pending timer (the idle deadline passing). */
  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const t of due) t.fn();
  }
}

export interface TestHost {
  host: KioskHost;
  store: Store;
  pins: PinStore;
  staffCodes: StaffCodeStore;
  timers: ManualTimers;
  clock: { now: Date };
  events: { name: EventName; payload: unknown }[];
  /** Calls and unwraps: throws with the error code when the call fails. */
  ok<T = unknown>(name: string, input?: unknown): Promise<T>;
  /** Calls and returns the error code (or 'ok'). */
  code(name: string, input?: unknown): Promise<string>;
  /** The enrollment the store holds for this receipt id, opened. */
  stored(receiptId: string): { row: OutboxRow; item: WireItem };
  dispose(): void;
}

export interface TestHostOptions {
  pcsc?: PcscSession;
  trust?: TrustStore;
  desk?: RegistryDesk;
  config?: Partial<HostConfig>;
  deps?: Partial<HostDeps>;
}

export function testHost(opts: TestHostOptions = {}): TestHost {
  const dir = mkdtempSync(join(tmpdir(), 'kiosk-host-'));
  const store = openStore({ path: join(dir, 'kiosk.db'), key: randomBytes(32) });
  const timers = new ManualTimers();
  const clock = { now: new Date('2026-11-22T10:00:00Z') };
  const pins = new PinStore({ path: join(dir, 'pin.json'), now: () => clock.now });
  const staffCodes = new StaffCodeStore({ path: join(dir, 'staff-codes.json'), now: () => clock.now });
  const host = new KioskHost({
    config: { ...CONFIG, ...opts.config },
    store,
    catalog: loadStatements(),
    trust: opts.trust ?? productionTrustStore(),
    pins,
    staffCodes,
    ...(opts.pcsc ? { pcsc: opts.pcsc } : {}),
    ...(opts.desk ? { desk: opts.desk } : {}),
    now: () => clock.now,
    newId: () => uuidv7(),
    timers,
    utcOffsetMinutes: () => 60,
    ...opts.deps,
  });
  const events: TestHost['events'] = [];
  for (const name of ['reader', 'card', 'session', 'sync'] as const) {
    host.on(name, (payload: EventPayload<typeof name>) => events.push({ name, payload }));
  }
  const code = async (name: string, input: unknown = {}) => {
    const r = (await host.call(name, input)) as Result<unknown>;
    return r.ok ? 'ok' : r.error.code;
  };
  return {
    host,
    store,
    pins,
    staffCodes,
    timers,
    clock,
    events,
    ok: async <T>(name: string, input: unknown = {}) => {
      const r = await host.call(name, input);
      if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
      return r.value as T;
    },
    code,
    stored: (receiptId) => {
      const row = store.db.prepare('SELECT * FROM outbox WHERE subject_ref = ?').get(receiptId) as OutboxRow;
      const found = getOutboxRow(store.db, row.idempotency_key)!;
      return { row: found, item: openPayload(store.cipher, found) };
    },
    dispose: () => {
      host.close();
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What a secret's check answered, in one line: `ok` (or `ok <what it returned>`), or the code with its tries left or wait. */
export function checkOutcome(check: () => unknown): string {
  try {
    const value = check();
    return value === undefined ? 'ok' : `ok ${String(value)}`;
  } catch (e) {
    if (!(e instanceof HostError)) throw e;
    return `${e.code}${e.extra.triesLeft !== undefined ? ` ${e.extra.triesLeft}` : ''}${e.extra.retryAfterSeconds !== undefined ? ` ${e.extra.retryAfterSeconds}s` : ''}`;
  }
}

/** An explicit answer for every purpose: yes to those in `yes`, no to the rest. */
export const answers = (purposes: readonly { id: string }[], yes: readonly string[] = []): Record<string, boolean> =>
  Object.fromEntries(purposes.map((p) => [p.id, yes.includes(p.id)]));
