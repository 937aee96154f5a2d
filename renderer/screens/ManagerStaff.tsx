// The staff codes, behind the manager's PIN: the staff members by name (never a code), a new member
// by name with its code shown this once (to tell the person; it is kept nowhere in clear), and a
// revoke per member that stops its code at once.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { KeyboardForm, type FieldSpec } from '../components/KeyboardForm';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';

const NAME_FIELD: readonly FieldSpec[] = [{ name: 'staffName', kind: 'name' }];

export function ManagerStaff({ step }: { step: StepOf<'managerStaff'> }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  const { addStaff, revokeStaff, closeStaff } = useFlowActions();
  return (
    <section className="manager manager-staff">
      <h1>{t('staffCodes.title')}</h1>
      <p className="lead">{t('staffCodes.intro')}</p>
      <Notice />
      <div className="columns">
        <div className="panel">
          <h2>{t('staffCodes.listHeading')}</h2>
          {step.staff.length === 0 ? (
            <p>{t('staffCodes.none')}</p>
          ) : (
            <ul className="failed">
              {step.staff.map((member) => (
                <li key={member.id}>
                  <span>{member.name}</span>
                  <Button
                    className="secondary"
                    isDisabled={busy}
                    aria-label={t('staffCodes.revokeNamed', { name: member.name })}
                    onPress={() => void revokeStaff(member.id)}
                  >
                    {t('staffCodes.revoke')}
                  </Button>
                </li>
              ))}
            </ul>
          )}
        </div>
        {step.added !== undefined ? (
          <div className="panel new-code" role="status">
            <p>{t('staffCodes.added', { name: step.added.name })}</p>
            <p className="staff-code" aria-label={step.added.code.split('').join(' ')}>
              {step.added.code}
            </p>
            <p>{t('staffCodes.onlyOnce', { name: step.added.name })}</p>
          </div>
        ) : (
          <div className="panel">
            <h2>{t('staffCodes.addHeading')}</h2>
          </div>
        )}
      </div>
      <div className="manager-actions">
        <Button className="secondary" onPress={() => void closeStaff()}>
          {t('staffCodes.back')}
        </Button>
        <Button className="primary" isDisabled={busy} onPress={() => void addStaff()}>
          {t('staffCodes.add')}
        </Button>
      </div>
      <KeyboardForm fields={NAME_FIELD} values={step.values} errors={step.fieldErrors} />
    </section>
  );
}
