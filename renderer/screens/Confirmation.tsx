// "Done" only after the commit returned: the receipt in words and as a QR code to photograph, or,
// after a "no" to everything, that nothing was kept and the benefits stay the same.
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { Notice } from '../components/Notice';
import { useFlow, useFlowActions } from '../flow/context';
import type { StepOf } from '../flow/steps';

export function Committing() {
  const { t } = useTranslation();
  const notice = useFlow((f) => f.notice);
  const busy = useFlow((f) => f.busy);
  const { commit } = useFlowActions();
  return (
    <section className="committing">
      <h1>{t('committing.title')}</h1>
      {notice === undefined ? (
        <p className="lead" role="status">
          {t('committing.wait')}
        </p>
      ) : (
        <>
          <Notice />
          <Button className="primary wide" isDisabled={busy} onPress={() => void commit()}>
            {t('reading.retry')}
          </Button>
        </>
      )}
    </section>
  );
}

/** The withdrawal code large and spaced out, so it can be copied or photographed; read out per character by a screen reader. */
function WithdrawalCode({ code }: { code: string }) {
  const { t } = useTranslation();
  const chain = useFlow((f) => f.info?.chainName ?? '');
  return (
    <div className="withdrawal-code" role="group" aria-labelledby="withdrawal-code-label">
      <p id="withdrawal-code-label" className="withdrawal-code-label">
        {t('withdrawalCode.label')}
      </p>
      <p className="withdrawal-code-value" aria-label={[...code].join(' ')} data-personal="spell">
        {code}
      </p>
      <p className="withdrawal-code-use">{t('withdrawalCode.use', { chain })}</p>
    </div>
  );
}

const HASH = /\b[0-9a-f]{64}\b/;
const UUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/;

/**
 * How read-aloud says a receipt line: the reference (line 2), the statement versions and the
 * purposes are said; text fingerprints and record ids are for machines and the QR, not spoken;
 * the withdrawal code is the customer's secret, said only with headphones.
 */
function speechOf(line: string, index: number, withdrawalCode: string | undefined): Record<string, string> {
  const bare = (s: string) => s.replace(/[^0-9A-Za-z]/g, '');
  if (withdrawalCode !== undefined && bare(line).includes(bare(withdrawalCode))) return { 'data-personal': 'spell' };
  if (HASH.test(line) || (index > 1 && UUID.test(line))) return { 'data-speech': 'skip' };
  return {};
}

export function Confirmation({ step }: { step: StepOf<'confirmation'> }) {
  const { t } = useTranslation();
  const { finish } = useFlowActions();
  const { receipt } = step;
  if (receipt === undefined) return <NothingKept />;
  const qr = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(receipt.qrSvg)}`;
  // Drawn at a whole number of pixels a module (--qr-module), so a phone reads it at arm's length.
  const modules = Number(/viewBox="0 0 (\d+) /.exec(receipt.qrSvg)?.[1] ?? 0);
  return (
    <section className="confirmation with-receipt">
      <h1>
        <span aria-hidden="true">✓ </span>
        {t('confirm.title')}
      </h1>
      <p className="lead">{t('confirm.intro')}</p>
      {receipt.withdrawalCode !== undefined && <WithdrawalCode code={receipt.withdrawalCode} />}
      {/* Scrolls on its own so "done" stays on screen; focusable so it scrolls without touch too. */}
      <div className="panel receipt" role="region" aria-label={t('confirm.receiptHeading')} tabIndex={0}>
        <h2>{t('confirm.receiptHeading')}</h2>
        {/* Its lines stay in the language they were committed in: marked so, read aloud speaks them in its voice. */}
        <div lang={receipt.language}>
          {receipt.lines.map((line, i) => (
            <p key={i} {...speechOf(line, i, receipt.withdrawalCode)}>
              {line}
            </p>
          ))}
        </div>
      </div>
      <figure className="qr">
        <img src={qr} alt={t('confirm.qrAlt')} style={{ width: `calc(${modules} * var(--qr-module))` }} />
        <figcaption>
          {t('confirm.qrCaption')}
          {receipt.withdrawalCode !== undefined && ` ${t('confirm.qrCaptionCode')}`}
        </figcaption>
      </figure>
      <Button className="primary wide" onPress={() => void finish()}>
        {t('confirm.done')}
      </Button>
    </section>
  );
}

/** A "no" to every purpose of the chain: no receipt, because there is no record to show. */
function NothingKept() {
  const { t } = useTranslation();
  const { finish } = useFlowActions();
  return (
    <section className="confirmation">
      <h1>{t('lawful.nothingKeptTitle')}</h1>
      <p className="lead">{t('lawful.nothingKept')}</p>
      <p className="lead">{t('lawful.sameBenefits')}</p>
      <Button className="primary wide" onPress={() => void finish()}>
        {t('confirm.done')}
      </Button>
    </section>
  );
}
