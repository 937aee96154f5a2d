// "My consents" and returning customers: withdrawing in one touch, erasing with the code e-mailed to
// the customer, and being asked again after the chain publishes a new statement version. They need the
// registry: our own, kept across two hosts (the erasure: the demo's own, mailing to our SMTP server).
import { chooseLanguage, checkScreen, expect } from './support/fixtures.js';
import { startHost } from './support/host.js';
import { typeOnScreen } from './support/keyboard.js';
import { codeIn, mailTo, SmtpInbox, subjects } from './support/mail.js';
import { enrollByForm, openMyConsents, typeDetails, typeLookup } from './support/my-consents.js';
import { testWithOwnRegistry, type TestRegistry } from './support/registry.js';
import { statementsWithChainV2 } from './support/statements.js';
import { statementText, ui } from './support/strings.js';

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
  await openMyConsents(page, who); // proves the registry holds the version 1 consent
  await page.getByRole('button', { name: t.confirm.done }).click();

  // A second host beside the worker's (which later tests still use): same registry, the newer statements.
  const newer = await startHost({ registry, statements: statementsWithChainV2() });
  try {
    await page.goto(newer.url);
    await chooseLanguage(page, 'en');
    await page.getByRole('button', { name: t.attract.useForm }).click();
    await typeDetails(page, t, who);
    await page.getByRole('button', { name: t.form.continue }).click();
    await expect(page.getByRole('heading', { name: `${chain.title} (2)` })).toBeVisible();
    await expect(page.getByText(t.consent.reconsent)).toBeVisible();
    for (const p of chain.purposes) await expect(page.getByRole('switch', { name: p.title })).not.toBeChecked();
    await checkScreen(page, 'consent-reconsent', 'en');
    await page.getByRole('switch', { name: chain.purposes[0]!.title }).click();
    await page.getByRole('button', { name: t.consent.confirm }).click();
    // Only the chain changed: no registry screen, straight to the receipt.
    await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
    await expect(page.getByRole('region', { name: t.confirm.receiptHeading })).toContainText('2');
  } finally {
    await newer.stop();
  }
});
