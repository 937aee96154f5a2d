// The registry's other endpoints (feed, "my consents", stats, errors), beside the batch schemas in
// schemas.ts. Shared by the registry server and its clients, so neither side can drift.
import { z } from 'zod';
import { RegistryErrorCode, wireCode } from './error-codes.js';
import { Address, Party, FullDate, PartialDate, Person, PurposeStatus, CollectionMethod, EnrollmentSource, Language } from './schemas.js';

const isoDateTime = z.iso.datetime({ offset: false });

/** Every non-2xx answer of the registry: a stable code to branch on and a message for people. A
 *  client reads a code it does not know (a newer registry) as INTERNAL, and goes by the HTTP status. */
export const ErrorResponse = z.strictObject({ code: wireCode(RegistryErrorCode.options, 'INTERNAL'), message: z.string() });
export type ErrorResponse = z.infer<typeof ErrorResponse>;

export const FEED_DEFAULT_LIMIT = 100;
export const FEED_MAX_LIMIT = 1000;

/** GET /v1/feed?after=CURSOR&limit=N: the authenticated back office's chain only. The cursor is the
 *  decimal text of a server-issued sequence; '0' (or none) starts from the beginning. A limit above
 *  FEED_MAX_LIMIT is lowered to it. Query strings are text, so both stay strings here. */
export const FeedQuery = z.strictObject({
  after: z
    .string()
    .regex(/^\d{1,15}$/)
    .optional(),
  limit: z
    .string()
    .regex(/^[1-9]\d{0,5}$/)
    .optional(),
});
export type FeedQuery = z.infer<typeof FeedQuery>;

/** A consumer's address or contact changed: only the changed fields, for chains with a valid registry consent. */
export const ProfileUpdated = z.strictObject({
  kind: z.literal('profile-updated'),
  changes: z.strictObject({
    address: Address.optional(),
    email: z.string().optional(),
    mobile: z.string().optional(),
  }),
});
/** A consent was withdrawn: the chain stops using the purposes named. */
export const ConsentWithdrawn = z.strictObject({
  kind: z.literal('consent-withdrawn'),
  party: Party,
  purposes: z.array(z.string()),
  recordId: z.uuid(),
});
/** The registry erased the consumer's data it held for this chain (on request, or at the end of a retention period): the chain deletes its copy. */
export const SubjectErased = z.strictObject({ kind: z.literal('subject-erased'), reason: z.enum(['request', 'retention']) });
export const FeedEventData = z.discriminatedUnion('kind', [ProfileUpdated, ConsentWithdrawn, SubjectErased]);
export type FeedEventData = z.infer<typeof FeedEventData>;

export const FeedEvent = z.strictObject({
  /** Server-issued, strictly increasing in commit order; the cursor to resume after this event. */
  sequence: z.string(),
  /**
   * The enrollment ids this chain knows the consumer by, oldest first: how it applies the event to
   * its own record. There is no registry-wide consumer id: one would let two chains comparing feeds
   * link a person beyond what the registry consent covers; nor a per-chain pseudonym, which would
   * only repeat these refs (random ids its own kiosks issued) at the cost of a secret or a table. A
   * chain only gets events about a consumer whose registry consent it took at one of its own
   * enrollments, so there is always at least one ref.
   */
  subjectRefs: z.array(z.string()).min(1),
  recordedAt: isoDateTime, // registry clock
  data: FeedEventData,
});
export type FeedEvent = z.infer<typeof FeedEvent>;

export const FeedResponse = z.strictObject({
  chainId: z.string(),
  events: z.array(FeedEvent),
  /** Pass as `after` next time; equals the request's cursor when no event is newer. */
  nextCursor: z.string(),
  hasMore: z.boolean(),
});
export type FeedResponse = z.infer<typeof FeedResponse>;

