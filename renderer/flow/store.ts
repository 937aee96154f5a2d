// The one flow store: state is the current step (a discriminated union) plus the screen's settings;
// every transition is an action here, so the order of screens can be read in one file. The host
// enforces the same order (WRONG_STEP); this store never holds more than the current screen shows.
import { create } from 'zustand';
import type { ApiError, CallName, CallInput, CallOutput, CardEvent, KioskApi, Language, Party, Result } from '../../api/contract';
import {
  isCustomerStep,
  missingCase,
  type CodeEntry,
  type ConsentPath,
  type Intent,
  type KioskInfo,
  type Step,
  type StepKind,
  type StepOf,
} from './steps';

export type Notice = Pick<ApiError, 'code' | 'fields' | 'triesLeft' | 'retryAfterSeconds'>;

export interface FlowState {
  step: Step;
  language: Language;
  largeText: boolean;
  highContrast: boolean;
  /** "Read aloud" (issue #17): off for every new customer, and kept nowhere but here. */
  readAloud: boolean;
  /** "I am using headphones": only then are the customer's own details spoken. */
  headphones: boolean;
  /** The voice's volume, 1 to SPEECH_VOLUME_MAX. */
  speechVolume: number;
  /** The host has no speech engine: the toggle says so and stays off; the screens work. */
  speechUnavailable: boolean;
  info?: KioskInfo;
  /** The last call's error, in words on the current screen; cleared by the next transition. */
  notice?: Notice;
  busy: boolean;
  idleWarning: boolean;
}

/**
 * What an action answers when it is not taken: nothing changed and nothing was sent to the host.
 * The screens never offer such an action, so the customer sees nothing; a caller or a test can.
 * `WRONG_STEP`: the current step does not offer it (the host's own word for the same refusal);
 * `BUSY`: a call is in flight; `INVALID_REQUEST`: its argument names nothing on this step.
 */
export interface Refusal {
  refused: 'WRONG_STEP' | 'BUSY' | 'INVALID_REQUEST';
  action: keyof FlowActions;
  step: StepKind;
}
/** `undefined`: the action was taken (its host call may still have failed: see `notice`). */
export type Taken = Refusal | undefined;

export interface FlowActions {
  connect(api: KioskApi): Promise<void>;
  setLanguage(language: Language): Promise<void>;
  toggleLargeText(): void;
  toggleHighContrast(): void;
  toggleReadAloud(): void;
  setHeadphones(on: boolean): void;
  setSpeechVolume(level: number): void;
  /** The host's speech.say, beside the flow: no busy flag, no notice; undefined when it could not speak. */
  say(input: CallInput<'speech.say'>): Promise<CallOutput<'speech.say'> | undefined>;
  start(intent: Intent, via: 'eid' | 'form'): Promise<Taken>;
  allowRead(touched: readonly string[]): Promise<Taken>;
  declineRead(): Promise<Taken>;
  staffConfirm(): Promise<Taken>;
  setField(field: string, value: string): Taken;
  submitManual(): Promise<Taken>;
  submitContact(skip: boolean): Promise<Taken>;
  /** The contact screen's "send me a confirmation by e-mail" switch. */
  setConfirmationEmail(on: boolean): Taken;
  choose(purposeId: string, given: boolean): Taken;
  chooseAll(given: boolean): Taken;
  decide(): Promise<Taken>;
  commit(): Promise<void>;
  withdraw(party: Party, purposeId: string): Promise<Taken>;
  erase(): Promise<Taken>;
  // The one-time code on typed details (erasure, or a withdrawal the host asks a code for).
  /** A key of the code's on-screen keypad: a digit, or `{bksp}`. */
  codeKey(key: string): Taken;
  /** Erases or withdraws with the six digits typed. */
  submitCode(): Promise<Taken>;
  /** Sends a new code (the last one was wrong, expired or never arrived). */
  resendCode(): Promise<Taken>;
  /** Back to the consents, nothing erased or withdrawn. */
  cancelCode(): Taken;
  finish(): Promise<void>;
  showIdleWarning(): Taken;
  extend(): Promise<void>;
  wipe(reason: 'idle' | 'cancel'): Promise<void>;
  openManager(): Taken;
  /** A key of a PIN pad: the manager's PIN, or the staff code at the staff check. */
  pinKey(key: string): Taken;
  submitPin(): Promise<Taken>;
  refreshManager(): Promise<Taken>;
  retry(keys: readonly string[]): Promise<Taken>;
  discard(key: string): Promise<void>;
  exportReceipts(): Promise<{ filename: string; csv: string } | undefined>;
  openStaff(): Promise<Taken>;
  addStaff(): Promise<Taken>;
  revokeStaff(id: string): Promise<Taken>;
  closeStaff(): Promise<Taken>;
  lockManager(): Promise<void>;
  quit(): Promise<void>;
  submitSetup(): Promise<Taken>;
}

