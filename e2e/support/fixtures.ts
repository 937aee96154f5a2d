// Test fixtures: one real host per test file (worker), a page opened on it, and the screen check
// every screen goes through: each language, axe (no serious or critical violation), no raw key on
// screen, and a screenshot at 1280x800 and 1080x1920 kept under test-results/screenshots/.
import AxeBuilder from '@axe-core/playwright';
import { test as base, expect, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { Language } from '../../api/contract.js';
import { insertCard } from './card.js';
import { startHost, type HostOptions, type RunningHost } from './host.js';

export const LANGUAGES: readonly Language[] = ['nl', 'fr', 'de', 'en'];
export const LANGUAGE_NAMES: Record<Language, string> = { nl: 'Nederlands', fr: 'Français', de: 'Deutsch', en: 'English' };
export const SCREENSHOTS = 'test-results/screenshots';
const PORTRAIT = { width: 1080, height: 1920 };
const LANDSCAPE = { width: 1280, height: 800 };

/** Screens already checked in every language by this worker: later visits check their own language only. */
const checked = new Set<string>();

export async function chooseLanguage(page: Page, language: Language): Promise<void> {
  await page.getByRole('button', { name: LANGUAGE_NAMES[language], exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

export async function axeClean(page: Page, where: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']).analyze();
  const serious = result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(serious, `axe on ${where}`).toEqual([]);
}

/**
 * Checks the screen on show in every language (once per worker), then returns to `language`. A
 * dialog covers the language buttons, so `{ only: true }` checks it in its own language alone.
 */
export async function checkScreen(page: Page, name: string, language: Language, opts: { only?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const languages = checked.has(name) || opts.only ? [language] : [...LANGUAGES.filter((l) => l !== language), language];
  checked.add(name);
  for (const lng of languages) {
    if (!opts.only) await chooseLanguage(page, lng);
    await expect(page.locator('body')).not.toContainText('⟦');
    await axeClean(page, `${name} (${lng})`);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${lng}-1280x800.png` });
    await page.setViewportSize(PORTRAIT);
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${lng}-1080x1920.png` });
    await page.setViewportSize(LANDSCAPE);
  }
}

export const test = base.extend<{ kiosk: Page }, { hostOptions: HostOptions; host: RunningHost }>({
  hostOptions: [{}, { scope: 'worker', option: true }],
  host: [
    async ({ hostOptions }, use) => {
      const host = await startHost(hostOptions);
      await use(host);
      await host.stop();
    },
    { scope: 'worker', timeout: 90_000 },
  ],
  kiosk: async ({ page, host }, use) => {
    await page.goto(host.url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await use(page);
  },
});

export { expect, insertCard };
