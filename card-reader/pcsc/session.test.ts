// Session behaviour that the real pcscd with two fixed vpcd readers cannot show: no reader at all,
// a reader unplugged in the middle of a read, pcscd dying. The addon is replaced by a small fake
// (the NativeContext seam); the card behind the fake reader is the real virtual applet.
import { EventEmitter } from 'node:events';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BeidCard, readEidFiles } from '../eid/protocol.js';
import { isCardError } from '../errors.js';
import type { CardFileName, CardFiles } from '../types.js';
import { BelpicApplet } from '../virtual/vpcd-card.js';
import type { NativeContext, NativeReader, NativeStatus } from './native.js';
import { PcscSession } from './session.js';
import { SPECIMEN_DIR } from '../virtual/profiles.js';

const alice: CardFiles = Object.fromEntries(
  readdirSync(SPECIMEN_DIR).map((f) => [f as CardFileName, new Uint8Array(readFileSync(join(SPECIMEN_DIR, f)))]),
);

const PRESENT = 0x20;
const EMPTY = 0x10;

class FakeReader extends EventEmitter implements NativeReader {
  connected = false;
  closed = false;
  readonly SCARD_SHARE_EXCLUSIVE = 1;
  readonly SCARD_PROTOCOL_T0 = 1;
  readonly SCARD_LEAVE_CARD = 0;
  readonly SCARD_RESET_CARD = 1;
  readonly SCARD_STATE_PRESENT = PRESENT;
  readonly SCARD_STATE_MUTE = 0x200;
  readonly applet = new BelpicApplet(alice);
  /** Called before each APDU is answered; return an error message to fail the transmit instead. */
  beforeAnswer: (n: number) => string | undefined = () => undefined;
  #apdus = 0;

  constructor(readonly name: string) {
    super();
  }
  status(state: number): void {
    this.emit('status', { state, atr: Buffer.from(this.applet.atr) } satisfies NativeStatus);
  }
  connect(_o: unknown, cb: (err: unknown, protocol: number) => void): void {
    this.connected = true;
    setImmediate(() => cb(undefined, 1));
  }
  disconnect(_d: number, cb: (err: unknown) => void): void {
    this.connected = false;
    setImmediate(() => cb(undefined));
  }
  transmit(data: Buffer, _len: number, _p: number, cb: (err: unknown, response: Buffer) => void): void {
    const failure = this.beforeAnswer(this.#apdus++);
    setImmediate(() => (failure ? cb(new Error(failure), Buffer.alloc(0)) : cb(undefined, Buffer.from(this.applet.process(data)))));
  }
  close(): void {
    this.closed = true;
  }
}

class FakeContext extends EventEmitter implements NativeContext {
  closed = false;
  close(): void {
    this.closed = true;
  }
  plug(reader: FakeReader, state = EMPTY): void {
    this.emit('reader', reader);
    setImmediate(() => reader.status(state));
  }
}

let session: PcscSession | undefined;
afterEach(async () => {
  await session?.close();
  session = undefined;
});

async function open(ctx: FakeContext): Promise<PcscSession> {
  session = await PcscSession.open({ context: () => ctx });
  return session;
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'resolved',
    (e: unknown) => (isCardError(e) ? e.code : `not a CardError: ${String(e)}`),
  );

describe('PcscSession against a fake addon', () => {
  it('gives NO_READER when pcscd lists no reader at all', async () => {
    const s = await open(new FakeContext());
    expect(await codeOf(s.waitForCard({ timeoutMs: 30 }))).toBe('NO_READER');
  });

  it('hands out a card that arrives while waiting', async () => {
    const ctx = new FakeContext();
    const s = await open(ctx);
    const reader = new FakeReader('Fake 00');
    const waiting = s.waitForCard({ timeoutMs: 2000 });
    ctx.plug(reader, PRESENT);
    expect(await waiting).toMatchObject({ reader: 'Fake 00', present: true, insertion: 1 });
  });

  it('gives READER_UNPLUGGED when the reader goes in the middle of a read, and closes everything', async () => {
    const ctx = new FakeContext();
    const s = await open(ctx);
    const reader = new FakeReader('Fake 00');
    ctx.plug(reader, PRESENT);
    reader.beforeAnswer = (n) => {
      if (n !== 3) return undefined;
      reader.emit('end');
      return 'SCardTransmit error: Reader is unavailable.(0x80100017)';
    };
    const status = await s.waitForCard({ timeoutMs: 1000 });
    const connection = await s.connect(status, { apduTimeoutMs: 1000 });
    expect(await codeOf(readEidFiles(new BeidCard(connection), { photo: false }))).toBe('READER_UNPLUGGED');
    await connection.close();
    expect(reader.connected).toBe(false);
    expect(s.readers()).toEqual([]);
    await s.close();
    expect(ctx.closed).toBe(true);
  });

  it('sees a card swapped between two polls as a new card', async () => {
    const ctx = new FakeContext();
    const s = await open(ctx);
    const reader = new FakeReader('Fake 00');
    ctx.plug(reader, PRESENT | (1 << 16));
    await s.waitForCard({ timeoutMs: 1000 });
    const swapped = new Promise((resolve) => s.once('card-inserted', resolve));
    reader.status(PRESENT | (3 << 16));
    expect(await swapped).toMatchObject({ insertion: 2 });
  });

  it('fails waiting reads with NO_READER when pcscd stops', async () => {
    const ctx = new FakeContext();
    const s = await open(ctx);
    ctx.plug(new FakeReader('Fake 00'));
    const waiting = codeOf(s.waitForCard({ timeoutMs: 5000 }));
    ctx.emit('error', new Error('SCardGetStatusChange error: Service was stopped.(0x8010001e)'));
    expect(await waiting).toBe('NO_READER');
  });

  it('closes every reader before the context', async () => {
    const ctx = new FakeContext();
    const s = await open(ctx);
    const readers = [new FakeReader('Fake 00'), new FakeReader('Fake 01')];
    for (const r of readers) ctx.plug(r);
    await new Promise<void>((resolve) => s.once('readers-listed', () => resolve()));
    const closes: string[] = [];
    for (const closable of [...readers, ctx]) {
      const close = closable.close.bind(closable);
      closable.close = () => {
        closes.push(closable instanceof FakeReader ? closable.name : 'context');
        close();
      };
    }
    await s.close();
    expect(closes.slice(0, 2).sort()).toEqual(['Fake 00', 'Fake 01']);
    expect(closes).toHaveLength(3);
    expect(closes[2]).toBe('context');
  });
});
