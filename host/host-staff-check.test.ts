// The face check is the staff's act: through the real pcscd and a virtual card in "Virtual PCD 00 00"
// (slot 0 only: the end-to-end suite owns slot 1), `staff.confirm` needs an active staff member's
// code, locks out after wrong codes, refuses a revoked one, and the records name the member's id
// (never the code). A chain whose policy switched codes off confirms with a button, and says so.
import { afterEach, describe, expect, it } from 'vitest';
import { eject, insert, profile, trustFor, usePcscd } from '../card-reader/test/support.js';
import type { VirtualCard } from '../card-reader/virtual/vpcd-card.js';
import { DEFAULT_POLICY } from '../sync/store/policy.js';
import type { Receipt, StatementScreen } from '../api/contract.js';
import { MAX_TRIES } from './pin.js';
import { answers, testHost, type TestHost } from './test-support.js';

const READER = 'Virtual PCD 00 00';
const pcsc = usePcscd();
let t: TestHost | undefined;
let card: VirtualCard | undefined;

afterEach(async () => {
  t?.dispose();
  if (card) await eject(pcsc.session(), card);
  card = undefined;
});

/** A host whose session has read a genuine card and waits at the staff check. */
async function atStaffCheck(staffCheck: 'code' | 'off'): Promise<TestHost> {
  const p = await profile('applet17-rsa');
  const h = testHost({ pcsc: pcsc.session(), trust: trustFor(p), config: { reader: READER, policy: { ...DEFAULT_POLICY, staffCheck } } });
  t = h;
  card = await insert(pcsc.session(), { files: p.files, basicPrivateKey: p.basicPrivateKey, slot: 0 });
  await h.ok('session.start', { language: 'nl', intent: 'enroll' });
  const verified = new Promise<void>((resolve) => {
    const off = h.host.on('card', (e) => {
      if (e.phase === 'verified' || e.phase === 'error') {
        off();
        resolve();
      }
    });
  });
  await h.ok('card.allowRead', { controlsTouched: ['read-my-eid'] });
  await verified;
  expect(h.host.sessionSnapshot()?.step).toBe('checked');
  return h;
}

/** Both consents (yes to the chain's first purpose only: a no to all keeps nothing), no contact details, commit: the stored records. */
async function finish(h: TestHost) {
  for (const party of ['chain', 'registry'] as const) {
    const s = await h.ok<StatementScreen>('statement.get', { party });
    const yes = party === 'chain' ? [s.purposes[0]!.id] : [];
    await h.ok('consent.decide', { party, decisions: answers(s.purposes, yes), controlsTouched: ['confirm'] });
  }
  await h.ok('contact.submit', {});
  const receipt = await h.ok<Receipt>('enrollment.commit');
  const { item } = h.stored(receipt.receiptId);
  if (item.kind !== 'enrollment') throw new Error('not an enrollment');
  return item.payload;
}

const error = async (h: TestHost, code?: string) => {
  const r = await h.host.call('staff.confirm', code === undefined ? {} : { code });
  return r.ok ? 'ok' : r.error;
};

describe('staff.confirm with staff codes', () => {
  it('refuses wrong and revoked codes with the tries left, locks out, then takes the right one and names its member', async () => {
    const h = await atStaffCheck('code');
    const an = h.staffCodes.add('An');
    const jo = h.staffCodes.add('Jo');
    h.staffCodes.revoke(jo.id);
    const wrong = [an.code, jo.code].includes('000000') ? (an.code === '111111' || jo.code === '111111' ? '222222' : '111111') : '000000';

    expect(await error(h)).toEqual({ code: 'STAFF_CODE_WRONG', triesLeft: MAX_TRIES - 1 });
    expect(await error(h, jo.code)).toEqual({ code: 'STAFF_CODE_WRONG', triesLeft: MAX_TRIES - 2 });
    expect(h.host.sessionSnapshot()?.step).toBe('checked');
    for (let i = 3; i < MAX_TRIES; i++) expect(await error(h, wrong)).toEqual({ code: 'STAFF_CODE_WRONG', triesLeft: MAX_TRIES - i });
    expect(await error(h, wrong)).toEqual({ code: 'STAFF_CODE_LOCKED', retryAfterSeconds: 30 });
    // Locked: the right code waits too.
    expect(await error(h, an.code)).toEqual({ code: 'STAFF_CODE_LOCKED', retryAfterSeconds: 30 });
    h.clock.now = new Date(h.clock.now.getTime() + 30_000);
    expect(await error(h, an.code)).toBe('ok');

    const payload = await finish(h);
    expect(payload.source).toBe('eid');
    expect(payload.consents.map((c) => c.evidence.staffCheck)).toEqual([{ by: an.id }, { by: an.id }]);
    expect(JSON.stringify(payload)).not.toContain(an.code);
    expect(JSON.stringify(payload)).not.toContain('"An"');
  });

  it('with codes off in the chain policy: a button confirms, and the records say the policy had them off', async () => {
    const h = await atStaffCheck('off');
    expect(await h.ok('kiosk.info')).toMatchObject({ staffCheck: 'off' });
    expect(await error(h)).toBe('ok');
    const payload = await finish(h);
    expect(payload.consents.map((c) => c.evidence.staffCheck)).toEqual([{ policy: 'off' }, { policy: 'off' }]);
  });
});
