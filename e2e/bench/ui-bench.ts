// UI benchmark (npm run bench:ui -- [--runs N]). With a virtual card answering each APDU after 20 ms
// and the read already permitted, it prints: the median time from card insertion to the identity on
// screen, and its ratio to the card read alone (card-reader straight, insertion to parsed identity);
// the attract screen's first contentful paint; the UI's JavaScript and CSS gzipped; the time of a form
// enrollment over the kiosk's one connection, for a customer who consents and for one who says no to
// everything (which keeps nothing); and the host's heap in use and resident memory after 10 and 100
// consenting customers and after 100 more saying no to everything, each after a forced gc().
// Needs pcscd, Chromium and dist/renderer.
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { once } from 'node:events';
import WebSocket from 'ws';
import { CHROMIUM_ARGS } from '../playwright.config.js';
import { CHROMIUM } from '../support/global-setup.js';
import { READER, SLOT, startHost, type RunningHost } from '../support/host.js';
import { ui } from '../support/strings.js';
import type { CallName, Result } from '../../api/contract.js';
import { LOOPBACK_PATH, TOKEN_PARAM } from '../../api/loopback-frames.js';

process.env.LOG_LEVEL ??= 'warn';
const { PcscSession } = await import('../../card-reader/pcsc/session.js');
const { readCard } = await import('../../card-reader/read-card.js');
const { loadTrustStore } = await import('../../card-reader/verify/trust-store.js');
const { loadProfile } = await import('../../card-reader/virtual/profiles.js');
const { startVirtualCard } = await import('../../card-reader/virtual/vpcd-card.js');

const { values } = parseArgs({ options: { runs: { type: 'string', default: '7' } } });
const RUNS = Number(values.runs);
const DELAY_MS = 20;
const PROFILE = 'applet17-rsa';
const profile = await loadProfile(PROFILE);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const insert = () => startVirtualCard({ files: profile.files, basicPrivateKey: profile.basicPrivateKey, slot: SLOT, delayMs: DELAY_MS });
const settle = () => new Promise((r) => setTimeout(r, 1200)); // pcscd sees a removal about 400 ms after it

async function cardAlone(): Promise<number[]> {
  const session = await PcscSession.open();
  const trust = loadTrustStore([profile.trustedRootDer]);
  const times: number[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      let identityAt = 0;
      const insertedAt = Date.now();
      const card = await insert();
      await readCard(session, {
        reader: READER,
        waitMs: 10_000,
        photo: true,
        trust,
        now: () => new Date(),
        onProgress: (p) => {
          if (p.stage === 'identity') identityAt = Date.now();
        },
      });
      times.push(identityAt - insertedAt);
      await card.stop();
      await settle();
    }
  } finally {
    await session.close();
  }
  return times;
}

/** Run in the page (a string: this file is typed for Node): the wall-clock moment the identity is in the DOM. */
const RECORD_IDENTITY_AT = `
  window.identityAt = undefined;
  new MutationObserver((_, observer) => {
    if (document.querySelector('.fields-list dd')) {
      window.identityAt = performance.timeOrigin + performance.now();
      observer.disconnect();
    }
  }).observe(document.body, { childList: true, subtree: true });`;

async function throughUi(host: RunningHost): Promise<{ identity: number[]; fcp: number[] }> {
  const t = ui('nl');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const identity: number[] = [];
  const fcp: number[] = [];
  try {
    for (let i = 0; i < 5; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true });
      const page = await context.newPage();
      await page.goto(host.url);
      await page.getByRole('button', { name: t.attract.useEid }).waitFor();
      // The paint entry is queued just after the paint: wait for it rather than read too early.
      fcp.push(
        Number(await (await page.waitForFunction("performance.getEntriesByName('first-contentful-paint')[0]?.startTime")).jsonValue()),
      );
      await context.close();
    }
    // The page's strict CSP forbids eval, which the recording script below needs; the UI itself is unchanged.
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 }, bypassCSP: true })).newPage();
    await page.goto(host.url);
    for (let i = 0; i < RUNS; i++) {
      await page.getByRole('button', { name: t.attract.useEid }).click();
      await page.getByRole('button', { name: t.permission.allow, exact: true }).click();
      await page.getByText(t.reading.now.waiting).waitFor();
      // The moment the identity is in the DOM, in wall-clock time, recorded by the page itself.
      await page.evaluate(RECORD_IDENTITY_AT);
      const insertedAt = Date.now();
      const card = await insert();
      const shownAt = await (await page.waitForFunction('window.identityAt')).jsonValue();
      identity.push(Number(shownAt) - insertedAt);
      await page.getByRole('heading', { name: t.staff.title }).waitFor();
      await card.stop();
      await page.getByRole('button', { name: t.common.startOver }).click();
      await page.getByRole('button', { name: t.attract.useEid }).waitFor();
      await settle();
    }
  } finally {
    await browser.close();
  }
  return { identity, fcp };
}

