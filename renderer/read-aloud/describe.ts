// What the voice says for what is on screen, read from the page as a screen reader would: a control
// by its accessible name, its role and its state ("Offers by e-mail, switch, off"); a screen from
// its title down, one chunk per section (a heading starts one), the on-screen keyboard by its name
// alone. Every text goes through its spoken form (spoken.ts). What is marked `data-personal` (the
// customer's name, address, e-mail, mobile, withdrawal code) is said only with headphones on, in a
// chunk of its own; otherwise "your details, as shown on the screen". `data-speech="skip"`: never
// said (a receipt's fingerprints); `data-speech="group"`: said by its aria-label alone.
import type { Language } from '../../api/contract';
import { i18next } from '../i18n';
import { spokenText } from './spoken';
import type { Chunk, Part } from './voice';

export interface Listener {
  language: Language;
  headphones: boolean;
}

/** Within the host's limits (50 parts, SPEECH_MAX_CHARS in all), with room to spare. */
const MAX_PARTS = 40;
const MAX_CHARS = 3000;
const PART_CHARS = 1500;

const CONTROL = 'button, input, select, textarea, a[href], [role="button"], [role="switch"], [role="checkbox"], [role="radio"]';
const BLOCK = new Set(['P', 'LI', 'DT', 'DD', 'DIV', 'H1', 'H2', 'H3', 'FIGCAPTION', 'LABEL', 'SECTION', 'ARTICLE', 'HEADER']);

const hidden = (el: Element) => el.getAttribute('aria-hidden') === 'true' || (el instanceof HTMLElement && el.hidden);

/** The text a person hears of an element: aria-hidden parts left out, images by their alt text. */
export function accessibleText(node: Node): string {
  if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
  if (!(node instanceof Element) || hidden(node) || node.matches('input, select, textarea')) return '';
  const label = node.getAttribute('aria-label');
  if (label !== null) return label;
  if (node instanceof HTMLImageElement) return node.alt;
  const inner = [...node.childNodes].map(accessibleText).join('');
  return BLOCK.has(node.tagName) ? ` ${inner} ` : inner;
}

/** "7KQ2M-XR4TD", a reference: letters and digits in one word are spelt. */
const isCode = (word: string) => /\p{N}/u.test(word) && /\p{L}/u.test(word);

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
function personal(text: string, spell: boolean, who: Listener): Piece {
  const t = i18next.getFixedT(who.language);
  const value = text.trim();
  if (!who.headphones) return { parts: [{ text: t('speech.personalHidden') }] };
  if (!spell) return { personal: true, parts: textParts(value, who.language) };
  // An e-mail address or a number letter by letter; a name said, then spelt; a code within a line spelt alone.
  if (value.includes('@') || /^[\d\s+]+$/.test(value)) return { personal: true, parts: [{ text: value, spell: true }] };
  const parts = textParts(value, who.language);
  return { personal: true, parts: parts.some((p) => p.spell) ? parts : [...parts, { text: value, spell: true }] };
}

interface Piece {
  parts: Part[];
  personal?: boolean;
  /** Starts a new section (a heading). */
  section?: boolean;
}

function roleAndState(control: Element, who: Listener): string[] {
  const t = i18next.getFixedT(who.language);
  const role = control.getAttribute('role');
  const words: string[] = [];
  if (role === 'switch' || (control instanceof HTMLInputElement && control.type === 'checkbox')) {
    const on = control instanceof HTMLInputElement ? control.checked : control.getAttribute('aria-checked') === 'true';
    words.push(t('speech.role.switch'), t(on ? 'speech.state.on' : 'speech.state.off'));
  } else if (control instanceof HTMLInputElement || control instanceof HTMLTextAreaElement) {
    words.push(t('speech.role.textbox'));
  } else {
    words.push(t('speech.role.button'));
    const pressed = control.getAttribute('aria-pressed');
    if (pressed !== null) words.push(t(pressed === 'true' ? 'speech.state.selected' : 'speech.state.notSelected'));
  }
  if (control.matches(':disabled, [aria-disabled="true"], [data-disabled]')) words.push(t('speech.state.disabled'));
  return words;
}

