// For the shop assistant: the face check against the photo (never stored), the fields that will be
// kept and nothing more, every check's verdict in words, the card's expiry. A card that fails a
// check cannot be enrolled as eID-verified: only the form is offered then.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { VerdictView } from '../../api/contract';
import { EqualChoice } from '../components/EqualChoice';
import { IdentityView, formatDate } from '../components/IdentityView';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
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
  const { staffConfirm, declineRead } = useFlowActions();
  const until = step.identity.cardValidUntil;
  return (
    <section className="staff-check">
      <h1>{t('staff.title')}</h1>
      <p className="lead">{t('staff.intro')}</p>
      <div className="columns">
        <IdentityView identity={step.identity} photo={step.photo} />
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
      </div>
      <Notice />
      {step.genuine ? (
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