function gzippedKiB(ext: string): number {
  const dir = 'dist/renderer/assets';
  const bytes = readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .reduce((sum, f) => sum + gzipSync(readFileSync(join(dir, f)), { level: 9 }).length, 0);
  return bytes / 1024;
}

interface Memory {
  heapMiB: number;
  rssMiB: number;
}

/**
 * The host's own memory after a full garbage collection, asked of the host's node itself through
 * its inspector (it runs with --expose-gc and --inspect on a free loopback port): heap in use and
 * resident set, so what is still reachable is told apart from what merely was not collected yet.
 */
async function hostMemoryAfterGc(host: RunningHost): Promise<Memory> {
  const address = /Debugger listening on (ws:\/\/\S+)/.exec(host.stderr())?.[1];
  if (!address) throw new Error('the host printed no inspector address');
  const ws = new WebSocket(address);
  await once(ws, 'open');
  try {
    const answer = once(ws, 'message');
    const expression = 'gc(); gc(); JSON.stringify(process.memoryUsage())';
    ws.send(JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression, returnByValue: true } }));
    const [data] = (await answer) as [Buffer];
    const reply = JSON.parse(String(data)) as { result?: { result?: { value?: string } } };
    const usage = JSON.parse(reply.result?.result?.value ?? 'null') as NodeJS.MemoryUsage | null;
    if (!usage) throw new Error(`the host's inspector answered ${String(data).slice(0, 200)}`);
    return { heapMiB: usage.heapUsed / 2 ** 20, rssMiB: usage.rss / 2 ** 20 };
  } finally {
    ws.close();
  }
}

/**
 * The kiosk's one live connection, held open for every call as the page holds its own (the host keeps
 * one connection per window: each new one replaces the last, so a connection per call would measure
 * the churn, not the kiosk). Opened only once the bench's browser is closed.
 */
interface Connection {
  call(name: CallName, input: object): Promise<unknown>;
  close(): void;
}

async function connect(host: RunningHost): Promise<Connection> {
  const ws = new WebSocket(`${host.origin.replace('http', 'ws')}${LOOPBACK_PATH}?${TOKEN_PARAM}=${host.token}`, { origin: host.origin });
  await once(ws, 'open');
  const waiting = new Map<number, (answer: Result<unknown> | Error) => void>();
  let next = 0;
  ws.on('message', (data) => {
    const frame = JSON.parse(String(data)) as { t: string; id?: number; result?: Result<unknown> };
    if (frame.t === 'result' && frame.id !== undefined) waiting.get(frame.id)?.(frame.result!);
  });
  // A replaced or dropped connection answers every call still waiting, so the bench stops with the reason.
  ws.on('close', (code) => {
    for (const answer of waiting.values()) answer(new Error(`the kiosk's connection closed (${code})`));
  });
  return {
    async call(name, input) {
      const id = ++next;
      const result = await new Promise<Result<unknown> | Error>((resolve) => {
        waiting.set(id, resolve);
        ws.send(JSON.stringify({ t: 'call', id, name, input }));
      });
      waiting.delete(id);
      if (result instanceof Error) throw result;
      if (!result.ok) throw new Error(`${name}: ${result.error.code}`);
      return result.value;
    },
    close: () => ws.close(),
  };
}

type Customer = 'consents' | 'no to everything';

/**
 * One customer by the form, start to "done", in the calls the page makes: `consents` says yes to every
 * purpose of the chain and to the registry (committed and queued); `no to everything` says no to every
 * purpose of the chain, is offered no registry screen and is kept nowhere. Returns the milliseconds it took.
 */
