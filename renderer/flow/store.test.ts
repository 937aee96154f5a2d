// @vitest-environment node
// The flow store driven through every transition against a fake host: each call is checked against
// its schema as the host would, answers by default or as a test says, and can be held to answer late.
import { describe, expect, it } from 'vitest';
import {
  calls,
  events,
  type ApiError,
  type CallInput,
  type CallName,
  type CallOutput,
  type ConsentOverview,
  type EventName,
  type EventPayload,
  type KioskApi,
  type Party,
  type Result,
  type StatementScreen,
} from '../../api/contract';
import { isCustomerStep, type StepKind } from './steps';
import { createFlowStore, type FlowActions, type Refusal } from './store';

const INFO: CallOutput<'kiosk.info'> = {
  defaultLanguage: 'fr',
  idleSeconds: 60,
  countdownSeconds: 20,
  chainName: 'Test chain',
  keeps: ['surname', 'firstNames'],
  canQuit: true,
  reader: { readers: 1, cardPresent: false },
  staffCheck: 'code',
};
const STAFF_CODE = '482915';
const AN = { id: 'member-an', name: 'An' };
const PURPOSES: Record<Party, readonly string[]> = { chain: ['loyalty', 'offers'], registry: ['registry'] };
const statement = (party: Party): StatementScreen => ({
  party,
  id: `${party}-statement`,
  version: '1',
  language: 'fr',
  controller: { name: `${party} controller`, contact: 'privacy@example.be' },
  blocks: [{ role: 'title', text: `${party} statement` }],
  purposes: PURPOSES[party].map((id) => ({ id, title: id, text: `${id} text`, legalBasisText: 'consent' })),
  recipients: [],
  reconsent: false,
});
const OVERVIEW: ConsentOverview = {
  chain: [{ id: 'loyalty', title: 'Loyalty', status: 'given' }],
  registry: [],
  erasureOffered: true,
};
const RECEIPT: CallOutput<'enrollment.commit'> = { receiptId: 'receipt-1', lines: ['Receipt'], language: 'nl', qrSvg: '<svg/>' };
const QUEUE: CallOutput<'manager.status'> = {
  counts: { pending: 1, sending: 0, acknowledged: 3, deadLetter: 1, discarded: 0 },
  stale: false,
  registryReachable: true,
};
const FAILED: CallOutput<'manager.failed'> = [
  { key: 'item-1', kind: 'enrollment', initials: 'A.P.', reasonCode: 'REJECTED', reason: 'rejected', queuedAt: '2026-01-01T10:00:00Z' },
];
const IDENTITY = { surname: 'Peeters', firstNames: 'An' };
type Verified = Extract<EventPayload<'card'>, { phase: 'verified' }>;
const VERIFIED: Verified = {
  phase: 'verified',
  verdicts: [{ check: 'identity', ok: true, code: 'SIGNED' }],
  genuine: true,
  reconsent: [],
};

/** What the host answers when a test says nothing else: every call succeeds. */
const DEFAULTS: { [N in CallName]: (input: CallInput<N>) => CallOutput<N> } = {
  'kiosk.info': () => INFO,
  'session.start': () => ({}),
  'session.setLanguage': () => ({}),
  'session.extend': () => ({}),
  'session.end': () => ({}),
  'card.allowRead': () => ({}),
  'card.decline': () => ({}),
  'staff.confirm': () => ({}),
  'manual.submit': () => ({ reconsent: [] }),
  'contact.submit': () => ({}),
  'statement.get': ({ party }) => statement(party),
  'consent.decide': () => ({}),
  'enrollment.commit': () => RECEIPT,
  'myConsents.lookup': () => OVERVIEW,
  'myConsents.withdraw': () => ({ ...OVERVIEW, withdrawal: 'queued' }),
  'myConsents.sendCode': () => ({ channel: 'email' }),
  'myConsents.erase': () => ({}),
  'manager.unlock': () => ({}),
  'manager.lock': () => ({}),
  'manager.status': () => QUEUE,
  'manager.failed': () => FAILED,
  'manager.retry': () => ({}),
  'manager.discard': () => ({}),
  'manager.exportReceipts': () => ({ filename: 'receipts.csv', csv: 'receiptId\nreceipt-1\n' }),
  'manager.staffList': () => [AN],
  'manager.staffAdd': ({ name }) => ({ id: `member-${name}`, name, code: STAFF_CODE }),
  'manager.staffRevoke': () => ({}),
  'manager.quit': () => ({}),
  'setup.status': () => ({ provisioned: true }),
  'setup.provision': () => ({}),
  'speech.say': ({ language }) => ({ wav: '', sampleRate: 22050, voice: language, cached: false }),
};

/** undefined: the default answer. */
type Queued = Promise<Result<unknown> | undefined>;

class FakeKiosk implements KioskApi {
  /** Every call the store made, in order. */
  readonly sent: { name: CallName; input: unknown }[] = [];
  private readonly queued = new Map<CallName, Queued[]>();
  private readonly listeners = new Map<EventName, Set<(payload: unknown) => void>>();

  async call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallOutput<N>>> {
    calls[name].input.parse(input);
    this.sent.push({ name, input });
    const result = (await this.queued.get(name)?.shift()) ?? { ok: true, value: DEFAULTS[name](input) };
    if (result.ok) calls[name].output.parse(result.value);
    return result as Result<CallOutput<N>>;
  }

  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void {
    const set = this.listeners.get(name) ?? new Set();
    this.listeners.set(name, set);
    const untyped = listener as (payload: unknown) => void;
    set.add(untyped);
    return () => set.delete(untyped);
  }

  emit<N extends EventName>(name: N, payload: EventPayload<N>): void {
    events[name].parse(payload);
    for (const listener of this.listeners.get(name) ?? []) listener(payload);
  }

  /** The next call of `name` fails with this error. */
  fail(name: CallName, error: ApiError): void {
    this.enqueue(name, Promise.resolve({ ok: false, error }));
  }

  /** The next call of `name` waits for `release` (with this answer, or the default): a slow host. */
  hold<N extends CallName>(name: N): (answer?: Result<CallOutput<N>>) => void {
    let release: (answer?: Result<CallOutput<N>>) => void = () => undefined;
    this.enqueue(name, new Promise((resolve) => (release = resolve)));
    return (answer) => release(answer);
  }

