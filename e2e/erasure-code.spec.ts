// Issue 14 as a customer lives it, with the demo's own registry sending real e-mail to an SMTP server
// of the test's own: the one-time code that proves typed details are theirs (in French, a wrong code
// said in words, a new one sent), and the confirmation of an enrollment they asked for by e-mail.
import { checkScreen, chooseLanguage, expect, insertCard, test as base } from './support/fixtures.js';
import { field, typeOnScreen, typeStaffCode } from './support/keyboard.js';
import { codeIn, mailTo, SmtpInbox, subjects } from './support/mail.js';
import { enrollByForm } from './support/enroll.js';
import { openMyConsents } from './support/my-consents.js';
import { statementText, ui } from './support/strings.js';

const test = base.extend<object, { inbox: SmtpInbox }>({
  inbox: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const inbox = new SmtpInbox();
      await inbox.start();
      await use(inbox);
      await inbox.stop();
    },
    { scope: 'worker' },
  ],
  hostOptions: [async ({ inbox }, use) => use({ smtp: inbox.url }), { scope: 'worker' }],
});
test.describe.configure({ mode: 'serial' });

test('an e-mail received with its code, in French: a wrong code is said in words, a new code erases', async ({ kiosk: page, inbox }) => {
  const t = ui('fr');
  const who = { surname: 'Dubois', firstNames: 'Camille', email: 'camille@exemple.be' };
  await enrollByForm(page, who, 'fr');
  await openMyConsents(page, who, 'fr');
  await page.getByRole('button', { name: t.myConsents.erase }).click();
  await expect(page.getByRole('heading', { name: t.myConsents.code.title })).toBeVisible();
  await expect(page.getByText(t.myConsents.code.sent.email)).toBeVisible();
  const first = codeIn((await mailTo(inbox, who.email, subjects('fr').code)).text);
  expect(first).toMatch(/^\d{6}$/);
  await checkScreen(page, 'my-consents-code', 'fr');

  const confirm = page.getByRole('button', { name: t.myConsents.code.confirm });
  await expect(confirm).toBeDisabled(); // six digits first
  await typeOnScreen(page, t, String((Number(first) + 1) % 1_000_000).padStart(6, '0'));
  await confirm.click();
  await expect(page.getByRole('alert')).toContainText(t.myConsents.code.wrong);
  await expect(page.getByRole('textbox', { name: t.myConsents.code.label })).toHaveValue('');
  await checkScreen(page, 'my-consents-code-wrong', 'fr', { only: true });

  await page.getByRole('button', { name: t.myConsents.code.resend }).click();
  const second = codeIn((await mailTo(inbox, who.email, subjects('fr').code, 1)).text);
  await expect(page.getByRole('alert')).toHaveCount(0);
  await typeOnScreen(page, t, second);
  await confirm.click();
  await expect(page.getByText(t.myConsents.erased)).toBeVisible();
  await page.getByRole('button', { name: t.confirm.done }).click();
});

test('the confirmation e-mail received after an eID enrollment where the customer turned the switch on', async ({
  kiosk: page,
  host,
  inbox,
}) => {
  const t = ui('nl');
  const chain = statementText('demo-retail-loyalty', 'nl');
  const email = 'anna@voorbeeld.be';
  await chooseLanguage(page, 'nl');
  await page.getByRole('button', { name: t.attract.useEid }).click();
  await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
  const card = await insertCard('applet17-rsa');
  try {
    await typeStaffCode(page, host.staffCode());
    await page.getByRole('button', { name: t.staff.confirm }).click();
    await expect(page.getByRole('heading', { name: chain.title })).toBeVisible();
    await page.getByRole('button', { name: t.consent.yesToAll }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();
    await page.getByRole('button', { name: t.consent.noToAll }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();

    await expect(page.getByRole('heading', { name: t.contact.title })).toBeVisible();
    const confirmation = page.getByRole('switch', { name: t.confirmationEmail.label });
    // Off by default, and nothing to send it to before an address is typed.
    await expect(confirmation).not.toBeChecked();
    await expect(confirmation).toBeDisabled();
    await expect(page.getByText(t.confirmationEmail.needsEmail)).toBeVisible();
    await field(page, t.fields.email).click();
    await typeOnScreen(page, t, 'anna');
    await page.getByRole('button', { name: '@', exact: true }).click();
    await typeOnScreen(page, t, 'voorbeeld');
    await page.getByRole('button', { name: '.be', exact: true }).click();
    await confirmation.click();
    await expect(confirmation).toBeChecked();
    await checkScreen(page, 'contact-confirmation-email', 'nl');
    await page.getByRole('button', { name: t.contact.save }).click();
    await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
    await page.getByRole('button', { name: t.confirm.done }).click();
  } finally {
    await card.stop();
  }
  // The kiosk syncs the enrollment; the registry then mails the confirmation, in Dutch, with how to withdraw.
  const mail = await mailTo(inbox, email, subjects('nl').confirmation);
  expect(mail.text).toContain(chain.purposes[0]!.title);
  expect(mail.text).toContain(t.myConsents.title);
});
