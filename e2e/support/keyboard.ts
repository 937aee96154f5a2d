// Typing as a customer does: touching the on-screen keyboard's keys, found by their names.
import type { Page } from '@playwright/test';
import type { UiStrings } from './strings.js';

const ACCENTED = /[éèêëàâäçïîôöüûùñßÉÈÀÇÔÜ]/;

export async function typeOnScreen(page: Page, t: UiStrings, text: string): Promise<void> {
  const key = (name: string) => page.getByRole('group', { name: t.keyboard.label }).getByRole('button', { name, exact: true });
  for (const ch of text) {
    if (ch === ' ') await key(t.keyboard.space).click();
    else if (ACCENTED.test(ch)) {
      await key('é à ç').click();
      await key(ch).click();
    } else if (ch !== ch.toLowerCase()) {
      await key(`⇧ ${t.keyboard.shift}`).click();
      await key(ch).click();
    } else await key(ch).click();
  }
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A form field by its label (optional fields add "(optional)" after it). */
export const field = (page: Page, label: string) => page.getByRole('textbox', { name: new RegExp(`^${escapeRegExp(label)}`) });

/** The shop assistant types their staff code on the staff check's pad. */
export async function typeStaffCode(page: Page, code: string): Promise<void> {
  for (const digit of code) await page.getByRole('button', { name: digit, exact: true }).click();
}
