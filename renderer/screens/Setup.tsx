// The set-up screen of a kiosk without a configuration: it can only provision the kiosk (the
// registry's address, the back office's one-time code, the manager PIN twice), never enroll anyone.
// Typed on the on-screen keyboard; the host's answers are worded in the screen's own namespace.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ErrorText } from '../components/Notice';
import { KeyboardForm, type FieldSpec } from '../components/KeyboardForm';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';

const FIELDS: readonly FieldSpec[] = [
  { name: 'registryUrl', kind: 'url' },
  { name: 'code', kind: 'code' },
  { name: 'pin', kind: 'pin' },
  { name: 'pinAgain', kind: 'pin' },
];
/** The refusals this screen words itself; the rest say "setting up failed". */
const WORDED = new Set(['SETUP_CODE_REFUSED', 'REGISTRY_UNREACHABLE', 'RATE_LIMITED']);

export function Setup({ step }: { step: StepOf<'setup'> }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  const notice = useFlow((f) => f.notice);
  const { submitSetup } = useFlowActions();
  if (step.provisioned) {
    return (
      <section className="form-screen">
        <h1>{t('setup.title')}</h1>
        <p className="lead" role="status">
          {t('setup.starting')}
        </p>
      </section>
    );
  }
  // Field errors are shown beside their fields.
  const refusal = notice !== undefined && !(notice.code === 'INVALID_REQUEST' && notice.fields !== undefined) ? notice.code : undefined;
  return (
    <section className="form-screen">
      <div className="form-head">
        <h1>{t('setup.title')}</h1>
        {/* A refusal takes the introduction's place, so the form and its button stay on one screen. */}
        {refusal === undefined ? (
          <p className="lead">{t('setup.intro')}</p>
        ) : (
          <ErrorText code={refusal} messageKey={`setup.errors.${WORDED.has(refusal) ? refusal : 'OTHER'}`} />
        )}
      </div>
      <KeyboardForm fields={FIELDS} values={step.values} errors={step.fieldErrors} prefix="setup." />
      <Button className="primary wide" isDisabled={busy} onPress={() => void submitSetup()}>
        {t('setup.submit')}
      </Button>
    </section>
  );
}
