// "Read aloud" wired into the page: the one voice (made once, over the host's speech.say), explore
// by touch while it is on, each screen spoken on arrival and again after a language switch (which
// stops what was being said), errors spoken when they appear, and silence when it is turned off or
// the customer's session is wiped (the wipe turns it off).
import { createContext, useContext, useEffect, useMemo, useRef, useSyncExternalStore } from 'react';
import { useTranslation } from 'react-i18next';
import { FlowContext, useFlow, useFlowActions } from '../flow/context';
import { SPEECH_VOLUME_DEFAULT } from '../flow/store';
import type { Listener } from './chunks';
import { describeElement, describeScreen } from './describe';
import { exploreByTouch } from './explore';
import { webAudio } from './player';
import { createVoice, type Voice } from './voice';

export const SpeechContext = createContext<Voice | null>(null);

/** The voice while read-aloud is on; null when it is off (nothing to say). */
export function useVoice(): Voice | null {
  const voice = useContext(SpeechContext);
  const on = useFlow((f) => f.readAloud);
  return on ? voice : null;
}

const NO_VOICE = () => () => undefined;

/** Whether the voice is paused, kept up to date (false when read-aloud is off). */
export function usePaused(voice: Voice | null): boolean {
  return useSyncExternalStore(voice?.subscribe ?? NO_VOICE, () => voice?.paused ?? false);
}

/** Gain per volume step: the default step is the voice's own level. */
export const gainOf = (level: number) => level / SPEECH_VOLUME_DEFAULT;

/**
 * Taps that act at once: the read-aloud controls, anything while the idle warning is up (one touch
 * stays), and the hidden staff corner (the assistant's five taps; nothing there for a customer to hear).
 */
const passThrough = (idleWarning: () => boolean) => (target: Element) =>
  idleWarning() || target.closest('.speech-bar, .staff-corner') !== null;

/** What changes the screen's spoken content: the step, and on the consent screen the statement once loaded. */
function useArrivalKey(): string {
  return useFlow((f) => (f.step.kind === 'consent' ? `consent:${f.step.party}:${f.step.statement?.version ?? ''}` : f.step.kind));
}

/** The words that are an error right now: the screen's notice and each field's error. */
function useErrorKey(): string {
  return useFlow((f) => `${f.notice?.code ?? ''}|${'fieldErrors' in f.step ? Object.values(f.step.fieldErrors).join(',') : ''}`);
}

export function useReadAloud(): Voice {
  const store = useContext(FlowContext);
  if (store === null) throw new Error('useReadAloud outside FlowContext');
  const { say } = useFlowActions();
  const { t } = useTranslation();
  const voice = useMemo(() => createVoice(say, webAudio()), [say]);
  const on = useFlow((f) => f.readAloud);
  const language = useFlow((f) => f.language);
  const volume = useFlow((f) => f.speechVolume);
  const arrival = useArrivalKey();
  const errors = useErrorKey();
  const announced = useRef(false);

  // Read from the store when speaking, so the effects below depend only on what should set them off.
  const listener = (): Listener => ({ language: store.getState().language, headphones: store.getState().headphones });

  useEffect(() => voice.setVolume(gainOf(volume)), [voice, volume]);

  useEffect(() => {
    if (!on) {
      announced.current = false;
      voice.stop();
      return;
    }
    return exploreByTouch({
      speak: (element) => void voice.speak(listener().language, describeElement(element, listener())),
      passThrough: passThrough(() => store.getState().idleWarning),
    });
  }, [on, voice, store]);

  // On arrival, and in the new language after a switch: the screen from its title (after the intro, the first time).
  useEffect(() => {
    if (!on) return;
    const main = document.querySelector('main.screen');
    if (main === null) return;
    const intro = announced.current ? [] : [{ parts: [{ text: t('speech.intro') }] }];
    announced.current = true;
    void voice.speak(language, [...intro, ...describeScreen(main, listener())]);
  }, [on, voice, language, arrival]);

  // An error in words, as it appears.
  useEffect(() => {
    if (!on || errors === '|') return;
    const shown = [...document.querySelectorAll('main.screen [role="alert"], main.screen .field-error')];
    if (shown.length > 0)
      void voice.speak(
        language,
        shown.flatMap((el) => describeElement(el, listener())),
      );
  }, [errors]);

  return voice;
}