  /** The names of the calls made since the last time asked. */
  drain(): CallName[] {
    return this.sent.splice(0).map((c) => c.name);
  }

  /** The input of the last call of `name`. */
  input<N extends CallName>(name: N): CallInput<N> | undefined {
    return this.sent.findLast((c) => c.name === name)?.input as CallInput<N> | undefined;
  }

  private enqueue(name: CallName, answer: Queued): void {
    this.queued.set(name, [...(this.queued.get(name) ?? []), answer]);
  }
}

/** Lets what an event set off (the lookup after a verified card) run to its end. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

async function connected() {
  const kiosk = new FakeKiosk();
  const store = createFlowStore();
  const act: FlowActions = store.getState().actions;
  await act.connect(kiosk);
  kiosk.drain();
  const step = () => store.getState().step;
  /** From the attract screen through a card read to the staff check. */
  async function readCard(verified: Partial<Verified> = {}, intent: 'enroll' | 'my-consents' = 'enroll') {
    await act.start(intent, 'eid');
    await act.allowRead(['read-my-eid']);
    kiosk.emit('card', { phase: 'reading' });
    kiosk.emit('card', { phase: 'identity', identity: IDENTITY });
    kiosk.emit('card', { phase: 'photo', photo: 'data:image/jpeg;base64,AAAA' });
    kiosk.emit('card', { ...VERIFIED, ...verified });
    await settle();
  }
  /** The shop assistant types their staff code and confirms the face check. */
  async function confirmByStaff(code = STAFF_CODE) {
    for (const digit of code) act.pinKey(digit);
    return act.staffConfirm();
  }
  /** Through the read and both consents, each left at "no", to the contact details. */
  async function toContact() {
    await readCard();
    await confirmByStaff();
    await act.decide();
    await act.decide();
  }
  /** From the attract screen to the manual form, filled in. */
  async function fillForm() {
    await act.start('enroll', 'form');
    act.setField('surname', ' Peeters ');
    act.setField('firstNames', 'An');
  }
  return { kiosk, store, act, step, readCard, confirmByStaff, toContact, fillForm };
}

const wrongStep = (action: keyof FlowActions, step: StepKind): Refusal => ({ refused: 'WRONG_STEP', action, step });

describe('connecting', () => {
  it('takes the kiosk settings and starts on the attract screen in its language', async () => {
    const kiosk = new FakeKiosk();
    const store = createFlowStore();
    await store.getState().actions.connect(kiosk);
    expect(kiosk.drain()).toEqual(['kiosk.info']);
    expect(store.getState()).toMatchObject({ step: { kind: 'attract' }, language: 'fr', info: INFO, busy: false });
  });
});

