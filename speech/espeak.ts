// The espeak-ng engine: one process per utterance (`espeak-ng -v <voice> -m --stdout`), the text
// on its stdin and never on its command line (which any user of the machine can read in /proc, and
// the text may be the customer's name). A time-out kills a stuck process; a bounded queue keeps a
// burst of taps from starting more processes than the kiosk's cores can run.
import { spawn } from 'node:child_process';
import { BoundedQueue, type Bounds } from './limit.js';
import { SpeechError, type SpeechEngine, type SpeechLanguage } from './engine.js';
import { ESPEAK_VOICES } from './voices.js';
import { finishWav } from './wav.js';

export interface EspeakOptions {
  /** Default `espeak-ng`, found on PATH. */
  command?: string;
  /** The process's environment; default this process's (tests take espeak-ng off PATH). */
  env?: NodeJS.ProcessEnv;
  /** Per utterance; default 20 s (a long statement section takes about a second on the kiosk). */
  timeoutMs?: number;
  bounds?: Bounds;
}

/** 4000 characters are some 15 MB of audio: more than this is a runaway process. */
const MAX_AUDIO_BYTES = 64 * 1024 * 1024;
/** A voice name is an option's value: never something that reads as an option itself. */
const VOICE = /^[a-z]{2,3}(-[a-z0-9]+)*$/;

export class EspeakEngine implements SpeechEngine {
  readonly #queue: BoundedQueue;

  constructor(private readonly opts: EspeakOptions = {}) {
    this.#queue = new BoundedQueue(opts.bounds ?? { running: 2, waiting: 32 });
  }

  voiceFor(language: SpeechLanguage): string {
    return ESPEAK_VOICES[language];
  }

  synthesize(ssml: string, voice: string): Promise<Uint8Array> {
    if (!VOICE.test(voice)) return Promise.reject(new SpeechError('ENGINE_FAILED', 'voice name refused'));
    return this.#queue.run(() => this.#run(ssml, voice));
  }

  #run(ssml: string, voice: string): Promise<Uint8Array> {
    return new Promise((resolve, reject) => {
      const child = spawn(this.opts.command ?? 'espeak-ng', ['-v', voice, '-m', '--stdout'], {
        stdio: ['pipe', 'pipe', 'ignore'],
        env: this.opts.env ?? process.env,
      });
      const chunks: Buffer[] = [];
      let size = 0;
      let failure: SpeechError | undefined;
      const stop = (error: SpeechError): void => {
        failure ??= error;
        child.kill('SIGKILL');
      };
      const timer = setTimeout(() => stop(new SpeechError('TIMEOUT')), this.opts.timeoutMs ?? 20_000);
      child.stdout.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_AUDIO_BYTES) stop(new SpeechError('ENGINE_FAILED', 'audio over the limit'));
        else chunks.push(chunk);
      });
      child.on('error', (e: NodeJS.ErrnoException) => {
        failure ??= e.code === 'ENOENT' ? new SpeechError('ENGINE_MISSING') : new SpeechError('ENGINE_FAILED', e.code);
      });
      // A process that died early closes its stdin: the exit below says why.
      child.stdin.on('error', () => undefined);
      child.stdin.end(ssml);
      child.on('close', (code, signal) => {
        clearTimeout(timer);
        if (failure) return reject(failure);
        if (code !== 0) return reject(new SpeechError('ENGINE_FAILED', `exit ${code ?? signal}`));
        try {
          resolve(finishWav(Buffer.concat(chunks)));
        } catch (e) {
          reject(e);
        }
      });
    });
  }
}
