// The manager screen words a failed item's reason by its code (renderer/screens/Manager.tsx); the
// codes live in sync, which the renderer cannot import, so this checks the two sides meet: every
// code the outbox can hold is worded in every language, and no key names a code that cannot occur.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEAD_LETTER_CODES } from '../sync/store/outbox-items.js';

const LOCALES = join(import.meta.dirname, '..', 'renderer', 'i18n', 'locales');
const CODES = [...DEAD_LETTER_CODES, 'STUCK'].sort();

describe('failed-item reasons', () => {
  for (const language of ['en', 'nl', 'fr', 'de']) {
    it(`are worded in ${language} for exactly the codes the outbox holds`, () => {
      const strings = JSON.parse(readFileSync(join(LOCALES, `${language}.json`), 'utf8')) as {
        manager: { reason: Record<string, string> };
      };
      expect(Object.keys(strings.manager.reason).sort()).toEqual(CODES);
    });
  }
});
