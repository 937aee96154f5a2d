// The one API between the touchscreen (renderer/) and the kiosk host (host/): every call and
// every event, each with its zod schema. The Electron preload, the IPC binding, the loopback
// transport and the renderer's client are all generic over these two tables, so adding a call
// touches this file and the host, never a bridge. Everything here is browser-safe (zod only).
//
// Who owns what: the host owns the customer session (one at a time), the card read, the policy, the
// consent records, the commit and the wipe; the renderer owns which screen is shown and holds only
// what that screen shows. Every call is checked by the host against the session's state: a call out
// of order is refused with WRONG_STEP and changes nothing.
import { z } from 'zod';
// A leaf module of plain constants (no Node imports): the verdict codes are card-reader's own list.
import { VERDICT_CODES } from '../card-reader/types.js';

export const Language = z.enum(['nl', 'fr', 'de', 'en']);
export type Language = z.infer<typeof Language>;
export const Party = z.enum(['chain', 'registry']);
export type Party = z.infer<typeof Party>;

/** Stable codes the renderer translates; no caller ever parses English. */
export const ErrorCode = z.enum([
  // card-reader's CardError codes
  'NO_READER',
  'READER_UNPLUGGED',
  'NO_CARD',
  'CARD_REMOVED',
  'NOT_BEID',
  'CARD_NOT_ACTIVATED',
  'CARD_UNREADABLE',
  'READER_BUSY',
  'TIMEOUT',
  'MALFORMED_FILE',
  // the host's own
  'INVALID_REQUEST', // a payload that fails its schema (or a sender frame that is not ours)
  'WRONG_STEP', // a call out of the flow's order (e.g. commit before the chain's decision)
  'NO_SESSION',
  'NOT_VERIFIED', // an eID enrollment whose card failed a check: use the manual form
  'STORE_FULL', // the disk is full: nothing was lost, the enrollment was not saved
  'STORE_FAILED',
  'REGISTRY_UNREACHABLE', // "my consents" needs the registry to identify and look up: offline now
  'NOT_FOUND', // "my consents": no match (a miss and a wrong guess read the same)
  'PROOF_REQUIRED', // "my consents" on typed details: erasing or withdrawing the registry consent needs the one-time code
  'RATE_LIMITED',
  'PIN_WRONG',
  'PIN_LOCKED',
  'PIN_NOT_SET',
  'STAFF_CODE_WRONG', // the staff check: no active staff member has this code
  'STAFF_CODE_LOCKED',
  'STAFF_CODE_NOT_SET', // no staff member yet: the manager adds one
  'NOT_PROVISIONED', // set-up mode: the kiosk has no configuration yet, only setup.* calls are served
  'SETUP_CODE_REFUSED', // the registry knows no such one-time code (or it was used, or has expired)
  'SPEECH_UNAVAILABLE', // no speech engine (espeak-ng missing or failed): the screen still works, silently
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ApiError = z.strictObject({
  code: ErrorCode,
  /** Per-field codes for forms: e.g. { email: 'EMAIL_INVALID' }. */
  fields: z.record(z.string(), z.string()).optional(),
  /** PIN_WRONG / STAFF_CODE_WRONG: tries left before the lock-out; PIN_LOCKED / STAFF_CODE_LOCKED / RATE_LIMITED: seconds to wait. */
  triesLeft: z.number().int().nonnegative().optional(),
  retryAfterSeconds: z.number().int().nonnegative().optional(),
});
export type ApiError = z.infer<typeof ApiError>;

/** Every call answers one of these; the transports carry it as is. */
export type Result<T> = { ok: true; value: T } | { ok: false; error: ApiError };

// ---- shapes shown on screen ----

/** Stable verdict codes (card-reader's Verdict.code); the renderer words them per language. */
export const VerdictView = z.strictObject({
  check: z.enum(['identity', 'address', 'photo', 'chain', 'cardValidity', 'basicKey']),
  ok: z.boolean(),
  code: z.enum(VERDICT_CODES),
});
export type VerdictView = z.infer<typeof VerdictView>;

/** Only the fields the chain's policy keeps, plus what staff must see to check the person. */
export const ShownIdentity = z.strictObject({
  surname: z.string(),
  firstNames: z.string(),
  /** Only when the chain's policy keeps it. */
  birthDate: z.string().optional(),
  sex: z.enum(['M', 'F']).optional(),
  address: z.strictObject({ street: z.string(), postalCode: z.string(), municipality: z.string() }).optional(),
  /** For the staff check (card expiry in words); not stored. */
  cardValidUntil: z.string().optional(),
});
export type ShownIdentity = z.infer<typeof ShownIdentity>;

export const StatementScreen = z.strictObject({
  party: Party,
  id: z.string(),
  version: z.string(),
  language: Language,
  controller: z.strictObject({ name: z.string(), contact: z.string() }),
  /** The full statement, exactly as recorded by its hash, as titled blocks. */
  blocks: z.array(z.strictObject({ role: z.string(), text: z.string(), purposeId: z.string().optional() })),
  purposes: z.array(z.strictObject({ id: z.string(), title: z.string(), text: z.string(), legalBasisText: z.string() })),
  /** Named recipients, never "our partners". */
  recipients: z.array(z.string()),
  /** True when this asks again because the customer's consent was to an older version. */
  reconsent: z.boolean(),
});
export type StatementScreen = z.infer<typeof StatementScreen>;

export const Receipt = z.strictObject({
  receiptId: z.string(),
  /** The receipt as lines in the customer's language (sync/consent/receipt.ts). */
  lines: z.array(z.string()),
  /** The language the lines are written in (the session's at the commit): read aloud speaks them in its voice. */
  language: Language,
  /** A QR code as an SVG string: receipt id, statement versions, purposes, how to withdraw and the withdrawal code; no name, address or contact detail (the receipt id names the enrollment to the chain and the registry). */
  qrSvg: z.string(),
  /**
   * With the name, finds the customer at any kiosk of this chain ("my consents"), whatever they
   * answered the registry: printed `XXXXX-XXXXX`, shown to the customer only. Absent when no chain
   * purpose was given (nothing to withdraw).
   */
  withdrawalCode: z.string().optional(),
});
export type Receipt = z.infer<typeof Receipt>;

export const PurposeState = z.strictObject({
  id: z.string(),
  title: z.string(),
  status: z.enum(['given', 'refused', 'withdrawn', 'expired']),
});
/** The six digits the registry sent the customer (myConsents.sendCode). */
const OneTimeCode = z.string().regex(/^\d{6}$/);

export const ConsentOverview = z.strictObject({
  chain: z.array(PurposeState),
  registry: z.array(PurposeState),
  /** The registry offers erasure of the profile. */
  erasureOffered: z.boolean(),
  /** Typed details: erasing, or withdrawing the registry's consent, first sends a one-time code there (myConsents.sendCode). */
  codeChannel: z.enum(['email', 'mobile']).optional(),
});
export type ConsentOverview = z.infer<typeof ConsentOverview>;

export const QueueView = z.strictObject({
  counts: z.strictObject({
    pending: z.number().int(),
    sending: z.number().int(),
    acknowledged: z.number().int(),
    deadLetter: z.number().int(),
    discarded: z.number().int(),
  }),
  oldestPendingAgeSeconds: z.number().int().optional(),
  stale: z.boolean(),
  lastSuccessfulSyncAt: z.string().optional(),
  registryReachable: z.boolean(),
});
export type QueueView = z.infer<typeof QueueView>;

export const FailedItemView = z.strictObject({
  key: z.string(),
  kind: z.string(),
  initials: z.string(),
  reasonCode: z.string(),
  reason: z.string(),
  queuedAt: z.string(),
});
export type FailedItemView = z.infer<typeof FailedItemView>;

/** A staff member as the manager sees it: never the code. */
export const StaffMemberView = z.strictObject({ id: z.string(), name: z.string() });
export type StaffMemberView = z.infer<typeof StaffMemberView>;

/** Reader presence, for the attract screen's hint; no card content. */
export const ReaderStatus = z.strictObject({ readers: z.number().int(), cardPresent: z.boolean() });

const Empty = z.strictObject({});

/**
 * All the parts of one `speech.say` together: about three minutes of speech, a statement's section.
 * 50 parts of 2000 characters each would be some 400 MB of audio: refused at the boundary instead.
 */
export const SPEECH_MAX_CHARS = 4000;
const SpeechPart = z.strictObject({ text: z.string().min(1).max(2000), spell: z.boolean().optional() });
const Touched = z.array(z.string().max(100)).max(200);

export const ManualPerson = z.strictObject({
  surname: z.string().max(200),
  firstNames: z.string().max(200),
  email: z.string().max(254).optional(),
  mobile: z.string().max(40).optional(),
  /** "My consents" only: the receipt's code, as typed (case, dashes and spaces forgiven); refused on an enrollment. */
  withdrawalCode: z.string().max(40).optional(),
});
export type ManualPerson = z.infer<typeof ManualPerson>;

// ---- calls: renderer -> host ----

export const calls = {
  /** Configuration the screens need; no personal data. */
  'kiosk.info': {
    input: Empty,
    output: z.strictObject({
      defaultLanguage: Language,
      idleSeconds: z.number().int().positive(),
      countdownSeconds: z.number().int().min(20),
      chainName: z.string(),
      /** What the chain keeps from the card (for the permission screen). */
      keeps: z.array(z.string()),
      canQuit: z.boolean(),
      /** The chain's policy: `code` = the staff check asks the assistant's staff code; `off` = a button alone. */
      staffCheck: z.enum(['code', 'off']),
      /** The readers now (the `reader` event only tells changes). */
      reader: ReaderStatus,
    }),
  },
  /** A new customer session (wipes any earlier one). */
  'session.start': {
    input: z.strictObject({ language: Language, intent: z.enum(['enroll', 'my-consents']) }),
    output: Empty,
  },
  'session.setLanguage': { input: z.strictObject({ language: Language }), output: Empty },
  /** The customer touched "still here": the host's own idle deadline moves too. */
  'session.extend': { input: Empty, output: Empty },
  /** Wipes everything of the customer in the host. */
  'session.end': { input: z.strictObject({ reason: z.enum(['idle', 'done', 'cancel']) }), output: Empty },

  /** The customer tapped "read my eID": the evidence the records carry. Progress comes as `card` events. */
  'card.allowRead': { input: z.strictObject({ controlsTouched: Touched }), output: Empty },
  /** "Use the form instead" (before or after a failed read). */
  'card.decline': { input: Empty, output: Empty },
  /**
   * Staff confirmed the face check on an eID read whose checks all passed, with their staff code
   * (unless the chain's policy switched codes off): the records name who checked, never the code.
   */
  'staff.confirm': { input: z.strictObject({ code: z.string().max(12).optional() }), output: Empty },

  /**
   * The manual form (and "my consents" by manual details). Field errors come as INVALID_REQUEST with
   * `fields`. `reconsent`: a returning customer whose consent was to an older statement version is
   * asked again for those parties only (as `card` verified.reconsent); empty = every party.
   */
  'manual.submit': { input: ManualPerson, output: z.strictObject({ reconsent: z.array(Party) }) },
  /**
   * Optional contact details after the consents (eID path). `confirmationEmail`: the customer asked for
   * a confirmation of their choices by e-mail, which the registry sends (with an e-mail address only).
   */
  'contact.submit': {
    input: z.strictObject({
      email: z.string().max(254).optional(),
      mobile: z.string().max(40).optional(),
      confirmationEmail: z.boolean().optional(),
    }),
    output: Empty,
  },

  'statement.get': { input: z.strictObject({ party: Party }), output: StatementScreen },
  /**
   * One screen, one record: an explicit yes or no per purpose of the statement shown. `keepsNothing`:
   * a new customer said no to every purpose of the chain; no other screen is asked, and the commit
   * keeps nothing.
   */
  'consent.decide': {
    input: z.strictObject({ party: Party, decisions: z.record(z.string(), z.boolean()), controlsTouched: Touched }),
    output: z.strictObject({ keepsNothing: z.literal(true).optional() }),
  },
  /**
   * Commits durably, then answers: "done" is never shown before this returns. `{ kept: false }`
   * after a "no" to every purpose of the chain: nothing was stored or sent, not even the refusal.
   */
  'enrollment.commit': { input: Empty, output: z.union([Receipt, z.strictObject({ kept: z.literal(false) })]) },

  'myConsents.lookup': { input: Empty, output: ConsentOverview },
  /**
   * One touch withdraws: `queued` = committed in the kiosk's store as a consent event, which the sync
   * client delivers like an enrollment (offline too); `registered` = the registry took it at once (a
   * customer this chain never enrolled, known here only through a registry consent given elsewhere).
   */
  'myConsents.withdraw': {
    input: z.strictObject({ party: Party, purposes: z.array(z.string()).min(1).max(50), oneTimeCode: OneTimeCode.optional() }),
    output: z.strictObject({ ...ConsentOverview.shape, withdrawal: z.enum(['queued', 'registered']) }),
  },
  /** Sends a one-time code to the e-mail address or mobile number the registry holds (ConsentOverview.codeChannel). */
  'myConsents.sendCode': { input: Empty, output: z.strictObject({ channel: z.enum(['email', 'mobile']) }) },
  'myConsents.erase': { input: z.strictObject({ oneTimeCode: OneTimeCode.optional() }), output: Empty },

  'manager.unlock': { input: z.strictObject({ pin: z.string().min(4).max(12) }), output: Empty },
  'manager.lock': { input: Empty, output: Empty },
  'manager.status': { input: Empty, output: QueueView },
  'manager.failed': { input: Empty, output: z.array(FailedItemView) },
  'manager.retry': { input: z.strictObject({ keys: z.array(z.string()).min(1).max(1000) }), output: Empty },
  'manager.discard': { input: z.strictObject({ key: z.string() }), output: Empty },
  /** Consent receipts as CSV (no personal data), for the manager to save. */
  'manager.exportReceipts': { input: Empty, output: z.strictObject({ filename: z.string(), csv: z.string() }) },
  /** The staff members who can confirm the staff check (names only). */
  'manager.staffList': { input: Empty, output: z.array(StaffMemberView) },
  /** A new staff member: the answer holds its code, shown this once and kept nowhere in clear. */
  'manager.staffAdd': {
    input: z.strictObject({ name: z.string().max(200) }),
    output: z.strictObject({ ...StaffMemberView.shape, code: z.string() }),
  },
  /** The member's code stops working at once; the records keep naming its id. */
  'manager.staffRevoke': { input: z.strictObject({ id: z.string().max(100) }), output: Empty },
  /** Leave the kiosk (Electron only; needs the manager unlocked). */
  'manager.quit': { input: Empty, output: Empty },

  /**
   * Read aloud: the host turns text into audio (WAV, base64) with the voice of `language`, and caches it.
   * `spell` parts are spelt (names and e-mail addresses a voice would mangle; "@" and "." said in words).
   * `personal`: the parts hold the customer's own details, which the renderer sends only after "I am using
   * headphones": never cached, never logged. Served in every state, no session needed (the attract screen
   * speaks too); in a session it moves the host's idle deadline like any customer call (a customer exploring by
   * touch makes no other). At most SPEECH_MAX_CHARS in all.
   */
  'speech.say': {
    input: z
      .strictObject({
        language: Language,
        parts: z.array(SpeechPart).min(1).max(50),
        personal: z.boolean().optional(),
      })
      .refine((i) => i.parts.reduce((n, p) => n + p.text.length, 0) <= SPEECH_MAX_CHARS, { path: ['parts'] }),
    output: z.strictObject({ wav: z.string(), sampleRate: z.number().int().positive(), voice: z.string(), cached: z.boolean() }),
  },

  /** Set-up mode (host/setup.ts): a kiosk without a configuration answers only these two. */
  'setup.status': { input: Empty, output: z.strictObject({ provisioned: z.boolean() }) },
  /**
   * Exchanges the back office's one-time code at the registry for this kiosk's token and settings,
   * and sets the manager PIN; then the host runs the provisioned kiosk and says so (`setup` event).
   * Field errors come as INVALID_REQUEST with `fields` (registryUrl: URL_INVALID, code: CODE_INVALID,
   * pin: PIN_FORMAT); a code the registry refuses is SETUP_CODE_REFUSED.
   */
  'setup.provision': {
    input: z.strictObject({ registryUrl: z.string().max(500), code: z.string().max(40), pin: z.string().max(12) }),
    output: Empty,
  },
} as const;

export type CallName = keyof typeof calls;
export type CallInput<N extends CallName> = z.input<(typeof calls)[N]['input']>;
export type CallOutput<N extends CallName> = z.infer<(typeof calls)[N]['output']>;

// ---- events: host -> renderer ----

export const CardEvent = z.discriminatedUnion('phase', [
  /** Permission given; waiting for a card. */
  z.strictObject({ phase: z.literal('waiting') }),
  z.strictObject({ phase: z.literal('reading') }),
  /** As soon as the identity file is parsed. */
  z.strictObject({ phase: z.literal('identity'), identity: ShownIdentity }),
  /** The JPEG as a data: URL, for the staff check only; never stored. */
  z.strictObject({ phase: z.literal('photo'), photo: z.string() }),
  z.strictObject({
    phase: z.literal('verified'),
    verdicts: z.array(VerdictView),
    /** All checks passed: the enrollment may be eID-verified. */
    genuine: z.boolean(),
    /** Consent to an older statement version: the flow asks again. */
    reconsent: z.array(Party),
  }),
  z.strictObject({ phase: z.literal('error'), code: ErrorCode }),
]);
export type CardEvent = z.infer<typeof CardEvent>;

export const events = {
  /** Reader presence, for the attract screen's hint; no card content. */
  reader: ReaderStatus,
  card: CardEvent,
  /** The host wiped the session on its own (its idle deadline passed). */
  session: z.strictObject({ state: z.literal('wiped'), reason: z.enum(['idle', 'done', 'cancel']) }),
  sync: z.strictObject({ online: z.boolean(), pending: z.number().int() }),
  /** Set-up mode is over: the provisioned kiosk answers from now on (the page starts afresh). */
  setup: z.strictObject({ state: z.literal('provisioned') }),
} as const;

export type EventName = keyof typeof events;
export type EventPayload<N extends EventName> = z.infer<(typeof events)[N]>;

/** What `window.kiosk` is, over either transport. */
export interface KioskApi {
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>>;
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}
