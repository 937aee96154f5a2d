// The customer's consent receipt (Kantara Consent Receipt in spirit): which statement versions,
// which purposes given or refused, when, and how to withdraw. Plain lines, so the same text goes on
// screen, on paper and into an e-mail. Times are shown in the kiosk's local time with its offset.
import type { ConsentRecord, Language } from '../wire/schemas.js';
import { ConsentError } from './errors.js';
import { bundledStatements, type StatementCatalog } from './statements.js';

type Status = ConsentRecord['purposes'][number]['status'];
type EventType = ConsentRecord['event']['type'];
type Method = ConsentRecord['event']['method'];

interface Labels {
  /** Between a label and its value: French typography puts a space before the colon. */
  colon: string;
  title: string;
  reference: string;
  languageNames: Record<Language, string>;
  statement: (id: string, version: string, language: string) => string;
  fingerprint: string;
  event: Record<EventType, string>;
  at: (date: string, time: string, offset: string) => string;
  method: Record<Method, string>;
  status: Record<Status, string>;
  record: string;
  withdrawHeading: string;
  withdrawKiosk: string;
  withdrawEmail: (address: string) => string;
  withdrawalCode: string;
  /** What the code is for, at the kiosks of the chain that issued it. */
  withdrawalCodeUse: (chain: string) => string;
  date: (y: string, m: string, d: string) => string;
}

const LABELS: Record<Language, Labels> = {
  nl: {
    colon: ': ',
    title: 'Ontvangstbewijs van uw toestemmingen',
    reference: 'Uw referentie',
    languageNames: { nl: 'Nederlands', fr: 'Frans', de: 'Duits', en: 'Engels' },
    statement: (id, v, l) => `Verklaring ${id}, versie ${v}, in het ${l}`,
    fingerprint: 'Vingerafdruk van de tekst (SHA-256)',
    event: {
      given: 'Toestemming gegeven',
      refused: 'Toestemming geweigerd',
      withdrawn: 'Toestemming ingetrokken',
      renewed: 'Toestemming vernieuwd',
    },
    at: (d, t, o) => `op ${d} om ${t} (UTC${o})`,
    method: {
      'kiosk-eid': 'aan de kiosk, met uw eID',
      'kiosk-manual': 'aan de kiosk, met het korte formulier',
      'staff-paper': 'op een papieren formulier',
    },
    status: { given: 'ja', refused: 'nee', withdrawn: 'ingetrokken', expired: 'verlopen' },
    record: 'Registratie',
    withdrawHeading: 'Intrekken, even makkelijk als geven:',
    withdrawKiosk: 'op elke kiosk: “Mijn toestemmingen”, één tik',
    withdrawEmail: (a) => `per e-mail: ${a}`,
    withdrawalCode: 'Uw intrekkingscode',
    withdrawalCodeUse: (c) => `Met deze code en uw naam kunt u uw keuzes bekijken of intrekken aan elke kiosk van ${c}.`,
    date: (y, m, d) => `${d}/${m}/${y}`,
  },
  fr: {
    colon: ' : ',
    title: 'Reçu de vos consentements',
    reference: 'Votre référence',
    languageNames: { nl: 'néerlandais', fr: 'français', de: 'allemand', en: 'anglais' },
    statement: (id, v, l) => `Déclaration ${id}, version ${v}, en ${l}`,
    fingerprint: 'Empreinte du texte (SHA-256)',
    event: {
      given: 'Consentement donné',
      refused: 'Consentement refusé',
      withdrawn: 'Consentement retiré',
      renewed: 'Consentement renouvelé',
    },
    at: (d, t, o) => `le ${d} à ${t} (UTC${o})`,
    method: {
      'kiosk-eid': 'à la borne, avec votre eID',
      'kiosk-manual': 'à la borne, avec le formulaire court',
      'staff-paper': 'sur un formulaire papier',
    },
    status: { given: 'oui', refused: 'non', withdrawn: 'retiré', expired: 'expiré' },
    record: 'Enregistrement',
    withdrawHeading: 'Retirer, aussi facilement que donner :',
    withdrawKiosk: 'sur toute borne : « Mes consentements », une seule touche',
    withdrawEmail: (a) => `par e-mail : ${a}`,
    withdrawalCode: 'Votre code de retrait',
    withdrawalCodeUse: (c) => `Avec ce code et votre nom, vous pouvez consulter ou retirer vos choix à toute borne de ${c}.`,
    date: (y, m, d) => `${d}/${m}/${y}`,
  },
  de: {
    colon: ': ',
    title: 'Ihr Einwilligungsnachweis',
    reference: 'Ihre Referenz',
    languageNames: { nl: 'Niederländisch', fr: 'Französisch', de: 'Deutsch', en: 'Englisch' },
    statement: (id, v, l) => `Erklärung ${id}, Version ${v}, auf ${l}`,
    fingerprint: 'Fingerabdruck des Textes (SHA-256)',
    event: {
      given: 'Einwilligung erteilt',
      refused: 'Einwilligung verweigert',
      withdrawn: 'Einwilligung widerrufen',
      renewed: 'Einwilligung erneuert',
    },
    at: (d, t, o) => `am ${d} um ${t} (UTC${o})`,
    method: {
      'kiosk-eid': 'am Kiosk, mit Ihrer eID',
      'kiosk-manual': 'am Kiosk, mit dem kurzen Formular',
      'staff-paper': 'auf einem Papierformular',
    },
    status: { given: 'ja', refused: 'nein', withdrawn: 'widerrufen', expired: 'abgelaufen' },
    record: 'Eintrag',
    withdrawHeading: 'Widerrufen, so einfach wie einwilligen:',
    withdrawKiosk: 'an jedem Kiosk: „Meine Einwilligungen“, eine Berührung',
    withdrawEmail: (a) => `per E-Mail: ${a}`,
    withdrawalCode: 'Ihr Widerrufscode',
    withdrawalCodeUse: (c) =>
      `Mit diesem Code und Ihrem Namen können Sie Ihre Entscheidungen an jedem Kiosk von ${c} einsehen oder widerrufen.`,
    date: (y, m, d) => `${d}.${m}.${y}`,
  },
  en: {
    colon: ': ',
    title: 'Your consent receipt',
    reference: 'Your reference',
    languageNames: { nl: 'Dutch', fr: 'French', de: 'German', en: 'English' },
    statement: (id, v, l) => `Statement ${id}, version ${v}, in ${l}`,
    fingerprint: 'Text fingerprint (SHA-256)',
    event: { given: 'Consent given', refused: 'Consent refused', withdrawn: 'Consent withdrawn', renewed: 'Consent renewed' },
    at: (d, t, o) => `on ${d} at ${t} (UTC${o})`,
    method: {
      'kiosk-eid': 'at the kiosk, with your eID',
      'kiosk-manual': 'at the kiosk, with the short form',
      'staff-paper': 'on a paper form',
    },
    status: { given: 'yes', refused: 'no', withdrawn: 'withdrawn', expired: 'expired' },
    record: 'Record',
    withdrawHeading: 'To withdraw, as easily as you gave it:',
    withdrawKiosk: 'at any kiosk: “My consents”, one touch',
    withdrawEmail: (a) => `by e-mail: ${a}`,
    withdrawalCode: 'Your withdrawal code',
    withdrawalCodeUse: (c) => `With this code and your name you can see or withdraw your choices at any ${c} kiosk.`,
    date: (y, m, d) => `${y}-${m}-${d}`,
  },
};