/** The actions apart from the state: one object made once, so `useFlowActions` never re-renders. */
export type Flow = FlowState & { actions: FlowActions };

const PARTIES: readonly Party[] = ['chain', 'registry'];
export const SPEECH_VOLUME_MAX = 8;
export const SPEECH_VOLUME_DEFAULT = 4;
const PIN_MAX = 12;
/** The digits of a staff code (host/staff-codes.ts). */
export const STAFF_CODE_LENGTH = 6;
/** The digits of a one-time code (the registry's subject-proof.ts). */
const CODE_LENGTH = 6;
const emptyManual = { surname: '', firstNames: '', email: '', mobile: '', withdrawalCode: '' };
const emptySetup = { registryUrl: '', code: '', pin: '', pinAgain: '' };

export const createFlowStore = () =>
  create<Flow>()((set, get) => {
    let api: KioskApi | undefined;
    // Bumped by every reset: an answer to a call asked before it belongs to a wiped session.
    let session = 0;

    /**
     * Every host call goes through here: one in flight at a time, its error shown in words. An answer
     * that arrives after a wipe is dropped (undefined), so it can never bring the wiped session back.
     */
    async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N> | undefined> {
      if (api === undefined) return undefined;
      const asked = session;
      set({ busy: true, notice: undefined });
      let result: Result<CallOutput<N>>;
      try {
        result = await api.call(name, input);
      } finally {
        // After a wipe the busy flag belongs to the next session's calls.
        if (asked === session) set({ busy: false });
      }
      if (asked !== session) return undefined;
      if (result.ok) return result.value;
      const { code, fields, triesLeft, retryAfterSeconds } = result.error;
      set({ notice: { code, fields, triesLeft, retryAfterSeconds } });
      if (code === 'NO_SESSION') reset();
      return undefined;
    }

    const go = (step: Step): void => set({ step, notice: undefined });

    /** Back to the attract screen with nothing of the customer left, settings back to the store's. */
    function reset(): void {
      session += 1;
      const info = get().info;
      set({
        step: { kind: 'attract' },
        language: info?.defaultLanguage ?? 'nl',
        largeText: false,
        highContrast: false,
        readAloud: false,
        headphones: false,
        speechVolume: SPEECH_VOLUME_DEFAULT,
        idleWarning: false,
        busy: false,
      });
    }

    const refuse = (action: keyof FlowActions, refused: Refusal['refused'] = 'WRONG_STEP'): Refusal => ({
      refused,
      action,
      step: get().step.kind,
    });

    /** The current step if `action` may run on it: one of `kinds`, and with `idle` no call in flight. */
    function at<K extends StepKind>(action: keyof FlowActions, kinds: readonly K[], { idle = false } = {}): StepOf<K> | Refusal {
      const step = get().step;
      if (!kinds.some((kind) => kind === step.kind)) return refuse(action);
      if (idle && get().busy) return refuse(action, 'BUSY');
      return step as StepOf<K>;
    }

    async function enterConsent(path: ConsentPath, parties: readonly Party[], total = parties.length): Promise<void> {
      const [party, ...then] = parties;
      if (party === undefined) return afterConsents(path);
      go({ kind: 'consent', path, party, then, index: total - then.length, total, decisions: {}, touched: [] });
      const statement = await call('statement.get', { party });
      const step = get().step;
      if (statement !== undefined && step.kind === 'consent' && step.party === party) set({ step: { ...step, statement } });
    }

    async function afterConsents(path: ConsentPath): Promise<void> {
      switch (path) {
        case 'eid':
          return go({ kind: 'contact', values: { email: '', mobile: '' }, fieldErrors: {} });
        case 'manual':
        case 'reconsent':
          return actions.commit();
        default:
          return missingCase(path);
      }
    }

    /** The parties to ask again, when the host's answer names them (manual.submit). */
    function returningFor(answer: object): readonly Party[] {
      const reconsent: unknown = 'reconsent' in answer ? answer.reconsent : undefined;
      return Array.isArray(reconsent) ? PARTIES.filter((p) => reconsent.includes(p)) : [];
    }

    /** The shown text follows the language: the statement (and so its record) is fetched again. */
    async function refetchForLanguage(): Promise<void> {
      const step = get().step;
      if (step.kind === 'consent') {
        const statement = await call('statement.get', { party: step.party });
        const now = get().step;
        if (statement !== undefined && now.kind === 'consent' && now.party === step.party) set({ step: { ...now, statement } });
      } else if (step.kind === 'myConsents') {
        const overview = await call('myConsents.lookup', {});
        const now = get().step;
        if (overview !== undefined && now.kind === 'myConsents') set({ step: { ...now, overview } });
      }
    }

    async function lookup(): Promise<void> {
      const overview = await call('myConsents.lookup', {});
      if (overview !== undefined) return go({ kind: 'myConsents', overview, erased: false });
      // After a card read, the failure ends the read on screen (read again, or the form), as the host does.
      const step = get().step;
      const notice = get().notice;
      if (step.kind === 'reading' && notice !== undefined) set({ step: { ...step, error: notice.code }, notice: undefined });
    }

    /**
     * Erases or withdraws as `action` says, with the one-time code when there is one; true when the
     * host took it. The consents then show the result, and the code entry is gone.
     */
    async function perform(step: StepOf<'myConsents'>, action: CodeEntry['action'], oneTimeCode?: string): Promise<boolean> {
      const proof = oneTimeCode === undefined ? {} : { oneTimeCode };
      if (action.kind === 'erase') {
        if ((await call('myConsents.erase', proof)) === undefined) return false;
        const { code: _entered, ...shown } = step;
        go({ ...shown, erased: true });
        return true;
      }
      const answer = await call('myConsents.withdraw', { party: action.party, purposes: [action.purposeId], ...proof });
      if (answer === undefined) return false;
      const { withdrawal, ...overview } = answer;
      go({ kind: 'myConsents', overview, erased: false, withdrawn: withdrawal });
      return true;
    }

    /** Has the registry send a (new) one-time code, then asks for it: typed details prove control so. */
    async function askCode(action: CodeEntry['action']): Promise<void> {
      const sent = await call('myConsents.sendCode', {});
      const now = get().step;
      if (sent !== undefined && now.kind === 'myConsents')
        set({ step: { ...now, code: { action, channel: sent.channel, digits: '', wrong: false } } });
    }

    /** The "my consents" step while it asks for the code, for an action on that code entry. */
    function atCode(action: keyof FlowActions, opts: { idle?: boolean } = {}): (StepOf<'myConsents'> & { code: CodeEntry }) | Refusal {
      const step = at(action, ['myConsents'], opts);
      if ('refused' in step) return step;
      return step.code === undefined ? refuse(action) : { ...step, code: step.code };
    }

    function showFieldErrors(): void {
      const step = get().step;
      const notice = get().notice;
      if (notice?.code !== 'INVALID_REQUEST' || (step.kind !== 'manualForm' && step.kind !== 'contact' && step.kind !== 'setup')) return;
      // The host's per-field codes; the screen words them next to each field.
      set({ step: { ...step, fieldErrors: notice.fields ?? {} } });
    }

    function onCard(event: CardEvent): void {
      const step = get().step;
      if (step.kind !== 'reading') return;
      switch (event.phase) {
        case 'waiting':
          return set({ step: { kind: 'reading', intent: step.intent, phase: 'waiting' } });
        case 'reading':
          return set({ step: { ...step, phase: 'reading', error: undefined } });
        case 'identity':
          return set({ step: { ...step, phase: 'checking', identity: event.identity } });
        case 'photo':
          // Kept only for the staff check, which "my consents" has not.
          if (step.intent === 'my-consents') return;
          return set({ step: { ...step, photo: event.photo } });
        case 'error':
          // A failed read keeps nothing of what it had parsed on screen: the retry starts clean.
          return set({ step: { kind: 'reading', intent: step.intent, phase: step.phase, error: event.code } });
        case 'verified':
          if (step.identity === undefined) return set({ step: { ...step, error: 'MALFORMED_FILE' } });
          if (step.intent === 'my-consents') {
            if (!event.genuine) return set({ step: { ...step, error: 'NOT_VERIFIED' } });
            void lookup();
            return;
          }
          return go({
            kind: 'staffCheck',
            identity: step.identity,
            photo: step.photo,
            verdicts: event.verdicts,
            genuine: event.genuine,
            reconsent: event.reconsent,
            code: '',
          });
        default:
          return missingCase(event);
      }
    }

    /** The kiosk's settings, then the attract screen; a kiosk not provisioned yet shows its set-up screen. */
    async function begin(): Promise<void> {
      const info = await call('kiosk.info', {});
      if (info !== undefined) {
        set({ info });
        reset();
      } else if (get().notice?.code === 'NOT_PROVISIONED') {
        go({ kind: 'setup', values: emptySetup, fieldErrors: {}, provisioned: false });
      }
    }

    const actions: FlowActions = {
      async connect(kiosk) {
        api = kiosk;
        kiosk.on('card', onCard);
        kiosk.on('session', () => reset());
        // Set-up is over: the provisioned kiosk answers on this same connection.
        kiosk.on('setup', () => void begin());
        await begin();
      },

      async setLanguage(language) {
        set({ language });
        // Outside a customer's session the language is the screen's alone: the host has no one to tell.
        if (!isCustomerStep(get().step.kind)) return;
        if ((await call('session.setLanguage', { language })) !== undefined) await refetchForLanguage();
      },
      toggleLargeText: () => set((s) => ({ largeText: !s.largeText })),
      toggleHighContrast: () => set((s) => ({ highContrast: !s.highContrast })),
      toggleReadAloud: () => set((s) => ({ readAloud: !s.readAloud && !s.speechUnavailable })),
      setHeadphones: (on) => set({ headphones: on }),
      setSpeechVolume: (level) => set({ speechVolume: Math.min(SPEECH_VOLUME_MAX, Math.max(1, Math.round(level))) }),

      async say(input) {
        if (api === undefined) return undefined;
        const result = await api.call('speech.say', input);
        if (result.ok) return result.value;
        if (result.error.code === 'SPEECH_UNAVAILABLE') set({ speechUnavailable: true, readAloud: false });
        return undefined;
      },

      async start(intent, via) {
        if (get().busy) return refuse('start', 'BUSY');
        const started = await call('session.start', { language: get().language, intent });
        if (started === undefined) return;
        if (via === 'form') return actions.declineRead();
        go({ kind: 'permission', intent });
      },

      async allowRead(touched) {
        const step = at('allowRead', ['permission', 'reading']);
        if ('refused' in step) return step;
        go({ kind: 'reading', intent: step.intent, phase: 'waiting' });
        await call('card.allowRead', { controlsTouched: [...touched] });
      },

      async declineRead() {
        // The form instead of the card: from the start, before the read, after a failed one, or at the staff check.
        const step = at('declineRead', ['staffCheck', 'permission', 'reading', 'attract']);
        if ('refused' in step) return step;
        const intent = step.kind === 'permission' || step.kind === 'reading' ? step.intent : 'enroll';
        if ((await call('card.decline', {})) === undefined) return;
        go({ kind: 'manualForm', intent, values: emptyManual, fieldErrors: {} });
      },

      async staffConfirm() {
        const step = at('staffConfirm', ['staffCheck']);
        if ('refused' in step) return step;
        // A card that failed a check is offered only the form.
        if (!step.genuine) return refuse('staffConfirm');
        const byCode = get().info?.staffCheck !== 'off';
        if (byCode && step.code.length !== STAFF_CODE_LENGTH) return refuse('staffConfirm', 'INVALID_REQUEST');
        if ((await call('staff.confirm', byCode ? { code: step.code } : {})) === undefined) {
          // A refused code is typed again from the start (the notice says why).
          const now = get().step;
          if (now.kind === 'staffCheck') set({ step: { ...now, code: '' } });
          return;
        }
        await (step.reconsent.length > 0 ? enterConsent('reconsent', step.reconsent) : enterConsent('eid', PARTIES));
      },

      setField(field, value) {
        const step = at('setField', ['manualForm', 'contact', 'managerStaff', 'setup']);
        if ('refused' in step) return step;
        if (!(field in step.values)) return refuse('setField', 'INVALID_REQUEST');
        // Typing in a field clears that field's error, and only that one.
        const { [field]: _cleared, ...fieldErrors } = step.fieldErrors;
        set({ step: { ...step, values: { ...step.values, [field]: value }, fieldErrors } as typeof step });
      },

      async submitManual() {
        const step = at('submitManual', ['manualForm'], { idle: true });
        if ('refused' in step) return step;
        const v = step.values;
        const ok = await call('manual.submit', {
          surname: v.surname.trim(),
          firstNames: v.firstNames.trim(),
          email: v.email.trim() || undefined,
          mobile: v.mobile.trim() || undefined,
          ...(step.intent === 'my-consents' && { withdrawalCode: v.withdrawalCode.trim() || undefined }),
        });
        if (ok === undefined) showFieldErrors();
        else if (step.intent === 'my-consents') await lookup();
        else {
          // A returning customer whose consent was to an older version is asked only about those parties.
          const reconsent = returningFor(ok);
          await (reconsent.length > 0 ? enterConsent('reconsent', reconsent) : enterConsent('manual', PARTIES));
        }
      },

      async submitContact(skip) {
        const step = at('submitContact', ['contact'], { idle: true });
        if ('refused' in step) return step;
        const v = skip ? { email: '', mobile: '' } : step.values;
        const email = v.email.trim() || undefined;
        // Sent only when asked for and there is an address to send it to (the switch is off without one).
        const confirmation = email !== undefined && step.confirmationEmail === true ? { confirmationEmail: true } : {};
        const ok = await call('contact.submit', { email, mobile: v.mobile.trim() || undefined, ...confirmation });
        if (ok === undefined) showFieldErrors();
        else await actions.commit();
      },

      setConfirmationEmail(on) {
        const step = at('setConfirmationEmail', ['contact']);
        if ('refused' in step) return step;
        set({ step: { ...step, confirmationEmail: on } });
      },

      choose(purposeId, given) {
        const step = at('choose', ['consent']);
        if ('refused' in step) return step;
        const control = `purpose:${purposeId}`;
        set({
          step: {
            ...step,
            decisions: { ...step.decisions, [purposeId]: given },
            touched: step.touched.includes(control) ? step.touched : [...step.touched, control],
          },
        });
      },

      chooseAll(given) {
        const step = at('chooseAll', ['consent']);
        if ('refused' in step) return step;
        // The purposes come with the statement: until it has loaded there is nothing to choose.
        if (step.statement === undefined) return refuse('chooseAll');
        const decisions = Object.fromEntries(step.statement.purposes.map((p) => [p.id, given]));
        set({ step: { ...step, decisions, touched: [...step.touched, given ? 'all:yes' : 'all:no'] } });
      },

      async decide() {
        const step = at('decide', ['consent'], { idle: true });
        if ('refused' in step) return step;
        if (step.statement === undefined) return refuse('decide');
        // Untouched purposes are an explicit "no": every box started off and the customer saw it so.
        const decisions = Object.fromEntries(step.statement.purposes.map((p) => [p.id, step.decisions[p.id] === true]));
        const done = await call('consent.decide', { party: step.party, decisions, controlsTouched: [...step.touched, 'confirm'] });
        if (done === undefined) return;
        // A "no" to every purpose of the chain: nothing is kept, so nothing more is asked.
        if (done.keepsNothing) await actions.commit();
        else await enterConsent(step.path, step.then, step.total);
      },

      async commit() {
        go({ kind: 'committing' });
        const answer = await call('enrollment.commit', {});
        if (answer !== undefined) go({ kind: 'confirmation', ...('receiptId' in answer && { receipt: answer }) });
      },

      async withdraw(party, purposeId) {
        const step = at('withdraw', ['myConsents'], { idle: true });
        if ('refused' in step) return step;
        const action = { kind: 'withdraw', party, purposeId } as const;
        // The host says when a withdrawal needs the code (the registry's consent, on typed details).
        if (!(await perform(step, action)) && get().notice?.code === 'PROOF_REQUIRED') await askCode(action);
      },

      async erase() {
        const step = at('erase', ['myConsents'], { idle: true });
        if ('refused' in step) return step;
        // Typed details erase only with the code sent to what the registry holds; the eID needs none.
        if (step.overview.codeChannel !== undefined) await askCode({ kind: 'erase' });
        else await perform(step, { kind: 'erase' });
      },

      codeKey(key) {
        const step = atCode('codeKey');
        if ('refused' in step) return step;
        if (key !== '{bksp}' && !/^\d$/.test(key)) return refuse('codeKey', 'INVALID_REQUEST');
        const { digits } = step.code;
        const next = key === '{bksp}' ? digits.slice(0, -1) : (digits + key).slice(0, CODE_LENGTH);
        set({ step: { ...step, code: { ...step.code, digits: next } } });
      },

      async submitCode() {
        const step = atCode('submitCode', { idle: true });
        if ('refused' in step) return step;
        if (step.code.digits.length !== CODE_LENGTH) return refuse('submitCode', 'INVALID_REQUEST');
        if (await perform(step, step.code.action, step.code.digits)) return;
        const now = get().step;
        // A wrong or expired code reads as a miss: said in words on the code entry, typed again or renewed.
        if (get().notice?.code === 'NOT_FOUND' && now.kind === 'myConsents' && now.code)
          set({ step: { ...now, code: { ...now.code, digits: '', wrong: true } }, notice: undefined });
      },

      async resendCode() {
        const step = atCode('resendCode', { idle: true });
        if ('refused' in step) return step;
        await askCode(step.code.action);
      },

      cancelCode() {
        const step = atCode('cancelCode');
        if ('refused' in step) return step;
        const { code: _dropped, ...shown } = step;
        go(shown);
      },

      async finish() {
        reset();
        await api?.call('session.end', { reason: 'done' });
      },

      showIdleWarning() {
        if (get().step.kind === 'attract') return refuse('showIdleWarning');
        set({ idleWarning: true });
      },

      async extend() {
        set({ idleWarning: false });
        // Only a customer's session has a deadline at the host; the manager's view has the timer alone.
        if (isCustomerStep(get().step.kind)) await api?.call('session.extend', {});
      },

      async wipe(reason) {
        const kind = get().step.kind;
        reset();
        // The host holds a customer's session on a customer step, the manager's unlock on the manager's.
        if (isCustomerStep(kind)) await api?.call('session.end', { reason });
        else if (kind !== 'attract') await api?.call('manager.lock', {});
      },

      openManager() {
        if (get().step.kind !== 'attract') return refuse('openManager');
        // The staff corner is not the customer's: read aloud is not offered there, so it goes off with its headphones.
        set({ readAloud: false, headphones: false });
        go({ kind: 'managerPin', pin: '' });
      },

      pinKey(key) {
        const step = at('pinKey', ['managerPin', 'staffCheck']);
        if ('refused' in step) return step;
        if (key !== 'back' && !/^\d$/.test(key)) return refuse('pinKey', 'INVALID_REQUEST');
        const typed = (text: string, max: number) => (key === 'back' ? text.slice(0, -1) : (text + key).slice(0, max));
        if (step.kind === 'managerPin') set({ step: { ...step, pin: typed(step.pin, PIN_MAX) } });
        else set({ step: { ...step, code: typed(step.code, STAFF_CODE_LENGTH) } });
      },

      async submitPin() {
        const step = at('submitPin', ['managerPin'], { idle: true });
        if ('refused' in step) return step;
        if ((await call('manager.unlock', { pin: step.pin })) === undefined) {
          // A refused PIN is typed again from the start (the notice says why).
          const now = get().step;
          if (now.kind === 'managerPin') set({ step: { ...now, pin: '' } });
          return;
        }
        go({ kind: 'manager', failed: [] });
        await actions.refreshManager();
      },

      async refreshManager() {
        if (get().step.kind !== 'manager') return refuse('refreshManager');
        if (api === undefined) return;
        // Polled: no busy flag and no notice, so a refresh never blocks or hides a manager's action.
        const [status, failed] = await Promise.all([api.call('manager.status', {}), api.call('manager.failed', {})]);
        const step = get().step;
        if (step.kind !== 'manager') return;
        if (!status.ok && status.error.code === 'NO_SESSION') {
          reset();
          return;
        }
        set({
          step: {
            ...step,
            status: status.ok ? status.value : step.status,
            failed: failed.ok ? failed.value : step.failed,
          },
        });
      },

      async retry(keys) {
        if (keys.length === 0) return refuse('retry', 'INVALID_REQUEST');
        if ((await call('manager.retry', { keys: [...keys] })) !== undefined) await actions.refreshManager();
      },

      async discard(key) {
        if ((await call('manager.discard', { key })) !== undefined) await actions.refreshManager();
      },

      async exportReceipts() {
        const file = await call('manager.exportReceipts', {});
        const step = get().step;
        if (file !== undefined && step.kind === 'manager') set({ step: { ...step, exported: file.filename } });
        return file;
      },

      async openStaff() {
        const step = at('openStaff', ['manager'], { idle: true });
        if ('refused' in step) return step;
        const staff = await call('manager.staffList', {});
        if (staff !== undefined && get().step.kind === 'manager') {
          go({ kind: 'managerStaff', staff, values: { staffName: '' }, fieldErrors: {} });
        }
      },

      async addStaff() {
        const step = at('addStaff', ['managerStaff'], { idle: true });
        if ('refused' in step) return step;
        const added = await call('manager.staffAdd', { name: step.values.staffName.trim() });
        if (added === undefined) {
          // The host names the call's field (`name`); the screen's field is `staffName`.
          const refused = get().notice?.fields?.name;
          const now = get().step;
          if (refused !== undefined && now.kind === 'managerStaff') set({ step: { ...now, fieldErrors: { staffName: refused } } });
          return;
        }
        const staff = (await call('manager.staffList', {})) ?? [...step.staff, { id: added.id, name: added.name }];
        const now = get().step;
        if (now.kind === 'managerStaff') {
          set({ step: { ...now, staff, values: { staffName: '' }, fieldErrors: {}, added: { name: added.name, code: added.code } } });
        }
      },

      async revokeStaff(id) {
        const step = at('revokeStaff', ['managerStaff'], { idle: true });
        if ('refused' in step) return step;
        if (!step.staff.some((m) => m.id === id)) return refuse('revokeStaff', 'INVALID_REQUEST');
        if ((await call('manager.staffRevoke', { id })) === undefined) return;
        const now = get().step;
        // The code shown once goes with any later action: it is not left on screen for the next person.
        if (now.kind === 'managerStaff') set({ step: { ...now, staff: now.staff.filter((m) => m.id !== id), added: undefined } });
      },

      async closeStaff() {
        const step = at('closeStaff', ['managerStaff']);
        if ('refused' in step) return step;
        go({ kind: 'manager', failed: [] });
        await actions.refreshManager();
      },

      async lockManager() {
        reset();
        await api?.call('manager.lock', {});
      },

      async quit() {
        await call('manager.quit', {});
      },

      async submitSetup() {
        const step = at('submitSetup', ['setup'], { idle: true });
        if ('refused' in step) return step;
        const v = step.values;
        // The second PIN only guards against a typo: compared here, never sent.
        if (v.pin !== v.pinAgain) {
          set({ step: { ...step, fieldErrors: { pinAgain: 'PIN_MISMATCH' } } });
          return;
        }
        const done = await call('setup.provision', { registryUrl: v.registryUrl.trim(), code: v.code.trim(), pin: v.pin });
        if (done === undefined) {
          showFieldErrors();
          return;
        }
        // The host's `setup` event brings the attract screen of the provisioned kiosk.
        const now = get().step;
        if (now.kind === 'setup') set({ step: { ...now, values: emptySetup, provisioned: true } });
      },
    };

    return {
      step: { kind: 'attract' },
      language: 'nl',
      largeText: false,
      highContrast: false,
      readAloud: false,
      headphones: false,
      speechVolume: SPEECH_VOLUME_DEFAULT,
      speechUnavailable: false,
      busy: false,
      idleWarning: false,
      actions,
    };
  });
