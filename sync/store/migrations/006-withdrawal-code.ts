// The receipt's withdrawal code (../wire/withdrawal-code.ts): made once at commit, sent in the
// item's chainMatch, sealed (it lets its holder look up and withdraw the customer's consents, so it is
// treated as a secret), and dropped with the person when the item leaves (a kiosk is not an archive).
// Set once at commit: an update may only clear it. Rows of earlier versions have none and sync as before.
import type { Migration } from './types.js';

export const migration006: Migration = {
  version: 6,
  name: 'withdrawal-code',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN withdrawal_code BLOB;
      CREATE TRIGGER outbox_withdrawal_code_once BEFORE UPDATE OF withdrawal_code ON outbox
      WHEN NEW.withdrawal_code IS NOT NULL
      BEGIN SELECT RAISE(ABORT, 'the withdrawal code is set once, at commit'); END;
    `);
  },
};
