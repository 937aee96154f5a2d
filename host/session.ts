// What the session core (host.ts) shares with the feature modules (enrollment.ts, my-consents.ts,
// manager.ts): the customer session and its steps, the few things a feature may do with it, and the
// type of a feature's slice of the handler table. The core alone creates a session and drops what it
// holds of the customer.
import type { Party } from '../sync/consent/statements.js';
import type { ConsentLookupResponse } from '../sync/wire/registry-api.js';
import type { Language, Person, StaffCheck } from '../sync/wire/schemas.js';
import type { calls, CallName, CallOutput, CardEvent } from '../api/contract.js';
import type { PermittedRead } from './card-read.js';
import type { Decision } from './consent-records.js';
import type { HostDeps, Timers } from './host.js';
import type { Identification } from './registry-desk.js';
import type { z } from 'zod';

export type Step =
  | 'permission' // waiting for the tap that allows the read
  | 'reading' // the tap was given: waiting for a card, or reading it
  | 'read-failed' // a card error: read again, or the form
  | 'checked' // read and verified: staff confirm (enroll) or look up (my consents)
  | 'manual' // the form
  | 'consent' // one screen per party still to decide, in order
  | 'contact' // optional contact details (eID path)
  | 'ready' // everything decided: commit
  | 'identified' // my consents: the customer is identified
  | 'done'; // committed: nothing of the customer is left

export interface Session {
  readonly enrollmentId: string;
  readonly intent: 'enroll' | 'my-consents';
  language: Language;
  step: Step;
  readTap: string[];
  read?: PermittedRead;
  person?: Omit<Person, 'language'>;
  source?: 'eid' | 'manual';
  /** Who vouched for the face check (eID path): goes into every record's evidence. */
  staffCheck?: StaffCheck;
  toDecide: Party[];
  reconsent: Party[];
  decided: Map<Party, Decision>;
  /** The customer asked for a confirmation by e-mail (contact.submit, with an address). */
  confirmationEmail?: boolean;
  identification?: Identification;
  /** My consents: the registry's last answer, and the withdrawals queued in this session (not yet in that answer). */
  known?: { answer: ConsentLookupResponse; erasureOffered: boolean };
  queued: { party: Party; purposeId: string }[];
}

/** What a customer feature may do with the session. */
export interface SessionCore {
  readonly deps: HostDeps;
  readonly timers: Timers;
  /** The kiosk's offset from UTC at a moment, for the records' local time. */
  offset(at: Date): number;
  /** The session, or NO_SESSION. */
  current(): Session;
  /** The session if it is at one of these steps, or WRONG_STEP. */
  at(...steps: Step[]): Session;
  /** False once `s` was wiped or replaced: an answer that arrives for it (card, registry) is dropped. */
  isCurrent(s: Session): boolean;
  /** Committed: from here on the host holds nothing of the customer but the step `done`. */
  committed(s: Session): void;
  emitCard(event: CardEvent): void;
}

/** One call's handler: its input as its schema parsed it, its output as the contract says. */
export type Handler<N extends CallName> = (input: z.infer<(typeof calls)[N]['input']>) => Promise<CallOutput<N>> | CallOutput<N>;

/**
 * A handler for each call in N and for nothing else: a feature's slice returns `Handlers<its calls>`
 * and the core's table is `Handlers<CallName>`, so a missing or an extra handler fails to compile.
 */
export type Handlers<N extends CallName> = { [K in N]: Handler<K> };

/** The contract's calls under these name prefixes (`manager` -> `manager.*`): a feature's share. */
export type CallsUnder<P extends string> = Extract<CallName, `${P}.${string}`>;