describe('an eID enrollment', () => {
  it('goes from the attract screen through the read, the staff check and both consents to the receipt', async () => {
    const { kiosk, act, step, store, confirmByStaff } = await connected();
    await act.start('enroll', 'eid');
    expect(kiosk.input('session.start')).toEqual({ language: 'fr', intent: 'enroll' });
    expect(step()).toEqual({ kind: 'permission', intent: 'enroll' });

    await act.allowRead(['read-my-eid']);
    expect(kiosk.input('card.allowRead')).toEqual({ controlsTouched: ['read-my-eid'] });
    expect(step()).toEqual({ kind: 'reading', intent: 'enroll', phase: 'waiting' });
    kiosk.emit('card', { phase: 'reading' });
    expect(step()).toMatchObject({ phase: 'reading' });
    kiosk.emit('card', { phase: 'identity', identity: IDENTITY });
    expect(step()).toMatchObject({ phase: 'checking', identity: IDENTITY });
    kiosk.emit('card', { phase: 'photo', photo: 'data:image/jpeg;base64,AAAA' });
    kiosk.emit('card', VERIFIED);
    expect(step()).toEqual({
      kind: 'staffCheck',
      identity: IDENTITY,
      photo: 'data:image/jpeg;base64,AAAA',
      verdicts: VERIFIED.verdicts,
      genuine: true,
      reconsent: [],
      code: '',
    });

    await confirmByStaff();
    expect(kiosk.input('staff.confirm')).toEqual({ code: STAFF_CODE });
    expect(step()).toMatchObject({ kind: 'consent', path: 'eid', party: 'chain', then: ['registry'], index: 1, total: 2 });
    expect(step()).toMatchObject({ statement: statement('chain') });
    act.choose('loyalty', true);
    act.choose('loyalty', true);
    await act.decide();
    // The untouched purpose is an explicit "no"; a control touched twice is recorded once.
    expect(kiosk.input('consent.decide')).toEqual({
      party: 'chain',
      decisions: { loyalty: true, offers: false },
      controlsTouched: ['purpose:loyalty', 'confirm'],
    });
    expect(step()).toMatchObject({ kind: 'consent', party: 'registry', then: [], index: 2, total: 2 });

    act.chooseAll(true);
    await act.decide();
    expect(kiosk.input('consent.decide')).toEqual({
      party: 'registry',
      decisions: { registry: true },
      controlsTouched: ['all:yes', 'confirm'],
    });
    expect(step()).toEqual({ kind: 'contact', values: { email: '', mobile: '' }, fieldErrors: {} });

    act.setField('email', ' an@example.be ');
    await act.submitContact(false);
    expect(kiosk.input('contact.submit')).toEqual({ email: 'an@example.be', mobile: undefined });
    expect(step()).toEqual({ kind: 'confirmation', receipt: RECEIPT });
    expect(kiosk.drain()).toEqual([
      'session.start',
      'card.allowRead',
      'staff.confirm',
      'statement.get',
      'consent.decide',
      'statement.get',
      'consent.decide',
      'contact.submit',
      'enrollment.commit',
    ]);

    act.toggleLargeText();
    await act.finish();
    expect(store.getState()).toMatchObject({ step: { kind: 'attract' }, largeText: false });
    expect(kiosk.input('session.end')).toEqual({ reason: 'done' });
  });

  it('skips the contact details when asked to', async () => {
    const { kiosk, act, step, toContact } = await connected();
    await toContact();
    act.setField('mobile', '0470 12 34 56');
    await act.submitContact(true);
    expect(kiosk.input('contact.submit')).toEqual({ email: undefined, mobile: undefined });
    expect(step().kind).toBe('confirmation');
  });

  it('asks for a confirmation by e-mail only when the switch is on and an address is typed', async () => {
    const { kiosk, act, toContact } = await connected();
    await toContact();
    expect(act.setConfirmationEmail(true)).toBeUndefined();
    await act.submitContact(false); // no address: nothing to send it to
    expect(kiosk.input('contact.submit')).toStrictEqual({ email: undefined, mobile: undefined });
  });

  it('carries the confirmation switch, and drops it when the details are skipped', async () => {
    const on = await connected();
    await on.toContact();
    on.act.setField('email', 'an@example.be');
    on.act.setConfirmationEmail(true);
    await on.act.submitContact(false);
    expect(on.kiosk.input('contact.submit')).toStrictEqual({ email: 'an@example.be', mobile: undefined, confirmationEmail: true });

    const skipped = await connected();
    await skipped.toContact();
    skipped.act.setField('email', 'an@example.be');
    skipped.act.setConfirmationEmail(true);
    await skipped.act.submitContact(true);
    expect(skipped.kiosk.input('contact.submit')).toStrictEqual({ email: undefined, mobile: undefined });
  });

  it('shows the host field errors beside the contact fields', async () => {
    const { kiosk, act, step, toContact } = await connected();
    await toContact();
    kiosk.fail('contact.submit', { code: 'INVALID_REQUEST', fields: { email: 'EMAIL_INVALID' } });
    await act.submitContact(false);
    expect(step()).toMatchObject({ kind: 'contact', fieldErrors: { email: 'EMAIL_INVALID' } });
  });

  it('starts a failed read clean, and reads again on retry', async () => {
    const { kiosk, act, step } = await connected();
    await act.start('enroll', 'eid');
    await act.allowRead(['read-my-eid']);
    kiosk.emit('card', { phase: 'identity', identity: IDENTITY });
    kiosk.emit('card', { phase: 'error', code: 'CARD_REMOVED' });
    expect(step()).toEqual({ kind: 'reading', intent: 'enroll', phase: 'checking', error: 'CARD_REMOVED' });

    await act.allowRead(['retry-read']);
    expect(kiosk.input('card.allowRead')).toEqual({ controlsTouched: ['retry-read'] });
    expect(step()).toEqual({ kind: 'reading', intent: 'enroll', phase: 'waiting' });
  });

  it('calls a verified read without an identity malformed', async () => {
    const { kiosk, act, step } = await connected();
    await act.start('enroll', 'eid');
    await act.allowRead(['read-my-eid']);
    kiosk.emit('card', VERIFIED);
    expect(step()).toMatchObject({ kind: 'reading', error: 'MALFORMED_FILE' });
  });

  it('asks a returning customer again only about the parties with an older consent, then commits', async () => {
    const { kiosk, act, step, readCard, confirmByStaff } = await connected();
    await readCard({ reconsent: ['registry'] });
    await confirmByStaff();
    expect(step()).toMatchObject({ kind: 'consent', path: 'reconsent', party: 'registry', index: 1, total: 1 });
    kiosk.drain();
    await act.decide();
    expect(kiosk.drain()).toEqual(['consent.decide', 'enrollment.commit']);
    expect(step().kind).toBe('confirmation');
  });

  it('asks the staff code: six digits at most, nothing sent before six, a refused code typed again', async () => {
    const { kiosk, act, step, store, readCard, confirmByStaff } = await connected();
    await readCard();
    for (const key of '1234567') act.pinKey(key);
    expect(step()).toMatchObject({ kind: 'staffCheck', code: '123456' });
    act.pinKey('back');
    expect(act.pinKey('x')).toEqual({ refused: 'INVALID_REQUEST', action: 'pinKey', step: 'staffCheck' });
    kiosk.drain();
    expect(await act.staffConfirm()).toEqual({ refused: 'INVALID_REQUEST', action: 'staffConfirm', step: 'staffCheck' });
    expect(kiosk.drain()).toEqual([]);

    kiosk.fail('staff.confirm', { code: 'STAFF_CODE_WRONG', triesLeft: 4 });
    await confirmByStaff('1');
    expect(kiosk.input('staff.confirm')).toEqual({ code: '123451' });
    expect(store.getState()).toMatchObject({ step: { kind: 'staffCheck', code: '' }, notice: { code: 'STAFF_CODE_WRONG', triesLeft: 4 } });

    await confirmByStaff();
    expect(step()).toMatchObject({ kind: 'consent', party: 'chain' });
  });

  it('confirms without a code when the chain switched staff codes off', async () => {
    const { kiosk, act, step, store, readCard } = await connected();
    store.setState({ info: { ...INFO, staffCheck: 'off' } });
    await readCard();
    await act.staffConfirm();
    expect(kiosk.input('staff.confirm')).toEqual({});
    expect(step()).toMatchObject({ kind: 'consent', party: 'chain' });
  });

  it('offers a card that failed a check only the form', async () => {
    const { kiosk, act, step, readCard } = await connected();
    await readCard({ genuine: false });
    kiosk.drain();
    expect(await act.staffConfirm()).toEqual(wrongStep('staffConfirm', 'staffCheck'));
    expect(kiosk.drain()).toEqual([]);

    await act.declineRead();
    expect(kiosk.drain()).toEqual(['card.decline']);
    expect(step()).toMatchObject({ kind: 'manualForm', intent: 'enroll' });
  });

  it('stays on the commit screen with the error when the commit fails, and commits again on retry', async () => {
    const { kiosk, act, store, fillForm } = await connected();
    await fillForm();
    await act.submitManual();
    await act.decide();
    kiosk.fail('enrollment.commit', { code: 'STORE_FULL' });
    await act.decide();
    expect(store.getState()).toMatchObject({ step: { kind: 'committing' }, notice: { code: 'STORE_FULL' } });
    await act.commit();
    expect(store.getState()).toMatchObject({ step: { kind: 'confirmation' }, notice: undefined });
  });
});

