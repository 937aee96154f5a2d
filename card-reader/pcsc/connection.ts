// An exclusive T=0 connection to one card: the APDU transport under the eID protocol. The addon
// has no SCardBeginTransaction, so exclusivity is taken at connect (SCARD_SHARE_EXCLUSIVE), which
// is a transaction over the whole connection: nothing else can change the selected file mid-read.
// Every transmit has a deadline; every failure becomes a CardError; close never throws.
import { CardError, isCardError } from '../errors.js';
import { toHex } from '../eid/hex.js';
import type { ApduTransport } from '../eid/protocol.js';
import { logger } from '../log.js';
import { MAYBE_REMOVED, PCSC, pcscCode, pcscDetail } from './pcsc-errors.js';
import { nativeDisconnect, nativeTransmit, withTimeout, type NativeReader } from './native.js';
import type { ReaderStatus } from './reader-status.js';

/** What a connection needs from its session. */
export interface ConnectionHooks {
  waitForRemoval(insertion: number): Promise<'card' | 'reader' | 'present'>;
  /** This card failed as removed: a later wait must not hand it out again. */
  markSpent(status: ReaderStatus): void;
  /** The connection is finished; `disconnected` settles when the addon has let the handle go. */
  released(connection: CardConnection, disconnected: Promise<void>): void;
}

const log = logger('pcsc');

export class CardConnection implements ApduTransport {
  #broken = false;
  #closed: Promise<void> | undefined;

  constructor(
    private readonly native: NativeReader,
    private readonly protocol: number,
    readonly status: ReaderStatus,
    private readonly apduTimeoutMs: number,
    private readonly hooks: ConnectionHooks,
  ) {}

  get reader(): string {
    return this.status.reader;
  }

  async transmit(command: Uint8Array): Promise<Uint8Array> {
    if (this.#closed) throw new CardError('CARD_UNREADABLE', 'connection already closed');
    const header = toHex(command.subarray(0, 2), ' ');
    let raw: Buffer;
    try {
      raw = await withTimeout(
        nativeTransmit(this.native, command, this.protocol),
        this.apduTimeoutMs,
        () => new CardError('TIMEOUT', `no answer to ${header} within ${this.apduTimeoutMs} ms`),
      );
    } catch (err) {
      this.#broken = true;
      throw isCardError(err) ? err : await this.#failure(err);
    }
    // vpcd answers an APDU with nothing when the card leaves mid-command.
    if (raw.length < 2) {
      this.#broken = true;
      throw await this.#failure(new Error(`${raw.length}-byte answer to ${header}`));
    }
    return raw;
  }

  /** Disconnects (resetting the card if the read broke off); bounded, never throws. */
  close(): Promise<void> {
    this.#closed ??= this.#close();
    return this.#closed;
  }

  async #close(): Promise<void> {
    const disposition = this.#broken ? this.native.SCARD_RESET_CARD : this.native.SCARD_LEAVE_CARD;
    // After a TIMEOUT the addon still runs the late transmit; its disconnect queues behind it.
    const disconnected = nativeDisconnect(this.native, disposition).catch((err: unknown) =>
      log.warn({ reader: this.reader, err: String(err) }, 'disconnect failed'),
    );
    this.hooks.released(this, disconnected);
    await withTimeout(disconnected, this.apduTimeoutMs, () => new Error('disconnect pending')).catch(() =>
      log.warn({ reader: this.reader }, 'disconnect still pending; the next connect waits for it'),
    );
  }

  // A transport error mid-read is usually the card leaving; pcscd only knows once it polls the
  // reader, so wait (bounded) for its verdict before naming the failure.
  async #failure(err: unknown): Promise<CardError> {
    const code = pcscCode(err);
    const detail = pcscDetail(err);
    if (code === PCSC.E_TIMEOUT) return new CardError('TIMEOUT', detail, { cause: err });
    if (code !== undefined && !MAYBE_REMOVED.has(code)) return new CardError('CARD_UNREADABLE', detail, { cause: err });
    const seen = await this.hooks.waitForRemoval(this.status.insertion);
    if (seen === 'reader') return new CardError('READER_UNPLUGGED', detail, { cause: err });
    if (seen === 'card' || code === PCSC.W_REMOVED_CARD || code === PCSC.E_NO_SMARTCARD) {
      this.hooks.markSpent(this.status);
      return new CardError('CARD_REMOVED', detail, { cause: err });
    }
    return new CardError('CARD_UNREADABLE', detail, { cause: err });
  }
}
