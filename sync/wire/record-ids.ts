// A consent record id names one decision: two records of one item under the same id would make the
// registry refuse the item (its record ids are unique), so the kiosk and the registry both check it.
import type { ConsentRecord } from './schemas.js';

export function hasDuplicateRecordId(records: readonly Pick<ConsentRecord, 'recordId'>[]): boolean {
  return new Set(records.map((r) => r.recordId)).size !== records.length;
}