describe('the manual form', () => {
  it('sends the trimmed details and goes through both consents to the commit', async () => {
    const { kiosk, act, step, fillForm } = await connected();
    await fillForm();
    expect(kiosk.drain()).toEqual(['session.start', 'card.decline']);
    expect(step()).toMatchObject({ kind: 'manualForm', intent: 'enroll', values: { surname: ' Peeters ', firstNames: 'An' } });

    await act.submitManual();
    expect(kiosk.input('manual.submit')).toEqual({ surname: 'Peeters', firstNames: 'An', email: undefined, mobile: undefined });
    expect(step()).toMatchObject({ kind: 'consent', path: 'manual', party: 'chain', total: 2 });
    await act.decide();
    await act.decide();
    expect(step().kind).toBe('confirmation');
    expect(kiosk.drain()).toEqual([
      'manual.submit',
      'statement.get',
      'consent.decide',
      'statement.get',
      'consent.decide',
      'enrollment.commit',
    ]);
  });

  it('shows field errors beside their fields, and typing in one clears only its own', async () => {
    const { kiosk, act, step, store, fillForm } = await connected();
    await fillForm();
    kiosk.fail('manual.submit', { code: 'INVALID_REQUEST', fields: { surname: 'NAME_INVALID', email: 'EMAIL_INVALID' } });
    await act.submitManual();
    expect(store.getState().notice).toEqual({ code: 'INVALID_REQUEST', fields: { surname: 'NAME_INVALID', email: 'EMAIL_INVALID' } });
    expect(step()).toMatchObject({ kind: 'manualForm', fieldErrors: { surname: 'NAME_INVALID', email: 'EMAIL_INVALID' } });

    act.setField('surname', 'Peeters');
    expect(step()).toMatchObject({ fieldErrors: { email: 'EMAIL_INVALID' } });
    expect(step()).not.toHaveProperty('fieldErrors.surname');
  });

  it('asks a returning customer only about the parties the host names', async () => {
    const { kiosk, act, step, fillForm } = await connected();
    await fillForm();
    const release = kiosk.hold('manual.submit');
    const submitted = act.submitManual();
    release({ ok: true, value: { reconsent: ['chain'] } });
    await submitted;
    expect(step()).toMatchObject({ kind: 'consent', path: 'reconsent', party: 'chain', then: [], total: 1 });
  });

  it('finds "my consents" by the details', async () => {
    const { kiosk, act, step } = await connected();
    // As the attract screen offers it: the card first, then "use the form instead".
    await act.start('my-consents', 'eid');
    await act.declineRead();
    expect(kiosk.input('session.start')).toEqual({ language: 'fr', intent: 'my-consents' });
    expect(step()).toMatchObject({ kind: 'manualForm', intent: 'my-consents' });
    act.setField('surname', 'Peeters');
    act.setField('firstNames', 'An');
    act.setField('withdrawalCode', ' 7kq2m-xr4td ');
    await act.submitManual();
    // The host reads the code back forgivingly: only the spaces around it go here.
    expect(kiosk.input('manual.submit')).toEqual({
      surname: 'Peeters',
      firstNames: 'An',
      email: undefined,
      mobile: undefined,
      withdrawalCode: '7kq2m-xr4td',
    });
    expect(kiosk.drain()).toEqual(['session.start', 'card.decline', 'manual.submit', 'myConsents.lookup']);
    expect(step()).toEqual({ kind: 'myConsents', overview: OVERVIEW, erased: false });
  });
});

describe('a "no" to every purpose of the chain', () => {
  it.each(['eid', 'form'] as const)('on the %s path asks nothing more and confirms that nothing was kept', async (via) => {
    const { kiosk, act, step, readCard, fillForm, confirmByStaff } = await connected();
    if (via === 'eid') {
      await readCard();
      await confirmByStaff();
    } else {
      await fillForm();
      await act.submitManual();
    }
    kiosk.drain();
    act.chooseAll(false);
    // The host's word that nothing is kept: no registry screen, no contact details, no receipt.
    kiosk.hold('consent.decide')({ ok: true, value: { keepsNothing: true } });
    kiosk.hold('enrollment.commit')({ ok: true, value: { kept: false } });
    await act.decide();
    expect(kiosk.input('consent.decide')).toMatchObject({ party: 'chain', decisions: { loyalty: false, offers: false } });
    expect(kiosk.drain()).toEqual(['consent.decide', 'enrollment.commit']);
    expect(step()).toEqual({ kind: 'confirmation' });
  });
});

describe('"my consents"', () => {
  it('looks the customer up after a genuine card, withdraws in one touch and erases', async () => {
    const { kiosk, act, step, readCard } = await connected();
    await readCard({}, 'my-consents');
    expect(step()).toEqual({ kind: 'myConsents', overview: OVERVIEW, erased: false });

    await act.withdraw('chain', 'loyalty');
    expect(kiosk.input('myConsents.withdraw')).toEqual({ party: 'chain', purposes: ['loyalty'] });
    expect(step()).toEqual({ kind: 'myConsents', overview: OVERVIEW, erased: false, withdrawn: 'queued' });

    await act.erase();
    expect(step()).toMatchObject({ kind: 'myConsents', erased: true });
  });

  it('keeps no photo of the read, and ends the read on screen when the look-up finds nothing', async () => {
    const { kiosk, act, step, store } = await connected();
    await act.start('my-consents', 'eid');
    await act.allowRead(['read-my-eid']);
    kiosk.emit('card', { phase: 'identity', identity: IDENTITY });
    kiosk.emit('card', { phase: 'photo', photo: 'data:image/jpeg;base64,AAAA' });
    expect(step()).not.toHaveProperty('photo');
    kiosk.fail('myConsents.lookup', { code: 'NOT_FOUND' });
    kiosk.emit('card', VERIFIED);
    await settle();
    // Said once, as the read's error, with "read again" and "the form" beside it.
    expect(store.getState()).toMatchObject({ step: { kind: 'reading', phase: 'checking', error: 'NOT_FOUND' }, notice: undefined });
  });

  it('refuses a card that failed a check', async () => {
    const { kiosk, step, readCard } = await connected();
    await readCard({ genuine: false }, 'my-consents');
    expect(step()).toMatchObject({ kind: 'reading', intent: 'my-consents', error: 'NOT_VERIFIED' });
    expect(kiosk.drain()).not.toContain('myConsents.lookup');
  });
});

