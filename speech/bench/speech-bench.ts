// `npm run bench:speech`: the time from a request to its WAV (as base64, as the host answers it),
// per language, for a short UI string not in the cache (an espeak-ng process each time), the same
// string from the cache, and a statement's section. Sequential: latency, not throughput. The page's
// own tap-to-audio figure is `npm run bench:ui`.
import { performance } from 'node:perf_hooks';
import { EspeakEngine } from '../espeak.js';
import type { SpeechLanguage } from '../engine.js';
import { Speaker, type SayRequest } from '../speaker.js';

const SHORT: Record<SpeechLanguage, string> = {
  nl: 'Lees mijn eID-kaart',
  fr: 'Lire ma carte eID',
  de: 'Meine eID-Karte lesen',
  en: 'Read my eID card',
};
// About 700 characters: a consent statement's section.
const SECTION: Record<SpeechLanguage, string> = {
  nl: 'Wij bewaren uw naam en uw e-mailadres om u aanbiedingen te sturen. U kunt deze toestemming op elk moment intrekken, aan elke kiosk of via de code op uw bewijs. '.repeat(
    4,
  ),
  fr: 'Nous gardons votre nom et votre adresse e-mail pour vous envoyer des offres. Vous pouvez retirer ce consentement à tout moment, à chaque borne ou avec le code de votre reçu. '.repeat(
    4,
  ),
  de: 'Wir speichern Ihren Namen und Ihre E-Mail-Adresse, um Ihnen Angebote zu senden. Sie können diese Einwilligung jederzeit widerrufen, an jedem Kiosk oder mit dem Code auf Ihrem Beleg. '.repeat(
    4,
  ),
  en: 'We keep your name and your e-mail address to send you offers. You can withdraw this consent at any time, at any kiosk or with the code on your receipt. '.repeat(
    4,
  ),
};

const ms = (n: number) => n.toFixed(n < 10 ? 2 : 0);
const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;

async function timed(speaker: Speaker, req: SayRequest): Promise<number> {
  const start = performance.now();
  const said = await speaker.say(req);
  Buffer.from(said.wav).toString('base64');
  return performance.now() - start;
}

async function runs(n: number, one: (i: number) => Promise<number>): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await one(i));
  return out;
}

const engine = new EspeakEngine();
console.log('speech: request to WAV (base64), ms; median / p95 (n); espeak-ng, one process per utterance');
console.log('language | short, not cached | short, cached | section (~700 chars), not cached | audio of the section');
for (const language of Object.keys(SHORT) as SpeechLanguage[]) {
  // personal: skips the cache, so each run is a fresh synthesis of the same words.
  const cold = await runs(15, () => timed(new Speaker(engine), { language, parts: [{ text: SHORT[language] }], personal: true }));
  const speaker = new Speaker(engine);
  await speaker.say({ language, parts: [{ text: SHORT[language] }] });
  const cached = await runs(200, () => timed(speaker, { language, parts: [{ text: SHORT[language] }] }));
  const section = await runs(5, () => timed(speaker, { language, parts: [{ text: SECTION[language] }], personal: true }));
  const said = await speaker.say({ language, parts: [{ text: SECTION[language] }], personal: true });
  const seconds = (said.wav.length - 44) / (2 * said.sampleRate);
  console.log(
    `${language} (${said.voice}) | ${ms(quantile(cold, 0.5))} / ${ms(quantile(cold, 0.95))} (15) | ${ms(quantile(cached, 0.5))} / ${ms(quantile(cached, 0.95))} (200) | ${ms(quantile(section, 0.5))} / ${ms(quantile(section, 0.95))} (5) | ${seconds.toFixed(1)} s`,
  );
}
