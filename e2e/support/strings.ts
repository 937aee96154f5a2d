// The UI's own strings and the statements' texts, so tests find controls by the accessible names a
// person reads in that language, without copying any text into the tests.
import { readFileSync } from 'node:fs';
import type { Language } from '../../api/contract.js';
import { readManifest } from '../../sync/consent/statement-format.js';
import type en from '../../renderer/i18n/locales/en.json';

export type UiStrings = typeof en;

export const ui = (language: Language): UiStrings =>
  JSON.parse(readFileSync(`renderer/i18n/locales/${language}.json`, 'utf8')) as UiStrings;

interface StatementText {
  title: string;
  purposes: { id: string; title: string }[];
}

export function statementText(id: 'demo-retail-loyalty' | 'central-registry-profile', language: Language): StatementText {
  const { version } = Object.values(readManifest('resources/consent').current).find((c) => c.id === id)!;
  const file = JSON.parse(readFileSync(`resources/consent/${id}/v${version}.json`, 'utf8')) as { text: Record<Language, StatementText> };
  return file.text[language];
}

export const fill = (template: string, values: Record<string, string | number>): string =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => String(values[key] ?? ''));
