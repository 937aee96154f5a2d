// Row counts for the operator's `registry stats` (never served to kiosks).
import type { RegistryStats } from '../../sync/wire/registry-api.js';
import { get, type Work } from './sql.js';

export function* registryStats(): Work<RegistryStats> {
  const r = yield* get<Record<keyof RegistryStats, number | string>>(`SELECT
    (SELECT COUNT(*) FROM enrollments) AS enrollments,
    (SELECT COUNT(*) FROM profiles) AS profiles,
    (SELECT COUNT(*) FROM consent_records) AS consents,
    (SELECT COUNT(*) FROM kiosks) AS kiosks,
    (SELECT COUNT(*) FROM kiosks WHERE revoked_at IS NULL) AS "activeKiosks",
    (SELECT COUNT(*) FROM change_events) AS "changeEvents",
    (SELECT COUNT(*) FROM idempotency_keys) AS "idempotencyKeys"`);
  if (!r) throw new Error('stats query returned no row');
  return {
    enrollments: Number(r.enrollments),
    profiles: Number(r.profiles),
    consents: Number(r.consents),
    kiosks: Number(r.kiosks),
    activeKiosks: Number(r.activeKiosks),
    changeEvents: Number(r.changeEvents),
    idempotencyKeys: Number(r.idempotencyKeys),
  };
}
