// speech.say through the host, with the real espeak-ng: served without a session, audio as base64
// WAV, the cache, the limits at the boundary, and a kiosk without the engine stays silent.
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

  it('does not move the idle deadline: the countdown speaks while it runs', async () => {
    t = testHost({ deps: { speaker: new Speaker(new EspeakEngine()) } });
    await t.ok('session.start', { language: 'de', intent: 'enroll' });
    const armed = [...t.timers.pending.keys()];
    await t.ok('speech.say', { language: 'de', parts: [{ text: 'Noch 10 Sekunden' }] });
    expect([...t.timers.pending.keys()]).toEqual(armed);
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
