// The slice of @pokusew/pcsclite this part uses, as a structural interface (the seam tests and the
// session program against), the promise wrappers around its callbacks, and a reachability check
// for pcscd: the addon's constructor retries SCardEstablishContext in a busy loop while the
// service is missing, which would hang the process instead of failing.
import { connect } from 'node:net';
import type { EventEmitter } from 'node:events';
import pcsclite from '@pokusew/pcsclite';
import { CardError } from '../errors.js';

export interface NativeStatus {
  state: number;
  atr?: Buffer;
}

export interface NativeReader extends EventEmitter {
  readonly name: string;
  connected: boolean;
  readonly SCARD_SHARE_EXCLUSIVE: number;
  readonly SCARD_PROTOCOL_T0: number;
  readonly SCARD_LEAVE_CARD: number;
  readonly SCARD_RESET_CARD: number;
  readonly SCARD_STATE_PRESENT: number;
  readonly SCARD_STATE_MUTE: number;
  connect(options: { share_mode: number; protocol: number }, cb: (err: unknown, protocol: number) => void): void;
  disconnect(disposition: number, cb: (err: unknown) => void): void;
  transmit(data: Buffer, resLen: number, protocol: number, cb: (err: unknown, response: Buffer) => void): void;
  close(): void;
}

export interface NativeContext extends EventEmitter {
  close(): void;
}

export const openNativeContext = (): NativeContext => pcsclite() as unknown as NativeContext;

/** pcsc-lite's client socket (PCSCLITE_CSOCK_NAME overrides it, as in libpcsclite). */
export const defaultPcscdSocket = (): string => process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';

export async function assertPcscdReachable(socketPath: string, timeoutMs = 2000): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const socket = connect({ path: socketPath });
    const fail = (why: string) => {
      socket.destroy();
      reject(new CardError('NO_READER', `PC/SC service pcscd not reachable at ${socketPath}: ${why}`));
    };
    const timer = setTimeout(() => fail('no answer'), timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      fail(err.code ?? err.message);
    });
  });
}

export const nativeConnect = (reader: NativeReader): Promise<number> =>
  new Promise((resolve, reject) =>
    reader.connect({ share_mode: reader.SCARD_SHARE_EXCLUSIVE, protocol: reader.SCARD_PROTOCOL_T0 }, (err, protocol) =>
      err ? reject(err) : resolve(protocol),
    ),
  );

export const nativeTransmit = (reader: NativeReader, command: Uint8Array, protocol: number): Promise<Buffer> =>
  new Promise((resolve, reject) =>
    // 256 data bytes plus SW1 SW2 is the largest short-APDU answer.
    reader.transmit(Buffer.from(command), 258, protocol, (err, response) => (err ? reject(err) : resolve(response))),
  );

export const nativeDisconnect = (reader: NativeReader, disposition: number): Promise<void> =>
  new Promise((resolve, reject) => reader.disconnect(disposition, (err) => (err ? reject(err) : resolve())));

/** Races a promise against a timer; the timer is cleared either way. */
export async function withTimeout<T>(work: Promise<T>, ms: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
