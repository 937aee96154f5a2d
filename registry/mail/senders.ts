// How a message leaves the registry: e-mail over SMTP (nodemailer), SMS through an `SmsSender` (no
// gateway is wired here; RecordingSmsSender is the double the tests and the demo read).
import nodemailer, { type Transporter } from 'nodemailer';

export interface OutgoingEmail {
  to: string;
  subject: string;
  text: string;
  /** Stable per outbox row, so a receiving server can recognise a resend after a crash. */
  messageId: string;
}

export interface EmailSender {
  send(mail: OutgoingEmail): Promise<void>;
  close(): void;
}

export interface OutgoingSms {
  to: string;
  text: string;
}

export interface SmsSender {
  send(sms: OutgoingSms): Promise<void>;
}

/**
 * SMTP at `url` (smtp://host:port, or smtps:// for TLS from the start). Over smtp:// the connection
 * is upgraded with STARTTLS whenever the server offers it, its certificate checked.
 */
export class SmtpSender implements EmailSender {
  private readonly transport: Transporter;

  constructor(url: string, from: string) {
    const u = new URL(url);
    const secure = u.protocol === 'smtps:';
    this.transport = nodemailer.createTransport(
      {
        host: u.hostname,
        port: u.port === '' ? (secure ? 465 : 587) : Number(u.port),
        secure,
        ...(u.username ? { auth: { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } } : {}),
        // An outage must fail a send quickly (it is retried later), not hold the dispatcher.
        connectionTimeout: 10_000,
        greetingTimeout: 10_000,
        socketTimeout: 30_000,
      },
      { from },
    );
  }

  async send(mail: OutgoingEmail): Promise<void> {
    await this.transport.sendMail({ to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId });
  }

  close(): void {
    this.transport.close();
  }
}

/** Keeps every SMS it is given, in order: the tests' and the demo's stand-in for a gateway. */
export class RecordingSmsSender implements SmsSender {
  readonly sent: OutgoingSms[] = [];

  send(sms: OutgoingSms): Promise<void> {
    this.sent.push(sms);
    return Promise.resolve();
  }
}
