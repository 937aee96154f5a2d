// "Read aloud" (issue #17, EN 301 549 5.1.3 and 5.1.6): a French customer enrols by the form by touch
// alone, every activation a double tap; each screen's arrival and each first tap play audio; the
// voice is French; the receipt is spoken, the withdrawal code not without headphones; the wipe turns
// read-aloud off. Every screen on the way is checked with the read-aloud controls on, in each language.
import type { Page } from '@playwright/test';
import { expect, LANGUAGE_NAMES, test } from './support/fixtures.js';
import { field } from './support/keyboard.js';
import { checkReadAloudScreen, doubleTap, listen, played } from './support/speech.js';
import { statementText, ui, type UiStrings } from './support/strings.js';

test('read aloud: an enrollment by the form in French by touch alone, explore by touch', async ({ kiosk: page }) => {
  const t = ui('fr');
  const { requests, starts } = await listen(page);
  await page.getByRole('button', { name: LANGUAGE_NAMES.fr, exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'fr');

  // Off by default; one tap turns it on (nothing is explored yet) and the kiosk speaks at once.
  const toggle = page.getByRole('button', { name: t.speech.readAloud });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('group', { name: t.speech.controls })).toHaveCount(0);
  let count = await starts();
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  count = await played(starts, count, 'the attract screen on arrival');
  await checkReadAloudScreen(page, 'attract', 'fr', starts);

  // One tap says, and does nothing: still on the attract screen.
  const useForm = page.getByRole('button', { name: t.attract.useForm });
  await useForm.click();
  count = await played(starts, count, 'a first tap');
  await page.waitForTimeout(2100);
  await expect(page.getByRole('heading', { name: t.attract.title.split('{{')[0]!.trim() })).toBeVisible();
  await useForm.click();
  count = await played(starts, count, 'a tap two seconds later, said again');
  await useForm.click();
  await expect(page.getByRole('heading', { name: t.form.title })).toBeVisible();
  count = await played(starts, count, 'the form on arrival');
  await checkReadAloudScreen(page, 'manual-form', 'fr', starts);

  await typeByTouch(page, t, 'Roy', starts);
  await doubleTap(field(page, t.fields.firstNames), starts, 'the first names field');
  await expect(field(page, t.fields.firstNames)).toBeFocused();
  await typeByTouch(page, t, 'Luc', starts);
  await expect(field(page, t.fields.surname)).toHaveValue('Roy');
  await expect(field(page, t.fields.firstNames)).toHaveValue('Luc');
  // The typed name is the customer's own: without headphones it is never sent to the voice.
  expect(requests.filter((r) => r.parts.some((p) => p.text.includes('Roy')))).toEqual([]);

  count = await starts();
  await doubleTap(page.getByRole('button', { name: t.form.continue }), starts, 'continue');
  const chain = statementText('demo-retail-loyalty', 'fr');
  await expect(page.getByRole('heading', { name: chain.title })).toBeVisible();
  count = await played(starts, count, 'the statement on arrival');
  // Section by section: "next part" skips to the next one at once (one tap: it is a read-aloud control).
  await page.getByRole('button', { name: t.speech.next }).click();
  count = await played(starts, count, 'the next section');
  await checkReadAloudScreen(page, 'consent-chain', 'fr', starts);

  const first = page.getByRole('switch', { name: chain.purposes[0]!.title });
  const before = requests.length;
  await doubleTap(first, starts, 'a purpose switch');
  await expect(first).toBeChecked();
  // Its label and its state, in words: "…, interrupteur, désactivé".
  expect(requests.slice(before).some((r) => r.parts.some((p) => p.text.includes(`${t.speech.role.switch}, ${t.speech.state.off}`)))).toBe(
    true,
  );
  await doubleTap(page.getByRole('button', { name: t.consent.confirm }), starts, 'confirm');

  const registry = statementText('central-registry-profile', 'fr');
  await expect(page.getByRole('heading', { name: registry.title })).toBeVisible();
  count = await played(starts, count, 'the registry statement on arrival');
  await checkReadAloudScreen(page, 'consent-registry', 'fr', starts);
  await doubleTap(page.getByRole('button', { name: t.consent.noToAll }), starts, 'no to all');
  await doubleTap(page.getByRole('button', { name: t.consent.confirm }), starts, 'confirm');

  await expect(page.getByRole('heading', { name: t.confirm.title })).toBeVisible();
  await played(starts, count, 'the receipt on arrival');
  // The receipt spoken: its reference spelt, the statement versions and the purposes.
  const receipt = page.getByRole('region', { name: t.confirm.receiptHeading });
  const reference = (await receipt.locator('p').nth(1).innerText()).split(/\s/).at(-1)!;
  await expect.poll(() => requests.some((r) => r.parts.some((p) => p.spell === true && p.text === reference))).toBe(true);
  const said = () => requests.flatMap((r) => r.parts.map((p) => p.text)).join(' ');
  await expect.poll(said).toContain('demo-retail-loyalty');
  await expect.poll(said).toContain(chain.purposes[0]!.title);
  // The withdrawal code is the customer's secret: "your details, as shown on the screen" instead.
  const code = (await page.locator('.withdrawal-code-value').innerText()).trim();
  expect(said()).not.toContain(code);
  expect(said()).toContain(t.speech.personalHidden);
  await checkReadAloudScreen(page, 'confirmation', 'fr', starts);
  // The receipt stays in the language it was committed in, and is said in that voice on a Dutch, German or English screen too.
  const title = (await receipt.locator('p').first().innerText()).trim();
  const receiptSaid = requests.filter((r) => r.parts.some((p) => p.text.includes(title)));
  // (Said again after each switch from the page's cache: a request in another language would be new audio, and is never made.)
  expect(receiptSaid.length).toBeGreaterThan(0);
  expect(new Set(receiptSaid.map((r) => r.language))).toEqual(new Set(['fr']));
  // …while the rest of the Dutch screen was said in Dutch.
  expect(requests.some((r) => r.language === 'nl')).toBe(true);

  // French screens, French voice: every answer to a French request names espeak-ng's French voice.
  const french = requests.filter((r) => r.language === 'fr');
  expect(french.length).toBeGreaterThan(20);
  for (const r of french) expect(r.voice ?? 'unanswered', JSON.stringify(r.parts[0])).toMatch(/^fr/);
  expect(requests.every((r) => r.personal !== true)).toBe(true);

  await doubleTap(page.getByRole('button', { name: t.confirm.done }), starts, 'done');
  // The wipe: the next customer finds read-aloud off, its controls gone, and single taps work again.
  const nl = ui('nl');
  await expect(page.getByRole('button', { name: nl.speech.readAloud })).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByRole('group', { name: nl.speech.controls })).toHaveCount(0);
});

