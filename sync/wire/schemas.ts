// The wire protocol between kiosk and registry: one zod schema per message, shared by the sync
// client, the registry server and the store, so the three cannot drift. Dates are ISO 8601 UTC.
import { z } from 'zod';
import { CODE_SHAPE, currentCode, RejectionCode, type ItemReasonCode } from './error-codes.js';
import { WITHDRAWAL_CODE } from './withdrawal-code.js';

export const LANGUAGES = ['nl', 'fr', 'de', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

const isoDateTime = z.iso.datetime({ offset: false });

/**
 * Text as people and programs read it back: no control characters (C0, DEL, C1: a NUL cannot even be
 * stored in PostgreSQL text), no line or paragraph separators, no bidirectional overrides.
 */
// eslint-disable-next-line no-control-regex -- refusing control characters is the point
const NO_CONTROL = /^[^\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]*$/;
/** A letter of some script (patterns run without the `u` flag, so no \p{L}): Latin, Greek, Cyrillic... CJK. */
const A_LETTER =
  /[A-Za-z\u00aa\u00b5\u00ba\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2c00-\ud7ff\uf900-\ufdff\ufe70-\ufefe\uff21-\uff3a\uff41-\uff5a]/;
export const Text = z.string().regex(NO_CONTROL, 'control characters are not allowed');
/** A name has at least one letter: one of only spaces, dashes or digits would match every other such name. */
const Name = Text.min(1).max(200).regex(A_LETTER, 'a name needs at least one letter');
/** An enrollment carries one record per party; a few more would be a mistake, thousands an attack. */
export const MAX_CONSENT_RECORDS = 4;
/** Birth dates keep the card's precision: YYYY-MM-DD, YYYY-MM or YYYY. */
export const PartialDate = z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/);
/** A full calendar date, YYYY-MM-DD: the only birth date precise enough to tell two people apart. */
export const FullDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/);

/**
 * What the registry needs to tell two people with the same name apart when the chain's policy drops
 * the birth date: sent only with an eID-verified enrollment whose registry consent has a purpose
 * given, kept by the registry only as a keyed digest, and never passed on to any chain.
 */
export const RegistryMatch = z.strictObject({ birthDate: FullDate });
export type RegistryMatch = z.infer<typeof RegistryMatch>;

/**
 * What the chain needs to find the customer again at its kiosks ("my consents"), whatever they
 * answered the registry: sent only with a given chain consent, the birth date only from an
 * eID-verified read. The registry keeps both only as digests scoped to this chain, for this chain's
 * lookups, withdrawals, access and erasure (../wire/registry-match.ts, withdrawal-code.ts).
 */
export const ChainMatch = z.strictObject({ birthDate: FullDate.optional(), withdrawalCode: z.string().regex(WITHDRAWAL_CODE) });
export type ChainMatch = z.infer<typeof ChainMatch>;

export const EnrollmentSource = z.enum(['eid', 'manual', 'paper']);
export type EnrollmentSource = z.infer<typeof EnrollmentSource>;

export const Address = z.strictObject({
  street: Text.min(1).max(200),
  postalCode: Text.min(1).max(20),
  municipality: Text.min(1).max(100),
  country: Text.length(2).optional(),
});

/** Only what the chain's policy keeps. Never the national register number, photo, card or chip number. */
export const Person = z.strictObject({
  surname: Name,
  firstNames: Name,
  language: Language,
  address: Address.optional(),
  birthDate: PartialDate.optional(),
  sex: z.enum(['M', 'F']).optional(),
  email: z.email().max(254).optional(),
  mobile: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'E.164')
    .optional(),
});
export type Person = z.infer<typeof Person>;

export const EidVerification = z.strictObject({
  identity: z.boolean(),
  address: z.boolean(),
  photo: z.boolean(),
  chain: z.boolean(),
  cardValidUntil: PartialDate.optional(),
});
export type EidVerification = z.infer<typeof EidVerification>;

