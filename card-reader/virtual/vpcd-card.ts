// A virtual Belgian eID card. `BelpicApplet` answers APDUs like the real applet (beid.md §1-2);
// `startVirtualCard` plugs it into vsmartcard's vpcd reader driver over TCP, so pcscd sees a card
// insertion and the reader talks to it through real PC/SC. Test and demo equipment only.
//
// vpcd wire: every message both ways is a 2-byte big-endian length then the payload. From vpcd, a
// 1-byte payload is a control (00 power off, 01 power on, 02 reset, 04 get ATR); anything longer is
// a command APDU, answered with the response APDU. Closing the socket is a card removal.
import { randomBytes, type KeyObject } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  BASIC_KEY_REF,
  BELPIC_AID,
  CARD_DATA_LENGTH,
  CHALLENGE_TAG,
  MAX_LE,
  SW,
  SW1_BYTES_AVAILABLE,
  SW1_WRONG_LE,
  encodeResponse,
  leFromByte,
} from '../eid/apdu.js';
import { EID_FILES, MF, type EidFile } from '../eid/protocol.js';
import { decodeTlv } from '../eid/tlv.js';
import { logger } from '../log.js';
import type { CardFiles } from '../types.js';
import { signDigestP384 } from '../verify/ecdsa-digest.js';

/** How the applet misbehaves, to exercise the reader's handling of every real-card quirk. */
export interface AppletFaults {
  /** Answer data as 61xx and serve it through GET RESPONSE (T=0 cards behind some readers). */
  use61xx?: boolean;
  /** Answer 6Cxx to the first READ BINARY of each selected file even when Le fits. */
  wrongLe?: boolean;
  /** A consulate card shipped inactive: 6D00 to everything but the applet SELECT. */
  notActivated?: boolean;
  /** Not an eID: the Belpic AID is unknown (6A82), proprietary commands unknown (6E00). */
  notBeid?: boolean;
}

/** What the chip holds beyond its files. */
export interface ChipKeys {
  /**
   * The basic private key (applet 1.8) that INTERNAL AUTHENTICATE signs with; a card without one
   * refuses the command. A key that does not match the card's 4040 file makes a clone.
   */
  basicPrivateKey?: KeyObject;
}

export interface VirtualCardOptions extends AppletFaults, ChipKeys {
  files: CardFiles;
  /** vpcd slot: 0 is reader "Virtual PCD 00 00" (port 35963), 1 is "Virtual PCD 00 01". */
  slot?: number;
  host?: string;
  /** Overrides 35963 + slot. */
  port?: number;
  /** Wait before each APDU answer, to model a real reader's per-APDU time. */
  delayMs?: number;
  /** Close the connection (a card removal) when APDU number N+1 arrives, unanswered. */
  removeAfterApdus?: number;
}

export interface VirtualCard {
  readonly slot: number;
  /** The pcscd reader this card sits in. */
  readonly readerName: string;
  /** Command APDUs answered so far. */
  readonly apduCount: number;
  /** Resolves once the card is out of the reader (stopped, removed by fault, or vpcd gone). */
  readonly removed: Promise<void>;
  stop(): Promise<void>;
}

export const VPCD_BASE_PORT = 35963;
export const vpcdReaderName = (slot: number): string => `Virtual PCD 00 ${String(slot).padStart(2, '0')}`;

/** ATR of a 1.x card (beid.md §1), used when the profile has no atr.bin. */
const DEFAULT_ATR = Uint8Array.from([0x3b, 0x98, 0x13, 0x40, 0x0a, 0xa5, 0x03, 0x01, 0x01, 0x01, 0xad, 0x13, 0x11]);
/** Bytes 16-27 of a real 1.1 card's GET CARD DATA (beid.md §1, 71715100070.eid). */
const CARD_DATA_TAIL_11 = Uint8Array.from([0xa5, 0x03, 0x01, 0x01, 0x01, 0x11, 0x00, 0x02, 0x00, 0x01, 0x01, 0x0f]);
const APPLET_18 = 0x18;
const DF_AIDS: ReadonlyMap<string, number> = new Map([
  ['A000000177504B43532D3135', 0xdf00],
  ['A000000177496446696C6573', 0xdf01],
]);

