// The manager's view behind its PIN: the live queue while the registry is down and back up, and the
// lock-out after five wrong PINs. Its own registry, so the test can take it down.
import type { Page } from '@playwright/test';
import { checkScreen, chooseLanguage, expect } from './support/fixtures.js';
import { enrollByForm } from './support/enroll.js';
import { startHost } from './support/host.js';
import { testWithOwnRegistry } from './support/registry.js';
import { statementsWithNextChainVersion } from './support/statements.js';
import { fill, ui } from './support/strings.js';

const test = testWithOwnRegistry;
test.describe.configure({ mode: 'serial' });

const t = ui('en');

async function openPinPad(page: Page): Promise<void> {
  // The hidden staff entry: five taps on the top-left corner.
  for (let i = 0; i < 5; i++) await page.getByRole('button', { name: ui('nl').manager.entry }).click();
  await chooseLanguage(page, 'en');
  await expect(page.getByRole('heading', { name: t.manager.pinTitle })).toBeVisible();
}

async function typePin(page: Page, pin: string): Promise<void> {
  for (const digit of pin) await page.getByRole('button', { name: digit, exact: true }).click();
  await page.getByRole('button', { name: t.manager.unlock }).click();
}

const count = (page: Page, label: string) => page.getByRole('definition').and(page.locator(`dt:text-is("${label}") + dd`));

test('the registry down then up: the manager sees the enrollment pending, then acknowledged', async ({ kiosk: page, registry }) => {
  await registry.down();
  await enrollByForm(page, undefined, 'nl');
  await openPinPad(page);
  await checkScreen(page, 'manager-pin', 'en');
  await typePin(page, '1234');
  await expect(page.getByRole('heading', { name: t.manager.title, exact: true })).toBeVisible();
  await expect(page.getByText(t.manager.unreachable)).toBeVisible();
  await expect(count(page, t.manager.count.pending)).toHaveText('1');
  // Other test files may share this worker's host and registry: count from what is there now.
  const acknowledged = Number(await count(page, t.manager.count.acknowledged).textContent());
  await checkScreen(page, 'manager', 'en');

  await registry.up();
  // The sync client's backoff after a few failures is under a minute; the view polls on its own.
  await expect(count(page, t.manager.count.acknowledged)).toHaveText(String(acknowledged + 1), { timeout: 90_000 });
  await expect(count(page, t.manager.count.pending)).toHaveText('0');
  await expect(page.getByText(t.manager.reachable)).toBeVisible();

  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: t.manager.export }).click();
  expect((await download).suggestedFilename()).toMatch(/\.csv$/);
  await page.getByRole('button', { name: t.manager.lock }).click();
  await expect(page.getByRole('button', { name: ui('nl').attract.useEid })).toBeVisible();
});

test('failed items: the registry refuses two, the manager discards one and retries the other once the registry can take it', async ({
  page,
  registry,
}) => {
  // A kiosk showing the next version of the chain's statement that this registry was never given: it
  // refuses those records (UNKNOWN_STATEMENT), for real, and the sync client dead-letters them.
  const statements = statementsWithNextChainVersion();
  const newer = await startHost({ registry, statements });
  try {
    await page.goto(newer.url);
    await enrollByForm(page, { surname: 'Dubois', firstNames: 'Anna' }, 'nl');
    await enrollByForm(page, { surname: 'Maes', firstNames: 'Koen' }, 'nl');
    await openPinPad(page);
    await typePin(page, '1234');
    await expect(count(page, t.manager.count.deadLetter)).toHaveText('2', { timeout: 60_000 });
    const failed = page.locator('ul.failed > li');
    await expect(failed).toHaveCount(2);
    await checkScreen(page, 'manager-failed', 'en');

    await failed
      .first()
      .getByRole('button', { name: new RegExp(`^${t.manager.discard}\\b`) })
      .click();
    await expect(count(page, t.manager.count.discarded)).toHaveText('1');
    await expect(count(page, t.manager.count.deadLetter)).toHaveText('1');
    await expect(failed).toHaveCount(1);

    // The chain publishes that version to the registry too; the manager retries what is left.
    await registry.down();
    await registry.up(statements);
    await failed
      .first()
      .getByRole('button', { name: new RegExp(`^${t.manager.retry}\\b`) })
      .click();
    await expect(count(page, t.manager.count.acknowledged)).toHaveText('1', { timeout: 60_000 });
    await expect(count(page, t.manager.count.deadLetter)).toHaveText('0');
    await expect(page.getByText(t.manager.noFailed)).toBeVisible();
    await checkScreen(page, 'manager-retried', 'en');
  } finally {
    await newer.stop();
  }
});

test('a wrong PIN five times locks the manager view out, said in words', async ({ kiosk: page }) => {
  await openPinPad(page);
  for (let tries = 4; tries >= 1; tries--) {
    await typePin(page, '0000');
    await expect(page.getByRole('alert')).toContainText(fill(t.errors.PIN_WRONG, { count: tries }));
  }
  await typePin(page, '0000');
  await expect(page.getByRole('alert')).toContainText(fill(t.errors.PIN_LOCKED, { count: 'X' }).split('X')[0]!);
  await checkScreen(page, 'manager-locked', 'en', { only: true });
  // Locked: even the right PIN is refused now.
  await typePin(page, '1234');
  await expect(page.getByRole('alert')).toContainText(fill(t.errors.PIN_LOCKED, { count: 'X' }).split('X')[0]!);
  await expect(page.getByRole('heading', { name: t.manager.title, exact: true })).toHaveCount(0);
});
