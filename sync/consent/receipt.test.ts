import { afterAll, describe, expect, it } from 'vitest';
import { ConsentError } from './errors.js';
import { buildConsentRecord, buildWithdrawal } from './records.js';
import { formatWithdrawalCode, renderReceipt } from './receipt.js';
import { currentStatement, loadStatements } from './statements.js';
import { context, copyStatements } from '../test/fixtures/statements.js';

const SUBJECT = '11111111-2222-4333-8444-555555555555';
const ctx = context();
const chain = buildConsentRecord({
  ...ctx,
  party: 'chain',
  statement: currentStatement('chain', 'fr'),
  decisions: { loyalty: true, 'offers-email': false, 'offers-sms': false, 'offers-post': true, profiling: false },
  subjectRef: SUBJECT,
  dataCategories: [{ id: 'surname', source: 'eid-chip' }],
});
const registry = buildConsentRecord({
  ...ctx,
  party: 'registry',
  statement: currentStatement('registry', 'fr'),
  decisions: { 'profile-sync': false },
  subjectRef: SUBJECT,
  dataCategories: [{ id: 'surname', source: 'eid-chip' }],
});
// Late evening in a kiosk west of UTC: the local date is the day before the UTC date.
const withdrawal = buildWithdrawal(chain, ['offers-post'], {
  ...ctx,
  method: 'kiosk-manual',
  now: new Date('2025-06-02T00:30:00.000Z'),
  utcOffsetMinutes: -90,
  newId: () => '00000000-0000-4000-8000-0000000000aa',
});

