// The voice over a small in-memory audio output (the AudioOut seam; Web Audio itself plays in
// Chromium, e2e/read-aloud.spec.ts): what is asked of the host, in which language, in which order,
// what is cached, and the paused state the controls show.
import { describe, expect, it } from 'vitest';
import type { AudioOut } from './player';
import { createVoice, type Chunk, type SayRequest } from './voice';

/** An AudioOut that records what it plays; a sound ends when the test says so (or at once). */
function fakeAudio(endAtOnce = true) {
  const played: string[] = [];
  const calls: string[] = [];
  let end: (() => void) | undefined;
  const audio: AudioOut = {
    decode: async (wav) => ({ text: new TextDecoder().decode(wav) }) as unknown as AudioBuffer,
    play(buffer) {
      played.push((buffer as unknown as { text: string }).text);
      return endAtOnce ? Promise.resolve() : new Promise<void>((resolve) => (end = resolve));
    },
    stop: () => {
      calls.push('stop');
      end?.();
    },
    setVolume: (gain) => void calls.push(`volume ${gain}`),
    pause: async () => void calls.push('pause'),
    resume: async () => void calls.push('resume'),
  };
  return { audio, played, calls, end: () => end?.() };
}

const base64 = (text: string) => btoa(String.fromCharCode(...new TextEncoder().encode(text)));

/** A host that answers each request with its text as the "WAV". */
function fakeHost() {
  const asked: SayRequest[] = [];
  const say = async (request: SayRequest) => {
    asked.push(request);
    return { wav: base64(`${request.language}:${request.parts.map((p) => p.text).join('|')}`) };
  };
  return { asked, say };
}

const chunk = (...texts: string[]): Chunk => ({ parts: texts.map((text) => ({ text })) });

describe('the voice', () => {
  it('says each chunk in order, in the utterance language, and a chunk marked with its own language in that one', async () => {
    const host = fakeHost();
    const out = fakeAudio();
    const voice = createVoice(host.say, out.audio);
    await voice.speak('nl', [chunk('Klaar'), { ...chunk('Reçu de vos consentements'), language: 'fr' }, chunk('Gedaan')]);
    expect(out.played).toEqual(['nl:Klaar', 'fr:Reçu de vos consentements', 'nl:Gedaan']);
    expect(host.asked.map((r) => r.language)).toEqual(['nl', 'fr', 'nl']);
  });

  it('caches what is not personal, never what is', async () => {
    const host = fakeHost();
    const voice = createVoice(host.say, fakeAudio().audio);
    await voice.speak('en', [chunk('Welcome'), { ...chunk('Peeters'), personal: true }]);
    await voice.speak('en', [chunk('Welcome'), { ...chunk('Peeters'), personal: true }]);
    expect(host.asked.map((r) => [r.parts[0]!.text, r.personal ?? false])).toEqual([
      ['Welcome', false],
      ['Peeters', true],
      ['Peeters', true],
    ]);
    // The same words in another language are other audio.
    await voice.speak('de', [chunk('Welcome')]);
    expect(host.asked.at(-1)?.language).toBe('de');
  });

  it('leaves out a chunk the host could not say, and goes on with the next', async () => {
    const out = fakeAudio();
    const say = async (r: SayRequest) => {
      if (r.parts[0]!.text === 'fails') throw new Error('socket closed');
      if (r.parts[0]!.text === 'silent') return undefined;
      return { wav: base64(r.parts[0]!.text) };
    };
    await createVoice(say, out.audio).speak('fr', [chunk('un'), chunk('fails'), chunk('silent'), chunk('deux')]);
    expect(out.played).toEqual(['un', 'deux']);
  });

  it('a new utterance ends the one being said; "next part" skips to its next chunk', async () => {
    const out = fakeAudio(false);
    const voice = createVoice(fakeHost().say, out.audio);
    const first = voice.speak('en', [chunk('one'), chunk('two')]);
    await expect.poll(() => out.played).toEqual(['en:one']);
    const second = voice.speak('en', [chunk('three'), chunk('four')]);
    await first;
    await expect.poll(() => out.played).toEqual(['en:one', 'en:three']);
    voice.next();
    await expect.poll(() => out.played).toEqual(['en:one', 'en:three', 'en:four']);
    out.end();
    await second;
    expect(out.played).not.toContain('en:two');
  });

  it('repeat says the last utterance again; after stop there is nothing to repeat', async () => {
    const out = fakeAudio();
    const voice = createVoice(fakeHost().say, out.audio);
    await voice.speak('nl', [chunk('a'), chunk('b')]);
    await voice.repeat();
    expect(out.played).toEqual(['nl:a', 'nl:b', 'nl:a', 'nl:b']);
    voice.stop();
    await voice.repeat();
    expect(out.played).toHaveLength(4);
  });

  it('is paused from pause until resume, or until anything new is said; each change is told', async () => {
    const out = fakeAudio();
    const voice = createVoice(fakeHost().say, out.audio);
    const seen: boolean[] = [];
    const off = voice.subscribe(() => seen.push(voice.paused));
    expect(voice.paused).toBe(false);
    await voice.pause();
    expect(voice.paused).toBe(true);
    await voice.resume();
    await voice.pause();
    // A new screen's speech (or a tap) while paused: it plays, and the control says "pause" again.
    await voice.speak('de', [chunk('Weiter')]);
    expect(voice.paused).toBe(false);
    expect(out.calls.filter((c) => c === 'pause' || c === 'resume')).toEqual(['pause', 'resume', 'pause', 'resume']);
    await voice.pause();
    voice.next();
    expect(voice.paused).toBe(false);
    await voice.pause();
    voice.stop();
    expect(voice.paused).toBe(false);
    expect(seen).toEqual([true, false, true, false, true, false, true, false]);
    off();
    await voice.pause();
    expect(seen).toHaveLength(8);
  });
});
