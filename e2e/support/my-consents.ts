// "My consents" as a customer reaches it: enrolled by the form, then finding their choices by the
// same typed details, in the language they chose.
import type { Page } from '@playwright/test';
import type { Language } from '../../api/contract.js';
import { chooseLanguage, expect } from './fixtures.js';
import { field, typeOnScreen } from './keyboard.js';
import { ui, type UiStrings } from './strings.js';

export interface Customer {
  surname: string;
  firstNames: string;
  email: string;
}

export async function typeDetails(page: Page, s: UiStrings, who: Customer): Promise<void> {
  await field(page, s.fields.surname).click();
  await typeOnScreen(page, s, who.surname);
  await field(page, s.fields.firstNames).click();
  await typeOnScreen(page, s, who.firstNames);
  await field(page, s.fields.email).click();
  const [user, domain] = who.email.split('@') as [string, string];
  await typeOnScreen(page, s, user);
  await page.getByRole('button', { name: '@', exact: true }).click();
  await typeOnScreen(page, s, domain.replace(/\.be$/, ''));
  await page.getByRole('button', { name: '.be', exact: true }).click();
}

/** Enrolled by the form: yes to the chain, no to the registry. */
export async function enrollByForm(page: Page, who: Customer, language: Language = 'en'): Promise<void> {
  const t = ui(language);
  await chooseLanguage(page, language);
  await page.getByRole('button', { name: t.attract.useForm }).click();
  await typeDetails(page, t, who);
  await page.getByRole('button', { name: t.form.continue }).click();
  await page.getByRole('button', { name: t.consent.yesToAll }).click();
  await page.getByRole('button', { name: t.consent.confirm }).click();
  await page.getByRole('button', { name: t.consent.noToAll }).click();
  await page.getByRole('button', { name: t.consent.confirm }).click();
  await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
  await page.getByRole('button', { name: t.confirm.done }).click();
}

/** "My consents" by the person's details, up to the find button. */
export async function typeLookup(page: Page, who: Customer, language: Language = 'en'): Promise<void> {
  const t = ui(language);
  await chooseLanguage(page, language);
  await page.getByRole('button', { name: t.attract.myConsents }).click();
  await expect(page.getByRole('heading', { name: t.permission.titleLookup })).toBeVisible();
  await page.getByRole('button', { name: t.permission.declineLookup }).click();
  await expect(page.getByRole('heading', { name: t.form.titleLookup })).toBeVisible();
  await typeDetails(page, t, who);
}

/** "My consents" by the person's details; the registry knows them once the kiosk has synced, so ask until it does. */
export async function openMyConsents(page: Page, who: Customer, language: Language = 'en'): Promise<void> {
  const t = ui(language);
  await typeLookup(page, who, language);
  await expect(async () => {
    await page.getByRole('button', { name: t.form.find }).click();
    await expect(page.getByRole('heading', { name: t.myConsents.title })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
}
