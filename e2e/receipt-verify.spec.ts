// The receipt a customer can check (issue #16): enrol, photograph the confirmation's QR code (a
// screenshot, decoded with jsqr), find the registry's verification URL with the signed receipt and
// the withdrawal code in its fragment, verify the JWS against the registry's published keys, then
// open the URL on a phone-sized Chromium page: "valid" with the purposes listed, in each language;
// one character of the JWS changed, and the page says the signature does not match.
import type { Browser, Page } from '@playwright/test';
import jsqr from 'jsqr';
import { PNG } from 'pngjs';
import type { Language } from '../api/contract.js';
import { readQrText, receiptView } from '../sync/proof/compact-receipt.js';
import { KeySet } from '../sync/proof/key-set.js';
import { verifyReceipt } from '../sync/proof/signatures.js';
import { PAGE_TEXT } from '../registry/verify/page-text.js';
import { typeDetails } from './support/enroll.js';
import { axeClean, chooseLanguage, expect, LANGUAGES, SCREENSHOTS } from './support/fixtures.js';
import { testWithOwnRegistry as test } from './support/registry.js';
import { statementText, ui } from './support/strings.js';

const PHONE = { width: 390, height: 844 };

/** The QR code in a screenshot of the page, decoded as a phone's camera would. */
async function qrIn(page: Page): Promise<string | undefined> {
  const png = PNG.sync.read(await page.screenshot());
  return jsqr.default(new Uint8ClampedArray(png.data), png.width, png.height)?.data;
}

async function phonePage(browser: Browser, url: string): Promise<Page> {
  const context = await browser.newContext({ viewport: PHONE, deviceScaleFactor: 2, locale: 'nl-BE' });
  const page = await context.newPage();
  await page.goto(url);
  return page;
}

async function choose(page: Page, language: Language): Promise<void> {
  await page.getByRole('button', { name: language.toUpperCase(), exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', language);
}

test('the confirmation QR holds the signed receipt, which a phone verifies; a changed character does not', async ({
  kiosk: page,
  registry,
  browser,
}) => {
  const t = ui('fr');
  await chooseLanguage(page, 'fr');
  await page.getByRole('button', { name: t.attract.useForm }).click();
  await typeDetails(page, t, { surname: 'Lambert', firstNames: 'Odette' });
  await page.getByRole('button', { name: t.form.continue }).click();
  const chain = statementText('demo-retail-loyalty', 'fr');
  // Yes to the first chain purpose only, no to the registry.
  await page.getByRole('switch', { name: chain.purposes[0]!.title }).click();
  await page.getByRole('button', { name: t.consent.confirm }).click();
  await page.getByRole('button', { name: t.consent.noToAll }).click();
  await page.getByRole('button', { name: t.consent.confirm }).click();
  await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
  await expect(page.getByText(`${t.confirm.qrCaption} ${t.confirm.qrCaptionCode}`)).toBeVisible();
  const code = (await page.locator('.withdrawal-code-value').textContent())!;

  // The QR read from the screen as shown, at the kiosk's two resolutions.
  const text = await qrIn(page);
  expect(text, 'the QR code decodes from a 1280x800 screenshot').toBeDefined();
  await page.setViewportSize({ width: 1080, height: 1920 });
  expect(await qrIn(page), 'the QR code decodes from a 1080x1920 screenshot').toBe(text);
  await page.screenshot({ path: `${SCREENSHOTS}/receipt-qr-fr-1080x1920.png` });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: `${SCREENSHOTS}/receipt-qr-fr-1280x800.png` });

  expect(text!.startsWith(`${registry.url}/verify#r=`)).toBe(true);
  const { jws, withdrawalCode } = readQrText(text!);
  expect(withdrawalCode).toBe(code);
  expect(text).not.toMatch(/Lambert|Odette/);
  const keys = KeySet.parse(await (await fetch(`${registry.url}/v1/keys`)).json());
  const checked = verifyReceipt(jws, keys);
  if (!checked.ok) throw new Error(`the receipt does not verify: ${checked.failure}`);
  expect(checked.key).toMatchObject({ owner: 'kiosk', kioskId: 'kiosk-01', chainId: 'demo-retail' });
  const view = receiptView(checked.value);
  expect(view).toMatchObject({ chain: 'demo-retail', kiosk: 'kiosk-01', lang: 'fr' });
  expect(view.records.map((r) => [r.party, r.statement, r.purposes[chain.purposes[0]!.id]])).toEqual([
    ['chain', 'demo-retail-loyalty', 'given'],
    ['registry', 'central-registry-profile', undefined],
  ]);

  // On a phone: in the receipt's language first, then in each.
  const phone = await phonePage(browser, text!);
  await expect(phone.getByRole('heading', { name: PAGE_TEXT.fr.valid })).toBeVisible();
  await axeClean(phone, 'verification page, valid');
  for (const language of [...LANGUAGES.filter((l) => l !== 'fr'), 'fr' as const]) {
    const p = PAGE_TEXT[language];
    await choose(phone, language);
    await expect(phone.getByRole('heading', { name: p.valid })).toBeVisible();
    const own = statementText('demo-retail-loyalty', 'fr');
    const first = phone.getByRole('listitem').filter({ hasText: own.purposes[0]!.title });
    await expect(first).toContainText(p.status.given);
    for (const purpose of own.purposes.slice(1))
      await expect(phone.getByRole('listitem').filter({ hasText: purpose.title })).toContainText(p.status.refused);
    await expect(phone.getByText(code, { exact: true })).toBeVisible();
    await phone.screenshot({ path: `${SCREENSHOTS}/verify-valid-${language}-390x844.png`, fullPage: true });
  }
  await phone.context().close();

  // One character of the signed part changed: the page says the signature does not match.
  const [h, payload, s] = jws.split('.') as [string, string, string];
  const i = Math.floor(payload.length / 2);
  const changed = `${h}.${payload.slice(0, i)}${payload[i] === 'A' ? 'B' : 'A'}${payload.slice(i + 1)}.${s}`;
  const forged = await phonePage(browser, text!.replace(jws, changed));
  for (const language of LANGUAGES) {
    const p = PAGE_TEXT[language];
    await choose(forged, language);
    await expect(forged.getByRole('heading', { name: p.invalid })).toBeVisible();
    await expect(forged.getByText(p.badSignature)).toBeVisible();
    await forged.screenshot({ path: `${SCREENSHOTS}/verify-invalid-${language}-390x844.png`, fullPage: true });
  }
  await axeClean(forged, 'verification page, invalid');
  await forged.context().close();

  // Not a receipt at all: said plainly, no stack trace.
  const garbled = await phonePage(browser, `${registry.url}/verify#r=not-a-receipt`);
  await choose(garbled, 'en');
  await expect(garbled.getByText(PAGE_TEXT.en.notAReceipt)).toBeVisible();
  await garbled.context().close();
});