/**
 * Strong identification of a consumer for "my consents", access and erasure: the name plus at least
 * one of a full birth date (YYYY-MM-DD; a year or month alone identifies no one), the e-mail, the
 * mobile or the withdrawal code of the receipt (withdrawal-code.ts; found only by the chain whose
 * kiosk issued it). A detail matches what the registry holds for that name (as a keyed digest); a
 * miss and a wrong guess get the same answer, and tries are rate-limited per kiosk and per name.
 */
export const SubjectIdentification = z.strictObject({
  surname: Person.shape.surname,
  firstNames: Person.shape.firstNames,
  birthDate: FullDate.optional(),
  email: z.email().max(254).optional(),
  mobile: z
    .string()
    .regex(/^\+[1-9]\d{6,14}$/, 'E.164')
    .optional(),
  /** As the customer types it: case, dashes and spaces are forgiven (normaliseWithdrawalCode). */
  withdrawalCode: z
    .string()
    .regex(/^[0-9A-Za-z](?:[ -]?[0-9A-Za-z]){9}$/)
    .optional(),
});
export type SubjectIdentification = z.infer<typeof SubjectIdentification>;

/**
 * A one-time code (POST /v1/subject/challenge) sent to the address or number the registry holds: the
 * proof of control the typed path needs to erase, or to withdraw a registry consent (oneTimeCodeNeeded).
 */
export const OneTimeCode = z.string().regex(/^\d{6}$/);

/** The eID path (the chip's full birth date) and the receipt's withdrawal code prove control; typed contact details do not. */
export const oneTimeCodeNeeded = (who: SubjectIdentification): boolean => who.birthDate === undefined && who.withdrawalCode === undefined;

/**
 * POST /v1/subject/challenge: sends a one-time code to the identified consumer's e-mail address or
 * mobile number on file, in `language`. Answered 202 whether or not anyone was found.
 */
export const SubjectChallengeRequest = z.strictObject({
  ...SubjectIdentification.shape,
  channel: z.enum(['email', 'mobile']),
  language: Language,
});
export type SubjectChallengeRequest = z.infer<typeof SubjectChallengeRequest>;

export const SubjectChallengeResponse = z.strictObject({ sent: z.literal('if-found') });
export type SubjectChallengeResponse = z.infer<typeof SubjectChallengeResponse>;

/**
 * Who asks: 'registry' (the default) is "my consents", found by the registry's keys and the asking
 * chain's. 'chain' is the returning-customer check a kiosk makes before the customer decided for the
 * registry: the registry answers it as the chain's processor, from that chain's own keys and records
 * only (its consents, and the registry decisions taken at its kiosks), and uses it for nothing else.
 */
export const LookupScope = z.enum(['registry', 'chain']);
export type LookupScope = z.infer<typeof LookupScope>;

export const ConsentLookupRequest = z.strictObject({
  ...SubjectIdentification.shape,
  scope: LookupScope.optional(),
  /**
   * The kiosk names the records its withdrawals reverse, so it asks for the registry states' record
   * ids; a kiosk from before reads those states strictly and is answered without them (the registry
   * is deployed before its kiosks).
   */
  recordIds: z.literal(true).optional(),
});
export type ConsentLookupRequest = z.infer<typeof ConsentLookupRequest>;

/** One purpose of the requesting chain's own consent: its latest decision by the kiosk's clock at the time. */
export const ChainConsentState = z.strictObject({
  controllerId: z.string(),
  purposeId: z.string(),
  status: PurposeStatus,
  legalBasis: z.string(),
  statementId: z.string(),
  version: z.string(),
  language: Language,
  decidedAt: isoDateTime,
  /** The record of that decision: for a given purpose, the one a withdrawal names. */
  recordId: z.uuid(),
});
export type ChainConsentState = z.infer<typeof ChainConsentState>;

/**
 * One purpose of the registry party, aggregated over every chain where it was decided without saying
 * where, when or at how many: 'given' while it is valid at some chain, otherwise the latest decision.
 * The statement is the one that decision was taken under (for re-consent to a newer version).
 */
