// "My consents" as a customer reaches it after enrolling by the form (./enroll.ts): finding their
// choices by the same typed details, in the language they chose.
import type { Page } from '@playwright/test';
import type { Language } from '../../api/contract.js';
import { chooseLanguage, expect } from './fixtures.js';
import { typeDetails, type FormDetails } from './enroll.js';
import { ui } from './strings.js';

/** A customer who finds their choices again by name and e-mail address. */
export interface Customer extends FormDetails {
  email: string;
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
