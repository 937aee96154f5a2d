// What the voice is given, made from what a screen shows, without the DOM (describe.ts reads the
// page): a shown text as parts in its spoken form, codes spelt, long texts cut at sentence ends; the
// customer's own details only with headphones on; pieces gathered into chunks (one speech.say each)
// within the host's limits, a section, a personal piece or another language starting a new one.
import type { Language } from '../../api/contract';
import { i18next } from '../i18n';
import { isCode, spokenText } from './spoken';
import type { Chunk, Part } from './voice';

export interface Listener {
  language: Language;
  headphones: boolean;
}

/** One thing said: a text, a control's name and state, a value. */
export interface Piece {
  parts: Part[];
  /** The customer's own details: their own chunk, sent only with headphones on. */
  personal?: boolean;
  /** Starts a new section (a heading). */
  section?: boolean;
  /** The language it is written in, when not the screen's (a receipt committed in another). */
  language?: Language;
}

/** Within the host's limits (50 parts, SPEECH_MAX_CHARS in all), with room to spare. */
export const MAX_PARTS = 40;
export const MAX_CHARS = 3000;
export const PART_CHARS = 1500;

/** A shown text as parts: in its spoken form, codes spelt, long texts cut at sentence ends. */
export function textParts(text: string, language: Language): Part[] {
  const said = spokenText(text, language);
  if (said === '') return [];
  const parts: Part[] = [];
  let plain: string[] = [];
  const flush = () => {
    for (const piece of cut(plain.join(' '))) parts.push({ text: piece });
    plain = [];
  };
  for (const word of said.split(' ')) {
    const bare = word.replace(/[.,;:!?]+$/, '');
    if (isCode(bare)) {
      flush();
      parts.push({ text: bare, spell: true });
    } else plain.push(word);
  }
  flush();
  return parts;
}

function cut(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  if (trimmed.length <= PART_CHARS) return [trimmed];
  const at = trimmed.lastIndexOf('. ', PART_CHARS);
  const end = at > 0 ? at + 1 : PART_CHARS;
  return [trimmed.slice(0, end), ...cut(trimmed.slice(end))];
}

/** The customer's own details: spoken (spelt where marked) with headphones, else the phrase that stands for them. */
export function personalPiece(text: string, spell: boolean, who: Listener): Piece {
  const t = i18next.getFixedT(who.language);
  const value = text.trim();
  if (!who.headphones) return { parts: [{ text: t('speech.personalHidden') }] };
  if (!spell) return { personal: true, parts: textParts(value, who.language) };
  // An e-mail address or a number letter by letter; a name said, then spelt; a code within a line spelt alone.
  if (value.includes('@') || /^[\d\s+]+$/.test(value)) return { personal: true, parts: [{ text: value, spell: true }] };
  const parts = textParts(value, who.language);
  return { personal: true, parts: parts.some((p) => p.spell) ? parts : [...parts, { text: value, spell: true }] };
}

/** Pieces into chunks: a section, a personal piece or a change of language starts a new one; each kept within the limits. */
export function chunked(pieces: readonly Piece[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Part[] = [];
  let language: Language | undefined;
  const flush = () => {
    if (current.length > 0) chunks.push({ parts: current, ...(language !== undefined && { language }) });
    current = [];
  };
  for (const piece of pieces) {
    if (piece.parts.length === 0 && !piece.section) continue;
    if (piece.section || piece.personal || piece.language !== language) flush();
    language = piece.language;
    if (piece.personal) {
      chunks.push({ parts: piece.parts, personal: true, ...(language !== undefined && { language }) });
      continue;
    }
    const chars = [...current, ...piece.parts].reduce((n, p) => n + p.text.length, 0);
    if (current.length + piece.parts.length > MAX_PARTS || chars > MAX_CHARS) flush();
    current.push(...piece.parts);
  }
  flush();
  return chunks.map(mergePlain);
}

/** Neighbouring plain parts as one, with a pause between them, so the voice does not stop at each. */
function mergePlain(chunk: Chunk): Chunk {
  if (chunk.personal) return chunk;
  const parts: Part[] = [];
  for (const part of chunk.parts) {
    const prev = parts.at(-1);
    if (prev !== undefined && !prev.spell && !part.spell && prev.text.length + part.text.length < PART_CHARS)
      parts[parts.length - 1] = { text: /[.,;:!?]$/.test(prev.text) ? `${prev.text} ${part.text}` : `${prev.text}, ${part.text}` };
    else parts.push(part);
  }
  return { ...chunk, parts };
}
