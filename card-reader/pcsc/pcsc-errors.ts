// PC/SC return codes (pcsc-lite's pcsclite.h) as @pokusew/pcsclite reports them, inside the
// message: "SCardTransmit error: Card was removed.(0x80100069)". Only the codes we branch on.
import { CardError } from '../errors.js';

export const PCSC = {
  E_INVALID_HANDLE: 0x80100003,
  E_UNKNOWN_READER: 0x80100009,
  E_TIMEOUT: 0x8010000a,
  E_SHARING_VIOLATION: 0x8010000b,
  E_NO_SMARTCARD: 0x8010000c,
  E_PROTO_MISMATCH: 0x8010000f,
  F_COMM_ERROR: 0x80100013,
  E_NOT_TRANSACTED: 0x80100016,
  E_READER_UNAVAILABLE: 0x80100017,
  E_NO_SERVICE: 0x8010001d,
  E_SERVICE_STOPPED: 0x8010001e,
  E_NO_READERS_AVAILABLE: 0x8010002e,
  E_COMM_DATA_LOST: 0x8010002f,
  W_UNRESPONSIVE_CARD: 0x80100066,
  W_UNPOWERED_CARD: 0x80100067,
  W_RESET_CARD: 0x80100068,
  W_REMOVED_CARD: 0x80100069,
} as const;

/** The PC/SC code in an addon error, if there is one. */
export function pcscCode(err: unknown): number | undefined {
  const m = /\(0x([0-9a-f]{8})\)/i.exec(err instanceof Error ? err.message : String(err));
  return m ? Number.parseInt(m[1]!, 16) : undefined;
}

/** The addon's message without the method prefix, for a CardError detail. */
export const pcscDetail = (err: unknown): string =>
  (err instanceof Error ? err.message : String(err)).replace(/^SCard\w+ error: /, '').replace(/\.\(/, ' (');

/** Transport failures that may just be a card leaving the reader: look at the reader before saying. */
export const MAYBE_REMOVED: ReadonlySet<number> = new Set([
  PCSC.W_REMOVED_CARD,
  PCSC.E_NO_SMARTCARD,
  PCSC.E_NOT_TRANSACTED,
  PCSC.F_COMM_ERROR,
  PCSC.E_COMM_DATA_LOST,
  PCSC.W_UNPOWERED_CARD,
  PCSC.W_UNRESPONSIVE_CARD,
  PCSC.W_RESET_CARD,
  PCSC.E_INVALID_HANDLE,
  PCSC.E_READER_UNAVAILABLE,
]);

/** A failed SCardConnect as a CardError. */
export function connectError(err: unknown): CardError {
  const detail = pcscDetail(err);
  switch (pcscCode(err)) {
    case PCSC.E_SHARING_VIOLATION:
      return new CardError('READER_BUSY', detail, { cause: err });
    case PCSC.E_NO_SMARTCARD:
    case PCSC.W_REMOVED_CARD:
      return new CardError('NO_CARD', detail, { cause: err });
    case PCSC.E_PROTO_MISMATCH:
      // Every eID speaks T=0 only (beid.md §1): a card that cannot is something else.
      return new CardError('NOT_BEID', `card does not offer T=0: ${detail}`, { cause: err });
    case PCSC.E_UNKNOWN_READER:
    case PCSC.E_READER_UNAVAILABLE:
      return new CardError('READER_UNPLUGGED', detail, { cause: err });
    case PCSC.E_NO_SERVICE:
    case PCSC.E_SERVICE_STOPPED:
    case PCSC.E_NO_READERS_AVAILABLE:
      return new CardError('NO_READER', detail, { cause: err });
    case PCSC.E_TIMEOUT:
      return new CardError('TIMEOUT', detail, { cause: err });
    default:
      return new CardError('CARD_UNREADABLE', detail, { cause: err });
  }
}
