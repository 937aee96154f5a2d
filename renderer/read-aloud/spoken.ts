// Spoken forms: what the voice says for a text shown on screen. The display text itself, unless it
// holds something a voice reads badly (a symbol, "…", digit groups, a code, an abbreviation); then
// renderer/i18n/spoken/<language>.json says it in words: `overrides` by string key, `lexicon` for
// abbreviations wherever they appear, `keys` for the on-screen keyboard's symbol keys. The locale
// test holds every key of every language to these rules (readsBadly).
import type { Language } from '../../api/contract';
import { locales } from '../i18n';
import de from '../i18n/spoken/de.json';
import en from '../i18n/spoken/en.json';
import fr from '../i18n/spoken/fr.json';
import nl from '../i18n/spoken/nl.json';

export interface SpokenForms {
  /** By flat string key (`fieldErrors.EMAIL_INVALID`): the whole string in words, same {{placeholders}}. */
  overrides: Record<string, string>;
  /** Abbreviations as a voice should say them, replaced as whole words. */
  lexicon: Record<string, string>;
  /** Keys of the on-screen keyboard (and its layout names) whose caption is a symbol. */
  keys: Record<string, string>;
}

export const SPOKEN: Readonly<Record<Language, SpokenForms>> = { nl, fr, de, en };

/** Decorations beside words (the keyboard's ⌫ and ⇧, the ✓ of "done"): the voice leaves them out. */
const SILENT = /[⌫⇧✓◐·•]/gu;
/** Anything but letters, digits, spaces and the punctuation a voice pauses on. */
const SYMBOL = /[^\p{L}\p{M}\p{N}\s.,;:!?'’"“”„«»‘()\-–—]/u;
const ELLIPSIS = /…|\.\.\./;
/** "0470 12 34 56", "12-34": a voice reads one big number or a subtraction. */
const DIGIT_GROUP = /\d[\s-]+\d/;
const URL_LIKE = /:\/\/|\w\.\w{2,3}\b/;

type Tree = { [key: string]: string | Tree };

export function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const words = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '');
/** "QR", "GSM", "eID", "PINs": two capitals, or a capital after a small letter. */
const isAbbreviation = (word: string) => (word.match(/\p{Lu}/gu)?.length ?? 0) >= 2 || /\p{Ll}\p{Lu}/u.test(word);
/** "7KQ2M": letters and digits in one word. */
export const isCode = (word: string) => /\p{N}/u.test(word) && /\p{L}/u.test(word);

/** What in `text` a voice would read badly, or undefined. {{placeholders}} are left out (their values are spoken as they are). */
export function readsBadly(text: string): string | undefined {
  const plain = text.replace(/\{\{\w+\}\}/g, ' ').replace(SILENT, ' ');
  for (const rule of [ELLIPSIS, DIGIT_GROUP, URL_LIKE, SYMBOL]) {
    const found = rule.exec(plain);
    if (found) return found[0];
  }
  return words(plain).find((w) => isAbbreviation(w) || isCode(w));
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The lexicon's abbreviations in words, whole words only. */
export function withLexicon(text: string, language: Language): string {
  let out = text;
  for (const [word, said] of Object.entries(SPOKEN[language].lexicon))
    out = out.replace(new RegExp(`(?<![\\p{L}\\p{N}])${escapeRegExp(word)}(?![\\p{L}\\p{N}])`, 'gu'), said);
  return out;
}

interface Rewrite {
  shown: RegExp;
  names: string[];
  said: string;
}

const rewrites = new Map<Language, Rewrite[]>();

/** Each override as a pattern of its display text ({{x}} matching what was filled in), longest first. */
function rewritesFor(language: Language): Rewrite[] {
  let list = rewrites.get(language);
  if (list !== undefined) return list;
  const shown = flatten(locales[language] as Tree);
  list = Object.entries(SPOKEN[language].overrides)
    .flatMap(([key, said]) => {
      const template = shown.get(key);
      if (template === undefined) return [];
      const names = [...template.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]!);
      const pattern = template
        .split(/\{\{\w+\}\}/)
        .map(escapeRegExp)
        .join('(.+?)');
      return [{ shown: new RegExp(pattern, 'g'), names, said, length: template.length }];
    })
    .sort((a, b) => b.length - a.length);
  rewrites.set(language, list);
  return list;
}

/**
 * The spoken form of a text as shown (the accessible text of an element, a line of the receipt):
 * a keyboard key by its name, each overridden string in words, abbreviations from the lexicon,
 * decorations left out.
 */
export function spokenText(text: string, language: Language): string {
  const forms = SPOKEN[language];
  const trimmed = text.trim();
  const key = forms.keys[trimmed];
  if (key !== undefined) return key;
  let out = trimmed;
  for (const { shown, names, said } of rewritesFor(language))
    out = out.replace(shown, (...match: string[]) => names.reduce((s, name, i) => s.replaceAll(`{{${name}}}`, match[i + 1] ?? ''), said));
  return withLexicon(out, language).replace(SILENT, ' ').replace(/\s+/g, ' ').trim();
}
