// What the voice is given, from shown text (the DOM walk that finds the text is describe.ts, run in
// Chromium by e2e/read-aloud.spec.ts): spoken forms, codes spelt, the limits, personal details only
// with headphones, and the chunks a screen becomes.
import { beforeAll, describe, expect, it } from 'vitest';
import { initI18n, locales } from '../i18n';
import { chunked, MAX_CHARS, MAX_PARTS, PART_CHARS, personalPiece, textParts, type Piece } from './chunks';

const hidden = (language: 'nl' | 'fr' | 'de' | 'en') => locales[language].speech.personalHidden;

describe('textParts', () => {
  it('spells a code within a line, alone, and says the rest', () => {
    expect(textParts('Uw referentie: 7KQ2M-XR4TD.', 'nl')).toEqual([{ text: 'Uw referentie:' }, { text: '7KQ2M-XR4TD', spell: true }]);
  });

  it('cuts a long text at a sentence end, each part within the limit', () => {
    const sentence = 'Deze zin is precies lang genoeg om te tellen. ';
    const parts = textParts(sentence.repeat(80), 'nl');
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(part.text.length).toBeLessThanOrEqual(PART_CHARS);
      expect(part.text).toMatch(/\.$/);
    }
  });

  it('says nothing for a text of decorations alone', () => {
    expect(textParts(' ✓ ', 'en')).toEqual([]);
  });
});

describe('personalPiece', () => {
  beforeAll(() => initI18n('nl'));

  it('without headphones: the phrase that stands for them, in the listener language, never the value', () => {
    for (const language of ['nl', 'fr', 'de', 'en'] as const) {
      const piece = personalPiece('Peeters', true, { language, headphones: false });
      expect(piece).toEqual({ parts: [{ text: hidden(language) }] });
    }
  });

  it('with headphones: a name said then spelt, an e-mail address or a number spelt only, a plain value said', () => {
    const who = { language: 'en', headphones: true } as const;
    expect(personalPiece(' Roy ', true, who)).toEqual({ personal: true, parts: [{ text: 'Roy' }, { text: 'Roy', spell: true }] });
    expect(personalPiece('els@voorbeeld.be', true, who)).toEqual({ personal: true, parts: [{ text: 'els@voorbeeld.be', spell: true }] });
    expect(personalPiece('+32 470 12 34 56', true, who).parts).toEqual([{ text: '+32 470 12 34 56', spell: true }]);
    expect(personalPiece('Kerkstraat', false, who)).toEqual({ personal: true, parts: [{ text: 'Kerkstraat' }] });
  });
});

describe('chunked', () => {
  const text = (t: string, more: Partial<Piece> = {}): Piece => ({ parts: [{ text: t }], ...more });

  it('joins neighbouring texts with a pause, and starts a chunk at each section', () => {
    const chunks = chunked([text('Title'), text('What it asks.'), text('Yes'), { parts: [], section: true }, text('Part two')]);
    expect(chunks).toEqual([{ parts: [{ text: 'Title, What it asks. Yes' }] }, { parts: [{ text: 'Part two' }] }]);
  });

  it('keeps a personal piece in a chunk of its own, never merged', () => {
    const chunks = chunked([text('Name'), { parts: [{ text: 'Roy' }, { text: 'Roy', spell: true }], personal: true }, text('Next')]);
    expect(chunks).toEqual([
      { parts: [{ text: 'Name' }] },
      { parts: [{ text: 'Roy' }, { text: 'Roy', spell: true }], personal: true },
      { parts: [{ text: 'Next' }] },
    ]);
  });

  it('starts a chunk where the language changes, marked with it (a receipt committed in French on a Dutch screen)', () => {
    const chunks = chunked([text('Klaar'), text('Reçu', { language: 'fr' }), text('Référence', { language: 'fr' }), text('Gedaan')]);
    expect(chunks).toEqual([
      { parts: [{ text: 'Klaar' }] },
      { parts: [{ text: 'Reçu, Référence' }], language: 'fr' },
      { parts: [{ text: 'Gedaan' }] },
    ]);
  });

  it('keeps every chunk within the host limits, and drops what says nothing', () => {
    const many = Array.from({ length: 200 }, (_, i) => ({ parts: [{ text: `${'x'.repeat(90)} ${i}` }, { text: `C${i}D`, spell: true }] }));
    const chunks = chunked([{ parts: [] }, ...many, { parts: [], personal: true }]);
    for (const c of chunks) {
      expect(c.parts.length).toBeGreaterThan(0);
      expect(c.parts.length).toBeLessThanOrEqual(MAX_PARTS);
      expect(c.parts.reduce((n, p) => n + p.text.length, 0)).toBeLessThanOrEqual(MAX_CHARS);
    }
    expect(chunks.flatMap((c) => c.parts).filter((p) => p.spell)).toHaveLength(200);
  });
});
