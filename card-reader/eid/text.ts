// Card text is UTF-8 (MÄR is C3 84) and often space-padded. A fatal decoder turns a corrupt byte
// into a typed error instead of a silent U+FFFD in someone's name.
import { CardError } from '../errors.js';
import { hexByte } from './hex.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The trimmed text of a tag, or undefined when it is empty (the card writes absent fields as length 0). */
export function cardText(value: Uint8Array, fileLabel: string, tag: number): string | undefined {
  let text: string;
  try {
    text = utf8.decode(value);
  } catch (cause) {
    throw new CardError('MALFORMED_FILE', `${fileLabel}: tag ${tagName(tag)} is not valid UTF-8`, { cause });
  }
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

export const tagName = (tag: number): string => `0x${hexByte(tag)}`;
