// The idle time-out: warned by sight (and a tone), one touch extends, then everything is wiped.
import { checkScreen, chooseLanguage, expect, insertCard, LANGUAGE_NAMES, LANGUAGES, test } from './support/fixtures.js';
import { checkReadAloudScreen, doubleTap, listen } from './support/speech.js';
import { fill, ui } from './support/strings.js';

// The shortest idle time the kiosk's settings accept (host/settings.ts).
test.use({ hostOptions: { idleSeconds: 10 } });

test('"still there?" counts down from 20 in each language, one touch extends, then nothing of the customer is left', async ({
  kiosk: page,
  host,
}) => {
  const t = ui('nl');
  await page.getByRole('button', { name: t.attract.useEid }).click();
  await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
  const card = await insertCard('applet17-rsa');
  let surname = '';
  try {
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();
    surname = (await page.getByRole('definition').first().textContent()) ?? '';
    expect(surname).not.toBe('');

    // The dialog covers the language buttons: each language is chosen before it comes, then checked
    // (axe, no raw key, screenshots) and dismissed by its own "still here".
    for (const lng of [...LANGUAGES.filter((l) => l !== 'nl'), 'nl'] as const) {
      await chooseLanguage(page, lng);
      const s = ui(lng);
      const warning = page.getByRole('alertdialog', { name: s.idle.title });
      await expect(warning).toBeVisible({ timeout: 20_000 });
      await expect(warning).toContainText(/\b(20|1\d)\b/);
      await checkScreen(page, 'idle-warning', lng, { only: true });
      await page.getByRole('button', { name: s.idle.stay }).click();
      await expect(warning).toBeHidden();
      await expect(page.getByRole('heading', { name: s.staff.title })).toBeVisible();
    }
    const dialog = page.getByRole('alertdialog', { name: t.idle.title });

    // Untouched this time: the warning comes back and, 20 seconds on, the kiosk is back to the start.
    await expect(dialog).toBeVisible({ timeout: 20_000 });
    await expect(page.getByRole('button', { name: t.attract.useEid })).toBeVisible({ timeout: 30_000 });
  } finally {
    await card.stop();
  }
  const html = await page.content();
  expect(html).not.toContain(surname);
  expect(html).not.toContain('data:image/jpeg');
  // The host holds no session either: a call that needs one is refused.
  expect(await host.call('statement.get', { party: 'chain' })).toEqual({ ok: false, error: { code: 'NO_SESSION' } });
});

test('with read aloud on, the warning speaks its countdown and the page still wipes at zero', async ({ kiosk: page, host }) => {
  const t = ui('nl');
  const { requests, starts } = await listen(page);
  await page.getByRole('button', { name: t.attract.useForm }).click();
  await expect(page.getByRole('heading', { name: t.form.title })).toBeVisible();
  await page.getByRole('button', { name: t.speech.readAloud }).click();
  // Each language, and German with large text too: the warning with the read-aloud controls behind it.
  for (const [lng, large] of [
    ['de', true],
    ['de', false],
    ['fr', false],
    ['en', false],
    ['nl', false],
  ] as const) {
    const s = ui(lng);
    await doubleTap(page.getByRole('button', { name: LANGUAGE_NAMES[lng], exact: true }), starts, LANGUAGE_NAMES[lng]);
    const largeText = page.getByRole('button', { name: s.settings.largeText });
    if (large !== ((await largeText.getAttribute('aria-pressed')) === 'true')) await doubleTap(largeText, starts, 'large text');
    const warning = page.getByRole('alertdialog', { name: s.idle.title });
    await expect(warning).toBeVisible({ timeout: 20_000 });
    await checkReadAloudScreen(page, large ? 'idle-warning-large' : 'idle-warning', lng, starts, { only: true });
    // "Still here" acts on one touch, read aloud or not.
    await page.getByRole('button', { name: s.idle.stay }).click();
    await expect(warning).toBeHidden();
  }

  // Untouched: the seconds are said (each a speech.say, which moves the host's deadline), and at zero the page wipes all the same.
  await expect(page.getByRole('alertdialog', { name: t.idle.title })).toBeVisible({ timeout: 20_000 });
  await expect
    .poll(() => requests.some((r) => r.parts.some((p) => p.text === fill(t.speech.countdown, { count: 5 }))), { timeout: 20_000 })
    .toBe(true);
  await expect(page.getByRole('button', { name: t.attract.useEid })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByRole('button', { name: t.speech.readAloud })).toHaveAttribute('aria-pressed', 'false');
  expect(await host.call('statement.get', { party: 'chain' })).toEqual({ ok: false, error: { code: 'NO_SESSION' } });
});
