// The read-aloud controls, under the settings while read-aloud is on: repeat, pause, next part,
// softer and louder, and "I am using headphones". They act on one tap (explore by touch lets them
// through: a pause that first had to be spoken would not pause) and say what they did. "Pause"
// reads what the voice is in: anything new said ends a pause, and the button says "pause" again.
import { Button, Switch } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useFlow, useFlowActions } from '../flow/context';
import { SPEECH_VOLUME_MAX } from '../flow/store';
import { usePaused, useVoice } from '../read-aloud/read-aloud';

export function SpeechBar() {
  const { t } = useTranslation();
  const voice = useVoice();
  const language = useFlow((f) => f.language);
  const volume = useFlow((f) => f.speechVolume);
  const headphones = useFlow((f) => f.headphones);
  const { setSpeechVolume, setHeadphones } = useFlowActions();
  const paused = usePaused(voice);
  if (voice === null) return null;

  const say = (text: string) => void voice.speak(language, [{ parts: [{ text }] }]);
  const volumeText = (level: number) => t('speech.volume', { level, max: SPEECH_VOLUME_MAX });
  const changeVolume = (by: number) => {
    const level = Math.min(SPEECH_VOLUME_MAX, Math.max(1, volume + by));
    setSpeechVolume(level);
    say(volumeText(level));
  };
  return (
    <div className="speech-bar" role="group" aria-label={t('speech.controls')}>
      <Button className="setting" onPress={() => void voice.repeat()}>
        {t('speech.repeat')}
      </Button>
      <Button className="setting" onPress={() => void (paused ? voice.resume() : voice.pause())}>
        {t(paused ? 'speech.resume' : 'speech.pause')}
      </Button>
      <Button className="setting" onPress={() => voice.next()}>
        {t('speech.next')}
      </Button>
      <div className="volume">
        <Button className="setting" isDisabled={volume <= 1} onPress={() => changeVolume(-1)}>
          {t('speech.softer')}
        </Button>
        <span className="volume-level">{volumeText(volume)}</span>
        <Button className="setting" isDisabled={volume >= SPEECH_VOLUME_MAX} onPress={() => changeVolume(1)}>
          {t('speech.louder')}
        </Button>
      </div>
      <Switch
        className="purpose-switch headphones-switch"
        isSelected={headphones}
        onChange={(on) => {
          setHeadphones(on);
          say([t('speech.headphones'), t('speech.role.switch'), t(on ? 'speech.state.on' : 'speech.state.off')].join(', '));
        }}
      >
        <span className="track" aria-hidden="true">
          <span className="thumb" />
        </span>
        <span className="switch-label">{t('speech.headphones')}</span>
      </Switch>
    </div>
  );
}
