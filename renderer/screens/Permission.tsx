// Permission to read the card, before any identity APDU: what is read, what is kept, that no costs
// nothing. The tap on "read my eID" is the evidence the consent records carry.
import { useTranslation } from 'react-i18next';
import { EqualChoice } from '../components/EqualChoice';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';

const READ_ITEMS = ['identity', 'address', 'photo', 'certificates'] as const;

export function Permission({ step }: { step: StepOf<'permission'> }) {
  const { t } = useTranslation();
  const chain = useFlow((f) => f.info?.chainName ?? '');
  const keeps = useFlow((f) => f.info?.keeps);
  const busy = useFlow((f) => f.busy);
  const { allowRead, declineRead } = useFlowActions();
  const lookup = step.intent === 'my-consents';
  return (
    <section className="permission">
      <h1>{t(lookup ? 'permission.titleLookup' : 'permission.title')}</h1>
      <p className="lead">{t('permission.refuseCostsNothing')}</p>
      <div className="columns">
        <div className="panel">
          <h2>{t('permission.readHeading')}</h2>
          <ul>
            {READ_ITEMS.map((item) => (
              <li key={item}>{t(`permission.read.${item}`)}</li>
            ))}
          </ul>
        </div>
        <div className="panel">
          <h2>{t(lookup ? 'permission.useHeading' : 'permission.keepHeading', { chain })}</h2>
          {lookup ? (
            <p>{t('permission.useLookup')}</p>
          ) : (
            <ul>
              {(keeps ?? []).map((field) => (
                <li key={field}>{t(`fields.${field}`)}</li>
              ))}
            </ul>
          )}
          <p className="never">{t('permission.neverKept')}</p>
        </div>
      </div>
      {lookup ? null : <p className="hint">{t('lawful.returningCheck')}</p>}
      <p className="hint">{t('permission.cardWaits')}</p>
      <Notice />
      <EqualChoice
        disabled={busy}
        first={{ label: t('permission.allow'), onPress: () => void allowRead(['read-my-eid']) }}
        second={{ label: t(lookup ? 'permission.declineLookup' : 'permission.decline'), onPress: () => void declineRead() }}
      />
    </section>
  );
}
