// What the customer gave, per party; withdrawing a purpose is one touch, as easy as giving it.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { Party } from '../../api/contract';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';
import { MyConsentsCode } from './MyConsentsCode';

const STATUS_MARK = { given: '✓', refused: '✗', withdrawn: '↩', expired: '⌛' } as const;

export function MyConsents({ step }: { step: StepOf<'myConsents'> }) {
  const { t } = useTranslation();
  const chain = useFlow((f) => f.info?.chainName ?? '');
  const busy = useFlow((f) => f.busy);
  const { withdraw, erase, finish } = useFlowActions();
  const parties: Party[] = ['chain', 'registry'];
  if (step.code) return <MyConsentsCode step={step} code={step.code} />;
  return (
    <section className="my-consents">
      <h1>{t('myConsents.title')}</h1>
      <p className="lead">{t('myConsents.intro')}</p>
      <Notice />
      <div className="columns">
        {parties.map((party) => (
          <div key={party} className="panel">
            <h2>{t(`myConsents.party.${party}`, { chain })}</h2>
            {step.overview[party].length === 0 ? (
              <p>{t('myConsents.nothing')}</p>
            ) : (
              <ul className="purposes">
                {step.overview[party].map((p) => (
                  <li key={p.id}>
                    <span className="purpose-title">{p.title}</span>
                    <span className={`status ${p.status}`}>
                      <span aria-hidden="true">{STATUS_MARK[p.status]} </span>
                      {t(`myConsents.status.${p.status}`)}
                    </span>
                    {p.status === 'given' && (
                      <Button
                        className="secondary"
                        isDisabled={busy}
                        aria-label={t('myConsents.withdrawNamed', { purpose: p.title })}
                        onPress={() => void withdraw(party, p.id)}
                      >
                        {t('myConsents.withdraw')}
                      </Button>
                    )}
                  </li>
                ))}
              </ul>
            )}
          </div>
        ))}
      </div>
      {step.withdrawn && (
        <p className="notice info" role="status">
          {t(`myConsents.withdrawn.${step.withdrawn}`)}
        </p>
      )}
      {step.erased ? (
        <p className="notice info" role="status">
          {t('myConsents.erased')}
        </p>
      ) : (
        step.overview.erasureOffered && (
          <Button className="secondary" isDisabled={busy} onPress={() => void erase()}>
            {t('myConsents.erase')}
          </Button>
        )
      )}
      <Button className="primary wide" onPress={() => void finish()}>
        {t('confirm.done')}
      </Button>
    </section>
  );
}
