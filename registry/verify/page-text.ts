// The verification page's words in NL, FR, DE and EN: short sentences, the verdict first, what to do
// next when it fails. The page shows a receipt in the receipt's own language (the customer can switch).
import type { Language } from '../../sync/wire/schemas.js';

type Event = 'given' | 'refused' | 'withdrawn' | 'renewed';
type Status = 'given' | 'refused' | 'withdrawn' | 'expired';

export interface PageText {
  title: string;
  checking: string;
  valid: string;
  validLead: (kiosk: string, chain: string, when: string) => string;
  reference: string;
  statement: (version: string, language: string) => string;
  event: Record<Event, string>;
  status: Record<Status, string>;
  codeLabel: string;
  codeUse: (chain: string) => string;
  invalid: string;
  notAReceipt: string;
  badSignature: string;
  unknownKey: string;
  unknownText: string;
  offline: string;
  retry: string;
  howChecked: string;
  languageNames: Record<Language, string>;
  /** For Intl: dates in the Belgian style of each language, Belgian time. */
  locale: string;
  belgianTime: string;
}

export const PAGE_TEXT: Record<Language, PageText> = {
  nl: {
    title: 'Uw ontvangstbewijs controleren',
    checking: 'Even geduld: we controleren uw ontvangstbewijs…',
    valid: 'Geldig ontvangstbewijs',
    validLead: (k, c, w) =>
      `Dit ontvangstbewijs is echt. Een kiosk van ${c} (${k}) heeft het ondertekend op ${w}. Niemand heeft het daarna veranderd.`,
    reference: 'Uw referentie',
    statement: (v, l) => `Versie ${v}, in het ${l}`,
    event: {
      given: 'Toestemming gegeven',
      refused: 'Toestemming geweigerd',
      withdrawn: 'Toestemming ingetrokken',
      renewed: 'Toestemming vernieuwd',
    },
    status: { given: 'Ja', refused: 'Nee', withdrawn: 'Ingetrokken', expired: 'Verlopen' },
    codeLabel: 'Uw intrekkingscode',
    codeUse: (c) =>
      `Met deze code en uw naam kunt u uw keuzes bekijken of intrekken aan elke kiosk van ${c}. Deze pagina stuurt de code nergens heen.`,
    invalid: 'Niet geldig',
    notAReceipt: 'Dit is geen ontvangstbewijs dat we kunnen lezen. Scan de QR-code op uw ontvangstbewijs opnieuw.',
    badSignature:
      'De handtekening klopt niet: dit ontvangstbewijs werd veranderd nadat de kiosk het ondertekende, of het komt niet van onze kiosk. Vertrouw er niet op.',
    unknownKey: 'De sleutel waarmee dit ontvangstbewijs werd ondertekend, is bij het register niet bekend. Vraag in de winkel om uitleg.',
    unknownText: 'Dit ontvangstbewijs noemt een tekst die niet werd gepubliceerd. Vraag in de winkel om uitleg.',
    offline: 'We konden de sleutels van het register niet ophalen. Controleer uw internetverbinding en probeer opnieuw.',
    retry: 'Opnieuw proberen',
    howChecked:
      'Hoe dit werd gecontroleerd: uw telefoon heeft de handtekening van de kiosk nagekeken met de sleutels die het register publiceert. Het ontvangstbewijs zelf werd nergens heen gestuurd.',
    languageNames: { nl: 'Nederlands', fr: 'Frans', de: 'Duits', en: 'Engels' },
    locale: 'nl-BE',
    belgianTime: 'Belgische tijd',
  },
  fr: {
    title: 'Vérifier votre reçu',
    checking: 'Un instant : nous vérifions votre reçu…',
    valid: 'Reçu valide',
    validLead: (k, c, w) => `Ce reçu est authentique. Une borne de ${c} (${k}) l’a signé le ${w}. Personne ne l’a modifié depuis.`,
    reference: 'Votre référence',
    statement: (v, l) => `Version ${v}, en ${l}`,
    event: {
      given: 'Consentement donné',
      refused: 'Consentement refusé',
      withdrawn: 'Consentement retiré',
      renewed: 'Consentement renouvelé',
    },
    status: { given: 'Oui', refused: 'Non', withdrawn: 'Retiré', expired: 'Expiré' },
    codeLabel: 'Votre code de retrait',
    codeUse: (c) =>
      `Avec ce code et votre nom, vous pouvez consulter ou retirer vos choix à toute borne de ${c}. Cette page n’envoie ce code nulle part.`,
    invalid: 'Non valide',
    notAReceipt: 'Ce n’est pas un reçu que nous pouvons lire. Scannez à nouveau le code QR de votre reçu.',
    badSignature:
      'La signature ne correspond pas : ce reçu a été modifié après sa signature par la borne, ou il ne vient pas de notre borne. Ne vous y fiez pas.',
    unknownKey: 'La clé qui a signé ce reçu est inconnue du registre. Demandez des explications au magasin.',
    unknownText: 'Ce reçu cite un texte qui n’a pas été publié. Demandez des explications au magasin.',
    offline: 'Nous n’avons pas pu obtenir les clés du registre. Vérifiez votre connexion Internet et réessayez.',
    retry: 'Réessayer',
    howChecked:
      'Comment cela a été vérifié : votre téléphone a contrôlé la signature de la borne avec les clés que publie le registre. Le reçu lui-même n’a été envoyé nulle part.',
    languageNames: { nl: 'néerlandais', fr: 'français', de: 'allemand', en: 'anglais' },
    locale: 'fr-BE',
    belgianTime: 'heure belge',
  },
  de: {
    title: 'Ihren Nachweis prüfen',
    checking: 'Einen Moment: Wir prüfen Ihren Nachweis…',
    valid: 'Gültiger Nachweis',
    validLead: (k, c, w) =>
      `Dieser Nachweis ist echt. Ein Kiosk von ${c} (${k}) hat ihn am ${w} unterschrieben. Niemand hat ihn danach verändert.`,
    reference: 'Ihre Referenz',
    statement: (v, l) => `Version ${v}, auf ${l}`,
    event: {
      given: 'Einwilligung erteilt',
      refused: 'Einwilligung verweigert',
      withdrawn: 'Einwilligung widerrufen',
      renewed: 'Einwilligung erneuert',
    },
    status: { given: 'Ja', refused: 'Nein', withdrawn: 'Widerrufen', expired: 'Abgelaufen' },
    codeLabel: 'Ihr Widerrufscode',
    codeUse: (c) =>
      `Mit diesem Code und Ihrem Namen können Sie Ihre Entscheidungen an jedem Kiosk von ${c} einsehen oder widerrufen. Diese Seite sendet den Code nirgendwohin.`,
    invalid: 'Nicht gültig',
    notAReceipt: 'Dies ist kein Nachweis, den wir lesen können. Scannen Sie den QR-Code auf Ihrem Nachweis noch einmal.',
    badSignature:
      'Die Unterschrift stimmt nicht: Dieser Nachweis wurde verändert, nachdem der Kiosk ihn unterschrieben hat, oder er stammt nicht von unserem Kiosk. Verlassen Sie sich nicht darauf.',
    unknownKey: 'Der Schlüssel, der diesen Nachweis unterschrieben hat, ist dem Register nicht bekannt. Fragen Sie im Geschäft nach.',
    unknownText: 'Dieser Nachweis nennt einen Text, der nicht veröffentlicht wurde. Fragen Sie im Geschäft nach.',
    offline: 'Wir konnten die Schlüssel des Registers nicht abrufen. Prüfen Sie Ihre Internetverbindung und versuchen Sie es erneut.',
    retry: 'Erneut versuchen',
    howChecked:
      'So wurde geprüft: Ihr Telefon hat die Unterschrift des Kiosks mit den Schlüsseln geprüft, die das Register veröffentlicht. Der Nachweis selbst wurde nirgendwohin gesendet.',
    languageNames: { nl: 'Niederländisch', fr: 'Französisch', de: 'Deutsch', en: 'Englisch' },
    locale: 'de-BE',
    belgianTime: 'belgische Zeit',
  },
  en: {
    title: 'Check your receipt',
    checking: 'One moment: checking your receipt…',
    valid: 'Valid receipt',
    validLead: (k, c, w) => `This receipt is genuine. A ${c} kiosk (${k}) signed it on ${w}. Nobody has changed it since.`,
    reference: 'Your reference',
    statement: (v, l) => `Version ${v}, in ${l}`,
    event: { given: 'Consent given', refused: 'Consent refused', withdrawn: 'Consent withdrawn', renewed: 'Consent renewed' },
    status: { given: 'Yes', refused: 'No', withdrawn: 'Withdrawn', expired: 'Expired' },
    codeLabel: 'Your withdrawal code',
    codeUse: (c) =>
      `With this code and your name you can see or withdraw your choices at any ${c} kiosk. This page sends the code nowhere.`,
    invalid: 'Not valid',
    notAReceipt: 'This is not a receipt we can read. Scan the QR code on your receipt again.',
    badSignature:
      'The signature does not match: this receipt was changed after the kiosk signed it, or it did not come from our kiosk. Do not rely on it.',
    unknownKey: 'The key that signed this receipt is not known to the registry. Ask at the shop.',
    unknownText: 'This receipt names a text that was never published. Ask at the shop.',
    offline: 'We could not fetch the registry’s keys. Check your internet connection and try again.',
    retry: 'Try again',
    howChecked:
      'How this was checked: your phone checked the kiosk’s signature against the keys the registry publishes. The receipt itself was sent nowhere.',
    languageNames: { nl: 'Dutch', fr: 'French', de: 'German', en: 'English' },
    locale: 'en-BE',
    belgianTime: 'Belgian time',
  },
};