describe('"my consents" by typed details: the one-time code', () => {
  const TYPED: ConsentOverview = {
    chain: [],
    registry: [{ id: 'registry', title: 'Registry profile', status: 'given' }],
    erasureOffered: true,
    codeChannel: 'email',
  };
  /** "My consents" by the form, the host answering the lookup with `TYPED`. */
  async function typedLookup() {
    const flow = await connected();
    await flow.act.start('my-consents', 'eid');
    await flow.act.declineRead();
    flow.act.setField('surname', 'Peeters');
    flow.act.setField('firstNames', 'An');
    const release = flow.kiosk.hold('myConsents.lookup');
    const found = flow.act.submitManual();
    release({ ok: true, value: TYPED });
    await found;
    flow.kiosk.drain();
    const typeCode = (digits: string) => [...digits].forEach((d) => flow.act.codeKey(d));
    /** Erase, type `digits`, and the host refuses them with `code`. */
    const eraseRefused = async (digits: string, code: ApiError['code']) => {
      await flow.act.erase();
      typeCode(digits);
      flow.kiosk.fail('myConsents.erase', { code });
      await flow.act.submitCode();
    };
    return { ...flow, typeCode, eraseRefused };
  }

  it('erases only with the code sent to the address on file, typed on the keypad', async () => {
    const { kiosk, act, step, typeCode } = await typedLookup();
    await act.erase();
    expect(kiosk.drain()).toEqual(['myConsents.sendCode']);
    expect(step()).toMatchObject({ kind: 'myConsents', erased: false, code: { action: { kind: 'erase' }, channel: 'email', digits: '' } });

    typeCode('1234567'); // a seventh digit is one too many
    expect(step()).toMatchObject({ code: { digits: '123456' } });
    act.codeKey('{bksp}');
    expect(await act.submitCode()).toEqual({ refused: 'INVALID_REQUEST', action: 'submitCode', step: 'myConsents' });
    expect(act.codeKey('a')).toEqual({ refused: 'INVALID_REQUEST', action: 'codeKey', step: 'myConsents' });
    typeCode('9');
    await act.submitCode();
    expect(kiosk.input('myConsents.erase')).toEqual({ oneTimeCode: '123459' });
    expect(kiosk.drain()).toEqual(['myConsents.erase']);
    expect(step()).toEqual({ kind: 'myConsents', overview: TYPED, erased: true });
  });

  it('says a wrong or expired code in words, and sends a new one', async () => {
    const { kiosk, store, act, step, eraseRefused } = await typedLookup();
    await eraseRefused('000000', 'NOT_FOUND');
    expect(step()).toMatchObject({ erased: false, code: { digits: '', wrong: true } });
    expect(store.getState().notice).toBeUndefined(); // worded by the code entry, not as "no choices found"

    kiosk.drain();
    await act.resendCode();
    expect(kiosk.drain()).toEqual(['myConsents.sendCode']);
    expect(step()).toMatchObject({ code: { digits: '', wrong: false } });
  });

  it('keeps the code entry with the error in words when the registry cannot be reached', async () => {
    const { store, step, eraseRefused } = await typedLookup();
    await eraseRefused('123456', 'REGISTRY_UNREACHABLE');
    expect(step()).toMatchObject({ code: { digits: '123456', wrong: false } });
    expect(store.getState().notice).toMatchObject({ code: 'REGISTRY_UNREACHABLE' });
  });

  it('withdraws the registry consent with the code when the host asks for one', async () => {
    const { kiosk, act, step, typeCode } = await typedLookup();
    kiosk.fail('myConsents.withdraw', { code: 'PROOF_REQUIRED' });
    await act.withdraw('registry', 'registry');
    expect(kiosk.drain()).toEqual(['myConsents.withdraw', 'myConsents.sendCode']);
    expect(step()).toMatchObject({ code: { action: { kind: 'withdraw', party: 'registry', purposeId: 'registry' }, channel: 'email' } });

    typeCode('654321');
    const release = kiosk.hold('myConsents.withdraw');
    const done = act.submitCode();
    release({ ok: true, value: { ...TYPED, withdrawal: 'registered' } });
    await done;
    expect(kiosk.input('myConsents.withdraw')).toEqual({ party: 'registry', purposes: ['registry'], oneTimeCode: '654321' });
    expect(step()).toEqual({ kind: 'myConsents', overview: TYPED, erased: false, withdrawn: 'registered' });
  });

  it('goes back to the consents without erasing', async () => {
    const { kiosk, act, step } = await typedLookup();
    await act.erase();
    kiosk.drain();
    expect(act.cancelCode()).toBeUndefined();
    expect(step()).toEqual({ kind: 'myConsents', overview: TYPED, erased: false });
    expect(kiosk.drain()).toEqual([]);
  });

  it('refuses the code actions when no code is asked for, and the eID path erases without one', async () => {
    const { kiosk, act, step, readCard } = await connected();
    await readCard({}, 'my-consents');
    kiosk.drain();
    const refused = await Promise.all([act.codeKey('1'), act.submitCode(), act.resendCode(), act.cancelCode()]);
    expect(refused).toEqual((['codeKey', 'submitCode', 'resendCode', 'cancelCode'] as const).map((a) => wrongStep(a, 'myConsents')));
    await act.erase();
    expect(kiosk.input('myConsents.erase')).toEqual({});
    expect(kiosk.drain()).toEqual(['myConsents.erase']);
    expect(step()).toMatchObject({ erased: true });
  });
});

