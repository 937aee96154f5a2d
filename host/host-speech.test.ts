// speech.say through the host, with the real espeak-ng: served without a session, audio as base64
// WAV, the cache, the limits at the boundary, and a kiosk without the engine stays silent.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EspeakEngine } from '../speech/espeak.js';
import { Speaker } from '../speech/speaker.js';
import { readWav } from '../speech/wav.js';
import { SPEECH_MAX_CHARS } from '../api/contract.js';
import { testHost, type TestHost } from './test-support.js';

let t: TestHost;
afterEach(() => t.dispose());

type Said = { wav: string; sampleRate: number; voice: string; cached: boolean };

describe('speech.say', () => {
  it('answers with WAV audio in the voice of the language, with no session, and from the cache the second time', async () => {
    t = testHost({ deps: { speaker: new Speaker(new EspeakEngine()) } });
    const input = { language: 'fr', parts: [{ text: 'Bienvenue' }, { text: 'Lire ma carte eID' }] };
    const first = await t.ok<Said>('speech.say', input);
    expect(first).toMatchObject({ voice: 'fr-be', sampleRate: 22050, cached: false });
    const wav = Buffer.from(first.wav, 'base64');
    expect(readWav(wav)).toMatchObject({ format: 1, channels: 1, sampleRate: 22050, dataBytes: wav.length - 44 });
    expect(await t.ok<Said>('speech.say', input)).toEqual({ ...first, cached: true });
    expect(t.host.sessionSnapshot()).toBeUndefined();
  });

  it('never caches a personal request', async () => {
    t = testHost({ deps: { speaker: new Speaker(new EspeakEngine()) } });
    const input = { language: 'nl', parts: [{ text: 'Peeters', spell: true }], personal: true };
    expect((await t.ok<Said>('speech.say', input)).cached).toBe(false);
    expect((await t.ok<Said>('speech.say', input)).cached).toBe(false);
    expect((await t.ok<Said>('speech.say', { ...input, personal: false })).cached).toBe(false);
  });

  it('moves the idle deadline like a tap: a customer exploring by touch makes no other call', async () => {
    t = testHost({ deps: { speaker: new Speaker(new EspeakEngine()) } });
    await t.ok('session.start', { language: 'de', intent: 'enroll' });
    const armed = [...t.timers.pending.keys()];
    await t.ok('speech.say', { language: 'de', parts: [{ text: 'Angebote per E-Mail, Schalter, aus' }] });
    expect(t.timers.pending.size).toBe(1);
    expect([...t.timers.pending.keys()]).not.toEqual(armed);
  });

  it('a spoken countdown moves the deadline no further than one idle time plus the countdown, and a page that died is still wiped', async () => {
    t = testHost({ deps: { speaker: new Speaker(new EspeakEngine()) } });
    await t.ok('session.start', { language: 'nl', intent: 'enroll' });
    // The idle warning says its seconds (20, 15, 10, 5 … 1), each a speech.say: each re-arms the one deadline, never adds one.
    for (const count of [20, 15, 10, 5, 4, 3, 2, 1]) {
      await t.ok('speech.say', { language: 'nl', parts: [{ text: `Nog ${count} seconden.` }] });
      expect([...t.timers.pending.values()].map((p) => p.ms)).toEqual([80_000]);
    }
    // The page died before its own wipe at zero: nothing more is said, and the host's deadline wipes the session.
    t.timers.fireAll();
    expect(t.host.sessionSnapshot()).toBeUndefined();
    expect(t.events.filter((e) => e.name === 'session')).toEqual([{ name: 'session', payload: { state: 'wiped', reason: 'idle' } }]);
    // Speech after the wipe (the attract screen, the next customer) arms nothing.
    await t.ok('speech.say', { language: 'nl', parts: [{ text: 'Welkom' }] });
    expect(t.timers.pending.size).toBe(0);
  });

  it('runs beside the customer calls: a slow synthesis never holds up the next tap', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'speech-slow-'));
    const slow = join(dir, 'slow-espeak');
    writeFileSync(slow, '#!/bin/sh\nsleep 1\nexec espeak-ng "$@"\n', { mode: 0o755 });
    t = testHost({ deps: { speaker: new Speaker(new EspeakEngine({ command: slow })) } });
    const order: string[] = [];
    const speech = t.ok('speech.say', { language: 'en', parts: [{ text: 'Welcome' }] }).then(() => order.push('speech'));
    await t.ok('session.start', { language: 'en', intent: 'enroll' }).then(() => order.push('session.start'));
    await speech;
    expect(order).toEqual(['session.start', 'speech']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses at the boundary what is over the limits', async () => {
    t = testHost({ deps: { speaker: new Speaker(new EspeakEngine()) } });
    const part = (n: number) => ({ text: 'a'.repeat(n) });
    expect(await t.code('speech.say', { language: 'en', parts: [part(2001)] })).toBe('INVALID_REQUEST');
    expect(await t.code('speech.say', { language: 'en', parts: Array.from({ length: 51 }, () => part(1)) })).toBe('INVALID_REQUEST');
    expect(await t.code('speech.say', { language: 'en', parts: [part(2000), part(2000), part(1)] })).toBe('INVALID_REQUEST');
    expect(SPEECH_MAX_CHARS).toBe(4000);
    expect(await t.code('speech.say', { language: 'en', parts: [] })).toBe('INVALID_REQUEST');
    expect(await t.code('speech.say', { language: 'en', parts: [{ text: '' }] })).toBe('INVALID_REQUEST');
    expect(await t.code('speech.say', { language: 'xx', parts: [part(3)] })).toBe('INVALID_REQUEST');
    expect(await t.code('speech.say', { language: 'en', parts: [part(3)], rate: 2 })).toBe('INVALID_REQUEST');
  });

  it('answers SPEECH_UNAVAILABLE when espeak-ng is not on PATH, or no engine is set up', async () => {
    t = testHost({ deps: { speaker: new Speaker(new EspeakEngine({ env: { PATH: '/nonexistent' } })) } });
    expect(await t.code('speech.say', { language: 'nl', parts: [{ text: 'Welkom' }] })).toBe('SPEECH_UNAVAILABLE');
    t.dispose();
    t = testHost();
    expect(await t.code('speech.say', { language: 'nl', parts: [{ text: 'Welkom' }] })).toBe('SPEECH_UNAVAILABLE');
  });
});

