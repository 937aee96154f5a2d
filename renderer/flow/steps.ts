// The whole customer flow as one discriminated union: a screen is a step, and a step holds only
// what that screen shows. Transitions live in store.ts; components render from the step.
import type {
  CallOutput,
  ConsentOverview,
  ErrorCode,
  FailedItemView,
  Party,
  QueueView,
  Receipt,
  ShownIdentity,
  StaffMemberView,
  StatementScreen,
  VerdictView,
} from '../../api/contract';

export type Intent = 'enroll' | 'my-consents';
export type KioskInfo = CallOutput<'kiosk.info'>;
export type FieldErrors = Readonly<Record<string, string>>;
/** Why the customer reached the consent screens: it decides what follows them. */
export type ConsentPath = 'eid' | 'manual' | 'reconsent';
/** `withdrawalCode`: typed on "my consents" only. */
export type ManualValues = { surname: string; firstNames: string; email: string; mobile: string; withdrawalCode: string };
export type ContactValues = { email: string; mobile: string };
/** The set-up screen's fields: the PIN is typed twice, the second compared here and never sent. */
export type SetupValues = { registryUrl: string; code: string; pin: string; pinAgain: string };

export type Step =
  | { kind: 'attract' }
  | { kind: 'permission'; intent: Intent }
  | {
      kind: 'reading';
      intent: Intent;
      phase: 'waiting' | 'reading' | 'checking';
      identity?: ShownIdentity;
      photo?: string;
      error?: ErrorCode;
    }
  | {
      kind: 'staffCheck';
      identity: ShownIdentity;
      photo?: string;
      verdicts: readonly VerdictView[];
      genuine: boolean;
      reconsent: readonly Party[];
      /** The shop assistant's staff code as typed so far (when the chain's policy asks for one). */
      code: string;
    }
  | { kind: 'manualForm'; intent: Intent; values: ManualValues; fieldErrors: FieldErrors }
  | {
      kind: 'consent';
      path: ConsentPath;
      party: Party;
      /** Parties still to ask after this one. */
      then: readonly Party[];
      /** "Choice 1 of 2". */
      index: number;
      total: number;
      statement?: StatementScreen;
      decisions: Readonly<Record<string, boolean>>;
      touched: readonly string[];
    }
  /** `confirmationEmail`: the customer's switch for a confirmation by e-mail; absent until touched (off). */
  | { kind: 'contact'; values: ContactValues; fieldErrors: FieldErrors; confirmationEmail?: boolean }
  | { kind: 'committing' }
  /** No receipt: nothing was kept (a "no" to every purpose of the chain). */
  | { kind: 'confirmation'; receipt?: Receipt }
  /** `withdrawn`: the last withdrawal, queued in the kiosk (reaches the registry at the next sync) or taken by the registry at once. */
  | { kind: 'myConsents'; overview: ConsentOverview; erased: boolean; withdrawn?: 'queued' | 'registered'; code?: CodeEntry }
  | { kind: 'managerPin'; pin: string }
  /** A kiosk without a configuration: it can only be provisioned (`provisioned`: done, the kiosk is starting). */
  | { kind: 'setup'; values: SetupValues; fieldErrors: FieldErrors; provisioned: boolean }
  | { kind: 'manager'; status?: QueueView; failed: readonly FailedItemView[]; exported?: string }
  /** The staff codes: members by name, the name being typed, and a new member's code (shown this once). */
  | {
      kind: 'managerStaff';
      staff: readonly StaffMemberView[];
      values: { staffName: string };
      fieldErrors: FieldErrors;
      added?: { name: string; code: string };
    };

/**
 * "My consents" on typed details: what waits for the one-time code sent to `channel`, and the digits
 * typed so far. `wrong`: the last code was refused (wrong or expired; the registry says no more).
 */
export interface CodeEntry {
  action: { kind: 'erase' } | { kind: 'withdraw'; party: Party; purposeId: string };
  channel: 'email' | 'mobile';
  digits: string;
  wrong: boolean;
}

export type StepKind = Step['kind'];

/** The props of a screen: its own step, narrowed. */
export type StepOf<K extends StepKind> = Extract<Step, { kind: K }>;

/** Makes a switch over a union fail to compile when a case is missing. */
export function missingCase(value: never): never {
  throw new Error(`unhandled case: ${JSON.stringify(value)}`);
}

/**
 * A step of a customer's session, the one the host holds: every step but the attract screen, the
 * manager's and the set-up screen. Only these have a session to end, to extend or to tell the language to.
 */
export function isCustomerStep(kind: StepKind): boolean {
  return kind !== 'attract' && kind !== 'managerPin' && kind !== 'manager' && kind !== 'managerStaff' && kind !== 'setup';
}
