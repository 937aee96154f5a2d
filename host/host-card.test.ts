// The host's read through the real pcscd and a virtual card in "Virtual PCD 00 00" (slot 0 only:
// the end-to-end suite owns slot 1): nothing is sent to a card before the customer's tap, the
// identity is on screen before the photo, a tampered card cannot be enrolled as eID-verified, a card
// pulled mid-read is CARD_REMOVED, and a genuine read commits with both records.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeTlv } from '../card-reader/eid/tlv.js';
import { eject, insert, profile, trustFor, usePcscd } from '../card-reader/test/support.js';
import type { ProfileName } from '../card-reader/virtual/profiles.js';
import type { VirtualCard } from '../card-reader/virtual/vpcd-card.js';
import type { CardEvent, Receipt, StatementScreen } from '../api/contract.js';
import { answers, testHost, type TestHost } from './test-support.js';

const READER = 'Virtual PCD 00 00';
const pcsc = usePcscd();
let t: TestHost;
let card: VirtualCard | undefined;

async function hostWith(name: ProfileName): Promise<TestHost> {
  return testHost({ pcsc: pcsc.session(), trust: trustFor(await profile(name)), config: { reader: READER } });
}

async function insertCard(name: ProfileName, faults: { removeAfterApdus?: number; delayMs?: number } = {}): Promise<VirtualCard> {
  const p = await profile(name);
  card = await insert(pcsc.session(), { files: p.files, basicPrivateKey: p.basicPrivateKey, slot: 0, ...faults });
  return card;
}

/** Card events until (and with) the first one of `phase`. */
function cardEventsUntil(phase: CardEvent['phase'] | 'error'): Promise<{ event: CardEvent; apdus: number }[]> {
  return new Promise((resolve) => {
    const seen: { event: CardEvent; apdus: number }[] = [];
    const off = t.host.on('card', (event) => {
      seen.push({ event, apdus: card?.apduCount ?? -1 });
      if (event.phase === phase || event.phase === 'error') {
        off();
        resolve(seen);
      }
    });
  });
}

beforeEach(() => {
  card = undefined;
});
afterEach(async () => {
  t?.dispose();
  if (card) await eject(pcsc.session(), card);
});

