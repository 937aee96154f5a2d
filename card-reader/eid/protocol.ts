// The Belpic applet dialogue over any APDU transport (beid.md §1-2): applet selection with one
// re-select, SELECT by path, READ BINARY to the end of a file, GET CARD DATA, and the T=0 status
// words 61xx (GET RESPONSE) and 6Cxx (resend with the right Le), and on applet 1.8 the basic-key
// challenge (INTERNAL AUTHENTICATE). Status words become CardErrors
// that name the command and the file; response data is never logged (it is personal data).
import { X509Certificate, randomBytes } from 'node:crypto';
import { CardError } from '../errors.js';
import { logger } from '../log.js';
import type { CardFileName, CardFiles } from '../types.js';
import { parseCardData, type CardData } from './card-data.js';
import { derDeclaredLength } from './der.js';
import {
  BELPIC_AID,
  MAX_LE,
  SW,
  SW1_BYTES_AVAILABLE,
  SW1_WRONG_LE,
  getCardData,
  getResponse,
  internalAuthenticate,
  leFromByte,
  parseResponse,
  readBinary,
  selectAid,
  selectPath,
  withLe,
  type ResponseApdu,
} from './apdu.js';
import { hexWord, toHex } from './hex.js';

/** The seam under the protocol: a PC/SC connection, or the virtual applet in memory for unit tests. */
export interface ApduTransport {
  transmit(command: Uint8Array): Promise<Uint8Array>;
}

export interface EidFile {
  name: CardFileName;
  /** Full path from the MF as sent with SELECT P1=08 (all field code includes 3F00). */
  path: readonly [number, number, number];
  /** `DF01/4031`, for errors and logs. */
  label: string;
}

export const MF = 0x3f00;
const eidFile = (name: CardFileName, df: number, ef: number): EidFile => ({
  name,
  path: [MF, df, ef],
  label: `${hexWord(df)}/${hexWord(ef)}`,
});

export const EID_FILES: readonly EidFile[] = [
  eidFile('identity.tlv', 0xdf01, 0x4031),
  eidFile('identity-signature.bin', 0xdf01, 0x4032),
  eidFile('address.tlv', 0xdf01, 0x4033),
  eidFile('address-signature.bin', 0xdf01, 0x4034),
  eidFile('photo.jpg', 0xdf01, 0x4035),
  eidFile('basic-key.der', 0xdf01, 0x4040),
  eidFile('authentication-cert.der', 0xdf00, 0x5038),
  eidFile('signing-cert.der', 0xdf00, 0x5039),
  eidFile('ca-cert.der', 0xdf00, 0x503a),
  eidFile('root-cert.der', 0xdf00, 0x503b),
  eidFile('rrn-cert.der', 0xdf00, 0x503c),
];
export const eidFileNamed = (name: CardFileName): EidFile => {
  const found = EID_FILES.find((f) => f.name === name);
  if (!found) throw new Error(`${name} is not a file on the chip`);
  return found;
};

// A SELECT answered with these means the applet may have lost selection (another PC/SC client,
// a SELECT of the Card Manager): select it again, once per session (MW card.cpp ShouldSelectApplet).
const RESELECT_ON: ReadonlySet<number> = new Set([SW.FILE_NOT_FOUND, SW.WRONG_P1P2_FUNC, SW.INS_NOT_SUPPORTED]);
// 61xx chains are a few links at most; a card that never ends one is broken, not slow.
const MAX_RESPONSE_LINKS = 32;

const log = logger('eid-protocol');

export class BeidCard {
  #apdus = 0;
  #reselected = false;

  constructor(private readonly transport: ApduTransport) {}

  /** Command APDUs sent so far, GET RESPONSEs and 6Cxx resends included. */
  get apduCount(): number {
    return this.#apdus;
  }

  /** `00 A4 04 0C 0F <Belpic AID>`. Refused = not an eID; 6D00 = applet present but not activated. */
  async selectApplet(): Promise<void> {
    const r = await this.#exchange(selectAid(BELPIC_AID), 'SELECT applet');
    if (r.sw === SW.OK) return;
    if (r.sw === SW.INS_NOT_SUPPORTED) throw new CardError('CARD_NOT_ACTIVATED', 'SW 6D00 on SELECT applet');
    throw new CardError('NOT_BEID', `SW ${hexWord(r.sw)} on SELECT applet`);
  }

  /**
   * GET CARD DATA `80 E4 00 00 1C`. It is the first command of a read: the applet is selected after
   * a reset, so an explicit SELECT is only sent when this is refused (a foreign card, or a card
   * another client left elsewhere). P2=01 (1.8's PIN tries) is not asked: the kiosk has no use for it.
   */
  async cardData(): Promise<Uint8Array> {
    const r = await this.#exchange(getCardData(), 'GET CARD DATA');
    if (r.sw === SW.OK) return r.data;
    if (!this.#reselected) {
      await this.#reselect();
      return this.cardData();
    }
    if (r.sw === SW.INS_NOT_SUPPORTED) throw new CardError('CARD_NOT_ACTIVATED', 'SW 6D00 on GET CARD DATA');
    throw unreadable(r.sw, 'GET CARD DATA');
  }