export const RegistryConsentState = z.strictObject({
  purposeId: z.string(),
  status: PurposeStatus,
  controllerId: z.string(),
  statementId: z.string(),
  version: z.string(),
  /** The record that gave it, when that give stands at the asking chain: what a withdrawal there names. */
  recordId: z.uuid().optional(),
});
export type RegistryConsentState = z.infer<typeof RegistryConsentState>;

/**
 * Data minimisation: the requesting chain's own consents and the registry's aggregate, nothing that
 * tells which or how many other chains know the consumer. A consumer with neither (unknown to this
 * chain, no valid registry consent) is answered as not found.
 */
export const ConsentLookupResponse = z.strictObject({
  chain: z.array(ChainConsentState),
  registry: z.array(RegistryConsentState),
  /**
   * The lookup only: the requesting chain's latest enrollment id of this consumer, when it has one.
   * A kiosk names it as the subject of a consent event it queues (a withdrawal), the way it names
   * its own enrollments; absent when the consumer is known here only through a registry consent
   * given at another chain.
   */
  subjectRef: z.uuid().optional(),
});
export type ConsentLookupResponse = z.infer<typeof ConsentLookupResponse>;

/** Withdraws given purposes of one party: 'chain' at the requesting chain, 'registry' at every chain. */
export const ConsentWithdrawRequest = z.strictObject({
  ...SubjectIdentification.shape,
  party: Party,
  purposes: z.array(z.string().min(1)).min(1).max(50),
  method: CollectionMethod,
  utcOffsetMinutes: z.number().int().min(-900).max(900),
  /** Withdrawing a registry consent on the typed path (oneTimeCodeNeeded); a chain's needs none. */
  oneTimeCode: OneTimeCode.optional(),
});
export type ConsentWithdrawRequest = z.infer<typeof ConsentWithdrawRequest>;

export const ConsentWithdrawResponse = z.strictObject({
  ...ConsentLookupResponse.shape,
  receivedAt: isoDateTime,
  /** The named purposes that were given and are now withdrawn (wherever they were given); empty when none was. */
  withdrawn: z.strictObject({ party: Party, purposes: z.array(z.string()) }),
});
export type ConsentWithdrawResponse = z.infer<typeof ConsentWithdrawResponse>;

/** POST /v1/subject/access: what the registry holds on the identified consumer, as the asking chain may see it. */
export const SubjectAccessRequest = SubjectIdentification;
export type SubjectAccessRequest = z.infer<typeof SubjectAccessRequest>;

export const SubjectAccessResponse = z.strictObject({
  /** The profile's fields the asking chain's own enrollments carried (its policy); names and language always. */
  profile: z.strictObject({
    surname: z.string(),
    firstNames: z.string(),
    language: Language,
    address: Address.optional(),
    birthDate: PartialDate.optional(),
    sex: z.enum(['M', 'F']).optional(),
    email: z.string().optional(),
    mobile: z.string().optional(),
  }),
  /** What is kept only for matching, as keyed digests (never shown, never sent to a chain): which kinds. */
  matchingKeys: z.array(z.enum(['name+birth-date', 'name+email', 'name+mobile'])),
  /** The asking chain's own enrollments of this consumer. */
  enrollments: z.array(
    z.strictObject({ enrollmentId: z.string(), source: EnrollmentSource, enrolledAt: isoDateTime, receivedAt: isoDateTime }),
  ),
  consents: ConsentLookupResponse,
  receivedAt: isoDateTime,
});
export type SubjectAccessResponse = z.infer<typeof SubjectAccessResponse>;

/** POST /v1/subject/erase: erases the identified consumer's profile; the consent proof is kept for its own period. */
export const SubjectEraseRequest = z.strictObject({ ...SubjectIdentification.shape, oneTimeCode: OneTimeCode.optional() });
export type SubjectEraseRequest = z.infer<typeof SubjectEraseRequest>;

export const SubjectEraseResponse = z.strictObject({ erased: z.literal(true), receivedAt: isoDateTime });
export type SubjectEraseResponse = z.infer<typeof SubjectEraseResponse>;