const pad = (n: number): string => String(n).padStart(2, '0');

/** The record's UTC time shifted to the kiosk's offset, as the customer saw the clock. */
function localTime(record: ConsentRecord, l: Labels): string {
  const offset = record.event.utcOffsetMinutes;
  const t = new Date(Date.parse(record.event.at) + offset * 60_000);
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return l.at(
    l.date(String(t.getUTCFullYear()), pad(t.getUTCMonth() + 1), pad(t.getUTCDate())),
    `${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`,
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`,
  );
}

function withdrawalLine(method: string, l: Labels): string {
  if (method === 'kiosk') return l.withdrawKiosk;
  if (method.startsWith('email:')) return l.withdrawEmail(method.slice('email:'.length));
  return method;
}

function recordLines(record: ConsentRecord, language: Language, catalog: StatementCatalog): string[] {
  const l = LABELS[language];
  const { notice } = record;
  // Purpose titles in the receipt's language, from the very version the customer saw.
  const statement = catalog.find(notice.statementId, notice.version, language);
  const title = (id: string): string => statement.purposes.find((p) => p.id === id)?.title ?? id;
  return [
    `${record.controller.name} (${record.controller.contact})`,
    l.statement(notice.statementId, notice.version, l.languageNames[notice.language]),
    `${l.fingerprint}${l.colon}${notice.textSha256}`,
    `${l.event[record.event.type]} ${localTime(record, l)}, ${l.method[record.event.method]}`,
    ...record.purposes.map((p) => `  ${title(p.id)}${l.colon}${l.status[p.status]}`),
    l.withdrawHeading,
    ...record.withdrawal.methods.map((m) => `  ${withdrawalLine(m, l)}`),
    `${l.record}${l.colon}${record.recordId}`,
  ];
}

/** The withdrawal code as printed: two groups of five, easy to read out and to type back (the dash is forgiven). */
export function formatWithdrawalCode(code: string): string {
  return `${code.slice(0, 5)}-${code.slice(5)}`;
}

/**
 * The receipt for one customer's records (usually one per party), in the customer's language, with
 * the withdrawal code the commit issued when the chain consent has a purpose given.
 */
export function renderReceipt(
  records: readonly ConsentRecord[],
  language: Language,
  catalog: StatementCatalog = bundledStatements(),
  withdrawalCode?: string,
): { lines: string[] } {
  const first = records[0];
  if (!first) throw new ConsentError('RECEIPT_INVALID', 'a receipt needs at least one record');
  if (records.some((r) => r.subjectRef !== first.subjectRef)) {
    throw new ConsentError('RECEIPT_INVALID', 'a receipt covers one customer: the records have different subjects');
  }
  const l = LABELS[language];
  // The code finds the customer at the kiosks of the chain whose consent it came with.
  const chain = records.find((r) => r.party === 'chain')?.controller.name;
  const code =
    withdrawalCode === undefined || chain === undefined
      ? []
      : [`${l.withdrawalCode}${l.colon}${formatWithdrawalCode(withdrawalCode)}`, `  ${l.withdrawalCodeUse(chain)}`];
  return {
    lines: [
      l.title,
      `${l.reference}${l.colon}${first.subjectRef}`,
      ...code,
      ...records.flatMap((r) => ['', ...recordLines(r, language, catalog)]),
    ],
  };
}
