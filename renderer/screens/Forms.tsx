// The manual form (the equal alternative to the eID, and "my consents" by details) and the optional
// contact details after the eID path's consents, both on the on-screen keyboard. The contact details
// offer a confirmation of the choices by e-mail: off until the customer turns it on, and only with an address.
import { Button, Switch } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { EqualChoice } from '../components/EqualChoice';
import { KeyboardForm, type FieldSpec } from '../components/KeyboardForm';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';

const MANUAL_FIELDS: readonly FieldSpec[] = [
  { name: 'surname', kind: 'name' },
  { name: 'firstNames', kind: 'name' },
  { name: 'email', kind: 'email', optional: true },
  { name: 'mobile', kind: 'tel', optional: true },
];
const CONTACT_FIELDS: readonly FieldSpec[] = MANUAL_FIELDS.filter((f) => f.optional);
/** "My consents" by details: the receipt's withdrawal code is one more way to be found. */
const LOOKUP_FIELDS: readonly FieldSpec[] = [...MANUAL_FIELDS, { name: 'withdrawalCode', kind: 'code', optional: true }];

export function ManualForm({ step }: { step: StepOf<'manualForm'> }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  const { submitManual } = useFlowActions();
  const lookup = step.intent === 'my-consents';
  return (
    <section className="form-screen">
      <div className="form-head">
        <h1>{t(lookup ? 'form.titleLookup' : 'form.title')}</h1>
        <p className="lead">{t(lookup ? 'form.introLookup' : 'form.intro')}</p>
        {/* One line each: the keyboard and "continue" must stay on a 1280x800 screen. */}
        {lookup ? <p>{t('withdrawalCode.lookupHint')}</p> : <p className="hint">{t('lawful.returningCheckShort')}</p>}
      </div>
      <Notice />
      <KeyboardForm fields={lookup ? LOOKUP_FIELDS : MANUAL_FIELDS} values={step.values} errors={step.fieldErrors} />
      <Button className="primary wide" isDisabled={busy} onPress={() => void submitManual()}>
        {t(lookup ? 'form.find' : 'form.continue')}
      </Button>
    </section>
  );
}

export function Contact({ step }: { step: StepOf<'contact'> }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  const { submitContact, setConfirmationEmail } = useFlowActions();
  const hasEmail = step.values.email.trim() !== '';
  const confirmation = hasEmail && step.confirmationEmail === true;
  return (
    <section className="form-screen">
      <div className="form-head">
        <h1>{t('contact.title')}</h1>
        <p className="lead">{t('contact.intro')}</p>
      </div>
      <Notice />
      <KeyboardForm fields={CONTACT_FIELDS} values={step.values} errors={step.fieldErrors} />
      {/* Inside the switch, the hint is read with its name and keeps the answers on screen at 1280x800. */}
      <Switch
        className="purpose-switch confirmation-switch"
        isSelected={confirmation}
        isDisabled={!hasEmail}
        onChange={setConfirmationEmail}
      >
        <span className="track" aria-hidden="true">
          <span className="thumb" />
        </span>
        <span className="switch-label">
          {t('confirmationEmail.label')}
          {!hasEmail && <span className="switch-hint">{t('confirmationEmail.needsEmail')}</span>}
        </span>
        <span className="switch-state" aria-hidden="true">
          {t(confirmation ? 'consent.yes' : 'consent.no')}
        </span>
      </Switch>
      <EqualChoice
        disabled={busy}
        first={{ label: t('contact.skip'), onPress: () => void submitContact(true) }}
        second={{ label: t('contact.save'), onPress: () => void submitContact(false) }}
      />
    </section>
  );
}
