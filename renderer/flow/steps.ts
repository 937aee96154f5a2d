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
  | { kind: 'contact'; values: ContactValues; fieldErrors: FieldErrors }
  | { kind: 'committing' }
  | { kind: 'confirmation'; receipt: Receipt }
  /** `withdrawn`: the last withdrawal, queued in the kiosk (reaches the registry at the next sync) or taken by the registry at once. */
  | { kind: 'myConsents'; overview: ConsentOverview; erased: boolean; withdrawn?: 'queued' | 'registered' }
  | { kind: 'managerPin'; pin: string }
  /** A kiosk without a configuration: it can only be provisioned (`provisioned`: done, the kiosk is starting). */
  | { kind: 'setup'; values: SetupValues; fieldErrors: FieldErrors; provisioned: boolean }
  | { kind: 'manager'; status?: QueueView; failed: readonly FailedItemView[]; exported?: string };

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
  return kind !== 'attract' && kind !== 'managerPin' && kind !== 'manager' && kind !== 'setup';
}
