// What the voice says for what is on screen, read from the page as a screen reader would: a control
// by its accessible name, its role and its state ("Offers by e-mail, switch, off"); a screen from
// its title down, one chunk per section (a heading starts one), the on-screen keyboard by its name
// alone. Every text goes through its spoken form (spoken.ts). What is marked `data-personal` (the
// customer's name, address, e-mail, mobile, withdrawal code) is said only with headphones on, in a
// chunk of its own; otherwise "your details, as shown on the screen". `data-speech="skip"`: never
// said (a receipt's fingerprints); `data-speech="group"`: said by its aria-label alone.
import { Language } from '../../api/contract';
import { i18next } from '../i18n';
import { chunked, personalPiece, textParts, type Listener, type Piece } from './chunks';
import { spokenText } from './spoken';
import type { Chunk } from './voice';

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

/**
 * The listener for what is inside `element`: in the language it is marked with (`lang`, as a screen
 * reader reads it: a receipt committed in French, a language's own name), else the screen's.
 */
function within(element: Element, who: Listener): Listener {
  const marked = element.closest('[lang]:not(html)')?.getAttribute('lang');
  const language = Language.safeParse(marked);
  return language.success ? { ...who, language: language.data } : who;
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
    else if (control.closest('[data-personal]'))
      pieces.push(personalPiece(value, control.closest('[data-personal="spell"]') !== null, who));
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
  const marked = Language.safeParse(node.getAttribute('lang') ?? undefined);
  if (marked.success && marked.data !== who.language) {
    const inner: Piece[] = [];
    walk(node, { ...who, language: marked.data }, inner);
    out.push(...inLanguage(inner, marked.data));
    return;
  }
  const speech = node.getAttribute('data-speech');
  if (speech === 'skip') return;
  if (speech === 'group') {
    out.push({ parts: textParts(node.getAttribute('aria-label') ?? '', who.language) });
    return;
  }
  const mark = node.getAttribute('data-personal');
  if (mark !== null) {
    out.push(personalPiece(accessibleText(node), mark === 'spell', who));
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

/** Pieces said in `language` (those already in a language of their own keep it). */
const inLanguage = (pieces: readonly Piece[], language: Language): Piece[] =>
  pieces.map((p) => ({ ...p, language: p.language ?? language }));

/** What one tap on `element` says: a control with its role and state, or the text it is, in the language it is marked with. */
export function describeElement(element: Element, who: Listener): Chunk[] {
  const own = within(element, who);
  const pieces: Piece[] = [];
  if (element.matches(CONTROL)) pieces.push(...controlPieces(element, own));
  else walk(element, own, pieces);
  return chunked(own.language === who.language ? pieces : inLanguage(pieces, own.language));
}

/** A screen on arrival: everything in it in reading order, one chunk per section. */
export function describeScreen(root: Element, who: Listener): Chunk[] {
  const pieces: Piece[] = [];
  walk(root, who, pieces);
  return chunked(pieces);
}
