// What the registry sends a consumer, in their language: the one-time code (subject-proof.ts) and,
// when they asked for it, the confirmation of their registration. Plain text: it reads the same in
// every mail program and on a phone. The withdrawal code is never in a message: it is the receipt's.
import type { ConsentRecord, Language } from '../../sync/wire/schemas.js';

/** How long a one-time code is valid: long enough to open one's mail at the counter, short for a guesser. */
export const CODE_TTL_MINUTES = 10;

export type MailMessage =
  | { kind: 'one-time-code'; language: Language; code: string }
  | { kind: 'confirmation'; language: Language; firstNames: string; surname: string; statements: ConfirmedStatement[] };

/** One consent record of the enrollment, as the receipt shows it. */
export interface ConfirmedStatement {
  controller: string;
  contact: string;
  statementId: string;
  version: string;
  purposes: Array<{ title: string; status: ConsentRecord['purposes'][number]['status'] }>;
}

export interface RenderedMessage {
  subject: string;
  text: string;
}

type Status = ConfirmedStatement['purposes'][number]['status'];

interface Words {
  codeSubject: string;
  code: (code: string) => string;
  confirmationSubject: string;
  greeting: (name: string) => string;
  decided: string;
  statement: (s: ConfirmedStatement) => string;
  status: Record<Status, string>;
  withdraw: string;
  contact: (controller: string, contact: string) => string;
}

const WORDS: Record<Language, Words> = {
  nl: {
    codeSubject: 'Uw eenmalige code',
    code: (c) =>
      `Uw eenmalige code is ${c}. Typ hem op de kiosk om uw aanvraag te bevestigen. Hij is ${CODE_TTL_MINUTES} minuten geldig. ` +
      'Hebt u hem niet aangevraagd? Dan kunt u dit bericht negeren: zonder de code verandert er niets.',
    confirmationSubject: 'Bevestiging van uw inschrijving',
    greeting: (n) => `Beste ${n},`,
    decided: 'U hebt zich ingeschreven. Dit hebt u beslist:',
    statement: (s) => `${s.controller} (verklaring ${s.statementId}, versie ${s.version})`,
    status: { given: 'toestemming gegeven', refused: 'geweigerd', withdrawn: 'ingetrokken', expired: 'verlopen' },
    withdraw:
      'U kunt uw toestemming altijd intrekken, even gemakkelijk als u ze gaf: op elke kiosk van de winkel, onder "Mijn toestemmingen", ' +
      'met uw eID, uw contactgegevens of de intrekkingscode op uw ontvangstbewijs. Die code staat niet in deze e-mail: bewaar uw ontvangstbewijs.',
    contact: (c, k) => `Vragen? ${c}: ${k}`,
  },
  fr: {
    codeSubject: 'Votre code à usage unique',
    code: (c) =>
      `Votre code à usage unique est ${c}. Tapez-le sur la borne pour confirmer votre demande. Il est valable ${CODE_TTL_MINUTES} minutes. ` +
      "Vous ne l'avez pas demandé ? Vous pouvez ignorer ce message : rien ne change sans le code.",
    confirmationSubject: 'Confirmation de votre inscription',
    greeting: (n) => `Bonjour ${n},`,
    decided: 'Vous vous êtes inscrit(e). Voici ce que vous avez décidé :',
    statement: (s) => `${s.controller} (déclaration ${s.statementId}, version ${s.version})`,
    status: { given: 'consentement donné', refused: 'refusé', withdrawn: 'retiré', expired: 'expiré' },
    withdraw:
      "Vous pouvez retirer votre consentement à tout moment, aussi facilement que vous l'avez donné : sur toute borne du magasin, sous « Mes consentements », " +
      'avec votre eID, vos coordonnées ou le code de retrait de votre reçu. Ce code ne figure pas dans cet e-mail : conservez votre reçu.',
    contact: (c, k) => `Des questions ? ${c} : ${k}`,
  },
  de: {
    codeSubject: 'Ihr Einmalcode',
    code: (c) =>
      `Ihr Einmalcode lautet ${c}. Geben Sie ihn am Terminal ein, um Ihre Anfrage zu bestätigen. Er ist ${CODE_TTL_MINUTES} Minuten gültig. ` +
      'Haben Sie ihn nicht angefordert? Dann können Sie diese Nachricht ignorieren: Ohne den Code ändert sich nichts.',
    confirmationSubject: 'Bestätigung Ihrer Anmeldung',
    greeting: (n) => `Guten Tag ${n},`,
    decided: 'Sie haben sich angemeldet. Das haben Sie entschieden:',
    statement: (s) => `${s.controller} (Erklärung ${s.statementId}, Version ${s.version})`,
    status: { given: 'Einwilligung erteilt', refused: 'abgelehnt', withdrawn: 'widerrufen', expired: 'abgelaufen' },
    withdraw:
      'Sie können Ihre Einwilligung jederzeit so einfach widerrufen, wie Sie sie erteilt haben: an jedem Terminal des Geschäfts unter „Meine Einwilligungen“, ' +
      'mit Ihrer eID, Ihren Kontaktdaten oder dem Widerrufscode auf Ihrem Beleg. Dieser Code steht nicht in dieser E-Mail: Bewahren Sie Ihren Beleg auf.',
    contact: (c, k) => `Fragen? ${c}: ${k}`,
  },
  en: {
    codeSubject: 'Your one-time code',
    code: (c) =>
      `Your one-time code is ${c}. Type it at the kiosk to confirm your request. It is valid for ${CODE_TTL_MINUTES} minutes. ` +
      'Did you not ask for it? You can ignore this message: nothing changes without the code.',
    confirmationSubject: 'Confirmation of your registration',
    greeting: (n) => `Dear ${n},`,
    decided: 'You have registered. This is what you decided:',
    statement: (s) => `${s.controller} (statement ${s.statementId}, version ${s.version})`,
    status: { given: 'consent given', refused: 'refused', withdrawn: 'withdrawn', expired: 'expired' },
    withdraw:
      'You can withdraw your consent at any time, as easily as you gave it: at any kiosk of the shop, under "My consents", ' +
      'with your eID, your contact details or the withdrawal code on your receipt. That code is not in this e-mail: keep your receipt.',
    contact: (c, k) => `Questions? ${c}: ${k}`,
  },
};

export function renderMessage(m: MailMessage): RenderedMessage {
  const w = WORDS[m.language];
  if (m.kind === 'one-time-code') return { subject: w.codeSubject, text: `${w.code(m.code)}\n` };
  const statements = m.statements.map((s) =>
    [w.statement(s), ...s.purposes.map((p) => `  - ${p.title}: ${w.status[p.status]}`)].join('\n'),
  );
  const contacts = [...new Map(m.statements.map((s) => [s.controller, w.contact(s.controller, s.contact)])).values()];
  const text = [w.greeting(`${m.firstNames} ${m.surname}`), w.decided, ...statements, w.withdraw, ...contacts].join('\n\n');
  return { subject: w.confirmationSubject, text: `${text}\n` };
}
