// A kiosk set up by a one-time code: a host started on an empty data folder shows the set-up screen
// (and enrolls nobody); the registry address and a code from `registry enroll-code`, typed on the
// on-screen keyboard, provision it; the same code is refused a second time; then an enrollment
// made at that kiosk reaches that registry.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { runRegistryCommand } from '../registry/cli.js';
import { serve, type RunningRegistry } from '../registry/server.js';
import { checkScreen, expect, test as base } from './support/fixtures.js';
import { enrollByForm } from './support/enroll.js';
import { field, typeOnScreen } from './support/keyboard.js';
import { fill, ui, type UiStrings } from './support/strings.js';

const dir = mkdtempSync(join(tmpdir(), 'e2e-setup-'));
const db = join(dir, 'registry.db');

const test = base.extend<object, { registry: RunningRegistry }>({
  registry: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
    async ({}, use) => {
      const registry = await serve({ port: 0, host: '127.0.0.1', db });
      await use(registry);
      await registry.close();
      rmSync(dir, { recursive: true, force: true });
    },
    { scope: 'worker' },
  ],
  hostOptions: [async ({ registry: _ }, use) => use({ setupDataDir: join(dir, 'kiosk-data') }), { scope: 'worker' }],
});

/** `registry enroll-code`, as the back office runs it: the code is its first line. */
async function enrollCode(): Promise<string> {
  let out = '';
  const io = {
    stdout: (s: string) => (out += s),
    stderr: () => undefined,
    now: () => new Date(),
    interrupted: new Promise<void>(() => {}),
  };
  const argv = ['enroll-code', '--db', db, '--kiosk', 'kiosk-setup-1', '--chain', 'demo-retail', '--store', 'store-042'];
  expect(await runRegistryCommand(argv, io)).toBe(0);
  return out.split('\n')[0]!;
}

async function typeInto(page: Page, t: UiStrings, label: string, text: string): Promise<void> {
  // The PIN fields are password fields, which have no textbox role: found by their label.
  await page.getByLabel(label, { exact: true }).click();
  await typeOnScreen(page, t, text);
}

test('an empty kiosk sets itself up with a one-time code, then enrolls into that registry', async ({ kiosk: page, registry }) => {
  const t = ui('nl');
  await expect(page.getByRole('heading', { name: t.setup.title })).toBeVisible();
  // Nothing of a customer's flow is offered.
  await expect(page.getByRole('button', { name: t.attract.useForm })).toHaveCount(0);
  await checkScreen(page, 'setup', 'nl');

  const code = await enrollCode();
  await field(page, t.setup.fields.registryUrl).click();
  await typeOnScreen(page, t, registry.url);
  // A code that is not one: the registry refuses it, in words, and nothing is provisioned.
  await typeInto(page, t, t.setup.fields.code, 'zzzzzzzzzzzz');
  await typeInto(page, t, t.setup.fields.pin, '2468');
  await typeInto(page, t, t.setup.fields.pinAgain, '2468');
  await page.getByRole('button', { name: t.setup.submit }).click();
  await expect(page.getByRole('alert')).toContainText(t.setup.errors.SETUP_CODE_REFUSED);
  await checkScreen(page, 'setup-refused', 'nl', { only: true });

  // The real code, typed as staff would: lower case, without its dashes.
  await field(page, t.setup.fields.code).fill('');
  await typeInto(page, t, t.setup.fields.code, code.replaceAll('-', '').toLowerCase());
  await page.getByRole('button', { name: t.setup.submit }).click();
  await expect(page.getByRole('heading', { name: fill(t.attract.title, { chain: 'Demo Retail NV' }) })).toBeVisible({ timeout: 60_000 });

  // The code worked once.
  const again = await fetch(`${registry.url}/v1/provision`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  expect(again.status).toBe(404);

  const before = (await registry.store.stats()).enrollments;
  await enrollByForm(page, undefined, 'nl');
  await expect.poll(async () => (await registry.store.stats()).enrollments, { timeout: 90_000 }).toBe(before + 1);
});
