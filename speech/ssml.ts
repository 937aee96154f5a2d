// What the engine is asked to say, as SSML: the parts of a request one after the other with a short
// pause, and the parts to spell letter by letter (say-as characters: a voice names "y" and "a"
// rightly only there), their symbols said in the screen's words ("@" is "apenstaartje" in Dutch).
import type { SpeechLanguage } from './engine.js';

export interface SpeechPart {
  text: string;
  /** Spell it: a name or an e-mail address a voice would mangle as words. */
  spell?: boolean;
}

/** The symbols of names, e-mail addresses and phone numbers, as said in each language. */
const SYMBOLS: Readonly<Record<SpeechLanguage, Readonly<Record<string, string>>>> = {
  nl: { '@': 'apenstaartje', '.': 'punt', '-': 'streepje', _: 'liggend streepje', '+': 'plus', "'": 'apostrof' },
  fr: { '@': 'arobase', '.': 'point', '-': 'tiret', _: 'tiret bas', '+': 'plus', "'": 'apostrophe' },
  // "ät": espeak-ng reads "at" in German as "aat", not as the English word German speakers say.
  de: { '@': 'ät-Zeichen', '.': 'Punkt', '-': 'Bindestrich', _: 'Unterstrich', '+': 'plus', "'": 'Apostroph' },
  en: { '@': 'at', '.': 'dot', '-': 'dash', _: 'underscore', '+': 'plus', "'": 'apostrophe' },
};

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const escape = (text: string): string => text.replace(/[&<>"']/g, (c) => ESCAPES[c] ?? c);

const LETTERS = /[\p{L}\p{N}]+/uy;
const SPACES = /\s+/uy;

/**
 * `text` spelt: each run of letters and digits named one by one, each known symbol in words, a
 * pause between words; any other character is left out (a comma in a name has nothing to spell).
 */
export function spell(text: string, language: SpeechLanguage): string {
  const out: string[] = [];
  for (let at = 0; at < text.length;) {
    LETTERS.lastIndex = at;
    SPACES.lastIndex = at;
    const run = LETTERS.exec(text);
    if (run) {
      out.push(`<say-as interpret-as="characters">${escape(run[0])}</say-as>`);
      at += run[0].length;
      continue;
    }
    const gap = SPACES.exec(text);
    if (gap) {
      out.push('<break strength="medium"/>');
      at += gap[0].length;
      continue;
    }
    const char = String.fromCodePoint(text.codePointAt(at) ?? 0);
    const word = SYMBOLS[language][char];
    if (word) out.push(escape(word));
    at += char.length;
  }
  return out.join(' ');
}

/** One request's parts as one SSML document. */
export function utterance(parts: readonly SpeechPart[], language: SpeechLanguage): string {
  const said = parts.map((p) => (p.spell ? spell(p.text, language) : escape(p.text)));
  return `<speak>${said.join(' <break strength="medium"/> ')}</speak>`;
}
