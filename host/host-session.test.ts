// The host's session as a state machine, on the real store: the manual enrollment end to end, every
// out-of-order call refused with WRONG_STEP and nothing changed, bad payloads refused, the commit
// holding the person and one record per party, and the wipes (end, idle, commit) leaving nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Receipt, StatementScreen } from '../api/contract.js';
import { qrSvg, receiptQr } from './receipt.js';
import { answers, testHost, type TestHost } from './test-support.js';

let t: TestHost;
beforeEach(() => {
  t = testHost();
});
afterEach(() => t.dispose());

const FORM = { surname: 'Dubois', firstNames: 'Camille', email: 'camille@example.org', mobile: '0470 12 34 56' };

async function decide(party: 'chain' | 'registry', yes: string[]): Promise<StatementScreen> {
  const screen = await t.ok<StatementScreen>('statement.get', { party });
  await t.ok('consent.decide', { party, decisions: answers(screen.purposes, yes), controlsTouched: yes.map((p) => `toggle:${p}`) });
  return screen;
}

describe('a manual enrollment', () => {
  it('runs start -> decline -> form -> chain -> registry -> commit, and the store holds the person and both records', async () => {
    await t.ok('session.start', { language: 'fr', intent: 'enroll' });
    await t.ok('card.decline');
    await t.ok('manual.submit', FORM);
    const chain = await decide('chain', ['loyalty', 'offers-email']);
    expect(chain).toMatchObject({ party: 'chain', id: 'demo-retail-loyalty', language: 'fr', reconsent: false });
    expect(chain.recipients.length).toBeGreaterThan(0);
    expect(chain.blocks.some((b) => b.purposeId === 'loyalty')).toBe(true);
    await decide('registry', []);
    const receipt = await t.ok<Receipt>('enrollment.commit');

    const { item } = t.stored(receipt.receiptId);
    if (item.kind !== 'enrollment') throw new Error('not an enrollment');
    expect(item.payload.source).toBe('manual');
    expect(item.payload.person).toEqual({
      surname: 'Dubois',
      firstNames: 'Camille',
      language: 'fr',
      email: 'camille@example.org',
      mobile: '+32470123456',
    });
    expect(item.payload.consents.map((c) => [c.party, c.event.type, c.event.method])).toEqual([
      ['chain', 'given', 'kiosk-manual'],
      ['registry', 'refused', 'kiosk-manual'],
    ]);
    const [chainRecord] = item.payload.consents;
    expect(chainRecord!.purposes.find((p) => p.id === 'loyalty')?.status).toBe('given');
    expect(chainRecord!.purposes.find((p) => p.id === 'profiling')?.status).toBe('refused');
    expect(chainRecord!.evidence).toEqual({ allUncheckedAtStart: true, controlsTouched: ['toggle:loyalty', 'toggle:offers-email'] });
    expect(chainRecord!.dataCategories.map((c) => `${c.id}:${c.source}`)).toEqual([
      'surname:self-declared',
      'firstNames:self-declared',
      'language:self-declared',
      'email:self-declared',
      'mobile:self-declared',
    ]);

    // The receipt: in French, and a QR code that names no person.
    expect(receipt.lines[0]).toBe('Reçu de vos consentements');
    expect(receipt.language).toBe('fr');
    expect(receipt.qrSvg).toMatch(/^<svg/);
    expect(JSON.stringify(receipt.lines)).not.toMatch(/Dubois|Camille|camille@|\+32470/);
    // The QR: this kiosk's signed receipt of these very records (Ed25519 signs deterministically).
    const code = receipt.withdrawalCode?.replace('-', '');
    const qr = receiptQr(item.payload.consents, 'fr', { signer: t.store.signingKey, chainId: item.payload.chainId }, code);
    expect(receipt.qrSvg).toBe(await qrSvg(qr));
    expect(qr).not.toMatch(/Dubois|Camille|camille@|\+32470/);

    // After the commit the host holds nothing of the customer.
    expect(JSON.stringify(t.host.sessionSnapshot())).not.toMatch(/Dubois|Camille|camille|470/);
    expect(t.host.sessionSnapshot()?.step).toBe('done');
    await t.ok('session.end', { reason: 'done' });
    expect(t.host.sessionSnapshot()).toBeUndefined();
  });

  it('refuses field errors with codes, and keeps the customer on the form', async () => {
    await t.ok('session.start', { language: 'nl', intent: 'enroll' });
    await t.ok('card.decline');
    const r = await t.host.call('manual.submit', { surname: '  ', firstNames: '123', email: 'not-an-address', mobile: '12' });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'INVALID_REQUEST',
        fields: { surname: 'REQUIRED', firstNames: 'NAME_INVALID', email: 'EMAIL_INVALID', mobile: 'MOBILE_INVALID' },
      },
    });
    expect(t.host.sessionSnapshot()?.step).toBe('manual');
    await t.ok('manual.submit', { surname: 'Peeters', firstNames: 'An' });
    expect(t.host.sessionSnapshot()?.step).toBe('consent');
  });
});

