// A PIN pad for staff secrets (the manager's PIN, a staff member's code): digits shown as dots,
// announced as a count, never read out; big keys for a finger. `submit` fills the last key.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { useFlowActions } from '../flow/context';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9', 'back', '0', 'submit'] as const;

export interface PinSubmit {
  label: string;
  disabled: boolean;
  onPress: () => void;
}

export function PinPad({ typed, submit }: { typed: number; submit?: PinSubmit }) {
  const { t } = useTranslation();
  const { pinKey } = useFlowActions();
  return (
    <>
      <p className="pin-dots" role="status" aria-label={t('manager.pinEntered', { count: typed })}>
        <span aria-hidden="true">{typed > 0 ? '●'.repeat(typed) : '—'}</span>
      </p>
      <div className="pin-pad">
        {KEYS.map((key) =>
          key === 'submit' ? (
            submit && (
              <Button key={key} className="primary" isDisabled={submit.disabled} onPress={submit.onPress}>
                {submit.label}
              </Button>
            )
          ) : key === 'back' ? (
            <Button key={key} className="secondary" aria-label={t('manager.deleteDigit')} onPress={() => pinKey('back')}>
              ⌫
            </Button>
          ) : (
            <Button key={key} className="digit" onPress={() => pinKey(key)}>
              {key}
            </Button>
          ),
        )}
      </div>
    </>
  );
}
