// One party's statement, in full and as recorded by its hash, with a switch per purpose (all off)
// right after that purpose's text; "yes to all" and "no to all" weigh the same; one screen, one record.
import { Button, Switch } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { StatementScreen } from '../../api/contract';
import { EqualChoice } from '../components/EqualChoice';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';

function Block({ role, text }: { role: string; text: string }) {
  switch (role) {
    case 'title':
      return <h2>{text}</h2>;
    case 'purpose-title':
    case 'section-heading':
      return <h3>{text}</h3>;
    case 'legal-basis':
      return <p className="legal">{text}</p>;
    default:
      return <p>{text}</p>;
  }
}

function PurposeSwitch({ statement, purposeId, given }: { statement: StatementScreen; purposeId: string; given: boolean }) {
  const { t } = useTranslation();
  const { choose } = useFlowActions();
  const purpose = statement.purposes.find((p) => p.id === purposeId);
  if (purpose === undefined) return null;
  return (
    <Switch className="purpose-switch" isSelected={given} onChange={(on) => choose(purposeId, on)}>
      <span className="track" aria-hidden="true">
        <span className="thumb" />
      </span>
      <span className="switch-label">{purpose.title}</span>
      <span className="switch-state" aria-hidden="true">
        {t(given ? 'consent.yes' : 'consent.no')}
      </span>
    </Switch>
  );
}

export function Consent({ step }: { step: StepOf<'consent'> }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  const { chooseAll, decide } = useFlowActions();
  const statement = step.statement;

  if (statement === undefined)
    return (
      <section className="consent">
        <p className="lead" role="status">
          {t('consent.loading')}
        </p>
        <Notice />
      </section>
    );

  // A purpose's switch follows the last of that purpose's blocks.
  const lastBlockOf = new Map<string, number>();
  statement.blocks.forEach((b, i) => b.purposeId !== undefined && lastBlockOf.set(b.purposeId, i));
  const given = (id: string) => step.decisions[id] === true;

  return (
    <section className="consent">
      <p className="step-count">
        {t('consent.stepOf', { index: step.index, total: step.total })} <span aria-hidden="true">·</span>{' '}
        {t(`consent.party.${statement.party}`, { name: statement.controller.name })}
      </p>
      {statement.reconsent && <p className="notice info">{t('consent.reconsent')}</p>}
      <article className="statement" aria-label={statement.controller.name}>
        {statement.blocks.map((block, i) => (
          <div key={i}>
            <Block role={block.role} text={block.text} />
            {block.purposeId !== undefined && lastBlockOf.get(block.purposeId) === i && (
              <PurposeSwitch statement={statement} purposeId={block.purposeId} given={given(block.purposeId)} />
            )}
          </div>
        ))}
        {statement.recipients.length > 0 && (
          <>
            <h3>{t('consent.recipients')}</h3>
            <ul>
              {statement.recipients.map((r) => (
                <li key={r}>{r}</li>
              ))}
            </ul>
          </>
        )}
      </article>
      <Notice />
      <div className="consent-actions">
        <EqualChoice
          disabled={busy}
          first={{ label: t('consent.noToAll'), onPress: () => chooseAll(false) }}
          second={{ label: t('consent.yesToAll'), onPress: () => chooseAll(true) }}
        />
        <div className="consent-confirm">
          <p className="summary" role="status">
            {t('consent.summary', {
              yes: statement.purposes.filter((p) => given(p.id)).length,
              total: statement.purposes.length,
            })}
          </p>
          <Button className="primary" isDisabled={busy} onPress={() => void decide()}>
            {t('consent.confirm')}
          </Button>
        </div>
      </div>
    </section>
  );
}