/**
 * GET /v1/capabilities: what this registry offers beyond the batch protocol, so a kiosk shows only
 * what it can do. Not strict: a newer registry may list more, which an older kiosk ignores. A
 * registry without the route (404) offers none of them.
 */
export const RegistryCapabilities = z.object({
  /** POST /v1/subject/erase: the customer can ask for erasure at the kiosk. */
  erasure: z.boolean(),
  /**
   * POST /v1/batches takes the kiosk's batch signature and detached record JWS (issue #16's cost
   * aim). Absent (an older registry, which refuses a batch carrying a signature): the kiosk sends
   * each record's JWS attached and no batch signature.
   */
  signedBatches: z.boolean().optional(),
});
export type RegistryCapabilities = z.infer<typeof RegistryCapabilities>;

export const RegistryStats = z.strictObject({
  enrollments: z.number().int(),
  profiles: z.number().int(),
  consents: z.number().int(),
  kiosks: z.number().int(),
  activeKiosks: z.number().int(),
  changeEvents: z.number().int(),
  idempotencyKeys: z.number().int(),
});
export type RegistryStats = z.infer<typeof RegistryStats>;

/** A count of queued items, one per state of the kiosk's journal. */
const QueueCount = z.number().int().min(0);

/**
 * POST /v1/heartbeat: a kiosk's health, every minute and after each sync, with its own token. Only
 * counts, ages and times: nothing about any customer. The registry keeps the latest per kiosk for the
 * chain's back office (GET /v1/fleet).
 */
export const Heartbeat = z.strictObject({
  /** The kiosk app's version (package.json). */
  appVersion: z.string().min(1).max(64),
  queue: z.strictObject({
    pending: QueueCount,
    sending: QueueCount,
    acknowledged: QueueCount,
    'dead-letter': QueueCount,
    discarded: QueueCount,
  }),
  /** Age of the oldest item not yet acknowledged, by the kiosk's clock; null when none waits. */
  oldestPendingAgeMs: z.number().int().min(0).nullable(),
  /** Kiosk clock of the last sync the registry answered; null when it never did. */
  lastSyncAt: isoDateTime.nullable(),
  /** At least one card reader is connected. */
  readerPresent: z.boolean(),
  /** Free bytes on the data directory's disk; null when the kiosk cannot tell. */
  freeDiskBytes: z.number().int().min(0).nullable(),
  /** Enrollments the kiosk could not commit since the host started. */
  failedCommits: z.number().int().min(0),
});
export type Heartbeat = z.infer<typeof Heartbeat>;

export const HeartbeatResponse = z.strictObject({ receivedAt: isoDateTime });
export type HeartbeatResponse = z.infer<typeof HeartbeatResponse>;

/** One kiosk of the fleet with its latest heartbeat, and what the back office should look at. */
export const FleetKiosk = z.strictObject({
  kioskId: z.string(),
  chainId: z.string().nullable(),
  storeId: z.string().nullable(),
  /** Registry clock of the latest heartbeat; null when the kiosk never sent one. */
  lastHeartbeatAt: isoDateTime.nullable(),
  /** Time since then (or since provisioning, without one). */
  silentForMs: z.number().int().min(0),
  heartbeat: Heartbeat.nullable(),
  /** No heartbeat for FLEET_SILENT_AFTER_MS. */
  silent: z.boolean(),
  /** The oldest pending item is older than FLEET_STUCK_PENDING_MS, or commits failed. */
  stuck: z.boolean(),
});
export type FleetKiosk = z.infer<typeof FleetKiosk>;

/** GET /v1/fleet: the back office's chain only, its active kiosks by id. */
export const FleetResponse = z.strictObject({ chainId: z.string(), asOf: isoDateTime, kiosks: z.array(FleetKiosk) });
export type FleetResponse = z.infer<typeof FleetResponse>;

/** A kiosk heard from less recently is silent: five missed beats. */
export const FLEET_SILENT_AFTER_MS = 5 * 60_000;
/** A queue whose oldest item waited longer is stuck: the sync client retries far more often than that. */
export const FLEET_STUCK_PENDING_MS = 60 * 60_000;