const log = logger('virtual-card');

export class BelpicApplet {
  #current: { df: number; ef?: EidFile } = { df: MF };
  #appletSelected = true;
  #pending: Uint8Array | undefined;
  #readSinceSelect = false;
  readonly atr: Uint8Array;
  readonly #cardData: Uint8Array;

  constructor(
    private readonly files: CardFiles,
    private readonly faults: AppletFaults = {},
    private readonly keys: ChipKeys = {},
  ) {
    this.atr = files['atr.bin'] ?? DEFAULT_ATR;
    this.#cardData = files['card-data.bin'] ?? synthesizeCardData11(files);
  }

  /** Power-on or reset: the applet is selected by default with the MF current. */
  reset(): void {
    this.#current = { df: MF };
    this.#appletSelected = true;
    this.#pending = undefined;
    this.#readSinceSelect = false;
  }

  process(apdu: Uint8Array): Uint8Array {
    if (apdu.length < 4) return sw(SW.WRONG_LENGTH);
    const [cla, ins, p1, p2] = [apdu[0]!, apdu[1]!, apdu[2]!, apdu[3]!];
    const body = apdu.subarray(4);
    // Case 2 (Le only) is 1 byte of body; case 3 is Lc then Lc bytes.
    const lc = body.length > 1 ? body[0]! : 0;
    const data = body.subarray(1, 1 + lc);
    const le = body.length === 1 ? leFromByte(body[0]!) : 0;

    if (cla === 0x00 && ins === 0xa4 && p1 === 0x04) return this.#selectAid(data);
    if (this.faults.notActivated) return sw(SW.INS_NOT_SUPPORTED);
    if (!this.#appletSelected) return sw(cla === 0x80 ? SW.CLA_NOT_SUPPORTED : SW.INS_NOT_SUPPORTED);
    if (cla === 0x00 && ins === 0xc0) return this.#getResponse(le);
    this.#pending = undefined;
    if (cla === 0x00 && ins === 0xa4) return this.#selectFile(p1, p2, data);
    if (cla === 0x00 && ins === 0xb0) return this.#readBinary((p1 << 8) | p2, p1, le);
    if (cla === 0x80 && ins === 0xe4) return this.#getCardData(p2, le);
    if (cla === 0x00 && ins === 0x88) return this.#internalAuthenticate(p1, p2, data);
    return sw(cla === 0x00 || cla === 0x80 ? SW.INS_NOT_SUPPORTED : SW.CLA_NOT_SUPPORTED);
  }

  #selectAid(aid: Uint8Array): Uint8Array {
    const hex = Buffer.from(aid).toString('hex').toUpperCase();
    if (aid.length === 0) {
      // An empty AID picks the Card Manager (1.8 manual §6.6): the applet is no longer selected.
      this.#appletSelected = false;
      return sw(SW.OK);
    }
    if (!this.faults.notBeid && hex === Buffer.from(BELPIC_AID).toString('hex').toUpperCase()) {
      this.reset();
      return sw(SW.OK);
    }
    const df = this.faults.notBeid || !this.#appletSelected ? undefined : DF_AIDS.get(hex);
    if (df === undefined) return sw(SW.FILE_NOT_FOUND);
    this.#current = { df };
    return sw(SW.OK);
  }

