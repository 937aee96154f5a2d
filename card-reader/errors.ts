// Every failure of a card read is a CardError with a stable code: the UI and callers branch on
// `code`, staff read `message`, and `detail` carries the technical fact (a status word, a field).
import { CodedError } from '../common/coded-error.js';

export const CARD_ERROR_CODES = {
  NO_READER: 'No card reader is connected. Plug in the reader and try again.',
  READER_UNPLUGGED: 'The card reader was unplugged. Plug it back in and insert the card again.',
  NO_CARD: 'There is no card in the reader. Insert the eID card.',
  CARD_REMOVED: 'The card was removed during the read. Insert it again and leave it in until the read ends.',
  NOT_BEID: 'This card is not a Belgian eID card.',
  CARD_NOT_ACTIVATED: 'This eID card has not been activated yet (status 6D00). The holder must activate it at the municipality.',
  CARD_UNREADABLE: 'The card could not be read. Take it out, check the chip is clean and insert it again.',
  READER_BUSY: 'The card reader is in use by another program. Close it and try again.',
  TIMEOUT: 'The card did not answer in time. Take it out and insert it again.',
  MALFORMED_FILE: 'The card holds data this kiosk cannot read. Use the manual form instead.',
} as const;

export type CardErrorCode = keyof typeof CARD_ERROR_CODES;

export class CardError extends CodedError<CardErrorCode> {
  override readonly name = 'CardError';

  /** `detail`: technical detail for staff and support (a status word, a file, a field), never personal data. */
  constructor(code: CardErrorCode, detail?: string, options?: { cause?: unknown }) {
    super(CARD_ERROR_CODES, code, detail, options);
  }
}

export const isCardError = (e: unknown): e is CardError => e instanceof CardError;