describe('the language', () => {
  it('stays on the screen outside a session', async () => {
    const { kiosk, act, store } = await connected();
    await act.setLanguage('de');
    expect(store.getState().language).toBe('de');
    expect(kiosk.drain()).toEqual([]);
  });

  it('fetches the consent statement again in the new language', async () => {
    const { kiosk, act, step, readCard, confirmByStaff } = await connected();
    await readCard();
    await confirmByStaff();
    kiosk.drain();
    const german = { ...statement('chain'), language: 'de' as const };
    const release = kiosk.hold('statement.get');
    const changed = act.setLanguage('de');
    release({ ok: true, value: german });
    await changed;
    expect(kiosk.input('session.setLanguage')).toEqual({ language: 'de' });
    expect(kiosk.drain()).toEqual(['session.setLanguage', 'statement.get']);
    expect(step()).toMatchObject({ kind: 'consent', statement: german });
  });

  it('looks "my consents" up again in the new language', async () => {
    const { kiosk, act, readCard } = await connected();
    await readCard({}, 'my-consents');
    kiosk.drain();
    await act.setLanguage('en');
    expect(kiosk.drain()).toEqual(['session.setLanguage', 'myConsents.lookup']);
  });
});

describe('idle, start over and the host wipe', () => {
  it('warns only during a session, and "still here" moves the host deadline', async () => {
    const { kiosk, act, store } = await connected();
    expect(act.showIdleWarning()).toEqual(wrongStep('showIdleWarning', 'attract'));
    expect(store.getState().idleWarning).toBe(false);

    await act.start('enroll', 'eid');
    act.showIdleWarning();
    expect(store.getState().idleWarning).toBe(true);
    kiosk.drain();
    await act.extend();
    expect(store.getState().idleWarning).toBe(false);
    expect(kiosk.drain()).toEqual(['session.extend']);
  });

  it('wipes a customer session and the screen settings', async () => {
    const { kiosk, act, store } = await connected();
    await act.start('enroll', 'eid');
    act.toggleLargeText();
    act.toggleHighContrast();
    await act.setLanguage('en');
    act.showIdleWarning();
    await act.wipe('idle');
    expect(store.getState()).toMatchObject({
      step: { kind: 'attract' },
      language: 'fr',
      largeText: false,
      highContrast: false,
      idleWarning: false,
      busy: false,
    });
    expect(kiosk.input('session.end')).toEqual({ reason: 'idle' });
  });

  it('turns read aloud and its headphones off when the staff corner opens: the staff corner is not for customers', async () => {
    const { act, store } = await connected();
    act.toggleReadAloud();
    act.setHeadphones(true);
    act.openManager();
    expect(store.getState()).toMatchObject({ step: { kind: 'managerPin' }, readAloud: false, headphones: false });
  });

  it('locks the manager view on a wipe, with no session to extend', async () => {
    const { kiosk, act, step } = await connected();
    act.openManager();
    act.showIdleWarning();
    await act.extend();
    expect(kiosk.drain()).toEqual([]);
    await act.wipe('idle');
    expect(step().kind).toBe('attract');
    expect(kiosk.drain()).toEqual(['manager.lock']);
  });

  it('goes back to the attract screen when the host wipes the session itself', async () => {
    const { kiosk, act, step } = await connected();
    await act.start('enroll', 'eid');
    kiosk.emit('session', { state: 'wiped', reason: 'idle' });
    expect(step().kind).toBe('attract');
  });

  it('goes back to the attract screen, saying why, when the host has no session', async () => {
    const { kiosk, act, store } = await connected();
    await act.start('enroll', 'eid');
    kiosk.fail('card.allowRead', { code: 'NO_SESSION' });
    await act.allowRead(['read-my-eid']);
    expect(store.getState()).toMatchObject({ step: { kind: 'attract' }, notice: { code: 'NO_SESSION' }, busy: false });
  });
});

describe('the manager view', () => {
  async function unlocked() {
    const flow = await connected();
    flow.act.openManager();
    for (const key of '1234') flow.act.pinKey(key);
    await flow.act.submitPin();
    flow.kiosk.drain();
    return flow;
  }

  it('takes a PIN of at most twelve digits, and types it again after a wrong one', async () => {
    const { kiosk, act, step, store } = await connected();
    act.openManager();
    for (const key of '12345678901234') act.pinKey(key);
    expect(step()).toEqual({ kind: 'managerPin', pin: '123456789012' });
    act.pinKey('back');
    expect(step()).toEqual({ kind: 'managerPin', pin: '12345678901' });

    kiosk.fail('manager.unlock', { code: 'PIN_WRONG', triesLeft: 2 });
    await act.submitPin();
    expect(kiosk.input('manager.unlock')).toEqual({ pin: '12345678901' });
    expect(store.getState()).toMatchObject({ step: { kind: 'managerPin', pin: '' }, notice: { code: 'PIN_WRONG', triesLeft: 2 } });
  });

  it('shows the queue and the failed items once unlocked', async () => {
    const { kiosk, act, step } = await connected();
    act.openManager();
    for (const key of '1234') act.pinKey(key);
    await act.submitPin();
    expect(kiosk.drain()).toEqual(['manager.unlock', 'manager.status', 'manager.failed']);
    expect(step()).toEqual({ kind: 'manager', status: QUEUE, failed: FAILED });
  });

  it('keeps what it showed when a poll fails, and locks when the host has no session', async () => {
    const { kiosk, act, step } = await unlocked();
    kiosk.fail('manager.failed', { code: 'INTERNAL' });
    await act.refreshManager();
    expect(step()).toEqual({ kind: 'manager', status: QUEUE, failed: FAILED });

    kiosk.fail('manager.status', { code: 'NO_SESSION' });
    await act.refreshManager();
    expect(step().kind).toBe('attract');
  });

  it('retries, discards and exports, then refreshes what it shows', async () => {
    const { kiosk, act, step } = await unlocked();
    expect(await act.retry([])).toEqual({ refused: 'INVALID_REQUEST', action: 'retry', step: 'manager' });
    await act.retry(['item-1']);
    expect(kiosk.input('manager.retry')).toEqual({ keys: ['item-1'] });
    await act.discard('item-1');
    expect(kiosk.input('manager.discard')).toEqual({ key: 'item-1' });
    expect(kiosk.drain()).toEqual([
      'manager.retry',
      'manager.status',
      'manager.failed',
      'manager.discard',
      'manager.status',
      'manager.failed',
    ]);

    expect(await act.exportReceipts()).toEqual({ filename: 'receipts.csv', csv: 'receiptId\nreceipt-1\n' });
    expect(step()).toMatchObject({ kind: 'manager', exported: 'receipts.csv' });
  });

  it('adds a staff member by name, shows its code once, revokes one, and goes back to the queue', async () => {
    const { kiosk, act, step } = await unlocked();
    await act.openStaff();
    expect(kiosk.drain()).toEqual(['manager.staffList']);
    expect(step()).toEqual({ kind: 'managerStaff', staff: [AN], values: { staffName: '' }, fieldErrors: {} });

    kiosk.fail('manager.staffAdd', { code: 'INVALID_REQUEST', fields: { name: 'NAME_TAKEN' } });
    act.setField('staffName', 'An');
    await act.addStaff();
    expect(step()).toEqual({ kind: 'managerStaff', staff: [AN], values: { staffName: 'An' }, fieldErrors: { staffName: 'NAME_TAKEN' } });

    act.setField('staffName', ' Jo ');
    await act.addStaff();
    expect(kiosk.input('manager.staffAdd')).toEqual({ name: 'Jo' });
    expect(step()).toMatchObject({ values: { staffName: '' }, fieldErrors: {}, added: { name: 'Jo', code: STAFF_CODE } });

    expect(await act.revokeStaff('nobody')).toEqual({ refused: 'INVALID_REQUEST', action: 'revokeStaff', step: 'managerStaff' });
    await act.revokeStaff(AN.id);
    expect(kiosk.input('manager.staffRevoke')).toEqual({ id: AN.id });
    // The new code leaves the screen with the next action.
    expect(step()).toEqual({ kind: 'managerStaff', staff: [], values: { staffName: '' }, fieldErrors: {}, added: undefined });

    kiosk.drain();
    await act.closeStaff();
    expect(kiosk.drain()).toEqual(['manager.status', 'manager.failed']);
    expect(step()).toEqual({ kind: 'manager', status: QUEUE, failed: FAILED });
  });

  it('quits, and locks back to the attract screen', async () => {
    const { kiosk, act, step } = await unlocked();
    await act.quit();
    await act.lockManager();
    expect(step().kind).toBe('attract');
    expect(kiosk.drain()).toEqual(['manager.quit', 'manager.lock']);
  });
});

