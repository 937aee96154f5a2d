// Issue 14, "a no to everything keeps nothing": a form customer who says no to every purpose of the
// chain is asked nothing more, is told in words that nothing was kept and that the benefits are the
// same, and neither the manager's queue nor the registry gets anything of them.
import type { Page } from '@playwright/test';
import { checkScreen, chooseLanguage, expect } from './support/fixtures.js';
import { field, typeOnScreen } from './support/keyboard.js';
import { testWithOwnRegistry } from './support/registry.js';
import { ui } from './support/strings.js';

const test = testWithOwnRegistry;
const t = ui('en');

/** The manager's queue counts (pending, acknowledged, failed), behind the PIN, then locked again. */
async function queueCounts(page: Page): Promise<(string | null)[]> {
  // The hidden staff entry: five taps on the top-left corner of the attract screen.
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: ui('nl').manager.entry }).click();
  await chooseLanguage(page, 'en');
  for (const digit of '1234') await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: t.manager.unlock }).click();
  await expect(page.getByRole('heading', { name: t.manager.title, exact: true })).toBeVisible();
  const { pending, acknowledged, deadLetter } = t.manager.count;
  const counts = [];
  for (const label of [pending, acknowledged, deadLetter])
    counts.push(
      await page
        .getByRole('definition')
        .and(page.locator(`dt:text-is("${label}") + dd`))
        .textContent(),
    );
  await page.getByRole('button', { name: t.manager.lock }).click();
  return counts;
}

test('no to everything keeps nothing: said in words, and nothing reaches the queue or the registry', async ({ kiosk: page, registry }) => {
  const who = { surname: 'Lambrecht', firstNames: 'Griet', email: 'griet@voorbeeld.be' };
  const before = await queueCounts(page);
  const s = ui('de');
  await chooseLanguage(page, 'de');
  await page.getByRole('button', { name: s.attract.useForm }).click();
  await expect(page.getByText(s.lawful.returningCheckShort)).toBeVisible();
  await field(page, s.fields.surname).click();
  await typeOnScreen(page, s, who.surname);
  await field(page, s.fields.firstNames).click();
  await typeOnScreen(page, s, who.firstNames);
  await field(page, s.fields.email).click();
  await typeOnScreen(page, s, 'griet');
  await page.getByRole('button', { name: '@', exact: true }).click();
  await typeOnScreen(page, s, 'voorbeeld');
  await page.getByRole('button', { name: '.be', exact: true }).click();
  await page.getByRole('button', { name: s.form.continue }).click();

  await page.getByRole('button', { name: s.consent.noToAll }).click();
  await page.getByRole('button', { name: s.consent.confirm }).click();
  // No registry screen and no receipt: there is nothing to keep current, and no record to show.
  await expect(page.getByRole('heading', { name: s.lawful.nothingKeptTitle })).toBeVisible();
  await expect(page.getByText(s.lawful.nothingKept)).toBeVisible();
  await expect(page.getByText(s.lawful.sameBenefits)).toBeVisible();
  await expect(page.getByRole('img', { name: s.confirm.qrAlt })).toHaveCount(0);
  await checkScreen(page, 'confirmation-nothing-kept', 'de');
  await page.getByRole('button', { name: ui('de').confirm.done }).click();

  expect(await queueCounts(page)).toEqual(before);
  const atRegistry = await registry.lookup(who);
  expect([atRegistry.status, atRegistry.body]).toEqual([404, expect.objectContaining({ code: 'CONSUMER_NOT_FOUND' })]);
});
