// Every key in every language, none empty, the same {{placeholders}}, and no text left in English
// except where it truly reads the same (listed here, by language).
import { describe, expect, it } from 'vitest';
import { locales } from './index';

const SAME_AS_ENGLISH: Readonly<Record<string, readonly string[]>> = {
  nl: ['consent.party.chain', 'manager.minutes'], // "{{name}}"; "{{count}} min"
  fr: ['consent.party.chain', 'manager.minutes'],
  de: ['consent.party.chain'],
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
