// Every screen of a customer's way with the read-aloud controls on (issue #17): in each language, at
// both sizes, with large text too, nothing cut (support/layout.ts), axe clean, and a screenshot each
// (test-results/screenshots/read-aloud-*). Read-aloud is turned on for the screen, checked, then off
// again by a double tap, so the way between screens is walked with single taps.
import type { Page } from '@playwright/test';
import { expect, insertCard, LANGUAGE_NAMES, test } from './support/fixtures.js';
import { enrollByForm, typeEmail } from './support/enroll.js';
import { typeStaffCode } from './support/keyboard.js';
import { typeLookup } from './support/my-consents.js';
import { testWithOwnRegistry } from './support/registry.js';
import type { LayoutRules } from './support/layout.js';
import { checkReadAloudScreen, doubleTap, listen } from './support/speech.js';
import { statementText, ui } from './support/strings.js';
import type { Language } from '../api/contract.js';

/** Read aloud on, the screen checked with it, and off again. */
async function withReadAloud(
  page: Page,
  name: string,
  language: Language,
  starts: () => Promise<number>,
  rules: LayoutRules = {},
): Promise<void> {
  const t = ui(language);
  await page.getByRole('button', { name: t.speech.readAloud }).click();
  await checkReadAloudScreen(page, name, language, starts, rules);
  await doubleTap(page.getByRole('button', { name: t.speech.readAloud }), starts, 'read aloud');
  await expect(page.getByRole('group', { name: t.speech.controls })).toHaveCount(0);
}

test('read aloud on the eID way: permission, reading, staff check, contact details, receipt', async ({ kiosk: page, host }) => {
  const t = ui('nl');
  const { starts } = await listen(page);
  await page.getByRole('button', { name: t.attract.useEid }).click();
  await expect(page.getByRole('heading', { name: t.permission.title })).toBeVisible();
  await withReadAloud(page, 'permission', 'nl', starts);
  await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
  await expect(page.getByText(t.reading.now.waiting)).toBeVisible();
  await withReadAloud(page, 'reading', 'nl', starts);

  const card = await insertCard('applet17-rsa');
  try {
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();
    // The assistant's screen: its "same person" comes after the staff code pad, and may be scrolled to.
    await withReadAloud(page, 'staff-check', 'nl', starts, { mainAnswerScrolls: true });
    await typeStaffCode(page, host.staffCode());
    await page.getByRole('button', { name: t.staff.confirm }).click();
    await expect(page.getByRole('heading', { name: statementText('demo-retail-loyalty', 'nl').title })).toBeVisible();
    for (let i = 0; i < 2; i++) {
      await page.getByRole('button', { name: t.consent.yesToAll }).click();
      await page.getByRole('button', { name: t.consent.confirm }).click();
    }
    await expect(page.getByRole('heading', { name: t.contact.title })).toBeVisible();
    await withReadAloud(page, 'contact', 'nl', starts);
    await typeEmail(page, t, 'alice@voorbeeld.be');
    await page.getByRole('button', { name: t.contact.save }).click();
    await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
    await withReadAloud(page, 'confirmation-eid', 'nl', starts);
    await page.getByRole('button', { name: t.confirm.done }).click();
  } finally {
    await card.stop();
  }
});

test("the staff corner is not the customer's: no read aloud there, and opening it turns read aloud off", async ({ kiosk: page }) => {
  const nl = ui('nl');
  await page.getByRole('button', { name: nl.speech.readAloud }).click();
  await expect(page.getByRole('group', { name: nl.speech.controls })).toBeVisible();
  // The staff corner is a hidden button: five taps, each passed through (the assistant knows it).
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: nl.manager.entry }).click();
  await expect(page.getByRole('heading', { name: nl.manager.pinTitle })).toBeVisible();
  await expect(page.getByRole('button', { name: nl.speech.readAloud })).toHaveCount(0);
  await expect(page.getByRole('group', { name: nl.speech.controls })).toHaveCount(0);
});

testWithOwnRegistry('read aloud on "my consents": the look-up, the overview, a withdrawal', async ({ kiosk: page }) => {
  const t = ui('en');
  const { starts } = await listen(page);
  const who = { surname: 'Claes', firstNames: 'Mia', email: 'mia@voorbeeld.be' };
  await enrollByForm(page, who);
  await page.getByRole('button', { name: LANGUAGE_NAMES.en, exact: true }).click();
  await page.getByRole('button', { name: t.attract.myConsents }).click();
  await expect(page.getByRole('heading', { name: t.permission.titleLookup })).toBeVisible();
  await withReadAloud(page, 'permission-lookup', 'en', starts);
  await page.getByRole('button', { name: t.permission.declineLookup }).click();
  await expect(page.getByRole('heading', { name: t.form.titleLookup })).toBeVisible();
  await withReadAloud(page, 'lookup-form', 'en', starts);
  await page.getByRole('button', { name: t.common.startOver }).click();
  await typeLookup(page, who);
  await expect(async () => {
    await page.getByRole('button', { name: t.form.find }).click();
    await expect(page.getByRole('heading', { name: t.myConsents.title })).toBeVisible({ timeout: 2_000 });
  }).toPass({ timeout: 60_000, intervals: [2_000] });
  await withReadAloud(page, 'my-consents', 'en', starts);
  const email = statementText('demo-retail-loyalty', 'en').purposes.find((p) => p.id === 'offers-email')!.title;
  await page.getByRole('button', { name: `${t.myConsents.withdraw}: ${email}` }).click();
  await expect(page.getByText(t.myConsents.withdrawn.queued)).toBeVisible();
  await withReadAloud(page, 'my-consents-withdrawn', 'en', starts);
});
