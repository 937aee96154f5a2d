import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { EqualChoice } from '../components/EqualChoice';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';

export function Attract() {
  const { t } = useTranslation();
  const chain = useFlow((f) => f.info?.chainName ?? '');
  const busy = useFlow((f) => f.busy);
  const { start } = useFlowActions();
  return (
    <section className="attract">
      <h1>{t('attract.title', { chain })}</h1>
      <p className="lead">{t('attract.lead')}</p>
      <Notice />
      <EqualChoice
        disabled={busy}
        first={{ label: t('attract.useEid'), hint: t('attract.useEidHint'), onPress: () => void start('enroll', 'eid') }}
        second={{ label: t('attract.useForm'), hint: t('attract.useFormHint'), onPress: () => void start('enroll', 'form') }}
      />
      <Button className="secondary" isDisabled={busy} onPress={() => void start('my-consents', 'eid')}>
        {t('attract.myConsents')}
      </Button>
    </section>
  );
}