  #selectFile(p1: number, p2: number, data: Uint8Array): Uint8Array {
    if ((p2 !== 0x0c && p2 !== 0x00) || data.length % 2 !== 0 || data.length === 0) return sw(SW.WRONG_P1P2_FUNC);
    const ids = Array.from({ length: data.length / 2 }, (_, i) => (data[2 * i]! << 8) | data[2 * i + 1]!);
    let df = this.#current.df;
    let ef: EidFile | undefined;
    if (p1 === 0x08) {
      // Path from the MF; the 1.7/1.8 manuals leave 3F00 out, all field code puts it in: take both.
      const rest = ids[0] === MF ? ids.slice(1) : ids;
      df = MF;
      for (const [i, id] of rest.entries()) {
        if (df === MF && isDf(id)) df = id;
        else if (i === rest.length - 1) ef = this.#fileAt(df, id);
        if (df !== id && ef === undefined) return sw(SW.FILE_NOT_FOUND);
      }
    } else if (p1 === 0x02 || p1 === 0x00) {
      // File by file, relative to the current DF (MW's fallback walk: 3F00, then DF01, then 4031).
      if (ids.length !== 1) return sw(SW.WRONG_P1P2_FUNC);
      const id = ids[0]!;
      if (id === MF || isDf(id)) df = id;
      else {
        ef = this.#fileAt(df, id);
        if (!ef) return sw(SW.FILE_NOT_FOUND);
      }
    } else {
      return sw(SW.WRONG_P1P2_FUNC);
    }
    this.#current = ef ? { df, ef } : { df };
    this.#readSinceSelect = false;
    return sw(SW.OK);
  }

  #fileAt(df: number, id: number): EidFile | undefined {
    const ef = EID_FILES.find((f) => f.path[1] === df && f.path[2] === id);
    return ef && this.files[ef.name] ? ef : undefined;
  }

  #readBinary(offset: number, p1: number, le: number): Uint8Array {
    if (p1 & 0x80) return sw(SW.WRONG_P1P2_FUNC); // short-EF-id reads are not supported by the applet
    const ef = this.#current.ef;
    const content = ef ? this.files[ef.name] : undefined;
    if (!content) return sw(SW.NO_CURRENT_EF);
    const first = !this.#readSinceSelect;
    this.#readSinceSelect = true;
    if (offset >= content.length) return sw(SW.OFFSET_PAST_EOF);
    const left = content.length - offset;
    const n = Math.min(le, left);
    if (this.faults.use61xx) return this.#offer(content.subarray(offset, offset + n));
    // 6Cxx: "resend with Le=xx", xx being what is left (00 = 256); the wrong-Le fault asks for a
    // resend on the first READ after each SELECT even when Le was right.
    if (le > left || (first && this.faults.wrongLe)) return sw((SW1_WRONG_LE << 8) | (n & 0xff));
    return encodeResponse(content.subarray(offset, offset + n), SW.OK);
  }

  #getCardData(p2: number, le: number): Uint8Array {
    if (this.faults.notBeid) return sw(SW.CLA_NOT_SUPPORTED);
    let answer: Uint8Array;
    if (p2 === 0x00) answer = this.#cardData.subarray(0, CARD_DATA_LENGTH.plain);
    else if (p2 === 0x01 && this.#cardData[21] === APPLET_18) {
      answer =
        this.#cardData.length >= CARD_DATA_LENGTH.withPinTries
          ? this.#cardData.subarray(0, CARD_DATA_LENGTH.withPinTries)
          : Uint8Array.from([...this.#cardData.subarray(0, CARD_DATA_LENGTH.plain), 0x03, 0xff, 0xff]);
    } else return sw(SW.WRONG_P1P2_FUNC);
    if (this.faults.use61xx) return this.#offer(answer);
    if (le !== answer.length) return sw((SW1_WRONG_LE << 8) | answer.length);
    return encodeResponse(answer, SW.OK);
  }

  /**
   * `00 88 02 81 Lc 94 len <challenge>`: the basic key signs the challenge as the digest (raw ECDSA,
   * see verify/ecdsa-digest.ts) and the r‖s answer waits behind 61xx, as a T=0 chip answers a
   * command that carries data. A card without a basic key answers 6A88 (referenced key not found,
   * ISO 7816-4). Real 1.1/1.7 chips do hold an RSA "Card" key under 81 and answer with a 128-byte
   * signature (the old BEID SDK's getChallengeResponse), but no file on them binds that key to the
   * identity, so MW and this reader never ask them; the virtual 1.x cards have no such key.
   */
  #internalAuthenticate(p1: number, p2: number, data: Uint8Array): Uint8Array {
    if (p1 !== 0x02 || p2 !== BASIC_KEY_REF) return sw(SW.WRONG_P1P2_FUNC);
    if (data.length < 3 || data[0] !== CHALLENGE_TAG || data[1] !== data.length - 2) return sw(SW.WRONG_DATA);
    const key = this.keys.basicPrivateKey;
    if (!key) return sw(SW.REFERENCE_NOT_FOUND);
    return this.#offer(signDigestP384(key, data.subarray(2), randomBytes));
  }

  #offer(data: Uint8Array): Uint8Array {
    this.#pending = data;
    return sw((SW1_BYTES_AVAILABLE << 8) | (data.length & 0xff));
  }

  #getResponse(le: number): Uint8Array {
    const pending = this.#pending;
    if (!pending) return sw(SW.CONDITIONS);
    if (le > pending.length) return sw((SW1_WRONG_LE << 8) | (pending.length & 0xff));
    const rest = pending.subarray(le);
    this.#pending = rest.length > 0 ? rest : undefined;
    return encodeResponse(
      pending.subarray(0, le),
      rest.length > 0 ? (SW1_BYTES_AVAILABLE << 8) | (Math.min(rest.length, MAX_LE) & 0xff) : SW.OK,
    );
  }
}

