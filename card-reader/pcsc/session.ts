// One PC/SC context for the process: which readers exist, which hold a card, waiting for a card,
// and exclusive connections. Gotchas of @pokusew/pcsclite handled here: closing a reader or the
// context inside one of its callbacks deadlocks the addon (so every close is deferred with
// setImmediate), every reader must be closed before the context, and a context whose pcscd is gone
// would spin in the addon's constructor (so pcscd is probed first).
import { EventEmitter } from 'node:events';
import { CardError } from '../errors.js';
import { logger } from '../log.js';
import { CardConnection, type ConnectionHooks } from './connection.js';
import { connectError } from './pcsc-errors.js';
import type { ReaderStatus } from './reader-status.js';
import {
  assertPcscdReachable,
  defaultPcscdSocket,
  nativeConnect,
  nativeDisconnect,
  openNativeContext,
  withTimeout,
  type NativeContext,
  type NativeReader,
  type NativeStatus,
} from './native.js';

export type { ReaderStatus } from './reader-status.js';

type SessionEvents = {
  'reader-added': [reader: string];
  /** pcscd's first list of readers is in (readers() is complete unless one is plugged in later). */
  'readers-listed': [];
  'reader-removed': [reader: string];
  'card-inserted': [status: ReaderStatus];
  'card-removed': [reader: string];
  failed: [error: CardError];
};

export interface SessionOptions {
  /** pcscd's socket; defaults to libpcsclite's. */
  socketPath?: string;
  /** Deadline for SCardConnect. */
  connectTimeoutMs?: number;
  /** The addon's context; unit tests pass a fake to play readers that real pcscd cannot (none, unplugged). */
  context?: () => NativeContext;
}

export interface ConnectOptions {
  /** Deadline for each APDU; past it the read fails with TIMEOUT. */
  apduTimeoutMs: number;
}

interface ReaderEntry {
  native: NativeReader;
  status: ReaderStatus;
  /** pcsc-lite's event counter (high 16 bits of the state), to spot a card swapped between polls. */
  events: number;
  /** Settles when the last connection's disconnect has finished in the addon. */
  released: Promise<void>;
  /** Settles on the reader's first status (or its end): only then may it be closed, see #close. */
  watching: Promise<void>;
  inUse: boolean;
}

// pcscd notices a removal on its next poll of the reader (about 400 ms for vpcd).
const REMOVAL_GRACE_MS = 2000;
const CLOSE_SETTLE_MS = 250;
const log = logger('pcsc');

export class PcscSession extends EventEmitter<SessionEvents> {
  readonly #ctx: NativeContext;
  readonly #readers = new Map<string, ReaderEntry>();
  readonly #spent = new Set<string>();
  readonly #connections = new Set<CardConnection>();
  readonly #connectTimeoutMs: number;
  #listed = false;
  #listComplete = false;
  #closing: Promise<void> | undefined;
  #failure: CardError | undefined;
  /** When the addon last reported anything (performance.now()). */
  #lastEventAt = performance.now();

  /** Opens the PC/SC context; NO_READER when pcscd is not running. */
  static async open(opts: SessionOptions = {}): Promise<PcscSession> {
    if (!opts.context) await assertPcscdReachable(opts.socketPath ?? defaultPcscdSocket());
    return new PcscSession((opts.context ?? openNativeContext)(), opts);
  }