describe('speech logs', () => {
  // The host's loggers are silent under vitest: a child process logs as the kiosk does, on stderr.
  const logsOf = (engine: string): string[] => {
    const script = `
      const { configureLogging } = await import('./sync/log.js');
      const { speechHandlers } = await import('./host/speech.js');
      const { Speaker } = await import('./speech/speaker.js');
      const { EspeakEngine } = await import('./speech/espeak.js');
      configureLogging('info');
      const say = speechHandlers(new Speaker(new EspeakEngine(${engine})))['speech.say'];
      for (let i = 0; i < 3; i++) await say({ language: 'nl', parts: [{ text: 'An Peeters' }, { text: 'an@peeters.be', spell: true }], personal: true }).catch((e) => process.stdout.write(e.code + '\\n'));
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.stdout).toBe('SPEECH_UNAVAILABLE\n'.repeat(3));
    expect(run.stderr).not.toMatch(/Peeters|peeters/);
    return run.stderr.trim().split('\n');
  };

  it('a missing engine: one line, by code, whatever the number of requests; never the text', () => {
    const lines = logsOf(`{ env: { PATH: '/nonexistent' } }`);
    expect(lines.map((l) => JSON.parse(l) as { code: string; msg: string })).toEqual([
      expect.objectContaining({ code: 'ENGINE_MISSING', msg: 'no speech engine: read aloud stays silent' }),
    ]);
  });

  it('a failing engine: its code on each failure, never the text', () => {
    const lines = logsOf(`{ command: '/bin/false' }`);
    expect(lines.map((l) => (JSON.parse(l) as { code: string }).code)).toEqual(['ENGINE_FAILED', 'ENGINE_FAILED', 'ENGINE_FAILED']);
  });
});