/** GET CARD DATA of a 1.1 card: chip number (identity tag 02) then a real 1.1 card's tail. */
function synthesizeCardData11(files: CardFiles): Uint8Array {
  const out = new Uint8Array(CARD_DATA_LENGTH.plain);
  const identity = files['identity.tlv'];
  const chip = identity ? decodeTlv(identity, 'identity').find((f) => f.tag === 0x02)?.value : undefined;
  if (chip) out.set(chip.subarray(0, 16));
  out.set(CARD_DATA_TAIL_11, 16);
  return out;
}

const isDf = (id: number) => id === 0xdf00 || id === 0xdf01;
const sw = (word: number): Uint8Array => encodeResponse(new Uint8Array(0), word);

/** Inserts a virtual card into a vpcd reader; resolves once vpcd accepted the connection. */
export async function startVirtualCard(opts: VirtualCardOptions): Promise<VirtualCard> {
  const slot = opts.slot ?? 0;
  const port = opts.port ?? VPCD_BASE_PORT + slot;
  const host = opts.host ?? '127.0.0.1';
  const applet = new BelpicApplet(opts.files, opts, opts);
  const socket: Socket = connect({ host, port, noDelay: true });
  try {
    await once(socket, 'connect');
  } catch (cause) {
    socket.destroy();
    throw new Error(`vpcd is not listening on ${host}:${port} (is pcscd running with vsmartcard-vpcd?)`, { cause });
  }
  log.info({ slot }, 'virtual card inserted');

  let answered = 0;
  let buffered = Buffer.alloc(0);
  let chain: Promise<void> = Promise.resolve();
  const removed = once(socket, 'close').then(() => log.info({ slot, answered }, 'virtual card removed'));
  socket.on('error', (err) => log.debug({ slot, err: err.message }, 'vpcd socket error'));

  const reply = (payload: Uint8Array) => {
    if (socket.destroyed) return;
    const frame = Buffer.alloc(2 + payload.length);
    frame.writeUInt16BE(payload.length, 0);
    frame.set(payload, 2);
    socket.write(frame);
  };

  const handle = async (msg: Buffer): Promise<void> => {
    if (msg.length === 1) {
      const control = msg[0];
      if (control === 0x04) reply(applet.atr);
      else if (control === 0x01 || control === 0x02) applet.reset();
      return;
    }
    if (opts.removeAfterApdus !== undefined && answered >= opts.removeAfterApdus) {
      socket.destroy();
      return;
    }
    if (opts.delayMs) await sleep(opts.delayMs);
    if (socket.destroyed) return;
    answered += 1;
    reply(applet.process(msg));
  };

  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 2) {
      const length = buffered.readUInt16BE(0);
      if (buffered.length < 2 + length) break;
      const msg = buffered.subarray(2, 2 + length);
      buffered = buffered.subarray(2 + length);
      // Sequential, so a delayed answer cannot overtake the previous one.
      chain = chain
        .then(() => handle(msg))
        .catch((err: unknown) => {
          // A bug in the emulation: pull the card rather than leave pcscd waiting for an answer.
          log.error({ slot, err: String(err) }, 'virtual card failed');
          socket.destroy();
        });
    }
  });

  return {
    slot,
    readerName: vpcdReaderName(slot),
    get apduCount() {
      return answered;
    },
    removed,
    async stop() {
      socket.destroy();
      await removed;
    },
  };
}