async function enroll(kiosk: Connection, n: number, customer: Customer): Promise<number> {
  const yes = customer === 'consents';
  const started = performance.now();
  await kiosk.call('session.start', { language: 'nl', intent: 'enroll' });
  await kiosk.call('card.decline', {});
  await kiosk.call('manual.submit', { surname: `Bench${n}`, firstNames: 'Klant', email: `klant${n}@voorbeeld.be` });
  for (const party of yes ? (['chain', 'registry'] as const) : (['chain'] as const)) {
    const { purposes } = (await kiosk.call('statement.get', { party })) as { purposes: { id: string }[] };
    await kiosk.call('consent.decide', {
      party,
      decisions: Object.fromEntries(purposes.map((p) => [p.id, yes])),
      controlsTouched: [yes ? 'all:yes' : 'all:no', 'confirm'],
    });
  }
  const committed = (await kiosk.call('enrollment.commit', {})) as { kept?: boolean; receiptId?: string };
  if (yes !== (committed.receiptId !== undefined) || (!yes && committed.kept !== false)) {
    throw new Error(`${customer}: the commit answered ${JSON.stringify(Object.keys(committed))}`);
  }
  await kiosk.call('session.end', { reason: 'done' });
  return performance.now() - started;
}

/** `count` customers of one kind in a row; their times per enrollment. */
async function enrollMany(kiosk: Connection, from: number, count: number, customer: Customer): Promise<number[]> {
  const times: number[] = [];
  for (let n = from; n < from + count; n++) times.push(await enroll(kiosk, n, customer));
  return times;
}

const alone = await cardAlone();
const host = await startHost({ nodeArgs: ['--expose-gc', '--inspect=127.0.0.1:0'] });
try {
  const { identity, fcp } = await throughUi(host);
  const kiosk = await connect(host);
  const consenting = await enrollMany(kiosk, 1, 10, 'consents');
  await settle();
  const after10 = await hostMemoryAfterGc(host);
  consenting.push(...(await enrollMany(kiosk, 11, 90, 'consents')));
  await settle();
  const after100 = await hostMemoryAfterGc(host);
  const refusing = await enrollMany(kiosk, 101, 100, 'no to everything');
  await settle();
  const afterRefusals = await hostMemoryAfterGc(host);
  kiosk.close();
  const mib = (m: Memory, key: keyof Memory) => `${m[key].toFixed(1)} MiB`;

  const ms = (x: number) => `${x.toFixed(0)} ms`;
  console.log(`virtual card ${PROFILE}, ${DELAY_MS} ms per APDU, ${RUNS} runs, permission already given`);
  console.log(`card read alone, insertion to identity parsed: median ${ms(median(alone))} (${alone.map(ms).join(', ')})`);
  console.log(`kiosk, insertion to identity on screen:        median ${ms(median(identity))} (${identity.map(ms).join(', ')})`);
  console.log(`ratio (screen / card alone): ${(median(identity) / median(alone)).toFixed(2)} (aim: 1.1 or better)`);
  console.log(`attract screen first contentful paint: median ${ms(median(fcp))} (${fcp.map(ms).join(', ')})`);
  console.log(`UI gzipped: JavaScript ${gzippedKiB('.js').toFixed(1)} KiB, CSS ${gzippedKiB('.css').toFixed(1)} KiB`);
  console.log(
    `form enrollment over the kiosk's one connection, start to done: median ${ms(median(consenting))} for a customer who consents ` +
      `(committed), ${ms(median(refusing))} for "no to everything" (kept nowhere)`,
  );
  for (const [key, what] of [
    ['heapMiB', 'heap in use'],
    ['rssMiB', 'resident memory'],
  ] as const) {
    console.log(
      `host ${what} after gc(): ${mib(after10, key)} after 10 consenting customers, ${mib(after100, key)} after 100 ` +
        `(${(after100[key] - after10[key]).toFixed(1)} MiB), ${mib(afterRefusals, key)} after 100 more saying no to everything ` +
        `(${(afterRefusals[key] - after100[key]).toFixed(1)} MiB)`,
    );
  }
} finally {
  await host.stop();
}
