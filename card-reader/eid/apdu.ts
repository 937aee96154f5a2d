// Command and response APDUs of the Belpic applet (beid.md §1), as bytes. Pure: no I/O, so the
// virtual card and the reader side build and parse the same frames.
import { CardError } from '../errors.js';

export const BELPIC_AID = Uint8Array.from([0xa0, 0x00, 0x00, 0x00, 0x30, 0x29, 0x05, 0x70, 0x00, 0xad, 0x13, 0x10, 0x01, 0x01, 0xff]);

export const SW = {
  OK: 0x9000,
  EOF_BEFORE_LE: 0x6282,
  WRONG_LENGTH: 0x6700,
  NO_CURRENT_EF: 0x6986,
  CONDITIONS: 0x6985,
  WRONG_DATA: 0x6a80,
  FILE_NOT_FOUND: 0x6a82,
  WRONG_P1P2_FUNC: 0x6a86,
  REFERENCE_NOT_FOUND: 0x6a88,
  OFFSET_PAST_EOF: 0x6b00,
  INS_NOT_SUPPORTED: 0x6d00,
  CLA_NOT_SUPPORTED: 0x6e00,
} as const;

/** SW1 of "xx bytes are waiting: GET RESPONSE them" and of "wrong Le, resend with Le=xx". */
export const SW1_BYTES_AVAILABLE = 0x61;
export const SW1_WRONG_LE = 0x6c;

/** Largest short-APDU answer; Le byte 00 means 256. */
export const MAX_LE = 256;

export interface ResponseApdu {
  data: Uint8Array;
  sw: number;
}

export function parseResponse(raw: Uint8Array, what: string): ResponseApdu {
  if (raw.length < 2) throw new CardError('CARD_UNREADABLE', `${raw.length}-byte answer on ${what}`);
  return { data: raw.subarray(0, raw.length - 2), sw: (raw[raw.length - 2]! << 8) | raw[raw.length - 1]! };
}

export function encodeResponse(data: Uint8Array, sw: number): Uint8Array {
  const out = new Uint8Array(data.length + 2);
  out.set(data);
  out[data.length] = sw >> 8;
  out[data.length + 1] = sw & 0xff;
  return out;
}

/** Le as the P3 byte: 256 is written 00. */
export const leByte = (le: number): number => {
  if (!Number.isInteger(le) || le < 1 || le > MAX_LE) throw new RangeError(`Le ${le} outside 1..256`);
  return le & 0xff;
};
/** The P3 byte of a case-2 command back to the length it asks for. */
export const leFromByte = (p3: number): number => (p3 === 0 ? MAX_LE : p3);

/** `00 A4 04 0C Lc AID`: select an applet by AID, no FCI. */
export const selectAid = (aid: Uint8Array): Uint8Array => Uint8Array.from([0x00, 0xa4, 0x04, 0x0c, aid.length, ...aid]);

/** `00 A4 08 0C 06 3F00 DF01 4031`: select an EF by its full path from the MF, no FCI. */
export const selectPath = (path: readonly number[]): Uint8Array =>
  Uint8Array.from([0x00, 0xa4, 0x08, 0x0c, path.length * 2, ...path.flatMap((id) => [id >> 8, id & 0xff])]);

/** `00 B0 offH offL Le`. */
export function readBinary(offset: number, le: number): Uint8Array {
  if (!Number.isInteger(offset) || offset < 0 || offset > 0x7fff) throw new RangeError(`offset ${offset}`);
  return Uint8Array.from([0x00, 0xb0, offset >> 8, offset & 0xff, leByte(le)]);
}

/** `00 C0 00 00 Le`: fetch what a 61xx said was waiting (T=0). */
export const getResponse = (le: number): Uint8Array => Uint8Array.from([0x00, 0xc0, 0x00, 0x00, leByte(le)]);

/** GET CARD DATA: `80 E4 00 00 1C`; on applet 1.8, P2=01 asks for 3 more bytes (PIN tries left, FF, FF). */
export const CARD_DATA_LENGTH = { plain: 0x1c, withPinTries: 0x1f } as const;
export const getCardData = (withPinTries = false): Uint8Array =>
  withPinTries
    ? Uint8Array.from([0x80, 0xe4, 0x00, 0x01, CARD_DATA_LENGTH.withPinTries])
    : Uint8Array.from([0x80, 0xe4, 0x00, 0x00, CARD_DATA_LENGTH.plain]);

/**
 * INTERNAL AUTHENTICATE with the basic key (applet 1.8, MW card.cpp CardChallenge):
 * `00 88 02 81 Lc 94 len <challenge>`. Case 3: a T=0 chip answers 61xx, then GET RESPONSE gives r‖s.
 */
export const BASIC_KEY_REF = 0x81;
export const CHALLENGE_TAG = 0x94;
export function internalAuthenticate(challenge: Uint8Array): Uint8Array {
  if (challenge.length < 1 || challenge.length > 253) throw new RangeError(`challenge of ${challenge.length} bytes`);
  return Uint8Array.from([0x00, 0x88, 0x02, BASIC_KEY_REF, challenge.length + 2, CHALLENGE_TAG, challenge.length, ...challenge]);
}

/** The same command with another P3 (for a 6Cxx resend). */
export function withLe(command: Uint8Array, le: number): Uint8Array {
  const out = Uint8Array.from(command);
  out[out.length - 1] = leByte(le);
  return out;
}