  /** `00 A4 08 0C 06 3F00 DFxx EFxx`. */
  async selectFile(file: EidFile): Promise<void> {
    const r = await this.#exchange(selectPath(file.path), `SELECT ${file.label}`);
    if (r.sw === SW.OK) return;
    if (RESELECT_ON.has(r.sw) && !this.#reselected) {
      await this.#reselect();
      return this.selectFile(file);
    }
    if (r.sw === SW.INS_NOT_SUPPORTED) throw new CardError('CARD_NOT_ACTIVATED', `SW 6D00 on SELECT ${file.label}`);
    throw unreadable(r.sw, `SELECT ${file.label}`);
  }

  /**
   * Selects and reads a whole file in 256-byte chunks. `size` is a size known in advance (it saves
   * the 6Cxx round trip at the end); `certificate` stops at the DER length instead of reading the
   * zero padding. Without either, the end is a short answer (after 6Cxx, or from a reader that
   * fixes Le itself), 6B00 at a chunk boundary, or 6282.
   */
  async readFile(file: EidFile, hint: { size?: number; certificate?: boolean } = {}): Promise<Uint8Array> {
    await this.selectFile(file);
    const what = `READ BINARY ${file.label}`;
    const chunks: Uint8Array[] = [];
    let offset = 0;
    let size = hint.size;
    for (;;) {
      const ask = size === undefined ? MAX_LE : Math.min(MAX_LE, size - offset);
      if (ask <= 0) break;
      const r = await this.#exchange(readBinary(offset, ask), what);
      if (r.sw === SW.OFFSET_PAST_EOF) break;
      if (r.sw !== SW.OK && r.sw !== SW.EOF_BEFORE_LE) throw unreadable(r.sw, what);
      chunks.push(r.data);
      offset += r.data.length;
      if (r.sw === SW.EOF_BEFORE_LE || r.data.length < ask) break;
      if (hint.certificate && size === undefined) size = derCertificateLength(chunks[0]!, file.label);
    }
    const bytes = concat(chunks);
    return size !== undefined && bytes.length > size ? bytes.subarray(0, size) : bytes;
  }

  /**
   * INTERNAL AUTHENTICATE with the basic key (beid.md §5). A refusal is an answer, not an error: a
   * chip that will not prove it holds its key fails the basicKey verdict, it is not unreadable.
   */
  async challengeBasicKey(challenge: Uint8Array): Promise<ChipChallenge> {
    const r = await this.#exchange(internalAuthenticate(challenge), 'INTERNAL AUTHENTICATE');
    return r.sw === SW.OK ? { challenge, response: r.data } : { challenge, refusal: `SW ${hexWord(r.sw)}` };
  }

  /** Sends one command; answers 6Cxx by resending with Le=xx and follows 61xx with GET RESPONSE. */
  async #exchange(command: Uint8Array, what: string): Promise<ResponseApdu> {
    let r = await this.#sendFixingLe(command, what);
    const parts = [r.data];
    for (let links = 0; r.sw >> 8 === SW1_BYTES_AVAILABLE; links++) {
      if (links === MAX_RESPONSE_LINKS) throw unreadable(r.sw, `${what} (endless 61xx chain)`);
      r = await this.#sendFixingLe(getResponse(leFromByte(r.sw & 0xff)), what);
      parts.push(r.data);
    }
    return { data: concat(parts), sw: r.sw };
  }

  async #sendFixingLe(command: Uint8Array, what: string): Promise<ResponseApdu> {
    const r = await this.#send(command, what);
    // Only a case-2 command (CLA INS P1 P2 Le) can be resent with another Le.
    if (r.sw >> 8 !== SW1_WRONG_LE || command.length !== 5) return r;
    const again = await this.#send(withLe(command, leFromByte(r.sw & 0xff)), what);
    if (again.sw >> 8 === SW1_WRONG_LE) throw unreadable(again.sw, `${what} (6Cxx twice)`);
    return again;
  }

  async #send(command: Uint8Array, what: string): Promise<ResponseApdu> {
    this.#apdus += 1;
    const r = parseResponse(await this.transport.transmit(command), what);
    log.debug({ cmd: toHex(command.subarray(0, 4)), sw: hexWord(r.sw), n: r.data.length }, what);
    return r;
  }

  async #reselect(): Promise<void> {
    this.#reselected = true;
    await this.selectApplet();
  }
}

