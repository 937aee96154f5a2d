// "My consents" and returning customers: withdrawing in one touch (by the details, by the eID after a
// no to the registry, by the receipt's withdrawal code), erasing with the code e-mailed to the
// customer, and being asked again after the chain publishes a new statement version. They need the
// registry: our own, kept across two hosts (the erasure: the demo's own, mailing to our SMTP server).
import type { Page } from '@playwright/test';
import { chooseLanguage, checkScreen, expect, insertCard } from './support/fixtures.js';
import { startHost } from './support/host.js';
import { field, typeOnScreen, typeStaffCode } from './support/keyboard.js';
import { codeIn, mailTo, SmtpInbox, subjects } from './support/mail.js';
import { enrollByForm, typeDetails } from './support/enroll.js';
import { openMyConsents, typeLookup } from './support/my-consents.js';
import { testWithOwnRegistry, type TestRegistry } from './support/registry.js';
import { NEXT_CHAIN_VERSION, statementsWithNextChainVersion } from './support/statements.js';
import { fill, statementText, ui } from './support/strings.js';

const test = testWithOwnRegistry;
test.describe.configure({ mode: 'serial' });

const t = ui('en');
const chain = statementText('demo-retail-loyalty', 'en');

/** The purposes of one party the registry itself now shows for these details, as `id:status`. */
async function atRegistry(registry: TestRegistry, who: object, party: 'chain' | 'registry'): Promise<string[]> {
  const { body } = await registry.lookup(who);
  return ((body as Record<string, { purposeId: string; status: string }[] | undefined>)[party] ?? []).map(
    (p) => `${p.purposeId}:${p.status}`,
  );
}

test('a withdrawal: my consents by my details, one touch queues it, and it reaches the registry', async ({ kiosk: page, registry }) => {
  const who = { surname: 'Janssens', firstNames: 'Els', email: 'els@voorbeeld.be' };
  await enrollByForm(page, who);
  await openMyConsents(page, who);
  const email = chain.purposes.find((p) => p.id === 'offers-email')!.title;
  const row = page.getByRole('listitem').filter({ hasText: email });
  await expect(row).toContainText(t.myConsents.status.given);
  await checkScreen(page, 'my-consents', 'en');
  await page.getByRole('button', { name: `${t.myConsents.withdraw}: ${email}` }).click();
  await expect(row).toContainText(t.myConsents.status.withdrawn);
  await expect(page.getByRole('button', { name: `${t.myConsents.withdraw}: ${email}` })).toHaveCount(0);
  // Committed on the kiosk, said in words; the sync client then takes it to the registry.
  await expect(page.getByText(t.myConsents.withdrawn.queued)).toBeVisible();
  await checkScreen(page, 'my-consents-withdrawn', 'en');
  await page.getByRole('button', { name: t.confirm.done }).click();
  await expect(async () => expect(await atRegistry(registry, who, 'chain')).toContain('offers-email:withdrawn')).toPass({
    timeout: 60_000,
    intervals: [2_000],
  });
});

test('an erasure: asked from my consents, proved with the code e-mailed to me, after which the registry knows no such person', async ({
  page,
}) => {
  // A host of its own: "my consents" look-ups are limited per kiosk, and the tests above used some. Its
  // demo registry mails through our SMTP server, where the customer's code arrives.
  const inbox = new SmtpInbox();
  await inbox.start();
  const own = await startHost({ smtp: inbox.url });
  try {
    await page.goto(own.url);
    const who = { surname: 'Willems', firstNames: 'Noor', email: 'noor@voorbeeld.be' };
    await enrollByForm(page, who);
    await openMyConsents(page, who);
    // Typed details prove control: the code goes to the address the registry holds, said in words.
    await page.getByRole('button', { name: t.myConsents.erase }).click();
    await expect(page.getByText(t.myConsents.code.sent.email)).toBeVisible();
    const code = codeIn((await mailTo(inbox, who.email, subjects('en').code)).text);
    expect(code).toMatch(/^\d{6}$/);
    await typeOnScreen(page, t, code);
    await expect(page.getByRole('textbox', { name: t.myConsents.code.label })).toHaveValue(code);
    await page.getByRole('button', { name: t.myConsents.code.confirm }).click();
    await expect(page.getByText(t.myConsents.erased)).toBeVisible();
    await expect(page.getByRole('button', { name: t.myConsents.erase })).toHaveCount(0);
    await checkScreen(page, 'my-consents-erased', 'en');
    await page.getByRole('button', { name: t.confirm.done }).click();
    // The registry knows no such person now (CONSUMER_NOT_FOUND): the same details find nothing.
    await typeLookup(page, who);
    await page.getByRole('button', { name: t.form.find }).click();
    await expect(page.getByText(t.errors.NOT_FOUND)).toBeVisible();
  } finally {
    await own.stop();
    await inbox.stop();
  }
});

