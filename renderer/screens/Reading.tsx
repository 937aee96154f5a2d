// The card read: progress in words, the identity as soon as it is parsed (the photo waits for the
// staff check), and any card error in words with what to do next.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { EqualChoice } from '../components/EqualChoice';
import { IdentityView } from '../components/IdentityView';
import { ErrorText, Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';

const STAGES = ['waiting', 'reading', 'checking'] as const;

export function Reading({ step }: { step: StepOf<'reading'> }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  const { allowRead, declineRead } = useFlowActions();
  const current = STAGES.indexOf(step.phase);
  return (
    <section className="reading">
      <h1>{t('reading.title')}</h1>
      <ol className="stages" aria-label={t('reading.progress')}>
        {STAGES.map((stage, i) => {
          const state = step.error !== undefined && i === current ? 'stopped' : i < current ? 'done' : i === current ? 'current' : 'todo';
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
      {step.error === undefined ? (
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
          <ErrorText code={step.error} />
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
      <Notice />
      {step.identity !== undefined && <IdentityView identity={step.identity} />}
    </section>
  );
}
