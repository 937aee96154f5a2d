// Every string on screen comes from here by key: one JSON per language, one top-level namespace per
// screen. A missing key renders as ⟦key⟧ so the end-to-end suite can find it on any screen.
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../api/contract';
import de from './locales/de.json';
import en from './locales/en.json';
import fr from './locales/fr.json';
import nl from './locales/nl.json';

export const locales = { nl, fr, de, en } as const satisfies Record<Language, unknown>;

/** Each language named in itself, so a customer finds their own whatever is shown. */
export const LANGUAGE_NAMES: Readonly<Record<Language, string>> = {
  nl: 'Nederlands',
  fr: 'Français',
  de: 'Deutsch',
  en: 'English',
};

export const MISSING_MARK = '⟦';

export async function initI18n(language: Language): Promise<void> {
  await i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: false,
    resources: Object.fromEntries(Object.entries(locales).map(([lng, translation]) => [lng, { translation }])),
    interpolation: { escapeValue: false }, // React escapes
    parseMissingKeyHandler: (key) => `${MISSING_MARK}${key}⟧`,
    returnNull: false,
  });
}

export { i18next };
