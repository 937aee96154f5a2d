// Read-aloud benchmark (npm run bench:ui, after ui-bench): the time from a tap (explore by touch,
// read-aloud on) to the start of its speech in the page, measured by the page itself: the tap's
// pointerdown timestamp to AudioBufferSourceNode.start. "Warm": the host's voice is running but
// the string was never said (synthesised now); "cached": the same string again (the page's cache).
// Needs Chromium, espeak-ng and dist/renderer.
import { chromium, type Locator, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../playwright.config.js';
import { CHROMIUM } from '../support/global-setup.js';
import { startHost } from '../support/host.js';
import { ui } from '../support/strings.js';

process.env.LOG_LEVEL ??= 'warn';
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const ms = (x: number) => `${x.toFixed(0)} ms`;

/** Run in the page: the last tap's moment and the first playback start after it. */
const RECORD = `
  window.__tapAt = 0; window.__startAt = 0;
  window.addEventListener('pointerdown', (e) => { window.__tapAt = e.timeStamp; window.__startAt = 0; }, true);
  const start = AudioBufferSourceNode.prototype.start;
  AudioBufferSourceNode.prototype.start = function (...args) {
    if (window.__startAt === 0) window.__startAt = performance.now();
    return start.apply(this, args);
  };`;

async function tapToSpeech(page: Page, target: Locator): Promise<number> {
  await target.click();
  await page.waitForFunction('window.__startAt > 0');
  const delay = Number(await page.evaluate('window.__startAt - window.__tapAt'));
  // Past the two seconds, so the next tap on it says again rather than does.
  await page.waitForTimeout(2100);
  return delay;
}

const host = await startHost();
const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
try {
  const t = ui('nl');
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })).newPage();
  await page.addInitScript(RECORD);
  await page.goto(host.url);
  await page.getByRole('button', { name: t.speech.readAloud }).click();
  await page.waitForFunction('window.__startAt > 0'); // the host's voice has spoken once: warm
  await page.getByRole('button', { name: t.attract.useForm }).dblclick();
  await page.getByRole('heading', { name: t.form.title }).waitFor();
  await page.waitForTimeout(500);
  // Each keyboard key is a string the voice has not said yet: the first tap is synthesised, the second cached.
  const keys = 'azertyuiop'.split('');
  const warm: number[] = [];
  const cached: number[] = [];
  for (const k of keys) {
    const key = page.getByRole('group', { name: t.keyboard.label }).getByRole('button', { name: k, exact: true });
    warm.push(await tapToSpeech(page, key));
    cached.push(await tapToSpeech(page, key));
  }
  console.log(`read aloud, tap to start of speech in the page (Chromium, espeak-ng, ${keys.length} keys):`);
  console.log(`  warm (synthesised by the host): median ${ms(median(warm))} (${warm.map(ms).join(', ')}) (aim: under 300 ms)`);
  console.log(`  cached (said before):           median ${ms(median(cached))} (${cached.map(ms).join(', ')}) (aim: under 50 ms)`);
} finally {
  await browser.close();
  await host.stop();
}
