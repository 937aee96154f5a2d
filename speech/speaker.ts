// What the host calls: a request's parts said with the voice of the screen's language, from the
// cache when the same words were said lately. A personal request (the customer's own details) is
// never looked up in nor added to the cache, so no one's name outlives the utterance in this process.
import { AudioCache } from './cache.js';
import type { SpeechEngine, SpeechLanguage } from './engine.js';
import { utterance, type SpeechPart } from './ssml.js';
import { readWav } from './wav.js';

export interface SayRequest {
  language: SpeechLanguage;
  parts: readonly SpeechPart[];
  personal?: boolean;
}

export interface Speech {
  wav: Uint8Array;
  sampleRate: number;
  voice: string;
  cached: boolean;
}

export class Speaker {
  constructor(
    private readonly engine: SpeechEngine,
    private readonly cache = new AudioCache(),
  ) {}

  async say(req: SayRequest): Promise<Speech> {
    const voice = this.engine.voiceFor(req.language);
    const ssml = utterance(req.parts, req.language);
    const key = `${voice}\n${ssml}`;
    const hit = req.personal ? undefined : this.cache.get(key);
    const wav = hit ?? (await this.engine.synthesize(ssml, voice));
    if (!hit && !req.personal) this.cache.set(key, wav);
    return { wav, sampleRate: readWav(wav).sampleRate, voice, cached: hit !== undefined };
  }
}