/** The applet 1.8 basic-key challenge as sent and answered; verify/basic-key.ts judges it. */
export interface ChipChallenge {
  /** The random bytes sent with INTERNAL AUTHENTICATE. */
  challenge: Uint8Array;
  /** The chip's answer: raw r‖s. Absent when it refused; `refusal` then names the status word. */
  response?: Uint8Array;
  refusal?: string;
}

export interface FilesRead {
  files: CardFiles;
  /** Parsed at once: a malformed answer fails the read before any file is read. */
  cardData: CardData;
  /** Applet 1.8 only: the basic-key challenge and the chip's answer. */
  chip?: ChipChallenge;
}

export interface ReadEidOptions {
  photo: boolean;
  /** Random bytes for the 1.8 basic-key challenge; default crypto.randomBytes. */
  random?: (n: number) => Uint8Array;
  /** Called after each file is read, before the next APDU: lets a caller show data while the read goes on. */
  onFile?: (name: CardFileName, bytes: Uint8Array) => void;
}

/** DF01/4040 is a P-384 SubjectPublicKeyInfo: always 120 bytes (beid.md §2), so no 6Cxx round trip. */
export const BASIC_KEY_FILE_SIZE = 120;
/** SHA-384 sized, as MW sends (eid-viewer do_challenge): the chip signs it as a P-384 digest. */
export const BASIC_KEY_CHALLENGE_SIZE = 48;

/**
 * Everything a kiosk read needs, in the fewest APDUs the card allows (card-reader/README.md counts them):
 * card data, identity and address first (so a screen can show them while the rest is read; neither
 * needs a size hint), then the RRN certificate (its key gives the signature files' exact size), both
 * signatures, on applet 1.8 the basic key and its challenge (in the same exclusive connection, so the
 * answering chip is the one the files came from) and, if asked, the photo last. Never the
 * authentication or signing certificates.
 */
export async function readEidFiles(card: BeidCard, opts: ReadEidOptions): Promise<FilesRead> {
  const cardData = parseCardData(await card.cardData());
  const files: CardFiles = {};
  const read = async (name: CardFileName, hint?: { size?: number; certificate?: boolean }): Promise<Uint8Array> => {
    const bytes = await card.readFile(eidFileNamed(name), hint);
    opts.onFile?.(name, bytes);
    return bytes;
  };
  files['identity.tlv'] = await read('identity.tlv');
  files['address.tlv'] = await read('address.tlv');
  const rrn = await read('rrn-cert.der', { certificate: true });
  if (rrn.length > 0) files['rrn-cert.der'] = rrn;
  const signatureSize = rrn.length > 0 ? signatureFileSize(rrn) : undefined;
  files['identity-signature.bin'] = await read('identity-signature.bin', { size: signatureSize });
  files['address-signature.bin'] = await read('address-signature.bin', { size: signatureSize });
  let chip: ChipChallenge | undefined;
  if (cardData.appletVersion === '1.8') {
    files['basic-key.der'] = await read('basic-key.der', { size: BASIC_KEY_FILE_SIZE });
    chip = await card.challengeBasicKey((opts.random ?? randomBytes)(BASIC_KEY_CHALLENGE_SIZE));
  }
  if (opts.photo) files['photo.jpg'] = await read('photo.jpg');
  return { files, cardData, ...(chip ? { chip } : {}) };
}

/**
 * Size of the signature files 4032/4034 from the RRN key: an RSA signature is exactly the modulus
 * length (128 B for RSA-1024, 256 B for RSA-2048); an ECDSA one is DER zero-padded to 256 B
 * (beid.md §5). Unknown key: undefined, and the file is read to its end instead.
 */
export function signatureFileSize(rrnCertDer: Uint8Array): number | undefined {
  try {
    const key = new X509Certificate(rrnCertDer).publicKey;
    const details = key.asymmetricKeyDetails;
    if (key.asymmetricKeyType === 'rsa' && details?.modulusLength) return Math.ceil(details.modulusLength / 8);
    if (key.asymmetricKeyType === 'ec') return EC_SIGNATURE_FILE_SIZE;
  } catch {
    // Not a parsable certificate: the chain check reports it; here it only costs an APDU.
  }
  return undefined;
}
export const EC_SIGNATURE_FILE_SIZE = 256;

/** Total length of a DER SEQUENCE from its header; 0 when the file starts with padding (no certificate). */
export function derCertificateLength(head: Uint8Array, label: string): number {
  if (head[0] === 0x00) return 0;
  const first = head[1];
  if (head[0] !== 0x30 || first === undefined) {
    throw new CardError('MALFORMED_FILE', `${label} does not start with a DER certificate`);
  }
  const total = derDeclaredLength(head);
  if (total === undefined) throw new CardError('MALFORMED_FILE', `${label} has a bad DER length`);
  return total;
}

const unreadable = (sw: number, what: string) => new CardError('CARD_UNREADABLE', `SW ${hexWord(sw)} on ${what}`);

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
