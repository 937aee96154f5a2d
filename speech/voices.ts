// espeak-ng's voice for each screen language. Belgian French is shipped (fr-be); Flemish is not
// (espeak-ng 1.51 has one Dutch voice, `nl`, Netherlands Dutch), so Dutch screens speak `nl`.
import type { SpeechLanguage } from './engine.js';

export const ESPEAK_VOICES: Readonly<Record<SpeechLanguage, string>> = {
  nl: 'nl',
  fr: 'fr-be',
  de: 'de',
  en: 'en-gb',
};
