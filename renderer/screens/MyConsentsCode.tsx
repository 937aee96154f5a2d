// "My consents" on typed details: erasing (or withdrawing the registry's consent) first takes the
// one-time code the registry sent to the address or number it holds. Says in words where it went and
// what it confirms; six digits on the on-screen keypad; a wrong or expired code is said as such, with
// a new code one touch away.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import Keyboard from 'react-simple-keyboard';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { CodeEntry, StepOf } from '../flow/steps';

const CODE_LENGTH = 6;
// Digits only, as on a calculator (a wide 0 bottom left): large keys an unsteady finger finds.
const KEYPAD = { default: ['1 2 3', '4 5 6', '7 8 9', '0 {bksp}'] };

export function MyConsentsCode({ step, code }: { step: StepOf<'myConsents'>; code: CodeEntry }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  const { codeKey, submitCode, resendCode, cancelCode } = useFlowActions();
  const { action } = code;
  const purpose = action.kind === 'withdraw' ? step.overview[action.party].find((p) => p.id === action.purposeId)?.title : undefined;
  return (
    <section className="my-consents code-entry">
      <h1>{t('myConsents.code.title')}</h1>
      <p className="lead" role="status">
        {t(`myConsents.code.sent.${code.channel}`)}
      </p>
      <p>{action.kind === 'erase' ? t('myConsents.code.forErase') : t('myConsents.code.forWithdraw', { purpose: purpose ?? '' })}</p>
      <div className="code-grid">
        <div className="code-side">
          <div className="field focused">
            <label htmlFor="one-time-code">{t('myConsents.code.label')}</label>
            <input
              id="one-time-code"
              className="code-digits"
              inputMode="none"
              autoComplete="off"
              readOnly
              placeholder="– – – – – –"
              value={code.digits}
              aria-invalid={code.wrong}
              aria-describedby={code.wrong ? 'one-time-code-wrong' : undefined}
            />
          </div>
          {code.wrong && (
            <div className="notice" role="alert" id="one-time-code-wrong">
              <span className="icon" aria-hidden="true">
                !
              </span>
              <p>{t('myConsents.code.wrong')}</p>
            </div>
          )}
          <Notice />
          <Button className="primary wide" isDisabled={busy || code.digits.length < CODE_LENGTH} onPress={() => void submitCode()}>
            {t('myConsents.code.confirm')}
          </Button>
          <div className="code-actions">
            <Button className="secondary" isDisabled={busy} onPress={() => void resendCode()}>
              {t('myConsents.code.resend')}
            </Button>
            <Button className="secondary" isDisabled={busy} onPress={() => cancelCode()}>
              {t('myConsents.code.cancel')}
            </Button>
          </div>
        </div>
        <div className="keyboard code-keypad" role="group" aria-label={t('keyboard.label')}>
          <Keyboard
            layout={KEYPAD}
            useButtonTag
            preventMouseDownDefault
            onKeyPress={(key) => codeKey(key)}
            display={{ '{bksp}': `⌫ ${t('keyboard.delete')}` }}
          />
        </div>
      </div>
    </section>
  );
}
