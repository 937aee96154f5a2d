// The proof leaves the kiosk with the person. The registry keeps the consent records (the statements'
// inventories: consent proof, kept by the registry), so once it acknowledged an item the kiosk keeps
// only a receipt summary without personal data: per record its ids, party, controller id, the
// notice (statement id, version, language, text hash), the event's time, type, method, store and
// kiosk, and each purpose's id and decision; enough for the manager's receipt export. The evidence
// (controls touched, the staff member who checked), the data categories, validity, withdrawal methods
// and legal bases go, and so do the eID check verdicts and the card's validity date.
// - The database makes the reduction itself, in the statement that acknowledges the item, so no code
//   path can close an item and keep the proof.
// - The only change the proof now allows is that reduction of an acknowledged row. A discarded item
//   never reached the registry: it keeps its whole proof, which exists nowhere else.
// - Rows acknowledged before this version are reduced here.
import type { Migration } from './types.js';

/** The receipt summary of a JSON array of consent records (written in the same key order by SQLite every time). */
const summaryOf = (consents: string): string => `
  (SELECT json_group_array(json_object(
            'recordId', c.value ->> '$.recordId',
            'subjectRef', c.value ->> '$.subjectRef',
            'party', c.value ->> '$.party',
            'controller', json_object('id', c.value ->> '$.controller.id'),
            'notice', json_object('statementId', c.value ->> '$.notice.statementId', 'version', c.value ->> '$.notice.version',
                                  'language', c.value ->> '$.notice.language', 'textSha256', c.value ->> '$.notice.textSha256'),
            'event', json_object('at', c.value ->> '$.event.at', 'type', c.value ->> '$.event.type',
                                 'method', c.value ->> '$.event.method', 'storeId', c.value ->> '$.event.storeId',
                                 'kioskId', c.value ->> '$.event.kioskId'),
            'purposes', json((SELECT json_group_array(json_object('id', p.value ->> '$.id', 'status', p.value ->> '$.status'))
                                FROM json_each(c.value, '$.purposes') p))
          ) ORDER BY c.key)
     FROM json_each(${consents}) c)`;

const ACKNOWLEDGED = `('accepted', 'duplicate')`;
const EID_CHECKS_CLEARED = `eid_identity_ok = NULL, eid_address_ok = NULL, eid_photo_ok = NULL, eid_chain_ok = NULL, eid_card_valid_until = NULL`;

export const migration007: Migration = {
  version: 7,
  name: 'proof-leaves-with-ack',
  up(db) {
    db.exec(`
      DROP TRIGGER outbox_record_immutable;
      CREATE TRIGGER outbox_record_immutable
      BEFORE UPDATE OF sequence, idempotency_key, kind, subject_ref, created_at ON outbox
      BEGIN SELECT RAISE(ABORT, 'the journal is append-only: a row keeps its identity'); END;

      CREATE TRIGGER outbox_proof_reduced_only
      BEFORE UPDATE OF consents ON outbox
      WHEN NEW.consents IS NOT OLD.consents
       AND NOT (OLD.outcome IN ${ACKNOWLEDGED} AND NEW.consents IS ${summaryOf('OLD.consents')})
      BEGIN SELECT RAISE(ABORT, 'consent records are append-only: once acknowledged they only become their receipt summary'); END;

      -- Fires once per row: the outcome is set once (outbox_receipt_once).
      CREATE TRIGGER outbox_proof_to_receipt
      AFTER UPDATE OF outcome ON outbox
      WHEN OLD.outcome IS NULL AND NEW.outcome IN ${ACKNOWLEDGED}
      BEGIN
        UPDATE outbox SET consents = ${summaryOf('consents')}, ${EID_CHECKS_CLEARED} WHERE sequence = NEW.sequence;
      END;

      UPDATE outbox SET consents = ${summaryOf('consents')}, ${EID_CHECKS_CLEARED} WHERE outcome IN ${ACKNOWLEDGED};
    `);
  },
};
