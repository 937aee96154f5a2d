// The manager view's slice of the handler table: unlocked by the PIN for managerIdleSeconds after
// the last manager call, it shows the outbox, retries or discards what failed, exports the receipts,
// adds and revokes the staff members' codes (staff-codes.ts) and quits. It wraps sync/manager/operations.ts and never touches the customer session (a quit
// wipes it, through the core).
import { discardDeadLetter, exportConsentReceiptsCsv, listFailed, queueStatus, retryDeadLetters } from '../sync/manager/operations.js';
import { wrongStep } from './errors.js';
import type { HostDeps } from './host.js';
import type { CallsUnder, Handlers } from './session.js';

export function managerHandlers(deps: HostDeps, wipe: () => void): Handlers<CallsUnder<'manager'>> {
  let unlockedUntil = 0;

  const touch = (): void => {
    unlockedUntil = deps.now().getTime() + (deps.config.managerIdleSeconds ?? 300) * 1000;
  };
  /** WRONG_STEP unless unlocked; a manager call keeps the view unlocked. */
  const unlocked = (): void => {
    if (deps.now().getTime() >= unlockedUntil) throw wrongStep();
    touch();
  };

  return {
    'manager.unlock': ({ pin }) => {
      deps.pins.verify(pin);
      touch();
      return {};
    },
    'manager.lock': () => {
      unlockedUntil = 0;
      return {};
    },
    'manager.status': () => {
      unlocked();
      const q = queueStatus(deps.store, deps.now());
      const online = deps.sync?.getStatus().online;
      return {
        counts: {
          pending: q.counts.pending,
          sending: q.counts.sending,
          acknowledged: q.counts.acknowledged,
          deadLetter: q.counts['dead-letter'],
          discarded: q.counts.discarded,
        },
        ...(q.oldestPendingAgeMs !== undefined ? { oldestPendingAgeSeconds: Math.floor(q.oldestPendingAgeMs / 1000) } : {}),
        stale: q.stale,
        ...(q.lastSuccessAt ? { lastSuccessfulSyncAt: q.lastSuccessAt.toISOString() } : {}),
        registryReachable: online ?? q.registryReachable ?? false,
      };
    },
    'manager.failed': () => {
      unlocked();
      return listFailed(deps.store).map((f) => ({
        key: f.idempotencyKey,
        kind: f.kind,
        initials: f.initials ?? '',
        reasonCode: f.reasonCode,
        reason: f.reason,
        queuedAt: f.createdAt.toISOString(),
      }));
    },
    'manager.retry': ({ keys }) => {
      unlocked();
      retryDeadLetters(deps.store, keys, deps.now());
      deps.sync?.notify();
      return {};
    },
    'manager.discard': ({ key }) => {
      unlocked();
      discardDeadLetter(deps.store, key, deps.now());
      return {};
    },
    'manager.exportReceipts': () => {
      unlocked();
      const day = deps.now().toISOString().slice(0, 10);
      return { filename: `consent-receipts-${deps.config.kioskId}-${day}.csv`, csv: exportConsentReceiptsCsv(deps.store) };
    },
    'manager.staffList': () => {
      unlocked();
      return deps.staffCodes.list();
    },
    'manager.staffAdd': ({ name }) => {
      unlocked();
      return deps.staffCodes.add(name);
    },
    'manager.staffRevoke': ({ id }) => {
      unlocked();
      deps.staffCodes.revoke(id);
      return {};
    },
    'manager.quit': () => {
      unlocked();
      if (!deps.quit) throw wrongStep();
      wipe();
      deps.quit();
      return {};
    },
  };
}