describe('the read, only after the tap', () => {
  it('leaves an inserted card untouched until card.allowRead, then shows the identity before the photo', async () => {
    t = await hostWith('applet17-rsa');
    await t.ok('session.start', { language: 'nl', intent: 'enroll' });
    const inserted = await insertCard('applet17-rsa');
    await new Promise((r) => setTimeout(r, 300));
    expect(inserted.apduCount).toBe(0);
    expect(t.host.readerStatus()).toEqual({ readers: expect.any(Number), cardPresent: true });

    const events = cardEventsUntil('verified');
    await t.ok('card.allowRead', { controlsTouched: ['read-my-eid'] });
    const seen = await events;
    expect(seen.map((s) => s.event.phase)).toEqual(['waiting', 'reading', 'identity', 'photo', 'verified']);
    const identity = seen[2]!;
    const photo = seen[3]!;
    // Shown after GET CARD DATA, identity and address (7 APDUs), long before the photo's 13.
    expect(identity.apdus).toBe(7);
    expect(photo.apdus).toBe(29);
    expect(identity.event).toEqual({
      phase: 'identity',
      identity: {
        surname: 'Müller-Lefèvre',
        firstNames: expect.any(String),
        address: { street: expect.any(String), postalCode: expect.any(String), municipality: expect.any(String) },
        cardValidUntil: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
      },
    });
    expect(photo.event.phase === 'photo' && photo.event.photo.startsWith('data:image/jpeg;base64,/9j/')).toBe(true);
    expect(seen[4]!.event).toMatchObject({ phase: 'verified', genuine: true, reconsent: [] });
    const verdicts = seen[4]!.event.phase === 'verified' ? seen[4]!.event.verdicts : [];
    expect(verdicts.map((v) => `${v.check}:${v.code}`)).toEqual([
      'identity:SIGNED',
      'address:SIGNED',
      'photo:PHOTO_MATCHES',
      'chain:CHAIN_TRUSTED',
      'cardValidity:CARD_VALID',
    ]);

    // Staff confirm (with a staff code), both consents, no contact details, commit: an eID enrollment with two records.
    await t.ok('staff.confirm', { code: t.staffCodes.add('Sofie').code });
    const chain = await t.ok<StatementScreen>('statement.get', { party: 'chain' });
    await t.ok('consent.decide', { party: 'chain', decisions: answers(chain.purposes, ['loyalty']), controlsTouched: ['loyalty'] });
    const registry = await t.ok<StatementScreen>('statement.get', { party: 'registry' });
    await t.ok('consent.decide', {
      party: 'registry',
      decisions: answers(registry.purposes, ['profile-sync']),
      controlsTouched: ['profile-sync'],
    });
    await t.ok('contact.submit', { email: 'anna@example.be', confirmationEmail: true });
    const receipt = await t.ok<Receipt>('enrollment.commit');
    const { item } = t.stored(receipt.receiptId);
    if (item.kind !== 'enrollment') throw new Error('not an enrollment');
    expect(item.payload.source).toBe('eid');
    expect(item.payload.confirmationEmail).toBe(true);
    expect(item.payload.eidVerification).toMatchObject({ identity: true, address: true, photo: true, chain: true });
    expect(item.payload.person).toMatchObject({
      surname: 'Müller-Lefèvre',
      language: 'nl',
      email: 'anna@example.be',
      address: { country: 'BE' },
    });
    expect(item.payload.consents.map((c) => [c.party, c.event.method, c.evidence.controlsTouched])).toEqual([
      ['chain', 'kiosk-eid', ['card-permission:read-my-eid', 'loyalty']],
      ['registry', 'kiosk-eid', ['card-permission:read-my-eid', 'profile-sync']],
    ]);
    const registryCategories = item.payload.consents[1]!.dataCategories.map((c) => `${c.id}:${c.source}`);
    expect(registryCategories).toContain('birthDate:eid-chip');
    expect(item.payload.consents[0]!.dataCategories.map((c) => c.id)).not.toContain('birthDate');
    expect(JSON.stringify(t.host.sessionSnapshot())).not.toContain('Müller');

    // The national register number (identity tag 06) is nowhere: not in an event, not in the store.
    const p = await profile('applet17-rsa');
    const rrn = Buffer.from(decodeTlv(p.files['identity.tlv']!, 'identity').find((f) => f.tag === 0x06)!.value).toString('latin1');
    expect(rrn).toMatch(/^\d{11}$/);
    expect(JSON.stringify(t.events)).not.toContain(rrn);
    expect(JSON.stringify(item)).not.toContain(rrn);
    expect(JSON.stringify(receipt)).not.toContain(rrn);
  });

  it('a tampered card reads genuine=false and cannot be enrolled as eID-verified; the form still can', async () => {
    t = await hostWith('tampered-address');
    await insertCard('tampered-address');
    await t.ok('session.start', { language: 'fr', intent: 'enroll' });
    const events = cardEventsUntil('verified');
    await t.ok('card.allowRead', { controlsTouched: ['read-my-eid'] });
    const last = (await events).at(-1)!.event;
    expect(last).toMatchObject({ phase: 'verified', genuine: false });
    expect(last.phase === 'verified' && last.verdicts.find((v) => v.check === 'address')).toEqual({
      check: 'address',
      ok: false,
      code: 'SIGNATURE_MISMATCH',
    });
    expect(await t.code('staff.confirm')).toBe('NOT_VERIFIED');
    expect(await t.code('enrollment.commit')).toBe('WRONG_STEP');
    expect(await t.code('statement.get', { party: 'chain' })).toBe('WRONG_STEP');
    await t.ok('card.decline');
    expect(JSON.stringify(t.host.sessionSnapshot())).not.toContain('Müller');
    await t.ok('manual.submit', { surname: 'Müller', firstNames: 'Anna' });
    expect(t.host.sessionSnapshot()?.step).toBe('consent');
  });

  it('a card pulled out mid-read gives a CARD_REMOVED event, and the customer may read again', async () => {
    t = await hostWith('applet17-rsa');
    await t.ok('session.start', { language: 'de', intent: 'enroll' });
    await insertCard('applet17-rsa', { removeAfterApdus: 10 });
    const events = cardEventsUntil('error');
    await t.ok('card.allowRead', { controlsTouched: ['read-my-eid'] });
    expect((await events).at(-1)!.event).toEqual({ phase: 'error', code: 'CARD_REMOVED' });
    expect(t.host.sessionSnapshot()?.step).toBe('read-failed');
    expect(await t.code('card.allowRead', { controlsTouched: ['read-again'] })).toBe('ok');
  });
});
