// Enrolling, by eID and by the form, with the real host, card-reader, store and registry.
import { chooseLanguage, checkScreen, expect, insertCard, test } from './support/fixtures.js';
import { typeOnScreen } from './support/keyboard.js';
import { fill, statementText, ui } from './support/strings.js';

test('an eID enrollment in Dutch: permission, read, staff check, both consents, contact, receipt', async ({ kiosk: page }) => {
  const t = ui('nl');
  const chain = statementText('demo-retail-loyalty', 'nl');
  await chooseLanguage(page, 'nl');
  await checkScreen(page, 'attract', 'nl');
  // "use my eID" and the form weigh the same: same size.
  const eid = await page.getByRole('button', { name: t.attract.useEid }).boundingBox();
  const form = await page.getByRole('button', { name: t.attract.useForm }).boundingBox();
  expect([eid?.width, eid?.height]).toEqual([form?.width, form?.height]);

  await page.getByRole('button', { name: t.attract.useEid }).click();
  await expect(page.getByRole('heading', { name: t.permission.title })).toBeVisible();
  await checkScreen(page, 'permission', 'nl');
  await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
  await expect(page.getByText(t.reading.now.waiting)).toBeVisible();
  await checkScreen(page, 'reading', 'nl');

  const card = await insertCard('applet17-rsa');
  try {
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();
    await expect(page.getByRole('img', { name: t.reading.photoAlt })).toBeVisible();
    await expect(page.getByText(`${t.staff.failed}:`)).toHaveCount(0);
    await expect(page.getByText(t.verdicts.identity.ok)).toBeVisible();
    await checkScreen(page, 'staff-check', 'nl');
    await page.getByRole('button', { name: t.staff.confirm }).click();

    await expect(page.getByRole('heading', { name: chain.title })).toBeVisible();
    for (const p of chain.purposes) await expect(page.getByRole('switch', { name: p.title })).not.toBeChecked();
    await checkScreen(page, 'consent-chain', 'nl');
    await page.getByRole('switch', { name: chain.purposes[0]!.title }).click();
    await page.getByRole('switch', { name: chain.purposes[1]!.title }).click();
    await expect(page.getByText(fill(t.consent.summary, { yes: 2, total: chain.purposes.length }))).toBeVisible();
    await page.getByRole('button', { name: t.consent.confirm }).click();

    const registry = statementText('central-registry-profile', 'nl');
    await expect(page.getByRole('heading', { name: registry.title })).toBeVisible();
    await checkScreen(page, 'consent-registry', 'nl');
    await page.getByRole('button', { name: t.consent.yesToAll }).click();
    await expect(page.getByRole('switch', { name: registry.purposes[0]!.title })).toBeChecked();
    await page.getByRole('button', { name: t.consent.confirm }).click();

    await expect(page.getByRole('heading', { name: t.contact.title })).toBeVisible();
    await checkScreen(page, 'contact', 'nl');
    await page.getByLabel(t.fields.email).click();
    await typeOnScreen(page, t, 'alice');
    await page.getByRole('button', { name: '@', exact: true }).click();
    await typeOnScreen(page, t, 'voorbeeld');
    await page.getByRole('button', { name: '.be', exact: true }).click();
    await expect(page.getByLabel(t.fields.email)).toHaveValue('alice@voorbeeld.be');
    await page.getByRole('button', { name: t.contact.save }).click();

    await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
    await expect(page.getByRole('img', { name: t.confirm.qrAlt })).toBeVisible();
    await checkScreen(page, 'confirmation', 'nl');
    await page.getByRole('button', { name: t.confirm.done }).click();
    await expect(page.getByRole('button', { name: t.attract.useEid })).toBeVisible();
  } finally {
    await card.stop();
  }
});
