// The speech engine's seam: the host asks for audio through this interface only, so a chain can
// plug in a better engine later (espeak-ng is the one shipped: espeak.ts). Runs under Node; no
// Electron, nothing else of ours.
import { CodedError } from '../common/coded-error.js';

/** The screen's languages (the contract's Language), spelt here so speech/ imports no other part. */
export type SpeechLanguage = 'nl' | 'fr' | 'de' | 'en';

export interface SpeechEngine {
  /** The engine's voice for a screen language. */
  voiceFor(language: SpeechLanguage): string;
  /**
   * One utterance as a WAV file (PCM). `ssml` is the small SSML subset ssml.ts writes (`speak`,
   * `say-as interpret-as="characters"`, `break`): an engine without SSML would strip the tags.
   */
  synthesize(ssml: string, voice: string): Promise<Uint8Array>;
}

export const SPEECH_ERROR_CODES = {
  ENGINE_MISSING: 'The speech engine is not installed (espeak-ng).',
  ENGINE_FAILED: 'The speech engine failed.',
  TIMEOUT: 'The speech engine took too long.',
  BUSY: 'Too many requests are waiting for the speech engine.',
  BAD_AUDIO: 'The speech engine gave no usable WAV audio.',
} as const;
export type SpeechErrorCode = keyof typeof SPEECH_ERROR_CODES;

/** `detail` is technical (an exit code, a signal): never the text being spoken. */
export class SpeechError extends CodedError<SpeechErrorCode> {
  override readonly name = 'SpeechError';
  constructor(code: SpeechErrorCode, detail?: string) {
    super(SPEECH_ERROR_CODES, code, detail);
  }
}

export const isSpeechError = (e: unknown): e is SpeechError => e instanceof SpeechError;
