// The GET CARD DATA response (beid.md §1): 28 bytes from `80 E4 00 00 1C`, or 31 from a 1.8 card
// asked with P2=01, which appends PIN tries left, FF, FF. Bytes 21-27 are laid out differently on
// applet 1.1, so the version-specific fields are optional.
import { CardError } from '../errors.js';
import { hexByte } from './hex.js';

export type AppletVersion = '1.1' | '1.7' | '1.8';

export interface CardData {
  appletVersion: AppletVersion;
  /** Bytes 0-15 as uppercase hex; the same value as identity tag 02. */
  chipSerialHex: string;
  componentCode: number;
  osNumber: number;
  osVersion: number;
  softmaskNumber: number;
  softmaskVersion: number;
  /** 0x0F when personalised. */
  lifeCycle: number;
  /** 1.7 and 1.8: bytes 22-23 (3 on 1.7, 1 on 1.8). */
  globalOsVersion?: number;
  /** 1.7 and 1.8: byte 24. */
  interfaceVersion?: number;
  /** 1.7 and 1.8: byte 25. */
  pkcs1Support?: number;
  /** 1.7 and 1.8: byte 26. */
  keyExchangeVersion?: number;
  /** 1.1: bytes 23-24. */
  internalVersion?: number;
  /** 1.1: bytes 25-26. */
  pkcs15Version?: number;
  /** Only in the 31-byte answer (1.8, P2=01). */
  pinTriesLeft?: number;
}

const APPLET_VERSIONS: Readonly<Record<number, AppletVersion>> = { 0x11: '1.1', 0x17: '1.7', 0x18: '1.8' };

export function parseCardData(bytes: Uint8Array): CardData {
  if (bytes.length !== 28 && bytes.length !== 31) {
    throw new CardError('MALFORMED_FILE', `card data: ${bytes.length} bytes, expected 28 or 31`);
  }
  const at = (i: number) => bytes[i]!;
  const word = (i: number) => (at(i) << 8) | at(i + 1);
  const appletVersion = APPLET_VERSIONS[at(21)];
  if (appletVersion === undefined) {
    throw new CardError('MALFORMED_FILE', `card data: unknown applet version byte 0x${hexByte(at(21))}`);
  }
  const common = {
    appletVersion,
    chipSerialHex: Buffer.from(bytes.subarray(0, 16)).toString('hex').toUpperCase(),
    componentCode: at(16),
    osNumber: at(17),
    osVersion: at(18),
    softmaskNumber: at(19),
    softmaskVersion: at(20),
    lifeCycle: at(27),
    ...(bytes.length === 31 ? { pinTriesLeft: at(28) } : {}),
  };
  if (appletVersion === '1.1') return { ...common, internalVersion: word(23), pkcs15Version: word(25) };
  return {
    ...common,
    globalOsVersion: word(22),
    interfaceVersion: at(24),
    pkcs1Support: at(25),
    keyExchangeVersion: at(26),
  };
}
