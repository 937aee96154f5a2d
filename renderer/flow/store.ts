// The one flow store: state is the current step (a discriminated union) plus the screen's settings;
// every transition is an action here, so the order of screens can be read in one file. The host
// enforces the same order (WRONG_STEP); this store never holds more than the current screen shows.
import { create } from 'zustand';
import type { ApiError, CallName, CallInput, CallOutput, CardEvent, KioskApi, Language, Party, Result } from '../../api/contract';
import { missingCase, type ConsentPath, type Intent, type KioskInfo, type Step } from './steps';

export type Notice = Pick<ApiError, 'code' | 'fields' | 'triesLeft' | 'retryAfterSeconds'>;

export interface FlowState {
  step: Step;
  language: Language;
  largeText: boolean;
  highContrast: boolean;
  info?: KioskInfo;
  /** The last call's error, in words on the current screen; cleared by the next transition. */
  notice?: Notice;
  busy: boolean;
  idleWarning: boolean;
}

export interface FlowActions {
  connect(api: KioskApi): Promise<void>;
  setLanguage(language: Language): Promise<void>;
  toggleLargeText(): void;
  toggleHighContrast(): void;
  start(intent: Intent, via: 'eid' | 'form'): Promise<void>;
  allowRead(touched: readonly string[]): Promise<void>;
  declineRead(): Promise<void>;
  staffConfirm(): Promise<void>;
  setField(field: string, value: string): void;
  submitManual(): Promise<void>;
  submitContact(skip: boolean): Promise<void>;
  choose(purposeId: string, given: boolean): void;
  chooseAll(given: boolean): void;
  decide(): Promise<void>;
  commit(): Promise<void>;
  withdraw(party: Party, purposeId: string): Promise<void>;
  erase(): Promise<void>;
  finish(): Promise<void>;
  showIdleWarning(): void;
  extend(): Promise<void>;
  wipe(reason: 'idle' | 'cancel'): Promise<void>;
  openManager(): void;
  pinKey(key: string): void;
  submitPin(): Promise<void>;
  refreshManager(): Promise<void>;
  retry(keys: readonly string[]): Promise<void>;
  discard(key: string): Promise<void>;
  exportReceipts(): Promise<{ filename: string; csv: string } | undefined>;
  lockManager(): Promise<void>;
  quit(): Promise<void>;
}

export type Flow = FlowState & FlowActions;

const PARTIES: readonly Party[] = ['chain', 'registry'];
const PIN_MAX = 12;
const emptyManual = { surname: '', firstNames: '', email: '', mobile: '' };

