// An enrollment by the manual form, yes to the chain and no to the registry, start to "done": the
// shortest way a test makes the kiosk queue one for the registry (a "no" to every chain purpose keeps nothing).
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
  for (const answer of [s.consent.yesToAll, s.consent.noToAll]) {
    await page.getByRole('button', { name: answer }).click();
    await page.getByRole('button', { name: s.consent.confirm }).click();
  }
  await expect(page.getByRole('heading', { name: s.confirm.title })).toBeVisible();
  await page.getByRole('button', { name: s.confirm.done }).click();
}
