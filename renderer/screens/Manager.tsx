// The manager's view behind a PIN: the live queue, failed items with their reasons, retry, discard,
// and the consent receipts as a file. Polled while open; locked again by the idle timer.
import { useEffect } from 'react';
import { Button } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import type { FailedItemView } from '../../api/contract';
import { Notice } from '../components/Notice';
import { PinPad } from '../components/PinPad';
import { useFlow, useFlowActions } from '../flow/context';
import { i18next } from '../i18n';
import type { StepOf } from '../flow/steps';

const POLL_MS = 2000;
const COUNTS = ['pending', 'sending', 'acknowledged', 'deadLetter', 'discarded'] as const;

export function ManagerPin({ step }: { step: StepOf<'managerPin'> }) {
  const { t } = useTranslation();
  const busy = useFlow((f) => f.busy);
  const { submitPin, lockManager } = useFlowActions();
  return (
    <section className="manager-pin">
      <h1>{t('manager.pinTitle')}</h1>
      <Notice />
      <PinPad
        typed={step.pin.length}
        submit={{ label: t('manager.unlock'), disabled: busy || step.pin.length < 4, onPress: () => void submitPin() }}
      />
      <Button className="secondary" onPress={() => void lockManager()}>
        {t('manager.cancel')}
      </Button>
    </section>
  );
}

function download(filename: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function Manager({ step }: { step: StepOf<'manager'> }) {
  const { t } = useTranslation();
  const language = useFlow((f) => f.language);
  const canQuit = useFlow((f) => f.info?.canQuit ?? false);
  const busy = useFlow((f) => f.busy);
  const { refreshManager, retry, discard, exportReceipts, openStaff, lockManager, quit } = useFlowActions();

  useEffect(() => {
    const timer = setInterval(() => void refreshManager(), POLL_MS);
    return () => clearInterval(timer);
  }, [refreshManager]);

  const status = step.status;
  const time = (iso: string) => new Intl.DateTimeFormat(language, { dateStyle: 'short', timeStyle: 'medium' }).format(new Date(iso));
  // The sync client's reasons are worded here where a code is known; otherwise its own sentence shows.
  const reasonText = (item: FailedItemView) =>
    i18next.exists(`manager.reason.${item.reasonCode}`) ? t(`manager.reason.${item.reasonCode}`) : item.reason;
  const exportNow = async () => {
    const file = await exportReceipts();
    if (file !== undefined) download(file.filename, file.csv);
  };

  return (
    <section className="manager">
      <h1>{t('manager.title')}</h1>
      <Notice />
      {status === undefined ? (
        <p role="status">{t('manager.loading')}</p>
      ) : (
        <div className="columns">
          <div className="panel">
            <h2>{t('manager.queue')}</h2>
            <dl className="counts">
              {COUNTS.map((c) => (
                <div key={c}>
                  <dt>{t(`manager.count.${c}`)}</dt>
                  <dd>{status.counts[c]}</dd>
                </div>
              ))}
            </dl>
          </div>
          <div className="panel">
            <h2>{t('manager.sync')}</h2>
            <p className={status.registryReachable ? 'ok' : 'failed'}>
              <span aria-hidden="true">{status.registryReachable ? '✓ ' : '✗ '}</span>
              {t(status.registryReachable ? 'manager.reachable' : 'manager.unreachable')}
            </p>
            <p>
              {t('manager.oldest')}:{' '}
              {status.oldestPendingAgeSeconds === undefined
                ? t('manager.none')
                : t('manager.minutes', { count: Math.ceil(status.oldestPendingAgeSeconds / 60) })}
            </p>
            <p>
              {t('manager.lastSync')}: {status.lastSuccessfulSyncAt === undefined ? t('manager.never') : time(status.lastSuccessfulSyncAt)}
            </p>
            {status.stale && (
              <p className="notice" role="alert">
                <span aria-hidden="true">! </span>
                {t('manager.stale')}
              </p>
            )}
          </div>
        </div>
      )}
      <div className="panel">
        <h2>{t('manager.failedHeading')}</h2>
        {step.failed.length === 0 ? (
          <p>{t('manager.noFailed')}</p>
        ) : (
          <>
            <ul className="failed">
              {step.failed.map((item) => (
                <li key={item.key}>
                  <span>
                    <strong>{item.initials}</strong> · {item.kind} · {time(item.queuedAt)}
                    <br />
                    {reasonText(item)}
                  </span>
                  <Button
                    className="secondary"
                    isDisabled={busy}
                    aria-label={t('manager.retryNamed', { item: item.initials })}
                    onPress={() => void retry([item.key])}
                  >
                    {t('manager.retry')}
                  </Button>
                  <Button
                    className="secondary"
                    isDisabled={busy}
                    aria-label={t('manager.discardNamed', { item: item.initials })}
                    onPress={() => void discard(item.key)}
                  >
                    {t('manager.discard')}
                  </Button>
                </li>
              ))}
            </ul>
            <Button className="secondary" isDisabled={busy} onPress={() => void retry(step.failed.map((i) => i.key))}>
              {t('manager.retryAll')}
            </Button>
          </>
        )}
      </div>
      {step.exported !== undefined && <p role="status">{t('manager.exported', { file: step.exported })}</p>}
      <div className="manager-actions">
        <Button className="secondary" isDisabled={busy} onPress={() => void exportNow()}>
          {t('manager.export')}
        </Button>
        <Button className="secondary" isDisabled={busy} onPress={() => void openStaff()}>
          {t('staffCodes.open')}
        </Button>
        {canQuit && (
          <Button className="secondary" isDisabled={busy} onPress={() => void quit()}>
            {t('manager.quit')}
          </Button>
        )}
        <Button className="primary" onPress={() => void lockManager()}>
          {t('manager.lock')}
        </Button>
      </div>
    </section>
  );
}