test('a re-consent: a returning customer is asked again about the chain only, after its new statement version', async ({
  kiosk: page,
  registry,
}) => {
  const who = { surname: 'Maes', firstNames: 'Lotte', email: 'lotte@voorbeeld.be' };
  await enrollByForm(page, who);
  await openMyConsents(page, who); // proves the registry holds the current version's consent
  await page.getByRole('button', { name: t.confirm.done }).click();

  // A second host beside the worker's (which later tests still use): same registry, the newer statements.
  const newer = await startHost({ registry, statements: statementsWithNextChainVersion() });
  try {
    await page.goto(newer.url);
    await chooseLanguage(page, 'en');
    await page.getByRole('button', { name: t.attract.useForm }).click();
    await typeDetails(page, t, who);
    await page.getByRole('button', { name: t.form.continue }).click();
    await expect(page.getByRole('heading', { name: `${chain.title} (${NEXT_CHAIN_VERSION})` })).toBeVisible();
    await expect(page.getByText(t.consent.reconsent)).toBeVisible();
    for (const p of chain.purposes) await expect(page.getByRole('switch', { name: p.title })).not.toBeChecked();
    await checkScreen(page, 'consent-reconsent', 'en');
    await page.getByRole('switch', { name: chain.purposes[0]!.title }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();
    // Only the chain changed: no registry screen, straight to the receipt.
    await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
    await expect(page.getByRole('region', { name: t.confirm.receiptHeading })).toContainText(NEXT_CHAIN_VERSION);
  } finally {
    await newer.stop();
  }
});

/** The confirmation's withdrawal code, as printed (XXXXX-XXXXX). */
async function withdrawalCodeShown(page: Page): Promise<string> {
  const block = page.getByRole('group', { name: t.withdrawalCode.label });
  await expect(block).toContainText(fill(t.withdrawalCode.use, { chain: 'Demo Retail NV' }));
  const code = (await block.locator('.withdrawal-code-value').textContent()) ?? '';
  expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
  return code;
}

/** One touch on the chain's loyalty consent, then the kiosk says it is queued. */
async function withdrawLoyalty(page: Page): Promise<void> {
  const loyalty = chain.purposes.find((p) => p.id === 'loyalty')!.title;
  const row = page.getByRole('listitem').filter({ hasText: loyalty });
  await expect(row).toContainText(t.myConsents.status.given);
  await page.getByRole('button', { name: `${t.myConsents.withdraw}: ${loyalty}` }).click();
  await expect(row).toContainText(t.myConsents.status.withdrawn);
  await expect(page.getByText(t.myConsents.withdrawn.queued)).toBeVisible();
}

test("no to the registry, then withdraw the chain's loyalty consent by eID in one touch", async ({ page, registry }) => {
  // A host of its own: "my consents" look-ups are limited per kiosk, and the tests above used some.
  const own = await startHost({ registry });
  const card = await insertCard('applet17-rsa');
  try {
    await page.goto(own.url);
    await chooseLanguage(page, 'en');
    await page.getByRole('button', { name: t.attract.useEid }).click();
    await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
    await typeStaffCode(page, own.staffCode());
    await page.getByRole('button', { name: t.staff.confirm }).click();
    await page.getByRole('switch', { name: chain.purposes.find((p) => p.id === 'loyalty')!.title }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();
    await page.getByRole('button', { name: t.consent.noToAll }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();
    await page.getByRole('button', { name: t.contact.skip }).click();
    await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
    await withdrawalCodeShown(page);
    await page.getByRole('button', { name: t.confirm.done }).click();

    // The card stays in the reader: "my consents" reads it again, after the customer's tap.
    await chooseLanguage(page, 'en');
    await page.getByRole('button', { name: t.attract.myConsents }).click();
    await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
    // Until the kiosk has synced the registry knows no one: the read ends on that, and "try again" asks anew.
    await expect(async () => {
      const again = page.getByRole('button', { name: t.reading.retry });
      if (await again.isVisible()) {
        // The photo is for the staff check alone, and no stage is "now" under an error.
        await expect(page.getByRole('img', { name: t.reading.photoAlt })).toHaveCount(0);
        await expect(page.getByText(`(${t.reading.state.current})`)).toHaveCount(0);
        await checkScreen(page, 'reading-not-found', 'en');
        await again.click();
      }
      await expect(page.getByRole('heading', { name: t.myConsents.title })).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 60_000, intervals: [3_000] });
    await expect(page.getByRole('img', { name: t.reading.photoAlt })).toHaveCount(0);
    await withdrawLoyalty(page);
    await page.getByRole('button', { name: t.confirm.done }).click();
  } finally {
    await card.stop();
    await own.stop();
  }
});

test("a form customer with only a name withdraws by the receipt's code", async ({ page, registry }) => {
  const own = await startHost({ registry });
  try {
    await page.goto(own.url);
    await chooseLanguage(page, 'en');
    await page.getByRole('button', { name: t.attract.useForm }).click();
    const who = { surname: 'Goossens', firstNames: 'Jef' };
    await field(page, t.fields.surname).click();
    await typeOnScreen(page, t, who.surname);
    await field(page, t.fields.firstNames).click();
    await typeOnScreen(page, t, who.firstNames);
    // The enrollment form has no code: the kiosk issues one.
    await expect(field(page, t.fields.withdrawalCode)).toHaveCount(0);
    await page.getByRole('button', { name: t.form.continue }).click();
    await page.getByRole('switch', { name: chain.purposes.find((p) => p.id === 'loyalty')!.title }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();
    await page.getByRole('button', { name: t.consent.noToAll }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();
    await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
    const code = await withdrawalCodeShown(page);
    await expect(page.getByRole('region', { name: t.confirm.receiptHeading })).toContainText(code);
    await checkScreen(page, 'confirmation-code', 'en');
    await page.getByRole('button', { name: t.confirm.done }).click();

    await chooseLanguage(page, 'en');
    await page.getByRole('button', { name: t.attract.myConsents }).click();
    await page.getByRole('button', { name: t.permission.declineLookup }).click();
    await expect(page.getByText(t.withdrawalCode.lookupHint)).toBeVisible();
    await field(page, t.fields.surname).click();
    await typeOnScreen(page, t, who.surname);
    await field(page, t.fields.firstNames).click();
    await typeOnScreen(page, t, who.firstNames);
    await field(page, t.fields.withdrawalCode).click();
    // As a customer may type it: lower case, with the dash.
    await typeOnScreen(page, t, code.toLowerCase());
    await checkScreen(page, 'my-consents-form-code', 'en');
    await expect(async () => {
      await page.getByRole('button', { name: t.form.find }).click();
      await expect(page.getByRole('heading', { name: t.myConsents.title })).toBeVisible({ timeout: 3_000 });
    }).toPass({ timeout: 60_000, intervals: [3_000] });
    await withdrawLoyalty(page);
    await page.getByRole('button', { name: t.confirm.done }).click();
  } finally {
    await own.stop();
  }
});
