// The receipt's withdrawal code (../wire/withdrawal-code.ts): made once at commit, sent in the
// item's chainMatch and kept in the row after the item left, sealed (it lets its holder look up and
// withdraw the customer's consents, so it is treated as a secret), so a receipt can be shown again.
// Set once; rows of earlier versions have none and sync as before.
import type { Migration } from './types.js';

export const migration006: Migration = {
  version: 6,
  name: 'withdrawal-code',
  up(db) {
    db.exec(`
      ALTER TABLE outbox ADD COLUMN withdrawal_code BLOB;
      CREATE TRIGGER outbox_withdrawal_code_once BEFORE UPDATE OF withdrawal_code ON outbox
      BEGIN SELECT RAISE(ABORT, 'the withdrawal code is set once, at commit'); END;
    `);
  },
};
