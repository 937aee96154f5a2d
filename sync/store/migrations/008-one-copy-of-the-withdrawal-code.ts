// The receipt's withdrawal code travels in the sealed person's `chainMatch` (outbox-items.ts), so
// migration 006's column of its own was a second sealed copy nothing read: one copy of a secret is
// one place it can leak from. The code is still made once at commit and goes with the person.
import type { Migration } from './types.js';

export const migration008: Migration = {
  version: 8,
  name: 'one-copy-of-the-withdrawal-code',
  up(db) {
    db.exec(`
      DROP TRIGGER outbox_withdrawal_code_once;
      ALTER TABLE outbox DROP COLUMN withdrawal_code;
    `);
  },
};