export const Party = z.enum(['chain', 'registry']);
export const PurposeStatus = z.enum(['given', 'refused', 'withdrawn', 'expired']);
export const ConsentEventType = z.enum(['given', 'refused', 'withdrawn', 'renewed']);
export const CollectionMethod = z.enum(['kiosk-eid', 'kiosk-manual', 'staff-paper']);
export const DataSource = z.enum(['eid-chip', 'self-declared', 'staff-paper']);

export const StaffCheck = z.union([z.strictObject({ by: Text.min(1).max(100) }), z.strictObject({ policy: z.literal('off') })]);
export type StaffCheck = z.infer<typeof StaffCheck>;

/** One record per party per decision (consent.md); append-only: a withdrawal is a new record. */
export const ConsentRecord = z.strictObject({
  recordId: z.uuid(),
  subjectRef: z.uuid(), // the enrollment id; never the national number, not even hashed
  party: Party,
  controller: z.strictObject({ id: Text.min(1), name: Text.min(1), contact: Text.min(1) }),
  purposes: z.array(z.strictObject({ id: Text.min(1), status: PurposeStatus, legalBasis: Text.min(1) })).min(1),
  dataCategories: z.array(z.strictObject({ id: Text.min(1), source: DataSource })),
  notice: z.strictObject({
    statementId: Text.min(1),
    version: Text.min(1),
    language: Language,
    textSha256: z.string().regex(/^[0-9a-f]{64}$/),
  }),
  event: z
    .strictObject({
      at: isoDateTime,
      utcOffsetMinutes: z.number().int().min(-900).max(900),
      type: ConsentEventType,
      method: CollectionMethod,
      storeId: Text.min(1),
      kioskId: Text.min(1),
      /**
       * Only on a withdrawal the registry writes itself (at its desk, for an erasure, a registry
       * withdrawal carried to the other chains), at the request made at `kioskId`: signed by the
       * registry's key, not a kiosk's. A kiosk never sends it.
       */
      recordedBy: z.literal('registry').optional(),
      /**
       * Only on a withdrawal: the records it reverses (each gave every purpose it withdraws), so the
       * chain of decisions is proven by what is signed. Present on every withdrawal made since; a
       * record stored before lacks it.
       */
      withdraws: z.array(z.uuid()).min(1).optional(),
    })
    .refine((e) => e.withdraws === undefined || e.type === 'withdrawn', {
      message: 'only a withdrawal names what it withdraws',
      path: ['withdraws'],
    })
    .refine((e) => e.withdraws === undefined || new Set(e.withdraws).size === e.withdraws.length, {
      message: 'a record is named twice',
      path: ['withdraws'],
    }),
  evidence: z.strictObject({
    allUncheckedAtStart: z.boolean(),
    controlsTouched: z.array(Text.max(200)),
    /** eID path: the staff member (its id, never its code) who checked the face, or the chain's policy had codes off. */
    staffCheck: StaffCheck.optional(),
  }),
  validity: z.strictObject({ reviewAt: isoDateTime.optional(), retention: Text.min(1) }),
  withdrawal: z.strictObject({ methods: z.array(Text.min(1)).min(1), asEasyAsGiving: z.boolean() }),
});
export type ConsentRecord = z.infer<typeof ConsentRecord>;

/** A compact JWS (../proof/jws.ts). */
export const CompactJws = z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
/**
 * The kiosk's signature over one consent record, made when it was committed: attached as the kiosk
 * keeps it, detached (`header..signature`, RFC 7515 appendix F) in a signed batch, whose receiver
 * puts the record's canonical JSON back.
 */
export const RecordJws = z.string().regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/);