  private constructor(ctx: NativeContext, opts: SessionOptions) {
    super();
    this.#ctx = ctx;
    this.#connectTimeoutMs = opts.connectTimeoutMs ?? 5000;
    ctx.on('reader', (native: NativeReader) => {
      this.#lastEventAt = performance.now();
      this.#addReader(native);
    });
    ctx.on('error', (err: unknown) => {
      if (this.#closing) return;
      this.#failure = new CardError('NO_READER', `PC/SC service failed: ${String(err)}`, { cause: err });
      log.error({ err: String(err) }, 'pcsc context failed');
      this.emit('failed', this.#failure);
    });
  }

  /** Readers known now, in the order pcscd listed them. */
  readers(): ReaderStatus[] {
    return [...this.#readers.values()].map((e) => ({ ...e.status }));
  }

  /**
   * Resolves with the first (or the named) reader holding a card not already given up on. Waits
   * on PC/SC events up to `timeoutMs`, then fails with NO_READER (none, or none by that name) or
   * NO_CARD. A named reader that is not in pcscd's list fails at once.
   */
  waitForCard(opts: { reader?: string; timeoutMs: number }): Promise<ReaderStatus> {
    return new Promise((resolve, reject) => {
      const names = () => [...this.#readers.keys()].join(', ') || 'none';
      const notFound = () => new CardError('NO_READER', `no reader named "${opts.reader}" (readers: ${names()})`);
      const check = () => {
        if (this.#failure) return done(this.#failure);
        if (this.#closing) return done(new CardError('NO_READER', 'PC/SC session closed'));
        const entries = opts.reader ? [this.#readers.get(opts.reader)] : [...this.#readers.values()];
        const ready = entries.find((e) => e?.status.present && !this.#spent.has(spentKey(e.status)));
        if (ready) return done(undefined, { ...ready.status });
        if (opts.reader && this.#listComplete && !this.#readers.has(opts.reader)) return done(notFound());
      };
      const expire = () => {
        if (opts.reader && !this.#readers.has(opts.reader)) done(notFound());
        else if (this.#readers.size === 0) done(new CardError('NO_READER'));
        else done(new CardError('NO_CARD'));
      };
      const timer = setTimeout(expire, opts.timeoutMs);
      const events = ['card-inserted', 'readers-listed', 'reader-removed', 'failed'] as const;
      const done = (err: CardError | undefined, status?: ReaderStatus) => {
        clearTimeout(timer);
        for (const e of events) this.off(e, check);
        if (err) reject(err);
        else resolve(status!);
      };
      for (const e of events) this.on(e, check);
      check();
    });
  }

  /** Opens an exclusive T=0 connection to the card in `status.reader`: the read's transaction. */
  async connect(status: ReaderStatus, opts: ConnectOptions): Promise<CardConnection> {
    if (this.#closing) throw new CardError('NO_READER', 'PC/SC session closed');
    const entry = this.#readers.get(status.reader);
    if (!entry) throw new CardError('READER_UNPLUGGED', `reader "${status.reader}" is gone`);
    if (entry.inUse) throw new CardError('READER_BUSY', 'another read is running on this reader');
    entry.inUse = true;
    try {
      await withTimeout(entry.released, this.#connectTimeoutMs, () => new CardError('READER_BUSY', 'previous connection still closing'));
      await this.#dropStaleHandle(entry.native);
      const protocol = await withTimeout(
        nativeConnect(entry.native).catch((err: unknown) => Promise.reject(connectError(err))),
        this.#connectTimeoutMs,
        () => new CardError('TIMEOUT', `SCardConnect took over ${this.#connectTimeoutMs} ms`),
      );
      const connection = new CardConnection(entry.native, protocol, { ...status }, opts.apduTimeoutMs, this.#hooks(entry));
      this.#connections.add(connection);
      return connection;
    } catch (err) {
      entry.inUse = false;
      throw err;
    }
  }

  /** Closes every connection, every reader, then the context. Safe to call more than once. */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  async #close(): Promise<void> {
    // Never inside an addon callback: closing there deadlocks.
    await new Promise((resolve) => setImmediate(resolve));
    this.emit('failed', new CardError('NO_READER', 'PC/SC session closed'));
    await Promise.all([...this.#connections].map((c) => c.close()));
    // A reader closed before its status thread reported once never releases its libuv handle (the
    // thread's loop never runs, so nothing closes it) and the process cannot exit.
    const readers = [...this.#readers.values()];
    await withTimeout(Promise.all(readers.map((e) => e.watching)), this.#connectTimeoutMs, () => new Error('no status')).catch(() =>
      log.warn('a reader never reported its status; closing anyway'),
    );
    // The addon's close cancels the status thread's wait with SCardCancel, retried for 50 ms only:
    // a cancel sent before the thread is back in SCardGetStatusChange is lost, and close() then
    // blocks the event loop forever in a thread join. Let the threads settle into their wait first.
    const settled = this.#lastEventAt + CLOSE_SETTLE_MS - performance.now();
    if (settled > 0) await new Promise((resolve) => setTimeout(resolve, settled));
    for (const { native } of readers) native.close();
    this.#readers.clear();
    this.#ctx.close();
  }

  #hooks(entry: ReaderEntry): ConnectionHooks {
    return {
      waitForRemoval: (insertion) => this.#waitForRemoval(entry.status.reader, insertion),
      markSpent: (status) => this.#spent.add(spentKey(status)),
      released: (connection, disconnected) => {
        this.#connections.delete(connection);
        entry.released = disconnected;
        entry.inUse = false;
      },
    };
  }

  /** 'card' once pcscd reports the card gone (or another card), 'reader' if the reader went, else 'present'. */
  #waitForRemoval(reader: string, insertion: number): Promise<'card' | 'reader' | 'present'> {
    return new Promise((resolve) => {
      const check = () => {
        const entry = this.#readers.get(reader);
        if (!entry) return done('reader');
        if (!entry.status.present || entry.status.insertion !== insertion) return done('card');
      };
      const timer = setTimeout(() => done('present'), REMOVAL_GRACE_MS);
      const done = (what: 'card' | 'reader' | 'present') => {
        clearTimeout(timer);
        this.off('card-removed', check);
        this.off('card-inserted', check);
        this.off('reader-removed', check);
        resolve(what);
      };
      this.on('card-removed', check);
      this.on('card-inserted', check);
      this.on('reader-removed', check);
      check();
    });
  }

  // A disconnect that failed leaves the addon believing it is connected, and its connect() would
  // then silently reuse the dead handle: retry the disconnect, and as a last resort reset the flag.
  async #dropStaleHandle(native: NativeReader): Promise<void> {
    if (!native.connected) return;
    await nativeDisconnect(native, native.SCARD_RESET_CARD).catch((err: unknown) =>
      log.warn({ reader: native.name, err: String(err) }, 'stale handle would not disconnect'),
    );
    native.connected = false;
  }

  #addReader(native: NativeReader): void {
    const entry: ReaderEntry = {
      native,
      status: { reader: native.name, present: false, insertion: 0 },
      events: -1,
      released: Promise.resolve(),
      watching: Promise.resolve(),
      inUse: false,
    };
    entry.watching = new Promise<void>((resolve) => {
      native.once('status', () => resolve());
      native.once('end', () => resolve());
    });
    this.#readers.set(native.name, entry);
    // The addon announces a listing's readers one by one in the same tick: the list is whole after it.
    if (!this.#listed) {
      this.#listed = true;
      setImmediate(() => {
        this.#listComplete = true;
        this.emit('readers-listed');
      });
    }
    native.on('error', (err: unknown) => log.warn({ reader: native.name, err: String(err) }, 'reader status failed'));
    native.on('status', (s: NativeStatus) => this.#onStatus(entry, s));
    native.on('end', () => {
      if (this.#readers.get(native.name) !== entry) return;
      this.#readers.delete(native.name);
      log.info({ reader: native.name }, 'reader removed');
      this.emit('reader-removed', native.name);
    });
    log.info({ reader: native.name }, 'reader added');
    this.emit('reader-added', native.name);
  }

  #onStatus(entry: ReaderEntry, s: NativeStatus): void {
    this.#lastEventAt = performance.now();
    const present = (s.state & entry.native.SCARD_STATE_PRESENT) !== 0;
    const events = s.state >>> 16;
    const was = entry.status;
    const swapped = present && was.present && entry.events !== -1 && events !== entry.events;
    entry.events = events;
    if (present && (!was.present || swapped)) {
      entry.status = { reader: was.reader, present, atr: s.atr ? new Uint8Array(s.atr) : undefined, insertion: was.insertion + 1 };
      log.info({ reader: was.reader, insertion: entry.status.insertion }, 'card inserted');
      this.emit('card-inserted', { ...entry.status });
    } else if (!present && was.present) {
      entry.status = { reader: was.reader, present, insertion: was.insertion };
      log.info({ reader: was.reader }, 'card removed');
      this.emit('card-removed', was.reader);
    }
  }
}

const spentKey = (s: ReaderStatus) => `${s.reader}\u0000${s.insertion}`;
