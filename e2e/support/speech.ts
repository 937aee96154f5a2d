// Listening to the kiosk's voice from the test: every playback start in the page (Web Audio's
// AudioBufferSourceNode.start, counted by a script that runs before the page's own), and every
// speech.say the page asks over the loopback WebSocket with the host's answer (its voice); and each
// screen checked with the read-aloud controls on.
import { expect, type Locator, type Page } from '@playwright/test';
import { mkdirSync } from 'node:fs';
import type { Language } from '../../api/contract.js';
import { axeClean, LANGUAGE_NAMES, LANGUAGES, SCREENSHOTS } from './fixtures.js';
import { nothingCut, type LayoutRules } from './layout.js';
import { ui } from './strings.js';

export interface SaidRequest {
  language: string;
  parts: { text: string; spell?: boolean }[];
  personal?: boolean;
  voice?: string;
}

const COUNT_STARTS = `
  window.__speechStarts = 0;
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (...args) {
    window.__speechStarts += 1;
    return start.apply(this, args);
  };`;

/** Instruments the page (then reloads it, so the instrument runs first) and records what it asks the voice. */
export async function listen(page: Page): Promise<{ requests: SaidRequest[]; starts: () => Promise<number> }> {
  const requests: SaidRequest[] = [];
  const byId = new Map<number, SaidRequest>();
  page.on('websocket', (ws) => {
    ws.on('framesent', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { t: string; id: number; name: string; input: SaidRequest };
      if (frame.t !== 'call' || frame.name !== 'speech.say') return;
      const request = { ...frame.input };
      requests.push(request);
      byId.set(frame.id, request);
    });
    ws.on('framereceived', ({ payload }) => {
      const text = String(payload);
      if (!text.includes('"voice"')) return;
      const frame = JSON.parse(text) as { t: string; id: number; result: { ok: boolean; value?: { voice: string } } };
      const request = byId.get(frame.id);
      if (request !== undefined && frame.result.ok) request.voice = frame.result.value?.voice;
    });
  });
  await page.addInitScript(COUNT_STARTS);
  await page.reload();
  return { requests, starts: async () => Number(await page.evaluate('window.__speechStarts')) };
}

/** Waits until the page started more sounds than `before`. */
export async function played(starts: () => Promise<number>, before: number, what: string): Promise<number> {
  await expect.poll(starts, { message: `audio played for ${what}` }).toBeGreaterThan(before);
  return starts();
}

/**
 * Explore by touch as a customer who cannot see does it: the first tap says the thing (asserted:
 * audio started), the second tap within two seconds does it.
 */
export async function doubleTap(target: Locator, starts: () => Promise<number>, what: string): Promise<void> {
  const before = await starts();
  await target.click();
  await played(starts, before, `the first tap on ${what}`);
  await target.click();
}

const SIZES = [
  { width: 1280, height: 800 },
  { width: 1080, height: 1920 },
] as const;

/**
 * The screen on show with the read-aloud controls on, in every language (each switched by a double
 * tap, as explore by touch asks), at 1280x800 and 1080x1920, with normal and large text: axe once
 * per language, nothing cut (./layout.ts) and a screenshot each time; back to `language` and normal
 * text at the end. `{ only: true }`: a dialog covers the top bar, so only what is set now is checked.
 */
export async function checkReadAloudScreen(
  page: Page,
  name: string,
  language: Language,
  starts: () => Promise<number>,
  opts: { only?: boolean } & LayoutRules = {},
): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const languages = opts.only ? [language] : [...LANGUAGES.filter((l) => l !== language), language];
  for (const lng of languages) {
    const t = ui(lng);
    if (!opts.only) {
      await doubleTap(page.getByRole('button', { name: LANGUAGE_NAMES[lng], exact: true }), starts, LANGUAGE_NAMES[lng]);
      await expect(page.locator('html')).toHaveAttribute('lang', lng);
    }
    await expect(page.getByRole('group', { name: t.speech.controls })).toBeVisible();
    await expect(page.locator('body')).not.toContainText('⟦');
    await axeClean(page, `${name} with read-aloud (${lng})`);
    for (const large of opts.only ? [false] : [false, true]) {
      const largeText = page.getByRole('button', { name: t.settings.largeText });
      if (large) await doubleTap(largeText, starts, 'large text');
      for (const size of SIZES) {
        await page.setViewportSize(size);
        const shot = `read-aloud-${name}-${lng}-${size.width}x${size.height}${large ? '-large' : ''}`;
        await page.screenshot({ path: `${SCREENSHOTS}/${shot}.png` });
        await nothingCut(page, shot, opts);
      }
      await page.setViewportSize(SIZES[0]);
      if (large) await doubleTap(largeText, starts, 'large text');
    }
  }
}
