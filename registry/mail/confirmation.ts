// The confirmation e-mail of a registration (EnrollmentPayload.confirmationEmail): queued with the
// enrollment, to the e-mail address it carries, in the customer's language, with what the receipt
// shows of each consent record: the statement and version, each purpose and the decision, and how
// to withdraw. Never the withdrawal code (chainMatch), which stays the receipt's.
import type { EnrollmentPayload } from '../../sync/wire/schemas.js';
import type { PublishedStatements } from '../published-notices.js';
import type { Work } from '../storage/sql.js';
import type { ConfirmedStatement } from './messages.js';
import { enqueueMail } from './outbox.js';

export function* queueConfirmation(p: EnrollmentPayload, statements: PublishedStatements, now: string): Work<void> {
  const to = p.person.email;
  if (p.confirmationEmail !== true || to === undefined) return;
  const confirmed = p.consents.map((c): ConfirmedStatement => {
    const view = statements.get(c.notice.statementId, c.notice.version, c.notice.language);
    const title = (id: string): string => view?.purposes.find((x) => x.id === id)?.title ?? id;
    return {
      controller: c.controller.name,
      contact: c.controller.contact,
      statementId: c.notice.statementId,
      version: c.notice.version,
      purposes: c.purposes.map((x) => ({ title: title(x.id), status: x.status })),
    };
  });
  const { language, firstNames, surname } = p.person;
  yield* enqueueMail('email', to, { kind: 'confirmation', language, firstNames, surname, statements: confirmed }, now);
}