function controlName(control: Element): string {
  const label = control.getAttribute('aria-label');
  if (label !== null) return label;
  const by = control.getAttribute('aria-labelledby');
  if (by !== null)
    return by
      .split(' ')
      .map((id) => accessibleText(document.getElementById(id) ?? document.createTextNode('')))
      .join(' ');
  const labels = 'labels' in control ? (control.labels as NodeListOf<HTMLLabelElement> | null) : null;
  if (labels && labels.length > 0) return [...labels].map(accessibleText).join(' ');
  return accessibleText(control);
}

/** A control as pieces: its name, role and state, then (a text field) its value. */
function controlPieces(control: Element, who: Listener): Piece[] {
  const t = i18next.getFixedT(who.language);
  const name = [spokenText(controlName(control), who.language), ...roleAndState(control, who)].filter((w) => w !== '').join(', ');
  const pieces: Piece[] = [{ parts: [{ text: name }] }];
  if (control instanceof HTMLInputElement && control.type !== 'checkbox') {
    const value = control.value;
    // A password is never said; an empty field says so.
    if (control.type === 'password') return pieces;
    if (value.trim() === '') pieces.push({ parts: [{ text: t('speech.state.empty') }] });
    else if (control.closest('[data-personal]')) pieces.push(personal(value, control.closest('[data-personal="spell"]') !== null, who));
    else pieces.push({ parts: textParts(value, who.language) });
  }
  return pieces;
}

function walk(node: Node, who: Listener, out: Piece[]): void {
  if (node.nodeType === Node.TEXT_NODE) {
    const parts = textParts(node.textContent ?? '', who.language);
    if (parts.length > 0) out.push({ parts });
    return;
  }
  if (!(node instanceof Element) || hidden(node)) return;
  const speech = node.getAttribute('data-speech');
  if (speech === 'skip') return;
  if (speech === 'group') {
    out.push({ parts: textParts(node.getAttribute('aria-label') ?? '', who.language) });
    return;
  }
  const mark = node.getAttribute('data-personal');
  if (mark !== null) {
    out.push(personal(accessibleText(node), mark === 'spell', who));
    return;
  }
  const control = node.matches(CONTROL) ? node : node instanceof HTMLLabelElement ? node.control : null;
  if (control !== null) {
    out.push(...controlPieces(control, who));
    return;
  }
  if (node instanceof HTMLImageElement) {
    if (node.alt !== '') out.push({ parts: textParts(node.alt, who.language) });
    return;
  }
  if (/^H[1-3]$/.test(node.tagName)) out.push({ parts: [], section: true });
  for (const child of node.childNodes) walk(child, who, out);
}

/** Pieces into chunks: a section or a personal piece starts a new one; each kept within the limits. */
function chunked(pieces: readonly Piece[]): Chunk[] {
  const chunks: Chunk[] = [];
  let current: Part[] = [];
  const flush = () => {
    if (current.length > 0) chunks.push({ parts: current });
    current = [];
  };
  for (const piece of pieces) {
    if (piece.section) flush();
    if (piece.personal) {
      flush();
      chunks.push({ parts: piece.parts, personal: true });
      continue;
    }
    const chars = [...current, ...piece.parts].reduce((n, p) => n + p.text.length, 0);
    if (current.length + piece.parts.length > MAX_PARTS || chars > MAX_CHARS) flush();
    current.push(...piece.parts);
  }
  flush();
  return mergePlain(chunks);
}

/** Neighbouring plain parts as one, with a pause between them, so the voice does not stop at each. */
function mergePlain(chunks: Chunk[]): Chunk[] {
  return chunks.map((chunk) => {
    if (chunk.personal) return chunk;
    const parts: Part[] = [];
    for (const part of chunk.parts) {
      const prev = parts.at(-1);
      if (prev !== undefined && !prev.spell && !part.spell && prev.text.length + part.text.length < PART_CHARS)
        parts[parts.length - 1] = { text: /[.,;:!?]$/.test(prev.text) ? `${prev.text} ${part.text}` : `${prev.text}, ${part.text}` };
      else parts.push(part);
    }
    return { parts };
  });
}

/** What one tap on `element` says: a control with its role and state, or the text it is. */
export function describeElement(element: Element, who: Listener): Chunk[] {
  const pieces: Piece[] = [];
  if (element.matches(CONTROL)) pieces.push(...controlPieces(element, who));
  else walk(element, who, pieces);
  return chunked(pieces);
}

/** A screen on arrival: everything in it in reading order, one chunk per section. */
export function describeScreen(root: Element, who: Listener): Chunk[] {
  const pieces: Piece[] = [];
  walk(root, who, pieces);
  return chunked(pieces);
}
