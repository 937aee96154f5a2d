// The espeak-ng engine as installed by scripts/setup.sh (never a stand-in): audio in each language,
// the voice per language, the text kept off the command line, and its failures as codes.
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { EspeakEngine } from './espeak.js';
import { Speaker } from './speaker.js';
import { readWav } from './wav.js';

const SAMPLES = {
  nl: ['Welkom', 'Lees mijn eID', 'Aanbiedingen per e-mail, schakelaar, uit', 'Nog 15 seconden'],
  fr: ['Bienvenue', 'Lire ma carte eID', 'Offres par e-mail, interrupteur, désactivé', 'Encore 15 secondes'],
  de: ['Willkommen', 'Meine eID lesen', 'Angebote per E-Mail, Schalter, aus', 'Noch 15 Sekunden'],
  en: ['Welcome', 'Read my eID', 'Offers by e-mail, switch, off', '15 seconds left'],
} as const;
const VOICES = { nl: 'nl', fr: 'fr-be', de: 'de', en: 'en-gb' } as const;

const dir = mkdtempSync(join(tmpdir(), 'speech-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const script = (name: string, body: string): string => {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
};

describe('EspeakEngine', () => {
  it.each(Object.keys(SAMPLES) as (keyof typeof SAMPLES)[])(
    '%s: a PCM mono WAV per sample, in the voice of the language',
    async (language) => {
      const speaker = new Speaker(new EspeakEngine());
      for (const text of SAMPLES[language]) {
        const said = await speaker.say({ language, parts: [{ text }] });
        expect(said.voice).toBe(VOICES[language]);
        const wav = readWav(said.wav);
        expect(wav).toMatchObject({ format: 1, channels: 1, bitsPerSample: 16, sampleRate: said.sampleRate });
        expect(said.sampleRate).toBe(22050);
        // Real speech: at least a third of a second, and the header's sizes are the file's.
        expect(wav.dataBytes / (2 * wav.sampleRate)).toBeGreaterThan(0.3);
        expect(wav.dataOffset + wav.dataBytes).toBe(said.wav.length);
        expect(new DataView(said.wav.buffer, said.wav.byteOffset).getUint32(4, true)).toBe(said.wav.length - 8);
      }
    },
  );

  it('the same words in another language are another voice, other audio', async () => {
    const speaker = new Speaker(new EspeakEngine());
    const nl = await speaker.say({ language: 'nl', parts: [{ text: 'Peeters' }] });
    const fr = await speaker.say({ language: 'fr', parts: [{ text: 'Peeters' }] });
    expect(Buffer.from(nl.wav).equals(Buffer.from(fr.wav))).toBe(false);
  });

  it('gets the text on stdin, never on its command line', async () => {
    const argv = join(dir, 'argv');
    const command = script('espeak-argv', `echo "$@" > ${argv}\nexec espeak-ng "$@"`);
    const said = await new Speaker(new EspeakEngine({ command })).say({
      language: 'en',
      parts: [{ text: 'An Peeters' }, { text: 'an.peeters@mail.be', spell: true }],
      personal: true,
    });
    expect(said.wav.length).toBeGreaterThan(44);
    expect(readFileSync(argv, 'utf8').trim()).toBe('-v en-gb -m --stdout');
  });

  it('answers each of many requests at once, through its bounded queue', async () => {
    const speaker = new Speaker(new EspeakEngine());
    const texts = Array.from({ length: 30 }, (_, i) => `Stap ${i + 1} van 30`);
    const said = await Promise.all(texts.map((text) => speaker.say({ language: 'nl', parts: [{ text }] })));
    expect(said.every((s) => s.wav.length > 44 && !s.cached)).toBe(true);
  });

  it('fails by code: not installed, exiting in error, stuck past its time-out, no WAV', async () => {
    const fails = (engine: EspeakEngine) => engine.synthesize('<speak>Welkom</speak>', 'nl').catch((e: { code: string }) => e.code);
    expect(await fails(new EspeakEngine({ env: { PATH: dir } }))).toBe('ENGINE_MISSING');
    expect(await fails(new EspeakEngine({ command: script('exit-1', 'exit 1') }))).toBe('ENGINE_FAILED');
    expect(await fails(new EspeakEngine({ command: script('stuck', 'exec sleep 10'), timeoutMs: 200 }))).toBe('TIMEOUT');
    expect(await fails(new EspeakEngine({ command: script('not-wav', 'echo hello') }))).toBe('BAD_AUDIO');
    expect(await new EspeakEngine().synthesize('<speak>x</speak>', '--help').catch((e: { code: string }) => e.code)).toBe('ENGINE_FAILED');
  });
});
