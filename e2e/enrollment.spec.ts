// Enrolling, by eID and by the form, with the real host, card-reader, store and registry.
import { axeClean, chooseLanguage, checkScreen, expect, insertCard, SCREENSHOTS, test } from './support/fixtures.js';
import { field, typeOnScreen, typeStaffCode } from './support/keyboard.js';
import { fill, statementText, ui } from './support/strings.js';

test('an eID enrollment in Dutch: permission, read, staff check, both consents, contact, receipt', async ({ kiosk: page, host }) => {
  const t = ui('nl');
  const chain = statementText('demo-retail-loyalty', 'nl');
  await chooseLanguage(page, 'nl');
  await checkScreen(page, 'attract', 'nl');
  // "use my eID" and the form weigh the same: same size.
  const eid = await page.getByRole('button', { name: t.attract.useEid }).boundingBox();
  const form = await page.getByRole('button', { name: t.attract.useForm }).boundingBox();
  expect([eid?.width, eid?.height]).toEqual([form?.width, form?.height]);
  // Larger text and high contrast keep every contrast and target; both switch back off.
  await page.getByRole('button', { name: t.settings.largeText }).click();
  await page.getByRole('button', { name: t.settings.highContrast }).click();
  await expect(page.getByRole('button', { name: t.settings.highContrast })).toHaveAttribute('aria-pressed', 'true');
  await axeClean(page, 'attract, larger text, high contrast');
  await page.screenshot({ path: `${SCREENSHOTS}/attract-large-contrast-nl-1280x800.png` });
  await page.getByRole('button', { name: t.settings.largeText }).click();
  await page.getByRole('button', { name: t.settings.highContrast }).click();

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
    // The face check is the assistant's act: "same person" waits for their staff code.
    await expect(page.getByRole('button', { name: t.staff.confirm })).toBeDisabled();
    await typeStaffCode(page, host.staffCode());
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
    await field(page, t.fields.email).click();
    await typeOnScreen(page, t, 'alice');
    await page.getByRole('button', { name: '@', exact: true }).click();
    await typeOnScreen(page, t, 'voorbeeld');
    await page.getByRole('button', { name: '.be', exact: true }).click();
    await expect(field(page, t.fields.email)).toHaveValue('alice@voorbeeld.be');
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

test('a manual enrollment in French that refuses the registry: the chain enrollment still completes', async ({ kiosk: page }) => {
  const t = ui('fr');
  await chooseLanguage(page, 'fr');
  await page.getByRole('button', { name: t.attract.useForm }).click();
  await expect(page.getByRole('heading', { name: t.form.title })).toBeVisible();
  await expect(field(page, t.fields.surname)).toHaveAttribute('inputmode', 'none');
  await checkScreen(page, 'manual-form', 'fr');

  // A bad mobile number is refused in words, beside its field, and nothing typed is lost.
  await field(page, t.fields.surname).click();
  await typeOnScreen(page, t, 'Dupont');
  await field(page, t.fields.firstNames).click();
  await typeOnScreen(page, t, 'Françoise');
  await field(page, t.fields.mobile).click();
  await typeOnScreen(page, t, '12');
  await page.getByRole('button', { name: t.form.continue }).click();
  await expect(page.getByText(t.fieldErrors.MOBILE_INVALID)).toBeVisible();
  await expect(field(page, t.fields.firstNames)).toHaveValue('Françoise');
  await checkScreen(page, 'manual-form-error', 'fr');
  await page.getByRole('button', { name: `⌫ ${t.keyboard.delete}` }).click();
  await page.getByRole('button', { name: `⌫ ${t.keyboard.delete}` }).click();
  await typeOnScreen(page, t, '0470123456');
  await page.getByRole('button', { name: t.form.continue }).click();

  const chain = statementText('demo-retail-loyalty', 'fr');
  await expect(page.getByRole('heading', { name: chain.title })).toBeVisible();
  // "Yes to all" and "no to all": same size, colour and place in the bar.
  const yes = page.getByRole('button', { name: t.consent.yesToAll });
  const no = page.getByRole('button', { name: t.consent.noToAll });
  const [yesBox, noBox] = [await yes.boundingBox(), await no.boundingBox()];
  expect([yesBox?.width, yesBox?.height, yesBox?.y]).toEqual([noBox?.width, noBox?.height, noBox?.y]);
  const background = 'e => getComputedStyle(e).backgroundColor';
  expect(await yes.evaluate(background)).toBe(await no.evaluate(background));
  await yes.click();
  await page.getByRole('button', { name: t.consent.confirm }).click();

  const registry = statementText('central-registry-profile', 'fr');
  await expect(page.getByRole('heading', { name: registry.title })).toBeVisible();
  await page.getByRole('button', { name: t.consent.noToAll }).click();
  await expect(page.getByRole('switch', { name: registry.purposes[0]!.title })).not.toBeChecked();
  await page.getByRole('button', { name: t.consent.confirm }).click();

  await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
  await expect(page.getByRole('region', { name: t.confirm.receiptHeading })).toContainText('demo-retail-loyalty');
  await page.getByRole('button', { name: t.confirm.done }).click();
  // The next customer starts in the store's own language.
  await expect(page.getByRole('button', { name: ui('nl').attract.useForm })).toBeVisible();
});

test('a card inserted first waits: refusing the read reads nothing and ends in the form', async ({ kiosk: page }) => {
  const t = ui('en');
  await chooseLanguage(page, 'en');
  const card = await insertCard('applet18-ec');
  try {
    await page.getByRole('button', { name: t.attract.useEid }).click();
    await expect(page.getByText(t.permission.cardWaits)).toBeVisible();
    await page.getByRole('button', { name: t.permission.decline, exact: true }).click();
    await expect(page.getByRole('heading', { name: t.form.title })).toBeVisible();
    expect(card.apduCount, 'APDUs the kiosk sent to a card it was not allowed to read').toBe(0);
  } finally {
    await card.stop();
  }
});

test('a wrong staff code is refused in words, and the right one goes on', async ({ kiosk: page, host }) => {
  const t = ui('fr');
  await chooseLanguage(page, 'fr');
  await page.getByRole('button', { name: t.attract.useEid }).click();
  await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
  const card = await insertCard('applet17-rsa');
  try {
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();
    const right = host.staffCode();
    await typeStaffCode(page, right === '000000' ? '111111' : '000000');
    await page.getByRole('button', { name: t.staff.confirm }).click();
    await expect(page.getByRole('alert')).toContainText(fill(t.errors.STAFF_CODE_WRONG, { count: 4 }));
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();
    await expect(page.getByRole('button', { name: t.staff.confirm })).toBeDisabled();
    await checkScreen(page, 'staff-check-wrong-code', 'fr', { only: true });
    // The right code resets the count (the host is shared with the other tests of this file).
    await typeStaffCode(page, right);
    await page.getByRole('button', { name: t.staff.confirm }).click();
    await expect(page.getByRole('heading', { name: statementText('demo-retail-loyalty', 'fr').title })).toBeVisible();
  } finally {
    await card.stop();
  }
});

test('a tampered card fails its address check in words and can only go on with the form', async ({ kiosk: page }) => {
  const t = ui('en');
  await chooseLanguage(page, 'en');
  await page.getByRole('button', { name: t.attract.useEid }).click();
  await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
  const card = await insertCard('tampered-address');
  try {
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();
    await expect(page.getByRole('listitem').filter({ hasText: `${t.staff.failed}:` })).toContainText(t.verdicts.address.failed);
    await expect(page.getByRole('alert')).toContainText(t.staff.notGenuine);
    await expect(page.getByRole('button', { name: t.staff.confirm })).toHaveCount(0);
    await checkScreen(page, 'staff-check-failed', 'en');
    await page.getByRole('button', { name: t.permission.decline, exact: true }).click();
    await expect(page.getByRole('heading', { name: t.form.title })).toBeVisible();
  } finally {
    await card.stop();
  }
});

test('a card pulled out mid-read says so in words, and a retry with the card back reads it', async ({ kiosk: page }) => {
  const t = ui('de');
  await chooseLanguage(page, 'de');
  await page.getByRole('button', { name: t.attract.useEid }).click();
  await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
  const pulled = await insertCard('applet17-rsa', { removeAfterApdus: 6 });
  await expect(page.getByRole('alert')).toContainText(t.errors.CARD_REMOVED);
  await pulled.removed;
  await checkScreen(page, 'reading-error', 'de');
  const card = await insertCard('applet17-rsa');
  try {
    await page.getByRole('button', { name: t.reading.retry }).click();
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();
  } finally {
    await card.stop();
  }
});
