// The speech slice of the handler table: "Read aloud" asks the host for the audio of what the
// screen shows (speech/ turns it into WAV). No session needed and no step checked: the attract
// screen speaks too. Every failure is SPEECH_UNAVAILABLE, and the screen goes on silently. The text
// is never logged (it may be the customer's name): only codes, and a missing engine once.
import { isSpeechError, type SpeechErrorCode } from '../speech/engine.js';
import type { Speaker } from '../speech/speaker.js';
import { logger } from '../sync/log.js';
import { HostError } from './errors.js';
import type { CallsUnder, Handlers } from './session.js';

const log = logger('kiosk-speech');

export function speechHandlers(speaker: Speaker | undefined): Handlers<CallsUnder<'speech'>> {
  let missingLogged = false;
  const unavailable = (code: SpeechErrorCode | 'NO_ENGINE'): HostError => {
    if (code === 'ENGINE_MISSING' || code === 'NO_ENGINE') {
      if (!missingLogged) log.warn({ code }, 'no speech engine: read aloud stays silent');
      missingLogged = true;
    } else if (code !== 'BUSY') log.warn({ code }, 'speech failed');
    return new HostError('SPEECH_UNAVAILABLE');
  };

  return {
    'speech.say': async (input) => {
      if (!speaker) throw unavailable('NO_ENGINE');
      try {
        const speech = await speaker.say(input);
        return { ...speech, wav: Buffer.from(speech.wav).toString('base64') };
      } catch (e) {
        if (isSpeechError(e)) throw unavailable(e.code);
        throw e;
      }
    },
  };
}
