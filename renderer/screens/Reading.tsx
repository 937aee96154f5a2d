// The card read: progress in words, the kept fields as soon as they are parsed (the photo is for
// the staff check alone), and any error in words with what to do next: no stage is "now" then.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { EqualChoice } from '../components/EqualChoice';
import { IdentityFields } from '../components/IdentityView';
import { ErrorText } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';

const STAGES = ['waiting', 'reading', 'checking'] as const;

export function Reading({ step }: { step: StepOf<'reading'> }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  // A refused call (the read could not start) stops the read as a card error does.
  const error = useFlow((f) => step.error ?? f.notice?.code);
  const { allowRead, declineRead } = useFlowActions();
  const current = STAGES.indexOf(step.phase);
  return (
    <section className="reading">
      <h1>{t('reading.title')}</h1>
      <ol className="stages" aria-label={t('reading.progress')}>
        {STAGES.map((stage, i) => {
          const state = error !== undefined && i === current ? 'stopped' : i < current ? 'done' : i === current ? 'current' : 'todo';
          return (
            <li key={stage} className={`stage ${state}`} aria-current={state === 'current' ? 'step' : undefined}>
              <span className="stage-mark" aria-hidden="true">
                {state === 'done' ? '✓' : state === 'stopped' ? '!' : i + 1}
              </span>
              <span>
                {t(`reading.stage.${stage}`)}
                <span className="stage-state"> ({t(`reading.state.${state}`)})</span>
              </span>
            </li>
          );
        })}
      </ol>
      {error === undefined ? (
        <>
          <p className="lead" role="status">
            {t(`reading.now.${step.phase}`)}
          </p>
          {step.phase === 'waiting' && (
            <Button className="secondary" isDisabled={busy} onPress={() => void declineRead()}>
              {t(step.intent === 'my-consents' ? 'permission.declineLookup' : 'permission.decline')}
            </Button>
          )}
        </>
      ) : (
        <>
          <ErrorText code={error} />
          <EqualChoice
            disabled={busy}
            first={{ label: t('reading.retry'), onPress: () => void allowRead(['retry-read']) }}
            second={{
              label: t(step.intent === 'my-consents' ? 'permission.declineLookup' : 'permission.decline'),
              onPress: () => void declineRead(),
            }}
          />
        </>
      )}
      {step.identity !== undefined && (
        <div className="panel">
          <IdentityFields identity={step.identity} />
        </div>
      )}
    </section>
  );
}
