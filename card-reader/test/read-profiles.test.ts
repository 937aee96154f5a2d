// Every card profile read through the real pcscd and @pokusew/pcsclite from a virtual card in a
// vpcd reader, parsed and verified; then the T=0 quirks and two readers at once.
import { generateKeyPairSync } from 'node:crypto';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeTlv } from '../eid/tlv.js';
import type { PcscSession } from '../pcsc/session.js';
import { readCard, type CardRead } from '../read-card.js';
import type { Verification } from '../types.js';
import { PROFILE_NAMES, type ProfileName } from '../virtual/profiles.js';
import type { AppletFaults, ChipKeys } from '../virtual/vpcd-card.js';
import { TODAY, eject, insert, profile, trustFor, usePcscd } from './support.js';

const pcsc = usePcscd();
let session: PcscSession;
beforeEach(async () => {
  session = pcsc.session();
});

async function readProfile(name: ProfileName, slot = 0, faults: AppletFaults = {}, photo = true, keys: ChipKeys = {}): Promise<CardRead> {
  const p = await profile(name);
  const card = await insert(session, { files: p.files, basicPrivateKey: p.basicPrivateKey, slot, ...faults, ...keys });
  try {
    return await readCard(session, { reader: card.readerName, photo, trust: trustFor(p), now: () => TODAY, waitMs: 2000 });
  } finally {
    await eject(session, card);
  }
}

const nationalNumber = async (name: ProfileName): Promise<string> => {
  const field = decodeTlv((await profile(name)).files['identity.tlv']!, 'identity').find((f) => f.tag === 0x06)!;
  return Buffer.from(field.value).toString('latin1');
};

const verdicts = (v: Verification) => Object.fromEntries(Object.entries(v).map(([k, { ok }]) => [k, ok]));
const allOk = { identity: true, address: true, photo: true, chain: true, cardValidity: true };

const EXPECTED: Record<
  ProfileName,
  { applet: string; surname: string; birthDate: string; documentType: number; verdicts: object; apdus: number }
> = {
  // The specimen card's validity ended in 2014; everything else about it is genuine.
  'specimen-alice-rsa': {
    applet: '1.1',
    surname: 'SPECIMEN',
    birthDate: '1971-01-01',
    documentType: 1,
    verdicts: { ...allOk, cardValidity: false },
    apdus: 29,
  },
  'applet17-rsa': { applet: '1.7', surname: 'Müller-Lefèvre', birthDate: '1985-07-15', documentType: 1, verdicts: allOk, apdus: 29 },
  // 1.8: + SELECT and READ of 4040, INTERNAL AUTHENTICATE and its GET RESPONSE.
  'applet18-ec': {
    applet: '1.8',
    surname: 'Specimen',
    birthDate: '1999-03-15',
    documentType: 1,
    verdicts: { ...allOk, basicKey: true },
    apdus: 31,
  },
  foreigner: { applet: '1.7', surname: 'El Amrani', birthDate: '1990-03-03', documentType: 33, verdicts: allOk, apdus: 29 },
  'german-year-only': { applet: '1.7', surname: 'Schröder', birthDate: '1962', documentType: 1, verdicts: allOk, apdus: 29 },
  'tampered-address': {
    applet: '1.7',
    surname: 'Müller-Lefèvre',
    birthDate: '1985-07-15',
    documentType: 1,
    verdicts: { ...allOk, address: false },
    apdus: 29,
  },
};

describe('reading every profile through pcscd', () => {
  it.each(PROFILE_NAMES)('%s', async (name) => {
    const expected = EXPECTED[name];
    const r = await readProfile(name);
    expect(r.card).toMatchObject({ appletVersion: expected.applet, reader: 'Virtual PCD 00 00' });
    expect(r.card.atr).toMatch(/^3B[0-9A-F]+$/);
    expect(r.identity).toMatchObject({ surname: expected.surname, birthDate: expected.birthDate, documentType: expected.documentType });
    expect(['M', 'F']).toContain(r.identity.sex);
    expect(r.address.postalCode).toMatch(/^\d{4}$/);
    expect(verdicts(r.verification)).toEqual(expected.verdicts);
    expect(r.apdus).toBe(expected.apdus);
    expect(Buffer.from(r.photo!, 'base64')).toEqual(Buffer.from((await profile(name)).files['photo.jpg']!));
    // The national register number (tag 06) appears nowhere in the result.
    expect(JSON.stringify(r)).not.toContain(await nationalNumber(name));
  });

  it('leaves the photo out unless asked, in 13 fewer APDUs', async () => {
    const r = await readProfile('specimen-alice-rsa', 0, {}, false);
    expect(r.photo).toBeUndefined();
    expect(r.apdus).toBe(16);
    expect(r.verification.photo.ok).toBe(false);
  });
});

describe('the applet 1.8 basic-key challenge through pcscd', () => {
  it('fails a clone: the copied files all verify, but its chip signs with another key than 4040', async () => {
    const cloneKey = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey;
    const r = await readProfile('applet18-ec', 0, {}, false, { basicPrivateKey: cloneKey });
    expect(verdicts(r.verification)).toEqual({ ...allOk, photo: false, basicKey: false });
    expect(r.verification.basicKey?.reason).toMatch(/did not prove it holds the basic key/);
  });

  it('fails a 1.8 card whose chip refuses INTERNAL AUTHENTICATE', async () => {
    const r = await readProfile('applet18-ec', 1, {}, false, { basicPrivateKey: undefined });
    expect(r.verification.basicKey).toEqual({ ok: false, code: 'CHIP_REFUSED', reason: expect.stringContaining('SW 6A88') });
    expect(r.verification.identity.ok).toBe(true);
  });
});

describe('T=0 quirks give the same result', () => {
  it('61xx + GET RESPONSE mode and wrong-Le mode read what the plain card reads', async () => {
    const plain = await readProfile('applet18-ec');
    const chained = await readProfile('applet18-ec', 0, { use61xx: true });
    const wrongLe = await readProfile('applet18-ec', 0, { wrongLe: true });
    const strip = ({ apdus: _a, ms: _m, ...rest }: CardRead) => rest;
    expect(strip(chained)).toEqual(strip(plain));
    expect(strip(wrongLe)).toEqual(strip(plain));
    expect(chained.apdus).toBeGreaterThan(plain.apdus);
    expect(wrongLe.apdus).toBeGreaterThan(plain.apdus);
  });
});

describe('two readers at once', () => {
  it('reads two cards concurrently, each from its own reader', async () => {
    const [a, b] = await Promise.all([readProfile('applet17-rsa', 0), readProfile('applet18-ec', 1)]);
    expect(a.card).toMatchObject({ reader: 'Virtual PCD 00 00', appletVersion: '1.7' });
    expect(b.card).toMatchObject({ reader: 'Virtual PCD 00 01', appletVersion: '1.8' });
    expect(verdicts(a.verification)).toEqual(allOk);
    expect(verdicts(b.verification)).toEqual({ ...allOk, basicKey: true });
  });
});