describe('renderReceipt', () => {
  it('lists, in English, each party with statement version, decisions, time and how to withdraw', () => {
    expect(renderReceipt([chain, registry], 'en').lines).toEqual([
      'Your consent receipt',
      `Your reference: ${SUBJECT}`,
      '',
      'Demo Retail NV (dpo@demo-retail.example.be)',
      `Statement demo-retail-loyalty, version ${chain.notice.version}, in French`,
      `Text fingerprint (SHA-256): ${chain.notice.textSha256}`,
      'Consent given on 2025-03-12 at 14:03 (UTC+01:00), at the kiosk, with your eID',
      '  Loyalty account and benefits: yes',
      '  Offers by e-mail: no',
      '  Offers by SMS: no',
      '  Offers by post: yes',
      '  Offers chosen for you: no',
      'To withdraw, as easily as you gave it:',
      '  at any kiosk: “My consents”, one touch',
      '  by e-mail: dpo@demo-retail.example.be',
      'Record: 00000000-0000-4000-8000-000000000001',
      '',
      'Central Consumer Registry BV (dpo@consumer-registry.example.be)',
      `Statement central-registry-profile, version ${registry.notice.version}, in French`,
      `Text fingerprint (SHA-256): ${registry.notice.textSha256}`,
      'Consent refused on 2025-03-12 at 14:03 (UTC+01:00), at the kiosk, with your eID',
      '  Keep my details up to date at the chains I chose: no',
      'To withdraw, as easily as you gave it:',
      '  at any kiosk: “My consents”, one touch',
      '  by e-mail: dpo@consumer-registry.example.be',
      'Record: 00000000-0000-4000-8000-000000000002',
    ]);
  });

  const expected = {
    nl: {
      head: ['Ontvangstbewijs van uw toestemmingen', `Uw referentie: ${SUBJECT}`],
      statement: `Verklaring demo-retail-loyalty, versie ${chain.notice.version}, in het Frans`,
      event: 'Toestemming ingetrokken op 01/06/2025 om 23:00 (UTC-01:30), aan de kiosk, met het korte formulier',
      purposes: [
        '  Klantenaccount en voordelen: ja',
        '  Aanbiedingen per e-mail: nee',
        '  Aanbiedingen per sms: nee',
        '  Aanbiedingen per post: ingetrokken',
        '  Aanbiedingen op maat: nee',
      ],
      withdraw: [
        'Intrekken, even makkelijk als geven:',
        '  op elke kiosk: “Mijn toestemmingen”, één tik',
        '  per e-mail: dpo@demo-retail.example.be',
      ],
      record: 'Registratie: 00000000-0000-4000-8000-0000000000aa',
    },
    fr: {
      head: ['Reçu de vos consentements', `Votre référence : ${SUBJECT}`],
      statement: `Déclaration demo-retail-loyalty, version ${chain.notice.version}, en français`,
      event: 'Consentement retiré le 01/06/2025 à 23:00 (UTC-01:30), à la borne, avec le formulaire court',
      purposes: [
        '  Compte fidélité et avantages : oui',
        '  Offres par e-mail : non',
        '  Offres par SMS : non',
        '  Offres par la poste : retiré',
        '  Offres sur mesure : non',
      ],
      withdraw: [
        'Retirer, aussi facilement que donner :',
        '  sur toute borne : « Mes consentements », une seule touche',
        '  par e-mail : dpo@demo-retail.example.be',
      ],
      record: 'Enregistrement : 00000000-0000-4000-8000-0000000000aa',
    },
    de: {
      head: ['Ihr Einwilligungsnachweis', `Ihre Referenz: ${SUBJECT}`],
      statement: `Erklärung demo-retail-loyalty, Version ${chain.notice.version}, auf Französisch`,
      event: 'Einwilligung widerrufen am 01.06.2025 um 23:00 (UTC-01:30), am Kiosk, mit dem kurzen Formular',
      purposes: [
        '  Kundenkonto und Vorteile: ja',
        '  Angebote per E-Mail: nein',
        '  Angebote per SMS: nein',
        '  Angebote per Post: widerrufen',
        '  Auf Sie zugeschnittene Angebote: nein',
      ],
      withdraw: [
        'Widerrufen, so einfach wie einwilligen:',
        '  an jedem Kiosk: „Meine Einwilligungen“, eine Berührung',
        '  per E-Mail: dpo@demo-retail.example.be',
      ],
      record: 'Eintrag: 00000000-0000-4000-8000-0000000000aa',
    },
  } as const;

  for (const [language, e] of Object.entries(expected) as [keyof typeof expected, (typeof expected)[keyof typeof expected]][]) {
    it(`renders a withdrawal in ${language}, in the kiosk's local time`, () => {
      const fingerprint = renderReceipt([withdrawal], language).lines[5];
      expect(renderReceipt([withdrawal], language).lines).toEqual([
        ...e.head,
        '',
        'Demo Retail NV (dpo@demo-retail.example.be)',
        e.statement,
        fingerprint,
        e.event,
        ...e.purposes,
        ...e.withdraw,
        e.record,
      ]);
      expect(fingerprint).toMatch(new RegExp(`${withdrawal.notice.textSha256}$`));
    });
  }

  describe('for a record under an older statement version', () => {
    const copy = copyStatements();
    afterAll(() => copy.remove());
    const next = copy.next('chain');
    const en = next.text.en;
    copy.publish({
      ...next,
      text: {
        ...next.text,
        en: { ...en, purposes: en.purposes.map((p) => (p.id === 'profiling' ? { ...p, title: 'Tailored offers' } : p)) },
      },
    });
    const catalog = loadStatements(copy.dir);

    it('names the purposes as the version the customer saw did', () => {
      const lines = renderReceipt([chain], 'en', catalog).lines;
      expect(lines).toContain('  Offers chosen for you: no');
      expect(catalog.current('chain', 'en').purposes.at(-1)?.title).toBe('Tailored offers');
    });
  });

  it('names the withdrawal code under the reference, in two groups of five, and what it is for at the chain', () => {
    const code = 'AB12CD34EF';
    expect(renderReceipt([chain, registry], 'fr', loadStatements(), code).lines.slice(0, 5)).toEqual([
      'Reçu de vos consentements',
      `Votre référence : ${SUBJECT}`,
      'Votre code de retrait : AB12C-D34EF',
      '  Avec ce code et votre nom, vous pouvez consulter ou retirer vos choix à toute borne de Demo Retail NV.',
      '',
    ]);
    expect(renderReceipt([chain], 'de', loadStatements(), code).lines.slice(2, 4)).toEqual([
      'Ihr Widerrufscode: AB12C-D34EF',
      '  Mit diesem Code und Ihrem Namen können Sie Ihre Entscheidungen an jedem Kiosk von Demo Retail NV einsehen oder widerrufen.',
    ]);
    expect(formatWithdrawalCode(code)).toBe('AB12C-D34EF');
  });

  it('refuses an empty receipt and one mixing customers', () => {
    expect(() => renderReceipt([], 'en')).toThrow(ConsentError);
    const other = { ...registry, subjectRef: '99999999-2222-4333-8444-555555555555' };
    expect(() => renderReceipt([chain, other], 'nl')).toThrow(
      expect.objectContaining({ code: 'RECEIPT_INVALID', detail: 'a receipt covers one customer: the records have different subjects' }),
    );
  });
});
