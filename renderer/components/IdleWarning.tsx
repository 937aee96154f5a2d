// "Still there?": after the kiosk's idle time a warning that is shown and heard (WCAG 2.2.1, at
// least 20 s), one touch anywhere to stay; at zero everything of the customer is wiped.
import { useEffect, useState } from 'react';
import { Button, Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useFlow, useFlowActions } from '../flow/context';
import { useVoice } from '../read-aloud/read-aloud';
import { beep } from './tone';

const ACTIVITY = ['pointerdown', 'keydown'] as const;

/** Starts the warning after `idleSeconds` without a touch on any screen but the attract one. */
export function useIdleTimer(): void {
  const idleSeconds = useFlow((f) => f.info?.idleSeconds);
  const kind = useFlow((f) => f.step.kind);
  const warning = useFlow((f) => f.idleWarning);
  const { showIdleWarning } = useFlowActions();

  useEffect(() => {
    if (idleSeconds === undefined || kind === 'attract' || warning) return;
    let timer = setTimeout(showIdleWarning, idleSeconds * 1000);
    const restart = () => {
      clearTimeout(timer);
      timer = setTimeout(showIdleWarning, idleSeconds * 1000);
    };
    // On the window, beside explore by touch: a tap it holds back from the page is still a touch.
    for (const type of ACTIVITY) window.addEventListener(type, restart, true);
    return () => {
      clearTimeout(timer);
      for (const type of ACTIVITY) window.removeEventListener(type, restart, true);
    };
  }, [idleSeconds, kind, warning, showIdleWarning]);
}

export function IdleWarning() {
  const open = useFlow((f) => f.idleWarning);
  const { extend } = useFlowActions();
  return (
    <ModalOverlay className="overlay" isOpen={open} isDismissable onOpenChange={(isOpen) => !isOpen && void extend()}>
      <Modal className="modal">
        <Dialog role="alertdialog" className="dialog idle">
          <Countdown />
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

function Countdown() {
  const { t } = useTranslation();
  const total = useFlow((f) => f.info?.countdownSeconds ?? 20);
  const { extend, wipe } = useFlowActions();
  const [left, setLeft] = useState(total);
  const voice = useVoice();
  const language = useFlow((f) => f.language);

  useEffect(() => {
    if (left <= 0) {
      void wipe('idle');
      return;
    }
    // Heard as well as seen: a tone at the start, every five seconds, then each of the last five.
    if (left === total || left % 5 === 0 || left <= 5) {
      beep(left <= 5 ? 880 : 660);
      // With read-aloud on it is said too: the whole warning first, then the seconds left.
      const said =
        left === total
          ? [t('idle.title'), `${left} ${t('idle.body', { count: left })}`, t('idle.stay')]
          : [t('speech.countdown', { count: left })];
      void voice?.speak(language, [{ parts: said.map((text) => ({ text })) }]);
    }
    const timer = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [left, total, wipe, voice, language, t]);

  return (
    <>
      <Heading slot="title">{t('idle.title')}</Heading>
      <p className="countdown" aria-live="polite">
        <span className="countdown-number">{left}</span> {t('idle.body', { count: left })}
      </p>
      <Button className="primary wide" autoFocus onPress={() => void extend()}>
        {t('idle.stay')}
      </Button>
    </>
  );
}
