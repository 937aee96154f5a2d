// The receipt's verification page, in the customer's phone (bundled by ../route.ts with esbuild).
// It reads the receipt from the address's fragment (which the browser never sends to a server),
// fetches the published keys and statement names, checks the kiosk's signature here with
// @noble/curves (pure JavaScript: the same check on every phone, with or without Ed25519 in
// WebCrypto), and shows the receipt in its language. The withdrawal code is shown, never sent.
// Text only through textContent: nothing from the fragment or the network becomes markup.
import { ed25519 } from '@noble/curves/ed25519.js';
import { decodeBase64url, fromUtf8 } from '../../../sync/proof/base64url.js';
import { readQrText, readReceipt, receiptView, type ReceiptView } from '../../../sync/proof/compact-receipt.js';
import type { VerifyEd25519 } from '../../../sync/proof/jws.js';
import { KeySet } from '../../../sync/proof/key-set.js';
import { LANGUAGES, type Language } from '../../../sync/wire/schemas.js';
import { PAGE_TEXT, type PageText } from '../page-text.js';
import { StatementNames, type StatementName } from '../statement-names.js';

type Failure = 'notAReceipt' | 'badSignature' | 'unknownKey' | 'unknownText';
type Outcome =
  | { readonly kind: 'checking' }
  | { readonly kind: 'offline' }
  | { readonly kind: 'invalid'; readonly failure: Failure }
  | { readonly kind: 'valid'; readonly view: ReceiptView; readonly names: readonly StatementName[] };

/** RFC 8032 verification as Node's (ZIP-215's laxer encodings refused), so phone and registry judge alike. */
const nobleVerify: VerifyEd25519 = (key, data, signature) => {
  const publicKey = decodeBase64url(key.x);
  try {
    return publicKey !== undefined && signature.length === 64 && ed25519.verify(signature, data, publicKey, { zip215: false });
  } catch {
    return false;
  }
};

const isLanguage = (l: unknown): l is Language => LANGUAGES.some((x) => x === l);

/** The receipt's language (read before the check: it only picks the words), else the phone's, else English. */
function languageOf(jws: string): Language {
  try {
    const claimed = (JSON.parse(fromUtf8(decodeBase64url(jws.split('.')[1] ?? '')!)) as { l?: unknown }).l;
    if (isLanguage(claimed)) return claimed;
  } catch {
    // not a receipt: the phone's language below
  }
  return navigator.languages.map((l) => l.slice(0, 2)).find(isLanguage) ?? 'en';
}

async function fetchJson<T>(path: string, schema: { parse(v: unknown): T }): Promise<T> {
  const response = await fetch(new URL(path, location.href), { credentials: 'omit', referrerPolicy: 'no-referrer' });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return schema.parse(await response.json());
}

async function check(jws: string): Promise<Outcome> {
  if (jws.split('.').length !== 3) return { kind: 'invalid', failure: 'notAReceipt' };
  let keys: KeySet;
  let names: StatementName[];
  try {
    [keys, names] = await Promise.all([fetchJson('v1/keys', KeySet), fetchJson('verify/statements.json', StatementNames)]);
  } catch {
    return { kind: 'offline' };
  }
  const checked = readReceipt(jws, keys, nobleVerify);
  if (!checked.ok) {
    const failure = checked.failure === 'UNKNOWN_KEY' ? 'unknownKey' : checked.failure === 'BAD_SIGNATURE' ? 'badSignature' : 'notAReceipt';
    return { kind: 'invalid', failure };
  }
  const view = receiptView(checked.value);
  // Only that kiosk's own key speaks for it.
  const { key } = checked;
  if (key.owner !== 'kiosk' || key.kioskId !== view.kiosk || key.chainId !== view.chain) return { kind: 'invalid', failure: 'unknownKey' };
  const published = view.records.every((r) => nameOf(names, r)?.textSha256Prefix === r.textSha256Prefix);
  return published ? { kind: 'valid', view, names } : { kind: 'invalid', failure: 'unknownText' };
}

const nameOf = (names: readonly StatementName[], r: ReceiptView['records'][number]): StatementName | undefined =>
  names.find((n) => n.id === r.statement && n.version === r.version && n.language === r.lang);

type Child = Node | string | undefined | false;
function el(tag: string, attrs: Record<string, string> = {}, ...children: Child[]): HTMLElement {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) node.append(child);
  return node;
}