test('read aloud: headphones let the customer hear their own details, spelt, never cached', async ({ kiosk: page }) => {
  const t = ui('en');
  const { requests, starts } = await listen(page);
  await page.getByRole('button', { name: LANGUAGE_NAMES.en, exact: true }).click();
  await page.getByRole('button', { name: t.speech.readAloud }).click();
  await page.getByRole('button', { name: t.attract.useForm }).dblclick();
  await expect(page.getByRole('heading', { name: t.form.title })).toBeVisible();
  await typeByTouch(page, t, 'Roy', starts);
  await page.getByRole('switch', { name: t.speech.headphones }).click();
  await expect(page.getByRole('switch', { name: t.speech.headphones })).toBeChecked();
  const before = await starts();
  await field(page, t.fields.surname).click();
  await played(starts, before, 'the surname field');
  await expect
    .poll(() => requests.find((r) => r.personal === true))
    .toEqual(expect.objectContaining({ language: 'en', parts: [{ text: 'Roy' }, { text: 'Roy', spell: true }] }));
  // A language switch stops what is said and says the screen again in the new language.
  await page.getByRole('button', { name: LANGUAGE_NAMES.de, exact: true }).dblclick();
  await expect(page.locator('html')).toHaveAttribute('lang', 'de');
  await expect.poll(() => requests.at(-1)?.language).toBe('de');
  await page.getByRole('button', { name: ui('de').common.startOver }).dblclick();
  await expect(page.getByRole('button', { name: ui('nl').speech.readAloud })).toHaveAttribute('aria-pressed', 'false');
});

/** Types on the on-screen keyboard by touch alone: each key a double tap, a capital after ⇧. */
async function typeByTouch(page: Page, t: UiStrings, text: string, starts: () => Promise<number>): Promise<void> {
  const key = (name: string) => page.getByRole('group', { name: t.keyboard.label }).getByRole('button', { name, exact: true });
  for (const ch of text) {
    if (ch !== ch.toLowerCase()) await doubleTap(key(`⇧ ${t.keyboard.shift}`), starts, 'shift');
    await doubleTap(key(ch), starts, `the key ${ch}`);
  }
}
