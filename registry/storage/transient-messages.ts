// What the retention rule 'transient-messages' (../../sync/consent/retention.ts) deletes: one-time
// codes and unsent messages, past the rule's period.
import { run, type Work } from './sql.js';

/**
 * One-time codes and e-mails or SMS still unsent, made at `cutoff` or earlier: a code is long useless
 * by then (it lives minutes), and a message that could not be sent for the whole period is dropped
 * with its address and content (the row stays, so nothing is sent twice).
 */
export function* purgeTransientMessages(cutoff: string, codeTtlMinutes: number): Work<number> {
  const madeBefore = new Date(new Date(cutoff).getTime() + codeTtlMinutes * 60_000).toISOString();
  const codes = yield* run('DELETE FROM one_time_codes WHERE expires_at <= ?', madeBefore);
  const messages = yield* run(
    `UPDATE mail_outbox SET recipient = NULL, message_json = NULL, sent_at = ? WHERE sent_at IS NULL AND created_at <= ?`,
    cutoff,
    cutoff,
  );
  return codes + messages;
}
