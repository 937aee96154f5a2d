// Sends the outbox (outbox.ts): every few seconds, the messages that are due, each through the
// sender of its channel; a failure is retried with a doubling backoff, so an SMTP outage delays
// mail and loses none. A channel without a sender keeps its messages waiting; the count is logged
// when it changes (never an address or a content).
import type { Logger } from 'pino';
import type { RegistryStore } from '../store.js';
import { renderMessage } from './messages.js';
import type { MailChannel, QueuedMail } from './outbox.js';
import type { EmailSender, SmsSender } from './senders.js';

export interface MailDispatcherDeps {
  store: Pick<RegistryStore, 'claimDueMail' | 'markMailSent' | 'markMailFailed' | 'waitingMail'>;
  email?: EmailSender;
  sms?: SmsSender;
  now: () => Date;
  logger: Logger;
  /** The domain of the Message-ID of each e-mail. */
  domain?: string;
}

/** First retry after 15 s, doubling, at most an hour apart. */
export function retryDelayMs(attempts: number): number {
  return Math.min(15_000 * 2 ** attempts, 3_600_000);
}

const PER_TICK = 50;

export class MailDispatcher {
  private running: Promise<void> | undefined;
  private lastWaiting = 0;

  constructor(private readonly deps: MailDispatcherDeps) {}

  /** One pass over what is due; overlapping calls share the pass in flight. */
  tick(): Promise<void> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<void> {
    const { store, now, logger } = this.deps;
    const channels = (['email', 'sms'] as const).filter((c) => this.senderFor(c) !== undefined);
    for (const mail of await store.claimDueMail(channels, now(), PER_TICK)) {
      try {
        await this.send(mail);
        await store.markMailSent(mail.seq, now());
      } catch (err) {
        const delay = retryDelayMs(mail.attempts);
        await store.markMailFailed(mail.seq, new Date(now().getTime() + delay));
        logger.warn(
          { seq: mail.seq, channel: mail.channel, attempts: mail.attempts + 1, retryInMs: delay, err: errorKind(err) },
          'mail not sent',
        );
      }
    }
    const waiting = await store.waitingMail();
    if (waiting !== this.lastWaiting) logger.info({ waiting }, 'mail waiting in the outbox');
    this.lastWaiting = waiting;
  }

  private senderFor(channel: MailChannel): EmailSender | SmsSender | undefined {
    return channel === 'email' ? this.deps.email : this.deps.sms;
  }

  private async send(mail: QueuedMail): Promise<void> {
    const { subject, text } = renderMessage(mail.message);
    if (mail.channel === 'sms') return this.deps.sms?.send({ to: mail.recipient, text });
    return this.deps.email?.send({
      to: mail.recipient,
      subject,
      text,
      messageId: `<outbox-${mail.seq}@${this.deps.domain ?? 'registry.invalid'}>`,
    });
  }
}

/** What went wrong, without the server's words (which may quote an address). */
function errorKind(err: unknown): { type: string; code?: string } {
  const e = err as { name?: string; code?: unknown };
  return { type: e.name ?? 'Error', ...(typeof e.code === 'string' ? { code: e.code } : {}) };
}