export const EnrollmentPayload = z.strictObject({
  enrollmentId: z.uuid(),
  chainId: Text.min(1),
  storeId: Text.min(1),
  kioskId: Text.min(1),
  source: EnrollmentSource,
  enrolledAt: isoDateTime, // kiosk clock
  utcOffsetMinutes: z.number().int().min(-900).max(900),
  person: Person,
  eidVerification: EidVerification.optional(),
  registryMatch: RegistryMatch.optional(),
  chainMatch: ChainMatch.optional(),
  consents: z.array(ConsentRecord).min(1).max(MAX_CONSENT_RECORDS),
  /** The kiosk's JWS over each of `consents`, in the same order; the registry refuses a record without one. */
  signatures: z.array(RecordJws).max(MAX_CONSENT_RECORDS).optional(),
  /** The customer asked for a confirmation by e-mail (to `person.email`); it never carries the withdrawal code. */
  confirmationEmail: z.boolean().optional(),
});
export type EnrollmentPayload = z.infer<typeof EnrollmentPayload>;

/** A later decision on an existing subject (withdrawal, renewal), queued like an enrollment. */
export const ConsentEventPayload = z.strictObject({ consent: ConsentRecord, signature: RecordJws.optional() });
export type ConsentEventPayload = z.infer<typeof ConsentEventPayload>;

export const WireItem = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('enrollment'),
    idempotencyKey: z.uuid(),
    sequence: z.number().int().positive(),
    createdAt: isoDateTime,
    payload: EnrollmentPayload,
  }),
  z.strictObject({
    kind: z.literal('consent-event'),
    idempotencyKey: z.uuid(),
    sequence: z.number().int().positive(),
    createdAt: isoDateTime,
    payload: ConsentEventPayload,
  }),
]);
export type WireItem = z.infer<typeof WireItem>;

/** The item's consent records: an enrollment's, or the one of a consent event. */
export const recordsOf = (item: WireItem): ConsentRecord[] => (item.kind === 'enrollment' ? item.payload.consents : [item.payload.consent]);

export const MAX_BATCH_ITEMS = 100;

/** POST /v1/batches, with `Authorization: Bearer <kiosk token>`. */
export const BatchRequest = z.strictObject({
  kioskId: Text.min(1),
  sentAt: isoDateTime, // kiosk clock, recorded beside the registry's receive time
  items: z.array(z.unknown()).min(1).max(MAX_BATCH_ITEMS), // each item validated on its own, so one bad item never sinks the batch
  /**
   * The kiosk's `consent-batch+jws` over this request's records (../proof/batch-signature.ts), whose
   * own JWS then travel detached. Absent from kiosks before it: each record's attached JWS is then
   * verified on its own.
   */
  signature: CompactJws.optional(),
});
export type BatchRequest = z.infer<typeof BatchRequest>;

/**
 * Why an item was refused or is a conflict. The registry answers a RejectionCode. A client reads a
 * well-formed code it does not know (a newer registry) as UNKNOWN_REASON, the registry's code kept in
 * front of the message: the item is dead-lettered as any rejected one, nothing is lost, and callers
 * still switch exhaustively. An older registry's kebab-case code reads as today's; a code of any
 * other shape fails the answer (BAD_RESPONSE: the batch is retried).
 */
export const ItemReason = z
  .strictObject({ code: z.string().regex(CODE_SHAPE), message: z.string() })
  .transform(({ code, message }): { code: ItemReasonCode; message: string } => {
    const known = RejectionCode.safeParse(currentCode(code));
    return known.success ? { code: known.data, message } : { code: 'UNKNOWN_REASON', message: `${code}: ${message}` };
  });
export type ItemReason = z.infer<typeof ItemReason>;

/**
 * One answer per item. `statusCode` follows HTTP: 201 accepted, 200 duplicate (the first answer,
 * replayed), 409 the key was used with another payload, 422 rejected (reason says why).
 */
export const ItemResult = z.strictObject({
  idempotencyKey: z.string(),
  status: z.enum(['accepted', 'duplicate', 'conflict', 'rejected']),
  statusCode: z.union([z.literal(201), z.literal(200), z.literal(409), z.literal(422)]),
  receiptId: z.string().optional(),
  receivedAt: isoDateTime.optional(),
  reason: ItemReason.optional(),
});
export type ItemResult = z.infer<typeof ItemResult>;

export const BatchResponse = z.strictObject({
  receivedAt: isoDateTime,
  results: z.array(ItemResult),
});
export type BatchResponse = z.infer<typeof BatchResponse>;
