// Registry migration 2 (strong keys) on a version-1 database holding a name-matched profile: the
// rows survive, and the old profile, which has no strong key, is never matched again.
import { describe, expect, it } from 'vitest';
import { migratedFrom } from './fixtures/old-version.js';
import { ENGINES } from './fixtures/registry-app.js';

const V1_ROWS = `
INSERT INTO profiles (profile_id, match_key, birth_date, surname, first_names, language, sex, address_json, email, mobile, created_at, updated_at)
  VALUES ('p-old', 'peeters|jan', NULL, 'Peeters', 'Jan', 'nl', NULL, NULL, 'jan@example.be', NULL, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z');
INSERT INTO enrollments (enrollment_id, profile_id, chain_id, store_id, kiosk_id, source, enrolled_at, utc_offset_minutes, sent_at, received_at, receipt_id)
  VALUES ('e-old', 'p-old', 'chain-a', 'store-1', 'kiosk-a', 'manual', '2024-01-01T00:00:00.000Z', 60, '2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.000Z', 'r-old');
`;

describe.each(ENGINES)('registry migration 2 on %s', (engine) => {
  it('keeps the rows of version 1 and matches nothing to its keyless profiles', async () => {
    await migratedFrom(engine, 1, V1_ROWS, async (store, reader) => {
      expect(await store.stats()).toMatchObject({ profiles: 1, enrollments: 1 });
      expect(await reader.profileIdsOf(['e-old'])).toEqual(new Map([['e-old', 'p-old']]));
      const kiosk = { kioskId: 'kiosk-a', chainId: 'chain-a', storeId: 'store-1' };
      const who = { surname: 'Peeters', firstNames: 'Jan', email: 'jan@example.be' };
      await expect(store.lookupConsents(kiosk, who)).rejects.toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
      expect(await store.purge(new Date('2024-06-01T00:00:00.000Z'))).toMatchObject({ erased: 0, 'consent-proof': 0 });
      expect(await store.purge(new Date('2026-06-01T00:00:00.000Z'))).toMatchObject({ erased: 1, 'consent-proof': 0 });
    });
  });
});
