// Language, text size and contrast on every screen; "start over" during a session; and the hidden
// staff corner on the attract screen: five taps within three seconds, one finger, no precision.
import { useRef } from 'react';
import { Button, ToggleButton } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Language } from '../../api/contract';
import { useFlow, useFlowActions, useSettings } from '../flow/context';
import { isCustomerStep } from '../flow/steps';
import { LANGUAGE_NAMES } from '../i18n';

const TAPS_TO_OPEN = 5;
const TAP_WINDOW_MS = 3000;

export function TopBar() {
  const { t } = useTranslation();
  const { language, largeText, highContrast } = useSettings();
  const kind = useFlow((f) => f.step.kind);
  const { setLanguage, toggleLargeText, toggleHighContrast, wipe, openManager } = useFlowActions();
  const taps = useRef<number[]>([]);

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
      </div>
    </header>
  );
}
