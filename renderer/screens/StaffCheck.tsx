// For the shop assistant: the face check against the photo (never stored, and shown on no other
// screen), the fields that will be kept and nothing more, every check's verdict in words, the card's
// expiry. The check is the assistant's act: they confirm it with their own staff code (unless the
// chain switched codes off), so a customer holding someone else's card cannot confirm it alone. A
// card that fails a check cannot be enrolled as eID-verified: only the form is offered then.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { VerdictView } from '../../api/contract';
import { EqualChoice } from '../components/EqualChoice';
import { IdentityView, formatDate } from '../components/IdentityView';
import { Notice } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { useFlow, useFlowActions } from '../flow/context';
import { STAFF_CODE_LENGTH } from '../flow/store';
import { i18next } from '../i18n';
import type { StepOf } from '../flow/steps';

/** The verdict in words: its own code's wording where there is one, else the check's pass or fail. */
export function verdictKey(v: VerdictView): string {
  const specific = `verdicts.code.${v.code}`;
  return i18next.exists(specific) ? specific : `verdicts.${v.check}.${v.ok ? 'ok' : 'failed'}`;
}

export function StaffCheck({ step }: { step: StepOf<'staffCheck'> }) {
  const { t } = useTranslation();
  const language = useFlow((f) => f.language);
  const busy = useFlow((f) => f.busy);
  const byCode = useFlow((f) => f.info?.staffCheck !== 'off');
  const { staffConfirm, declineRead } = useFlowActions();
  const until = step.identity.cardValidUntil;
  const withCode = step.genuine && byCode;
  return (
    <section className={`staff-check${withCode ? ' with-code' : ''}`}>
      <h1>{t('staff.title')}</h1>
      <p className="lead">{t('staff.intro')}</p>
      <div className="columns">
        <div className="identity-column">
          <IdentityView identity={step.identity} photo={{ src: step.photo }} />
          {/* Under the person, where the eye already is: on 1280x800 a row below the pad would fall off the screen. */}
          {withCode && (
            <Button className="secondary" isDisabled={busy} onPress={() => void declineRead()}>
              {t('permission.decline')}
            </Button>
          )}
        </div>
        <div className="panel">
          <h2>{t('staff.checksHeading')}</h2>
          <ul className="verdicts">
            {step.verdicts.map((v) => (
              <li key={v.check} className={v.ok ? 'ok' : 'failed'}>
                <span className="verdict-mark" aria-hidden="true">
                  {v.ok ? '✓' : '✗'}
                </span>
                <span>
                  <strong>{t(v.ok ? 'staff.passed' : 'staff.failed')}:</strong> {t(verdictKey(v))}
                </span>
              </li>
            ))}
          </ul>
          {until !== undefined && <p>{t('staff.validUntil', { date: formatDate(until, language) })}</p>}
          {step.reconsent.length > 0 && <p className="hint">{t('staff.reconsent')}</p>}
        </div>
        {withCode && (
          <div className="panel staff-code-panel">
            <h2>{t('staffCodes.askHeading')}</h2>
            <PinPad typed={step.code.length} />
            {/* Beside the pad, so a refused code is said where it was typed. */}
            <Notice />
            <Button className="primary" isDisabled={busy || step.code.length < STAFF_CODE_LENGTH} onPress={() => void staffConfirm()}>
              {t('staff.confirm')}
            </Button>
          </div>
        )}
      </div>
      {!withCode && <Notice />}
      {withCode ? null : step.genuine ? (
        <EqualChoice
          disabled={busy}
          first={{ label: t('staff.confirm'), onPress: () => void staffConfirm() }}
          second={{ label: t('permission.decline'), onPress: () => void declineRead() }}
        />
      ) : (
        <>
          <div className="notice" role="alert">
            <span className="icon" aria-hidden="true">
              !
            </span>
            <p>{t('staff.notGenuine')}</p>
          </div>
          <Button className="primary wide" isDisabled={busy} onPress={() => void declineRead()}>
            {t('permission.decline')}
          </Button>
        </>
      )}
    </section>
  );
}
