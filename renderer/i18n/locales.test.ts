// Every key in every language, none empty, the same {{placeholders}}, and no text left in English
// except where it truly reads the same (listed here, by language). Every key has a spoken form a
// voice reads well in every language (renderer/speech/spoken.ts), and so has every keyboard key.
import { describe, expect, it } from 'vitest';
import { LAYOUTS } from '../components/layouts';
import { readsBadly, SPOKEN, spokenText, withLexicon } from '../read-aloud/spoken';
import { locales } from './index';

const SAME_AS_ENGLISH: Readonly<Record<string, readonly string[]>> = {
  nl: ['consent.party.chain', 'manager.minutes'], // "{{name}}"; "{{count}} min"
  fr: ['consent.party.chain', 'manager.minutes', 'speech.pause', 'speech.role.image'],
  de: ['consent.party.chain', 'speech.pause'],
};

type Tree = { [key: string]: string | Tree };

function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    if (typeof value === 'string') out.set(prefix + key, value);
    else for (const [k, v] of flatten(value, `${prefix}${key}.`)) out.set(k, v);
  }
  return out;
}

const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
const english = flatten(locales.en as Tree);

describe('translations', () => {
  it('English itself has no empty string', () => {
    for (const [key, text] of english) expect(text.trim(), key).not.toBe('');
  });

  for (const language of ['nl', 'fr', 'de'] as const) {
    const strings = flatten(locales[language] as Tree);
    const same = SAME_AS_ENGLISH[language] ?? [];

    it(`${language} has exactly the English keys`, () => {
      expect(
        [...strings.keys()].filter((k) => !english.has(k)),
        'keys not in English',
      ).toEqual([]);
      expect(
        [...english.keys()].filter((k) => !strings.has(k)),
        'keys missing',
      ).toEqual([]);
    });

    it(`${language} translates every string, with the same placeholders`, () => {
      for (const [key, text] of english) {
        const translated = strings.get(key) ?? '';
        expect(translated.trim(), key).not.toBe('');
        expect(placeholders(translated), key).toEqual(placeholders(text));
        if (!same.includes(key)) expect(translated, `${key} is still English`).not.toBe(text);
      }
    });

    it(`${language}'s list of strings the same as English is still true`, () => {
      for (const key of same) expect(strings.get(key), key).toBe(english.get(key));
    });
  }
});

describe('spoken forms', () => {
  const shown = (key: string) => english.get(key);
  /** The keyboard's captions: its keys as laid out, the ones it names in words, and the layout names. */
  const captions = new Set(
    [
      ...Object.values(LAYOUTS).flatMap((layers) => Object.values(layers).flat().join(' ').split(' ')),
      'AZERTY',
      'QWERTY',
      'é à ç',
      'abc',
    ].filter((key) => !/^\{\w+\}$/.test(key)),
  );

  for (const language of ['nl', 'fr', 'de', 'en'] as const) {
    const strings = flatten(locales[language] as Tree);
    const { overrides, lexicon, keys } = SPOKEN[language];

    it(`${language}: every string is said in words, or has a spoken override that is`, () => {
      for (const [key, text] of strings) {
        const spoken = overrides[key] ?? text;
        expect(readsBadly(withLexicon(spoken, language)), `${language} ${key}: "${spoken}"`).toBeUndefined();
      }
    });

    it(`${language}: each override names a string, keeps its placeholders and is needed`, () => {
      for (const [key, said] of Object.entries(overrides)) {
        expect(shown(key), `${key} is no string key`).toBeDefined();
        const text = strings.get(key) ?? '';
        expect(placeholders(said), key).toEqual(placeholders(text));
        expect(readsBadly(withLexicon(text, language)), `${key} reads well without its override`).toBeDefined();
      }
    });

    it(`${language}: the lexicon says its abbreviations in words`, () => {
      for (const [word, said] of Object.entries(lexicon)) {
        expect(readsBadly(word), word).toBeDefined();
        expect(readsBadly(said), `${word} as "${said}"`).toBeUndefined();
      }
    });

    it(`${language}: every keyboard key is said in words`, () => {
      for (const caption of captions) {
        const said = keys[caption] ?? caption;
        expect(readsBadly(said), `key "${caption}"`).toBeUndefined();
      }
      // The keys that spell a symbol in words are said that way (a voice says nothing for "@" alone).
      for (const symbol of ['@', '.', '-', '/', "'"]) expect(keys[symbol], symbol).toBeDefined();
    });

    it(`${language}: an overridden string on screen is spoken as its override, filled in`, () => {
      const key = 'fieldErrors.MOBILE_INVALID';
      expect(spokenText(`  ${strings.get(key)}  `, language)).toBe(overrides[key]);
      expect(spokenText('@', language)).toBe(keys['@']);
    });
  }
});
