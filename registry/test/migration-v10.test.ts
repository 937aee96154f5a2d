// Registry migration 10 (signed batches) on a version-9 database holding a record countersigned on
// its own: the row keeps its countersignature and names no batch; afterwards a row needs exactly one
// of the two (its own countersignature, or a batch).
import { describe, expect, it } from 'vitest';
import { consentSignatures } from '../storage/consent-signatures.js';
import { migratedFrom } from './fixtures/old-version.js';
import { ENGINES } from './fixtures/registry-app.js';

const AT = '2025-01-01T00:00:00.000Z';
const V9_ROWS = `
INSERT INTO profiles (profile_id, match_key, surname, first_names, language, created_at, updated_at, verified)
  VALUES ('p-9', 'k', 'Peeters', 'Jan', 'nl', '${AT}', '${AT}', 0);
INSERT INTO consent_records (record_id, profile_id, subject_ref, chain_id, party, event_type, event_at, kiosk_id, received_at, record_json)
  VALUES ('r-9', 'p-9', 's-9', 'chain-a', 'chain', 'given', '${AT}', 'kiosk-a', '${AT}', '{}');
INSERT INTO consent_records (record_id, profile_id, subject_ref, chain_id, party, event_type, event_at, kiosk_id, received_at, record_json)
  VALUES ('r-10', 'p-9', 's-9', 'chain-a', 'registry', 'refused', '${AT}', 'kiosk-a', '${AT}', '{}');
INSERT INTO consent_signatures (record_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, signed_at)
  VALUES ('r-9', 'kiosk-kid', 'h.p.s', 'registry-kid', 'h.c.s', '${AT}');
`;

describe.each(ENGINES)('registry migration 10 on %s', (engine) => {
  it('keeps a countersigned row as it was, and refuses a row with both or neither countersignature and batch', async () => {
    await migratedFrom(engine, 9, V9_ROWS, async (_store, reader) => {
      expect(await reader.read(() => consentSignatures(['r-9']))).toEqual([
        {
          recordId: 'r-9',
          kioskKid: 'kiosk-kid',
          kioskJws: 'h.p.s',
          registryKid: 'registry-kid',
          registryJws: 'h.c.s',
          batchId: null,
          batch: null,
          signedAt: AT,
        },
      ]);
      const insert = (registryJws: string | null, batchId: string | null) =>
        reader.tamper(
          `INSERT INTO consent_signatures (record_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, batch_id, signed_at) VALUES ('r-10', 'k', 'h..s', ?, ?, ?, '${AT}')`,
          registryJws === null ? null : 'registry-kid',
          registryJws,
          batchId,
        );
      await expect(insert(null, null)).rejects.toThrow();
      await reader.tamper(
        `INSERT INTO signed_batches (batch_id, kiosk_id, kiosk_kid, kiosk_jws, registry_kid, registry_jws, received_at) VALUES ('b-1', 'kiosk-a', 'k', 'h.b.s', 'registry-kid', 'h.c.s', '${AT}')`,
      );
      await expect(insert('h.c.s', 'b-1')).rejects.toThrow();
      await insert(null, 'b-1');
      expect(await reader.read(() => consentSignatures(['r-10']))).toMatchObject([{ batchId: 'b-1', batch: { kioskJws: 'h.b.s' } }]);
    });
  });
});
