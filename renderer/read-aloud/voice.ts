// What is being said: an utterance is a list of chunks (the sections of a statement, a label and a
// value), each one speech.say request and one sound, played in order while the next is fetched.
// A new utterance, a language switch or "stop" ends the current one; "next part" skips a chunk. A
// chunk marked with a language of its own (a receipt committed in another) is said in its voice.
// Paused is a state the controls show: anything new said (or "next part") ends the pause.
// Chunks that are not personal are kept decoded in a small cache (the host caches them too);
// personal ones never are.
import type { Language } from '../../api/contract';
import { base64ToArrayBuffer, type AudioOut } from './player';

export interface Part {
  text: string;
  /** Spelt letter by letter (names and e-mail addresses a voice would mangle). */
  spell?: boolean;
}

export interface Chunk {
  parts: Part[];
  /** The customer's own details: sent only after "I am using headphones", never cached. */
  personal?: boolean;
  /** Said in this language's voice rather than the utterance's. */
  language?: Language;
}

export interface SayRequest {
  language: Language;
  parts: Part[];
  personal?: boolean;
}

/** The host's speech.say: the WAV as base64, or undefined when it could not speak (the screen works silently). */
export type Say = (request: SayRequest) => Promise<{ wav: string } | undefined>;

export interface Voice {
  speak(language: Language, chunks: readonly Chunk[]): Promise<void>;
  stop(): void;
  /** Says the last utterance again from its start. */
  repeat(): Promise<void>;
  /** Skips to the next chunk of what is being said. */
  next(): void;
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** True from pause until resume, or until anything new is said. */
  readonly paused: boolean;
  /** Calls `listener` whenever `paused` changes; returns the function that stops it. */
  subscribe(listener: () => void): () => void;
  setVolume(gain: number): void;
}

const CACHE_SIZE = 300;

export function createVoice(say: Say, audio: AudioOut): Voice {
  let generation = 0;
  let last: { language: Language; chunks: readonly Chunk[] } | undefined;
  const cache = new Map<string, AudioBuffer>();
  let paused = false;
  const listeners = new Set<() => void>();
  const setPaused = (next: boolean) => {
    if (paused === next) return;
    paused = next;
    for (const listener of listeners) listener();
  };
  /** Something new to say: a pause ends (the context plays again, and the controls say "pause"). */
  const unpause = () => {
    if (!paused) return;
    setPaused(false);
    void audio.resume();
  };

  async function sound(utterance: Language, chunk: Chunk): Promise<AudioBuffer | undefined> {
    const language = chunk.language ?? utterance;
    const key = chunk.personal ? undefined : JSON.stringify([language, chunk.parts]);
    const kept = key === undefined ? undefined : cache.get(key);
    if (kept !== undefined) return kept;
    const answer = await say({ language, parts: chunk.parts, ...(chunk.personal ? { personal: true } : {}) });
    if (answer === undefined) return undefined;
    const buffer = await audio.decode(base64ToArrayBuffer(answer.wav));
    if (key !== undefined) {
      if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
      cache.set(key, buffer);
    }
    return buffer;
  }

  const voice: Voice = {
    async speak(language, chunks) {
      const mine = ++generation;
      audio.stop();
      unpause();
      last = { language, chunks };
      const fetched = new Map<number, Promise<AudioBuffer | undefined>>();
      const fetch = (i: number) => {
        const chunk = chunks[i];
        if (chunk === undefined || fetched.has(i)) return;
        // A failed chunk is left out; the next still plays.
        fetched.set(
          i,
          sound(language, chunk).catch(() => undefined),
        );
      };
      for (let i = 0; i < chunks.length; i++) {
        fetch(i);
        const buffer = await fetched.get(i);
        if (mine !== generation) return;
        fetch(i + 1); // fetched while this one plays
        if (buffer !== undefined) await audio.play(buffer);
        if (mine !== generation) return;
      }
    },
    stop() {
      generation += 1;
      last = undefined; // nothing said to this customer is kept for the next
      audio.stop();
      unpause();
    },
    repeat: async () => (last === undefined ? undefined : voice.speak(last.language, last.chunks)),
    next() {
      unpause();
      audio.stop();
    },
    async pause() {
      setPaused(true);
      await audio.pause();
    },
    async resume() {
      setPaused(false);
      await audio.resume();
    },
    get paused() {
      return paused;
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    setVolume: (gain) => audio.setVolume(gain),
  };
  return voice;
}