export const createFlowStore = () =>
  create<Flow>()((set, get) => {
    let api: KioskApi | undefined;

    /** Every host call goes through here: one in flight at a time, its error shown in words. */
    async function call<N extends CallName>(name: N, input: CallInput<N>): Promise<CallOutput<N> | undefined> {
      if (api === undefined) return undefined;
      set({ busy: true, notice: undefined });
      let result: Result<CallOutput<N>>;
      try {
        result = await api.call(name, input);
      } finally {
        set({ busy: false });
      }
      if (result.ok) return result.value;
      const { code, fields, triesLeft, retryAfterSeconds } = result.error;
      set({ notice: { code, fields, triesLeft, retryAfterSeconds } });
      if (code === 'NO_SESSION') reset();
      return undefined;
    }

    const go = (step: Step): void => set({ step, notice: undefined });

    /** Back to the attract screen with nothing of the customer left, settings back to the store's. */
    function reset(): void {
      const info = get().info;
      set({
        step: { kind: 'attract' },
        language: info?.defaultLanguage ?? 'nl',
        largeText: false,
        highContrast: false,
        idleWarning: false,
        busy: false,
      });
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
          return get().commit();
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
      if (overview !== undefined) go({ kind: 'myConsents', overview, erased: false });
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
          });
        default:
          return missingCase(event);
      }
    }

    return {
      step: { kind: 'attract' },
      language: 'nl',
      largeText: false,
      highContrast: false,
      busy: false,
      idleWarning: false,

      async connect(kiosk) {
        api = kiosk;
        kiosk.on('card', onCard);
        kiosk.on('session', () => reset());
        const info = await call('kiosk.info', {});
        if (info !== undefined) {
          set({ info });
          reset();
        }
      },

      async setLanguage(language) {
        set({ language });
        const kind = get().step.kind;
        if (kind === 'attract' || kind === 'managerPin' || kind === 'manager') return;
        if ((await call('session.setLanguage', { language })) !== undefined) await refetchForLanguage();
      },
      toggleLargeText: () => set((s) => ({ largeText: !s.largeText })),
      toggleHighContrast: () => set((s) => ({ highContrast: !s.highContrast })),

      async start(intent, via) {
        if (get().busy) return;
        const started = await call('session.start', { language: get().language, intent });
        if (started === undefined) return;
        if (via === 'eid') return go({ kind: 'permission', intent });
        await get().declineRead();
      },

      async allowRead(touched) {
        const step = get().step;
        if (step.kind !== 'permission' && step.kind !== 'reading') return;
        go({ kind: 'reading', intent: step.intent, phase: 'waiting' });
        await call('card.allowRead', { controlsTouched: [...touched] });
      },

      async declineRead() {
        const step = get().step;
        const intent = step.kind === 'permission' || step.kind === 'reading' ? step.intent : 'enroll';
        if (step.kind === 'staffCheck' || step.kind === 'permission' || step.kind === 'reading' || step.kind === 'attract') {
          if ((await call('card.decline', {})) === undefined) return;
          go({ kind: 'manualForm', intent, values: emptyManual, fieldErrors: {} });
        }
      },

      async staffConfirm() {
        const step = get().step;
        if (step.kind !== 'staffCheck' || !step.genuine) return;
        if ((await call('staff.confirm', {})) === undefined) return;
        await (step.reconsent.length > 0 ? enterConsent('reconsent', step.reconsent) : enterConsent('eid', PARTIES));
      },

      setField(field, value) {
        const step = get().step;
        if ((step.kind !== 'manualForm' && step.kind !== 'contact') || !(field in step.values)) return;
        // Typing in a field clears that field's error, and only that one.
        const { [field]: _cleared, ...fieldErrors } = step.fieldErrors;
        set({ step: { ...step, values: { ...step.values, [field]: value }, fieldErrors } as typeof step });
      },

      async submitManual() {
        const step = get().step;
        if (step.kind !== 'manualForm' || get().busy) return;
        const v = step.values;
        const ok = await call('manual.submit', {
          surname: v.surname.trim(),
          firstNames: v.firstNames.trim(),
          email: v.email.trim() || undefined,
          mobile: v.mobile.trim() || undefined,
        });
        if (ok === undefined) return showFieldErrors();
        if (step.intent === 'my-consents') return lookup();
        // A returning customer whose consent was to an older version is asked only about those parties.
        const reconsent = returningFor(ok);
        await (reconsent.length > 0 ? enterConsent('reconsent', reconsent) : enterConsent('manual', PARTIES));
      },

      async submitContact(skip) {
        const step = get().step;
        if (step.kind !== 'contact' || get().busy) return;
        const v = skip ? { email: '', mobile: '' } : step.values;
        const ok = await call('contact.submit', { email: v.email.trim() || undefined, mobile: v.mobile.trim() || undefined });
        if (ok === undefined) return showFieldErrors();
        await get().commit();
      },

      choose(purposeId, given) {
        const step = get().step;
        if (step.kind !== 'consent') return;
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
        const step = get().step;
        if (step.kind !== 'consent' || step.statement === undefined) return;
        const decisions = Object.fromEntries(step.statement.purposes.map((p) => [p.id, given]));
        set({ step: { ...step, decisions, touched: [...step.touched, given ? 'all:yes' : 'all:no'] } });
      },

      async decide() {
        const step = get().step;
        if (step.kind !== 'consent' || step.statement === undefined || get().busy) return;
        // Untouched purposes are an explicit "no": every box started off and the customer saw it so.
        const decisions = Object.fromEntries(step.statement.purposes.map((p) => [p.id, step.decisions[p.id] === true]));
        const done = await call('consent.decide', { party: step.party, decisions, controlsTouched: [...step.touched, 'confirm'] });
        if (done === undefined) return;
        await enterConsent(step.path, step.then, step.total);
      },

      async commit() {
        go({ kind: 'committing' });
        const receipt = await call('enrollment.commit', {});
        if (receipt !== undefined) go({ kind: 'confirmation', receipt });
      },

      async withdraw(party, purposeId) {
        if (get().step.kind !== 'myConsents' || get().busy) return;
        const answer = await call('myConsents.withdraw', { party, purposes: [purposeId] });
        if (answer === undefined) return;
        const { withdrawal, ...overview } = answer;
        go({ kind: 'myConsents', overview, erased: false, withdrawn: withdrawal });
      },

      async erase() {
        const step = get().step;
        if (step.kind !== 'myConsents' || get().busy) return;
        if ((await call('myConsents.erase', {})) !== undefined) go({ ...step, erased: true });
      },

      async finish() {
        reset();
        await api?.call('session.end', { reason: 'done' });
      },

      showIdleWarning() {
        if (get().step.kind !== 'attract') set({ idleWarning: true });
      },

      async extend() {
        set({ idleWarning: false });
        if (get().step.kind === 'manager' || get().step.kind === 'managerPin') return;
        await api?.call('session.extend', {});
      },

      async wipe(reason) {
        const kind = get().step.kind;
        reset();
        if (kind === 'manager' || kind === 'managerPin') await api?.call('manager.lock', {});
        else await api?.call('session.end', { reason });
      },

      openManager() {
        if (get().step.kind === 'attract') go({ kind: 'managerPin', pin: '' });
      },

      pinKey(key) {
        const step = get().step;
        if (step.kind !== 'managerPin') return;
        const pin = key === 'back' ? step.pin.slice(0, -1) : (step.pin + key).slice(0, PIN_MAX);
        set({ step: { ...step, pin } });
      },

      async submitPin() {
        const step = get().step;
        if (step.kind !== 'managerPin' || get().busy) return;
        const ok = await call('manager.unlock', { pin: step.pin });
        if (ok === undefined) {
          const notice = get().notice;
          return set({ step: { ...step, pin: '' }, notice });
        }
        go({ kind: 'manager', failed: [] });
        await get().refreshManager();
      },

      async refreshManager() {
        if (get().step.kind !== 'manager' || api === undefined) return;
        // Polled: no busy flag and no notice, so a refresh never blocks or hides a manager's action.
        const [status, failed] = await Promise.all([api.call('manager.status', {}), api.call('manager.failed', {})]);
        const step = get().step;
        if (step.kind !== 'manager') return;
        if (!status.ok && status.error.code === 'NO_SESSION') return reset();
        set({
          step: {
            ...step,
            status: status.ok ? status.value : step.status,
            failed: failed.ok ? failed.value : step.failed,
          },
        });
      },

      async retry(keys) {
        if (keys.length === 0) return;
        if ((await call('manager.retry', { keys: [...keys] })) !== undefined) await get().refreshManager();
      },

      async discard(key) {
        if ((await call('manager.discard', { key })) !== undefined) await get().refreshManager();
      },

      async exportReceipts() {
        const file = await call('manager.exportReceipts', {});
        const step = get().step;
        if (file !== undefined && step.kind === 'manager') set({ step: { ...step, exported: file.filename } });
        return file;
      },

      async lockManager() {
        reset();
        await api?.call('manager.lock', {});
      },

      async quit() {
        await call('manager.quit', {});
      },
    };

    function showFieldErrors(): void {
      const step = get().step;
      const notice = get().notice;
      if (notice?.code !== 'INVALID_REQUEST' || (step.kind !== 'manualForm' && step.kind !== 'contact')) return;
      // The host's per-field codes; the screen words them next to each field.
      set({ step: { ...step, fieldErrors: notice.fields ?? {} } });
    }
  });
