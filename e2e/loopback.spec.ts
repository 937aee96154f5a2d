// The loopback door in real Chromium: the page opens with the host's one-time ticket, removes it from
// the address bar, and a second page with the same ticket is refused.
import { expect, test } from '@playwright/test';
import { startHost } from './support/host.js';

test('a ticket opens one page only, and leaves the address bar', async ({ browser }) => {
  const host = await startHost();
  try {
    const url = host.url;
    const ticket = new URL(url).hash;
    const first = await browser.newPage();
    await first.goto(url);
    await expect(first.getByRole('heading', { level: 1 })).toBeVisible();
    expect(first.url()).not.toContain(ticket);

    const second = await browser.newPage();
    await second.goto(`${host.origin}/`);
    // The same ticket again, from a page of the same origin: the upgrade is refused, nothing opens.
    const outcome = await second.evaluate(
      ([origin, query]) =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`${origin.replace('http', 'ws')}/api?${query}`);
          ws.onopen = () => resolve('opened');
          ws.onclose = () => resolve('refused');
        }),
      [host.origin, ticket.slice(1)] as const,
    );
    expect(outcome).toBe('refused');
  } finally {
    await host.stop();
  }
});