describe('out-of-order calls', () => {
  it('answers NO_SESSION without a session, and WRONG_STEP for every call out of order, changing nothing', async () => {
    expect(await t.code('card.allowRead', { controlsTouched: [] })).toBe('NO_SESSION');
    expect(await t.code('enrollment.commit')).toBe('NO_SESSION');
    await t.ok('session.start', { language: 'en', intent: 'enroll' });
    const attempts: [string, unknown][] = [
      ['staff.confirm', {}],
      ['manual.submit', FORM],
      ['contact.submit', {}],
      ['statement.get', { party: 'chain' }],
      ['consent.decide', { party: 'chain', decisions: {}, controlsTouched: [] }],
      ['enrollment.commit', {}],
      ['myConsents.lookup', {}],
      ['myConsents.withdraw', { party: 'chain', purposes: ['loyalty'] }],
      ['manager.status', {}],
    ];
    const before = JSON.stringify(t.host.sessionSnapshot());
    for (const [name, input] of attempts) expect(await t.code(name, input), name).toBe('WRONG_STEP');
    expect(JSON.stringify(t.host.sessionSnapshot())).toBe(before);

    await t.ok('card.decline');
    await t.ok('manual.submit', FORM);
    // The registry's screen before the chain's; the commit before any decision.
    const atConsent = JSON.stringify(t.host.sessionSnapshot());
    expect(await t.code('statement.get', { party: 'registry' })).toBe('WRONG_STEP');
    expect(await t.code('consent.decide', { party: 'registry', decisions: { 'profile-sync': true }, controlsTouched: [] })).toBe(
      'WRONG_STEP',
    );
    expect(await t.code('enrollment.commit')).toBe('WRONG_STEP');
    expect(await t.code('card.allowRead', { controlsTouched: ['read'] })).toBe('WRONG_STEP');
    expect(JSON.stringify(t.host.sessionSnapshot())).toBe(atConsent);
    // A decision that leaves a purpose unanswered is a bad request, and changes nothing either.
    expect(await t.code('consent.decide', { party: 'chain', decisions: { loyalty: true }, controlsTouched: [] })).toBe('INVALID_REQUEST');
    expect(JSON.stringify(t.host.sessionSnapshot())).toBe(atConsent);
  });

  it('refuses payloads that fail their schema, and unknown calls, with INVALID_REQUEST', async () => {
    await t.ok('session.start', { language: 'en', intent: 'enroll' });
    const before = JSON.stringify(t.host.sessionSnapshot());
    expect(await t.code('session.start', { language: 'xx', intent: 'enroll' })).toBe('INVALID_REQUEST');
    expect(await t.code('session.setLanguage', { language: 'fr', extra: 1 })).toBe('INVALID_REQUEST');
    expect(await t.code('card.allowRead', { controlsTouched: 'all' })).toBe('INVALID_REQUEST');
    expect(await t.code('no.such.call', {})).toBe('INVALID_REQUEST');
    expect(await t.code('__proto__', {})).toBe('INVALID_REQUEST');
    expect(JSON.stringify(t.host.sessionSnapshot())).toBe(before);
  });
});

describe('the wipe', () => {
  it('after the idle deadline: nothing of the customer is left, and the renderer is told', async () => {
    await t.ok('session.start', { language: 'nl', intent: 'enroll' });
    await t.ok('card.decline');
    await t.ok('manual.submit', FORM);
    expect(JSON.stringify(t.host.sessionSnapshot())).toContain('Dubois');
    // The deadline is the idle time plus the countdown, moved by every call.
    expect([...t.timers.pending.values()].map((p) => p.ms)).toEqual([80_000]);
    t.timers.fireAll();
    expect(t.host.sessionSnapshot()).toBeUndefined();
    expect(t.events.filter((e) => e.name === 'session')).toEqual([{ name: 'session', payload: { state: 'wiped', reason: 'idle' } }]);
    expect(await t.code('statement.get', { party: 'chain' })).toBe('NO_SESSION');
  });

  it('on session.end and on a new session.start', async () => {
    await t.ok('session.start', { language: 'nl', intent: 'enroll' });
    await t.ok('card.decline');
    await t.ok('manual.submit', FORM);
    await t.ok('session.start', { language: 'de', intent: 'enroll' });
    expect(JSON.stringify(t.host.sessionSnapshot())).not.toContain('Dubois');
    await t.ok('session.end', { reason: 'cancel' });
    expect(t.host.sessionSnapshot()).toBeUndefined();
    expect(t.timers.pending.size).toBe(0);
  });
});

describe('my consents without a registry', () => {
  it('identifies by the form (name plus e-mail or mobile) and answers REGISTRY_UNREACHABLE', async () => {
    await t.ok('session.start', { language: 'en', intent: 'my-consents' });
    await t.ok('card.decline');
    expect(await t.host.call('manual.submit', { surname: 'Dubois', firstNames: 'Camille' })).toEqual({
      ok: false,
      error: { code: 'INVALID_REQUEST', fields: { email: 'REQUIRED' } },
    });
    await t.ok('manual.submit', { surname: 'Dubois', firstNames: 'Camille', email: 'camille@example.org' });
    expect(await t.code('myConsents.lookup')).toBe('REGISTRY_UNREACHABLE');
  });
});

describe('my consents look-ups', () => {
  it('are limited to 10 per 10 minutes per kiosk, across sessions', async () => {
    const lookup = async () => {
      await t.ok('session.start', { language: 'en', intent: 'my-consents' });
      await t.ok('card.decline');
      await t.ok('manual.submit', { surname: 'Dubois', firstNames: 'Camille', email: 'camille@example.org' });
      return t.host.call('myConsents.lookup', {});
    };
    for (let i = 0; i < 10; i++) expect(await lookup()).toEqual({ ok: false, error: { code: 'REGISTRY_UNREACHABLE' } });
    expect(await lookup()).toEqual({ ok: false, error: { code: 'RATE_LIMITED', retryAfterSeconds: 600 } });
    t.clock.now = new Date(t.clock.now.getTime() + 10 * 60 * 1000 + 1);
    expect(await lookup()).toEqual({ ok: false, error: { code: 'REGISTRY_UNREACHABLE' } });
  });
});