describe('an action on the wrong step', () => {
  it('is refused with the action and the step, changes nothing and sends nothing', async () => {
    const { kiosk, act, store } = await connected();
    const before = store.getState();
    const refused = await Promise.all([
      act.allowRead(['read-my-eid']),
      act.staffConfirm(),
      act.setField('surname', 'Peeters'),
      act.submitManual(),
      act.submitContact(false),
      act.choose('loyalty', true),
      act.chooseAll(true),
      act.decide(),
      act.withdraw('chain', 'loyalty'),
      act.erase(),
      act.pinKey('1'),
      act.submitPin(),
      act.refreshManager(),
    ]);
    const actions: (keyof FlowActions)[] = [
      'allowRead',
      'staffConfirm',
      'setField',
      'submitManual',
      'submitContact',
      'choose',
      'chooseAll',
      'decide',
      'withdraw',
      'erase',
      'pinKey',
      'submitPin',
      'refreshManager',
    ];
    expect(refused).toEqual(actions.map((action) => wrongStep(action, 'attract')));
    expect(store.getState()).toBe(before);
    expect(kiosk.drain()).toEqual([]);
  });

  it('is refused on a customer step too: no manager view, no card read from the form', async () => {
    const { kiosk, act, fillForm } = await connected();
    await fillForm();
    kiosk.drain();
    expect(act.openManager()).toEqual(wrongStep('openManager', 'manualForm'));
    expect(await act.declineRead()).toEqual(wrongStep('declineRead', 'manualForm'));
    expect(act.setField('nickname', 'An')).toEqual({ refused: 'INVALID_REQUEST', action: 'setField', step: 'manualForm' });
    expect(kiosk.drain()).toEqual([]);
  });

  it('is refused while the statement has not loaded: there is nothing to choose yet', async () => {
    const { kiosk, act, readCard, confirmByStaff } = await connected();
    await readCard();
    kiosk.fail('statement.get', { code: 'INTERNAL' });
    await confirmByStaff();
    kiosk.drain();
    expect(act.chooseAll(true)).toEqual(wrongStep('chooseAll', 'consent'));
    expect(await act.decide()).toEqual(wrongStep('decide', 'consent'));
    expect(kiosk.drain()).toEqual([]);
  });

  it('is refused as busy while a call is in flight', async () => {
    const { kiosk, act, fillForm } = await connected();
    await fillForm();
    const release = kiosk.hold('manual.submit');
    const first = act.submitManual();
    expect(await act.submitManual()).toEqual({ refused: 'BUSY', action: 'submitManual', step: 'manualForm' });
    expect(await act.start('enroll', 'eid')).toEqual({ refused: 'BUSY', action: 'start', step: 'manualForm' });
    release();
    expect(await first).toBeUndefined();
  });
});

describe('a late answer after a wipe', () => {
  it('does not bring the wiped session back', async () => {
    const { kiosk, act, store, fillForm } = await connected();
    await fillForm();
    const release = kiosk.hold('manual.submit');
    const submitted = act.submitManual();
    await act.wipe('cancel');
    kiosk.drain();
    release();
    await submitted;
    expect(store.getState()).toMatchObject({ step: { kind: 'attract' }, busy: false, notice: undefined });
    expect(kiosk.drain()).toEqual([]);
  });

  it('shows no receipt of a wiped session', async () => {
    const { kiosk, act, step, fillForm } = await connected();
    await fillForm();
    await act.submitManual();
    await act.decide();
    const release = kiosk.hold('enrollment.commit');
    const committed = act.decide();
    await settle();
    expect(step().kind).toBe('committing');
    kiosk.emit('session', { state: 'wiped', reason: 'idle' });
    release();
    await committed;
    expect(step().kind).toBe('attract');
  });

  it('shows no error of a wiped session', async () => {
    const { kiosk, act, store } = await connected();
    act.openManager();
    for (const key of '1234') act.pinKey(key);
    const release = kiosk.hold('manager.unlock');
    const submitted = act.submitPin();
    await act.lockManager();
    release({ ok: false, error: { code: 'PIN_WRONG', triesLeft: 2 } });
    await submitted;
    expect(store.getState()).toMatchObject({ step: { kind: 'attract' }, notice: undefined });
  });

  it('does not end the busy state of the next session call', async () => {
    const { kiosk, act, step, store } = await connected();
    const releaseFirst = kiosk.hold('session.start');
    const first = act.start('enroll', 'eid');
    kiosk.emit('session', { state: 'wiped', reason: 'idle' });
    const releaseSecond = kiosk.hold('session.start');
    const second = act.start('enroll', 'form');
    releaseFirst();
    await first;
    expect(store.getState()).toMatchObject({ step: { kind: 'attract' }, busy: true });
    releaseSecond();
    await second;
    expect(step()).toMatchObject({ kind: 'manualForm' });
  });

  it('ignores card events once the read is wiped', async () => {
    const { kiosk, act, step } = await connected();
    await act.start('enroll', 'eid');
    await act.allowRead(['read-my-eid']);
    await act.wipe('cancel');
    kiosk.emit('card', { phase: 'identity', identity: IDENTITY });
    kiosk.emit('card', VERIFIED);
    expect(step()).toEqual({ kind: 'attract' });
  });
});