function when(at: string, t: PageText): string {
  const format = new Intl.DateTimeFormat(t.locale, { timeZone: 'Europe/Brussels', dateStyle: 'long', timeStyle: 'short' });
  return `${format.format(new Date(at))} (${t.belgianTime})`;
}

function validReceipt(view: ReceiptView, names: readonly StatementName[], t: PageText, code: string | undefined): HTMLElement {
  const chainName = names.find((n) => n.party === 'chain' && view.records.some((r) => nameOf([n], r)))?.controller ?? view.chain;
  return el(
    'div',
    {},
    el(
      'div',
      { class: 'verdict ok', role: 'status' },
      el('h2', {}, el('span', { 'aria-hidden': 'true' }, '✓ '), t.valid),
      el('p', {}, t.validLead(view.kiosk, chainName, when(view.at, t))),
    ),
    code !== undefined &&
      el(
        'section',
        { class: 'code', 'aria-labelledby': 'code-label' },
        el('h2', { id: 'code-label' }, t.codeLabel),
        el('p', { class: 'code-value' }, code),
        el('p', {}, t.codeUse(chainName)),
      ),
    ...view.records.map((r) => {
      const name = nameOf(names, r)!;
      return el(
        'section',
        { class: 'statement' },
        // In the language the customer read it in, whatever the page's.
        el('h2', { lang: r.lang }, name.title),
        el('p', { class: 'controller' }, name.controller),
        el('p', {}, t.statement(r.version, t.languageNames[r.lang])),
        el('p', { class: 'event' }, t.event[r.event]),
        el(
          'ul',
          { class: 'purposes' },
          ...Object.entries(r.purposes).map(([id, status]) =>
            el(
              'li',
              { class: status === 'given' ? 'yes' : 'no' },
              el('span', { class: 'purpose', lang: r.lang }, name.purposes[id] ?? id),
              el('span', { class: 'answer' }, el('span', { 'aria-hidden': 'true' }, status === 'given' ? '✓ ' : '✗ '), t.status[status]),
            ),
          ),
        ),
      );
    }),
    el('p', { class: 'reference' }, `${t.reference}: `, el('span', { class: 'mono' }, view.id)),
  );
}

const FAILURE_TEXT: Record<Failure, keyof PageText> = {
  notAReceipt: 'notAReceipt',
  badSignature: 'badSignature',
  unknownKey: 'unknownKey',
  unknownText: 'unknownText',
};

function render(
  root: HTMLElement,
  outcome: Outcome,
  language: Language,
  code: string | undefined,
  actions: { setLanguage(l: Language): void; retry(): void },
) {
  const t = PAGE_TEXT[language];
  document.documentElement.lang = language;
  document.title = t.title;
  const switcher = el(
    'nav',
    { class: 'languages', 'aria-label': 'Taal · Langue · Sprache · Language' },
    ...LANGUAGES.map((l) => {
      const button = el('button', { type: 'button', lang: l, 'aria-pressed': String(l === language) }, l.toUpperCase());
      button.addEventListener('click', () => actions.setLanguage(l));
      return button;
    }),
  );
  let body: HTMLElement;
  if (outcome.kind === 'checking') body = el('p', { class: 'lead', role: 'status' }, t.checking);
  else if (outcome.kind === 'valid') body = validReceipt(outcome.view, outcome.names, t, code);
  else {
    const retry = outcome.kind === 'offline' && el('button', { type: 'button', class: 'retry' }, t.retry);
    if (retry) retry.addEventListener('click', actions.retry);
    const message = outcome.kind === 'offline' ? t.offline : (t[FAILURE_TEXT[outcome.failure]] as string);
    body = el(
      'div',
      { class: 'verdict bad', role: 'alert' },
      el('h2', {}, el('span', { 'aria-hidden': 'true' }, '✗ '), t.invalid),
      el('p', {}, message),
      retry,
    );
  }
  root.replaceChildren(switcher, el('h1', {}, t.title), body);
  if (outcome.kind === 'valid') root.append(el('p', { class: 'how' }, t.howChecked));
}

function start(): void {
  const root = document.getElementById('page')!;
  const { jws, withdrawalCode } = readQrText(location.hash);
  let language = languageOf(jws);
  let outcome: Outcome = { kind: 'checking' };
  const actions = {
    setLanguage: (l: Language) => {
      language = l;
      show();
    },
    retry: () => void run(),
  };
  const show = () => render(root, outcome, language, withdrawalCode, actions);
  const run = async () => {
    outcome = { kind: 'checking' };
    show();
    outcome = await check(jws);
    show();
  };
  void run();
}

start();
