// The frame around every screen: settings bar, the screen for the current step, the idle warning;
// the read-aloud voice for all of them.
import { useEffect } from 'react';
import { IdleWarning, useIdleTimer } from './components/IdleWarning';
import { TopBar } from './components/TopBar';
import { useFlow, useSettings } from './flow/context';
import { i18next } from './i18n';
import { Screen } from './screens/Screen';
import { SpeechContext, useReadAloud } from './read-aloud/read-aloud';

export function App() {
  const { language, largeText, highContrast } = useSettings();
  const kind = useFlow((f) => f.step.kind);
  const readAloud = useFlow((f) => f.readAloud);

  useEffect(() => {
    void i18next.changeLanguage(language);
    document.documentElement.lang = language;
  }, [language]);
  useEffect(() => {
    document.documentElement.classList.toggle('large-text', largeText);
    document.documentElement.classList.toggle('high-contrast', highContrast);
    document.documentElement.classList.toggle('read-aloud', readAloud);
  }, [largeText, highContrast, readAloud]);
  useIdleTimer();
  const voice = useReadAloud();

  return (
    <SpeechContext value={voice}>
      <div className="app" data-step={kind}>
        <TopBar />
        <main className="screen" key={kind}>
          <Screen />
        </main>
        <IdleWarning />
      </div>
    </SpeechContext>
  );
}
