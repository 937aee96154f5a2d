// An enrollment by the manual form, yes to the chain and no to the registry, start to "done": the
// shortest way a test makes the kiosk queue one for the registry (a "no" to every chain purpose keeps
// nothing), in the language the customer chose.
import type { Page } from '@playwright/test';
import type { Language } from '../../api/contract.js';
import { chooseLanguage, expect } from './fixtures.js';
import { field, typeOnScreen } from './keyboard.js';
import { ui, type UiStrings } from './strings.js';

/** What a customer types on the form; the e-mail address only if they give one. */
export interface FormDetails {
  surname: string;
  firstNames: string;
  email?: string;
}

export async function typeDetails(page: Page, s: UiStrings, who: FormDetails): Promise<void> {
  await field(page, s.fields.surname).click();
  await typeOnScreen(page, s, who.surname);
  await field(page, s.fields.firstNames).click();
  await typeOnScreen(page, s, who.firstNames);
  if (who.email !== undefined) await typeEmail(page, s, who.email);
}

/** An address ending in .be, typed into the e-mail field with the keyboard's "@" and ".be" keys. */
export async function typeEmail(page: Page, s: UiStrings, email: string): Promise<void> {
  await field(page, s.fields.email).click();
  const [user, domain] = email.split('@') as [string, string];
  await typeOnScreen(page, s, user);
  await page.getByRole('button', { name: '@', exact: true }).click();
  await typeOnScreen(page, s, domain.replace(/\.be$/, ''));
  await page.getByRole('button', { name: '.be', exact: true }).click();
}

export async function enrollByForm(
  page: Page,
  who: FormDetails = { surname: 'Peeters', firstNames: 'Jan' },
  language: Language = 'en',
): Promise<void> {
  const t = ui(language);
  await chooseLanguage(page, language);
  await page.getByRole('button', { name: t.attract.useForm }).click();
  await typeDetails(page, t, who);
  await page.getByRole('button', { name: t.form.continue }).click();
  for (const answer of [t.consent.yesToAll, t.consent.noToAll]) {
    await page.getByRole('button', { name: answer }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();
  }
  await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
  await page.getByRole('button', { name: t.confirm.done }).click();
}
