// The customer's mailbox: a real SMTP server on 127.0.0.1 that the demo's registry sends to
// (startHost's `smtp`), and what it says, in the registry's own words.
import { expect } from '@playwright/test';
import type { ParsedMail } from 'mailparser';
import type { Language } from '../../api/contract.js';
import { renderMessage } from '../../registry/mail/messages.js';
import type { SmtpInbox } from '../../registry/test/fixtures/smtp-inbox.js';

export { codeIn, SmtpInbox } from '../../registry/test/fixtures/smtp-inbox.js';

/** The subject of the registry's one-time code e-mail, and of its confirmation, in `language`. */
export const subjects = (language: Language) => ({
  code: renderMessage({ kind: 'one-time-code', language, code: '' }).subject,
  confirmation: renderMessage({ kind: 'confirmation', language, firstNames: '', surname: '', statements: [] }).subject,
});

const sentTo = (mail: ParsedMail, to: string): boolean => [mail.to ?? []].flat().some((a) => a.text === to);

/** The `nth` e-mail (from 0) to `to` with this subject, once it has arrived: the registry sends its outbox every second. */
export async function mailTo(inbox: SmtpInbox, to: string, subject: string, nth = 0): Promise<ParsedMail> {
  const find = () => inbox.mails.filter((m) => sentTo(m, to) && m.subject === subject)[nth];
  await expect.poll(() => find() !== undefined, { timeout: 60_000, message: `e-mail "${subject}" to ${to}` }).toBe(true);
  return find()!;
}