describe('set-up', () => {
  async function unprovisioned() {
    const kiosk = new FakeKiosk();
    kiosk.fail('kiosk.info', { code: 'NOT_PROVISIONED' });
    const store = createFlowStore();
    const act: FlowActions = store.getState().actions;
    await act.connect(kiosk);
    const type = (values: Record<string, string>) => Object.entries(values).forEach(([f, v]) => act.setField(f, v));
    return { kiosk, act, type, step: () => store.getState().step, notice: () => store.getState().notice };
  }
  const TYPED = { registryUrl: ' https://registry.example ', code: 'ABCD-EFGH-JKMN', pin: '2468', pinAgain: '2468' };

  it('a kiosk not provisioned shows only its set-up screen; the host event brings the attract screen', async () => {
    const { kiosk, act, type, step } = await unprovisioned();
    expect(step()).toMatchObject({ kind: 'setup', provisioned: false });
    expect(act.openManager()).toEqual({ refused: 'WRONG_STEP', action: 'openManager', step: 'setup' });
    type(TYPED);
    kiosk.drain();
    await act.submitSetup();
    expect(kiosk.input('setup.provision')).toEqual({ registryUrl: 'https://registry.example', code: 'ABCD-EFGH-JKMN', pin: '2468' });
    expect(kiosk.drain()).toEqual(['setup.provision']);
    expect(step()).toMatchObject({ kind: 'setup', provisioned: true, values: { pin: '' } });
    kiosk.emit('setup', { state: 'provisioned' });
    await settle();
    expect(step()).toEqual({ kind: 'attract' });
  });

  it('two different PINs: nothing sent, the second field says so', async () => {
    const { kiosk, act, type, step } = await unprovisioned();
    type({ ...TYPED, pinAgain: '1357' });
    kiosk.drain();
    await act.submitSetup();
    expect(kiosk.drain()).toEqual([]);
    expect(step()).toMatchObject({ kind: 'setup', fieldErrors: { pinAgain: 'PIN_MISMATCH' } });
  });

  it("the host's refusals: by field, or in words", async () => {
    const { kiosk, act, type, step, notice } = await unprovisioned();
    type(TYPED);
    kiosk.fail('setup.provision', { code: 'INVALID_REQUEST', fields: { registryUrl: 'URL_INVALID' } });
    await act.submitSetup();
    expect(step()).toMatchObject({ kind: 'setup', fieldErrors: { registryUrl: 'URL_INVALID' }, provisioned: false });
    kiosk.fail('setup.provision', { code: 'SETUP_CODE_REFUSED' });
    await act.submitSetup();
    expect(notice()).toMatchObject({ code: 'SETUP_CODE_REFUSED' });
    expect(step()).toMatchObject({ kind: 'setup', values: { code: 'ABCD-EFGH-JKMN' } });
  });
});

describe('isCustomerStep', () => {
  it('is every step of a customer session, and neither the attract screen nor the manager view', () => {
    // A Record over every kind: a new step fails to compile here until it is decided.
    const customer: Record<StepKind, boolean> = {
      attract: false,
      permission: true,
      reading: true,
      staffCheck: true,
      manualForm: true,
      consent: true,
      contact: true,
      committing: true,
      confirmation: true,
      myConsents: true,
      managerPin: false,
      manager: false,
      managerStaff: false,
      setup: false,
    };
    for (const [kind, expected] of Object.entries(customer)) expect(isCustomerStep(kind as StepKind), kind).toBe(expected);
  });
});

describe('read aloud', () => {
  it('is off for each new customer: the wipe turns it, the headphones and the volume back', async () => {
    const { store, act } = await connected();
    expect(store.getState()).toMatchObject({ readAloud: false, headphones: false });
    act.toggleReadAloud();
    act.setHeadphones(true);
    act.setSpeechVolume(99);
    expect(store.getState()).toMatchObject({ readAloud: true, headphones: true, speechVolume: 8 });
    await act.start('enroll', 'form');
    await act.wipe('cancel');
    expect(store.getState()).toMatchObject({ readAloud: false, headphones: false, speechVolume: 4 });
  });

  it('asks the host for speech beside the flow: no busy flag, no notice', async () => {
    const { kiosk, store, act } = await connected();
    const answer = await act.say({ language: 'fr', parts: [{ text: 'Bonjour' }] });
    expect(answer).toBeDefined();
    expect(kiosk.drain()).toEqual(['speech.say']);
    expect(store.getState()).toMatchObject({ busy: false, notice: undefined });
  });

  it('without a speech engine, says so on the toggle and stays off; the screen goes on', async () => {
    const { kiosk, store, act } = await connected();
    act.toggleReadAloud();
    kiosk.fail('speech.say', { code: 'SPEECH_UNAVAILABLE' });
    expect(await act.say({ language: 'nl', parts: [{ text: 'Hallo' }] })).toBeUndefined();
    expect(store.getState()).toMatchObject({ readAloud: false, speechUnavailable: true, notice: undefined, step: { kind: 'attract' } });
    act.toggleReadAloud();
    expect(store.getState().readAloud).toBe(false);
  });
});
