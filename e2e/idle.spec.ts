// The idle time-out: warned by sight (and a tone), one touch extends, then everything is wiped.
import { checkScreen, expect, insertCard, test } from './support/fixtures.js';
import { ui } from './support/strings.js';

test.use({ hostOptions: { idleSeconds: 5 } });

test('"still there?" counts down from 20, one touch extends, then nothing of the customer is left', async ({ kiosk: page, host }) => {
  const t = ui('nl');
  await page.getByRole('button', { name: t.attract.useEid }).click();
  await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
  const card = await insertCard('applet17-rsa');
  let surname = '';
  try {
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();
    surname = (await page.getByRole('definition').first().textContent()) ?? '';
    expect(surname).not.toBe('');

    const dialog = page.getByRole('alertdialog', { name: t.idle.title });
    await expect(dialog).toBeVisible({ timeout: 10_000 });
    await expect(dialog).toContainText('20');
    await checkScreen(page, 'idle-warning', 'nl', { only: true });
    await page.getByRole('button', { name: t.idle.stay }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('heading', { name: t.staff.title })).toBeVisible();

    // Untouched this time: the warning comes back and, 20 seconds on, the kiosk is back to the start.
    await expect(dialog).toBeVisible({ timeout: 10_000 });
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
