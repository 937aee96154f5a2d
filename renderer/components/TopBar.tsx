// Language, text size, contrast and "read aloud" (with its controls under them while on; not on the
// manager's screens) on every screen; "start over" during a session; and the hidden
// staff corner on the attract screen: five taps within three seconds, one finger, no precision.
import { useRef } from 'react';
import { Button, ToggleButton } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Language } from '../../api/contract';
import { useFlow, useFlowActions, useSettings } from '../flow/context';
import { isCustomerStep, type StepKind } from '../flow/steps';
import { LANGUAGE_NAMES } from '../i18n';
import { SpeechBar } from './SpeechBar';

const TAPS_TO_OPEN = 5;
const MANAGER_STEPS: ReadonlySet<StepKind> = new Set(['managerPin', 'manager', 'managerStaff']);
const TAP_WINDOW_MS = 3000;

export function TopBar() {
  const { t } = useTranslation();
  const { language, largeText, highContrast } = useSettings();
  const kind = useFlow((f) => f.step.kind);
  const readAloud = useFlow((f) => f.readAloud);
  const speechUnavailable = useFlow((f) => f.speechUnavailable);
  const { setLanguage, toggleLargeText, toggleHighContrast, toggleReadAloud, wipe, openManager } = useFlowActions();
  const taps = useRef<number[]>([]);
  // Read aloud is on every screen but the manager's, behind the staff corner (the set-up screen speaks too).
  const forCustomer = !MANAGER_STEPS.has(kind);

  const staffTap = () => {
    const now = Date.now();
    taps.current = [...taps.current.filter((at) => now - at < TAP_WINDOW_MS), now];
    if (taps.current.length >= TAPS_TO_OPEN) {
      taps.current = [];
      openManager();
    }
  };
  return (
    <header className="topbar">
      {kind === 'attract' ? (
        <Button className="staff-corner" aria-label={t('manager.entry')} onPress={staffTap} />
      ) : (
        <span className="staff-corner" aria-hidden="true" />
      )}
      {isCustomerStep(kind) && (
        <Button className="setting start-over" onPress={() => void wipe('cancel')}>
          {t('common.startOver')}
        </Button>
      )}
      <div className="settings" role="group" aria-label={t('settings.language')}>
        {Language.options.map((lng) => (
          <ToggleButton key={lng} className="lang" lang={lng} isSelected={language === lng} onChange={() => void setLanguage(lng)}>
            {LANGUAGE_NAMES[lng]}
          </ToggleButton>
        ))}
      </div>
      <div className="settings" role="group" aria-label={t('settings.display')}>
        <ToggleButton className="setting" isSelected={largeText} onChange={toggleLargeText}>
          <span aria-hidden="true" className="icon">
            A+
          </span>{' '}
          {t('settings.largeText')}
        </ToggleButton>
        <ToggleButton className="setting" isSelected={highContrast} onChange={toggleHighContrast}>
          <span aria-hidden="true" className="icon">
            ◐
          </span>{' '}
          {t('settings.highContrast')}
        </ToggleButton>
        {forCustomer && (
          <ToggleButton className="setting read-aloud" isSelected={readAloud} isDisabled={speechUnavailable} onChange={toggleReadAloud}>
            <span aria-hidden="true" className="icon">
              <SpeakerIcon />
            </span>{' '}
            {t(speechUnavailable ? 'speech.unavailable' : 'speech.readAloud')}
          </ToggleButton>
        )}
      </div>
      {forCustomer && <SpeechBar />}
    </header>
  );
}

/** A loudspeaker, drawn: no emoji font is needed on the kiosk. */
function SpeakerIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="currentColor">
      <path d="M3 9v6h4l5 4V5L7 9H3z" />
      <path d="M15 8.5a5 5 0 0 1 0 7" fill="none" stroke="currentColor" strokeWidth="2" />
      <path d="M17.5 6a8.5 8.5 0 0 1 0 12" fill="none" stroke="currentColor" strokeWidth="2" />
    </svg>
  );
}
