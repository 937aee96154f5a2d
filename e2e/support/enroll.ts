// An enrollment by the manual form with every purpose refused, start to "done": the shortest way a
// test makes the kiosk queue one for the registry.
import type { Page } from '@playwright/test';
import { expect } from './fixtures.js';
import { field, typeOnScreen } from './keyboard.js';
import type { UiStrings } from './strings.js';

export async function enrollByForm(page: Page, s: UiStrings, who = { surname: 'Peeters', firstNames: 'Jan' }): Promise<void> {
  await page.getByRole('button', { name: s.attract.useForm }).click();
  await field(page, s.fields.surname).click();
  await typeOnScreen(page, s, who.surname);
  await field(page, s.fields.firstNames).click();
  await typeOnScreen(page, s, who.firstNames);
  await page.getByRole('button', { name: s.form.continue }).click();
  for (let i = 0; i < 2; i++) {
    await page.getByRole('button', { name: s.consent.noToAll }).click();
    await page.getByRole('button', { name: s.consent.confirm }).click();
  }
  await expect(page.getByRole('heading', { name: s.confirm.title })).toBeVisible();
  await page.getByRole('button', { name: s.confirm.done }).click();
}
