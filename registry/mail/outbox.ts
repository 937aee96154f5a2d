// The registry's outbox of e-mail and SMS (migration 6): a message is queued in the transaction that
// decides it (a one-time code, an enrollment), so nothing is lost to an SMTP outage; the dispatcher
// (dispatcher.ts) sends it later, retrying with backoff. Once sent, its address and content are
// wiped and only the row stays, so it is never sent again; a code's message past its validity is
// dropped unsent (the code it carries is useless then).
import { all, exec, get, marks, run, type Work } from '../storage/sql.js';
import type { MailMessage } from './messages.js';

export type MailChannel = 'email' | 'sms';

export interface QueuedMail {
  seq: number;
  channel: MailChannel;
  recipient: string;
  message: MailMessage;
  attempts: number;
}

/** How long a claimed message is held back from another dispatcher before it counts as unsent. */
const CLAIM_MS = 5 * 60_000;

export function* enqueueMail(
  channel: MailChannel,
  recipient: string,
  message: MailMessage,
  now: string,
  discardAfter?: string,
): Work<void> {
  yield* exec(
    `INSERT INTO mail_outbox (channel, recipient, message_json, created_at, discard_after, next_attempt_at) VALUES (?, ?, ?, ?, ?, ?)`,
    channel,
    recipient,
    JSON.stringify(message),
    now,
    discardAfter ?? null,
    now,
  );
}

/**
 * Claims up to `limit` unsent messages of these channels that are due, oldest first, holding each
 * back for CLAIM_MS (two registry processes never send one twice); drops expired ones first.
 */
export function* claimDueMail(channels: readonly MailChannel[], now: Date, limit: number): Work<QueuedMail[]> {
  const at = now.toISOString();
  yield* run(`DELETE FROM mail_outbox WHERE sent_at IS NULL AND discard_after IS NOT NULL AND discard_after <= ?`, at);
  if (channels.length === 0) return [];
  const rows = yield* all<{ seq: number | string; channel: MailChannel; recipient: string; message_json: string; attempts: number }>(
    `SELECT seq, channel, recipient, message_json, attempts FROM mail_outbox
     WHERE sent_at IS NULL AND next_attempt_at <= ? AND channel IN (${marks(channels.length)})
     ORDER BY seq LIMIT ?`,
    at,
    ...channels,
    limit,
  );
  const held = new Date(now.getTime() + CLAIM_MS).toISOString();
  const claimed: QueuedMail[] = [];
  for (const r of rows) {
    // A concurrent claim of the same row (PostgreSQL) re-checks the condition and changes nothing.
    const won = yield* run(
      `UPDATE mail_outbox SET next_attempt_at = ? WHERE seq = ? AND sent_at IS NULL AND next_attempt_at <= ?`,
      held,
      r.seq,
      at,
    );
    if (won === 1)
      claimed.push({
        seq: Number(r.seq),
        channel: r.channel,
        recipient: r.recipient,
        message: JSON.parse(r.message_json) as MailMessage,
        attempts: Number(r.attempts),
      });
  }
  return claimed;
}

export function* markMailSent(seq: number, now: Date): Work<void> {
  yield* run(`UPDATE mail_outbox SET sent_at = ?, recipient = NULL, message_json = NULL WHERE seq = ?`, now.toISOString(), seq);
}

export function* markMailFailed(seq: number, nextAttemptAt: Date): Work<void> {
  yield* run(`UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ? WHERE seq = ?`, nextAttemptAt.toISOString(), seq);
}

export function* waitingMail(): Work<number> {
  const row = yield* get<{ n: number | string }>(`SELECT COUNT(*) AS n FROM mail_outbox WHERE sent_at IS NULL`);
  return Number(row?.n ?? 0);
}
