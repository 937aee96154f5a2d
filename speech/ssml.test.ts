// The words a voice is given: spelling per language (letters named, symbols in the screen's
// words), escaping, and the pauses between parts.
import { describe, expect, it } from 'vitest';
import { spell, utterance } from './ssml.js';

const letters = (run: string) => `<say-as interpret-as="characters">${run}</say-as>`;

describe('spell', () => {
  it.each([
    ['nl', 'apenstaartje', 'punt'],
    ['fr', 'arobase', 'point'],
    ['de', 'ät-Zeichen', 'Punkt'],
    ['en', 'at', 'dot'],
  ] as const)('%s: an e-mail address letter by letter, "@" and "." in words', (language, at, dot) => {
    expect(spell('an.peeters@mail.be', language)).toBe(
      [letters('an'), dot, letters('peeters'), at, letters('mail'), dot, letters('be')].join(' '),
    );
  });

  it.each([
    ['nl', 'streepje', 'liggend streepje'],
    ['fr', 'tiret', 'tiret bas'],
    ['de', 'Bindestrich', 'Unterstrich'],
    ['en', 'dash', 'underscore'],
  ] as const)('%s: "-" and "_" in words', (language, dash, underscore) => {
    expect(spell('jean-luc_2', language)).toBe([letters('jean'), dash, letters('luc'), underscore, letters('2')].join(' '));
  });

  it('a pause between the words of a name; accents kept; what has no name left out', () => {
    expect(spell('Van den  Bossché,', 'nl')).toBe(
      [letters('Van'), '<break strength="medium"/>', letters('den'), '<break strength="medium"/>', letters('Bossché')].join(' '),
    );
    expect(spell("O'Brien", 'en')).toBe([letters('O'), 'apostrophe', letters('Brien')].join(' '));
  });
});

describe('utterance', () => {
  it('the parts in order with a pause between them, spelt parts spelt, markup in the text escaped', () => {
    expect(utterance([{ text: 'E-mail: <a & b>' }, { text: 'a@b.be', spell: true }], 'fr')).toBe(
      `<speak>E-mail: &lt;a &amp; b&gt; <break strength="medium"/> ${letters('a')} arobase ${letters('b')} point ${letters('be')}</speak>`,
    );
  });
});
