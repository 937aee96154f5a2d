// The protocol against the virtual applet in memory: every status-word path, APDU counts, and the
// exact bytes read. The same applet runs behind pcscd in card-reader/test/.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BelpicApplet, type AppletFaults, type ChipKeys } from '../virtual/vpcd-card.js';
import { CardError } from '../errors.js';
import type { CardFileName, CardFiles } from '../types.js';
import { checkBasicKey } from '../verify/basic-key.js';
import { BELPIC_AID, getCardData, internalAuthenticate, selectAid } from './apdu.js';
import { toHex } from './hex.js';
import { BeidCard, derCertificateLength, eidFileNamed, readEidFiles, signatureFileSize, type ApduTransport } from './protocol.js';
import { SPECIMEN_DIR, loadProfile } from '../virtual/profiles.js';
import { parseIdentityFile } from './identity.js';

const alice: CardFiles = Object.fromEntries(
  readdirSync(SPECIMEN_DIR).map((f) => [f as CardFileName, new Uint8Array(readFileSync(join(SPECIMEN_DIR, f)))]),
);

function inMemory(files: CardFiles, faults: AppletFaults = {}, keys: ChipKeys = {}) {
  const applet = new BelpicApplet(files, faults, keys);
  const sent: string[] = [];
  const transport: ApduTransport = {
    transmit: async (command) => {
      sent.push(toHex(command.subarray(0, 5)));
      return applet.process(command);
    },
  };
  return { applet, card: new BeidCard(transport), sent };
}

const padded = (bytes: Uint8Array, zeros: number) => Uint8Array.from([...bytes, ...new Uint8Array(zeros)]);

async function code(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (e instanceof CardError) return `${e.code}: ${e.detail}`;
    throw e;
  }
  return 'no error';
}

describe('readEidFiles on the specimen card', () => {
  it('reads the five files byte for byte in 16 APDUs, 29 with the photo', async () => {
    const { card } = inMemory(alice);
    const { files, cardData } = await readEidFiles(card, { photo: false });
    expect(card.apduCount).toBe(16);
    expect(cardData.appletVersion).toBe('1.1'); // byte 21 of the 28-byte answer is 0x11
    for (const name of ['identity.tlv', 'identity-signature.bin', 'address.tlv', 'address-signature.bin', 'rrn-cert.der'] as const) {
      expect(files[name], name).toEqual(alice[name]);
    }
    expect(files['photo.jpg']).toBeUndefined();

    const withPhoto = inMemory(alice);
    const all = await readEidFiles(withPhoto.card, { photo: true });
    expect(all.files['photo.jpg']).toEqual(alice['photo.jpg']);
    expect(withPhoto.card.apduCount).toBe(29);
  });

  it('reads identity and address first and the photo last, reporting each file before the next APDU', async () => {
    const { card } = inMemory(alice);
    const seen: { name: CardFileName; apdusSoFar: number }[] = [];
    await readEidFiles(card, { photo: true, onFile: (name) => seen.push({ name, apdusSoFar: card.apduCount }) });
    expect(seen.map((s) => s.name)).toEqual([
      'identity.tlv',
      'address.tlv',
      'rrn-cert.der',
      'identity-signature.bin',
      'address-signature.bin',
      'photo.jpg',
    ]);
    // GET CARD DATA + identity (SELECT, 2 READs) + address (SELECT, 2 READs): shown after 7 of 29 APDUs.
    expect(seen[1]).toEqual({ name: 'address.tlv', apdusSoFar: 7 });
    expect(card.apduCount).toBe(29);
  });

  it('sends the expected frames: one path SELECT per file, Le=00 chunks, known sizes, no certificate padding', async () => {
    const files = { ...alice, 'rrn-cert.der': padded(alice['rrn-cert.der']!, 50) };
    const { card, sent } = inMemory(files);
    await readEidFiles(card, { photo: false });
    expect(sent).toEqual([
      '80E400001C',
      '00A4080C06',
      '00B0000000',
      '00B00000B3', // identity
      '00A4080C06',
      '00B0000000',
      '00B0000079', // address
      '00A4080C06',
      '00B0000000',
      '00B0010000',
      '00B0020000',
      '00B0030048', // RRN certificate
      '00A4080C06',
      '00B0000080', // identity signature
      '00A4080C06',
      '00B0000080', // address signature
    ]);
  });

  it('gives the same bytes in 61xx mode and in wrong-Le mode', async () => {
    for (const faults of [{ use61xx: true }, { wrongLe: true }, { use61xx: true, wrongLe: true }]) {
      const { card } = inMemory(alice, faults);
      const { files } = await readEidFiles(card, { photo: true });
      for (const name of [
        'identity.tlv',
        'identity-signature.bin',
        'address.tlv',
        'address-signature.bin',
        'rrn-cert.der',
        'photo.jpg',
      ] as const) {
        expect(files[name], `${name} ${JSON.stringify(faults)}`).toEqual(alice[name]);
      }
    }
  });

  it('reads a file whose size is a multiple of 256 up to the 6B00', async () => {
    const photo = new Uint8Array(512).map((_, i) => i & 0xff);
    const { card, sent } = inMemory({ ...alice, 'photo.jpg': photo });
    expect(await card.readFile(eidFileNamed('photo.jpg'))).toEqual(photo);
    expect(sent).toEqual(['00A4080C06', '00B0000000', '00B0010000', '00B0020000']);
  });

  it('re-selects the applet once when another client left the Card Manager selected', async () => {
    const { applet, card } = inMemory(alice);
    applet.process(selectAid(new Uint8Array(0)));
    const { files } = await readEidFiles(card, { photo: false });
    expect(files['identity.tlv']).toEqual(alice['identity.tlv']);
    expect(card.apduCount).toBe(18);
  });

  it('accepts the applet AID SELECT with P2=00 too', () => {
    const { applet } = inMemory(alice);
    const p2zero = Uint8Array.from([0x00, 0xa4, 0x04, 0x00, BELPIC_AID.length, ...BELPIC_AID]);
    expect(toHex(applet.process(p2zero))).toBe('9000');
  });

  it('maps refusals to typed errors', async () => {
    expect(await code(readEidFiles(inMemory(alice, { notBeid: true }).card, { photo: false }))).toBe('NOT_BEID: SW 6A82 on SELECT applet');
    expect(await code(readEidFiles(inMemory(alice, { notActivated: true }).card, { photo: false }))).toBe(
      'CARD_NOT_ACTIVATED: SW 6D00 on GET CARD DATA',
    );
    const { 'address.tlv': _gone, ...noAddress } = alice;
    expect(await code(readEidFiles(inMemory(noAddress).card, { photo: false }))).toBe('CARD_UNREADABLE: SW 6A82 on SELECT DF01/4033');
  });

  it('puts an unexpected status word of a READ in the detail', async () => {
    const transport: ApduTransport = {
      transmit: async (c) => Uint8Array.from(c[1] === 0xb0 ? [0x6f, 0x00] : [0x90, 0x00]),
    };
    expect(await code(new BeidCard(transport).readFile(eidFileNamed('identity.tlv')))).toBe(
      'CARD_UNREADABLE: SW 6F00 on READ BINARY DF01/4031',
    );
  });

  it('stops at the first short 9000 answer (a reader that fixes Le itself)', async () => {
    const identity = alice['identity.tlv']!;
    const sent: string[] = [];
    const transport: ApduTransport = {
      transmit: async (c) => {
        sent.push(toHex(c));
        return c[1] === 0xb0 ? Uint8Array.from([...identity, 0x90, 0x00]) : Uint8Array.from([0x90, 0x00]);
      },
    };
    expect(await new BeidCard(transport).readFile(eidFileNamed('identity.tlv'))).toEqual(identity);
    expect(sent).toHaveLength(2);
  });

  it('treats 6282 as the end of the file', async () => {
    const transport: ApduTransport = {
      transmit: async (c) => Uint8Array.from(c[1] === 0xb0 ? [1, 2, 3, 0x62, 0x82] : [0x90, 0x00]),
    };
    expect(await new BeidCard(transport).readFile(eidFileNamed('identity.tlv'))).toEqual(Uint8Array.from([1, 2, 3]));
  });

  it('serves GET CARD DATA P2=01 only on applet 1.8', () => {
    const data18 = new Uint8Array(28);
    data18[21] = 0x18;
    const on18 = new BelpicApplet({ ...alice, 'card-data.bin': data18 });
    expect(toHex(on18.process(getCardData(true)))).toMatch(/^[0-9A-F]{56}03FFFF9000$/);
    expect(toHex(new BelpicApplet(alice).process(getCardData(true)))).toBe('6A86');
  });

  it('answers a READ without a selected EF with 6986 and a file-by-file SELECT walk', () => {
    const applet = new BelpicApplet(alice);
    expect(toHex(applet.process(Uint8Array.from([0x00, 0xb0, 0x00, 0x00, 0x10])))).toBe('6986');
    for (const id of [
      [0x3f, 0x00],
      [0xdf, 0x01],
      [0x40, 0x31],
    ]) {
      expect(toHex(applet.process(Uint8Array.from([0x00, 0xa4, 0x02, 0x0c, 0x02, ...id])))).toBe('9000');
    }
    expect(toHex(applet.process(Uint8Array.from([0x00, 0xb0, 0x00, 0x00, 0x02])))).toBe(
      toHex(alice['identity.tlv']!.subarray(0, 2)) + '9000',
    );
  });
});

describe('the applet 1.8 basic-key challenge', () => {
  const challenge = Uint8Array.from({ length: 48 }, (_, i) => i);
  const fixed = (n: number) => challenge.subarray(0, n);

  it('reads 4040 at its known size and challenges the chip in the same read: 4 APDUs more', async () => {
    const ec = await loadProfile('applet18-ec');
    const { card, sent } = inMemory(ec.files, {}, ec);
    const { files, chip } = await readEidFiles(card, { photo: false, random: fixed });
    expect(files['basic-key.der']).toEqual(ec.files['basic-key.der']);
    expect(sent.slice(-4)).toEqual(['00A4080C06', '00B0000078', '0088028132', '00C0000060']);
    expect(card.apduCount).toBe(18);
    expect(chip?.challenge).toEqual(challenge);
    expect(chip?.response).toHaveLength(96);
    const keyHash = parseIdentityFile(files['identity.tlv']!).basicKeyHash;
    expect(checkBasicKey({ ...chip!, keyFile: files['basic-key.der'], keyHash }).ok).toBe(true);
  });

  it('sends 00 88 02 81 32 94 30 <challenge>, and the same answer comes through 61xx mode', async () => {
    expect(toHex(internalAuthenticate(challenge))).toBe(`00880281329430${toHex(challenge)}`);
    const ec = await loadProfile('applet18-ec');
    const { card } = inMemory(ec.files, { use61xx: true, wrongLe: true }, ec);
    const { chip } = await readEidFiles(card, { photo: true, random: fixed });
    const keyHash = parseIdentityFile(ec.files['identity.tlv']!).basicKeyHash;
    expect(checkBasicKey({ ...chip!, keyFile: ec.files['basic-key.der'], keyHash }).ok).toBe(true);
  });

  it('records a chip without the key as a refusal (6A88), not an error; no challenge below 1.8', async () => {
    const ec = await loadProfile('applet18-ec');
    const { chip } = await readEidFiles(inMemory(ec.files).card, { photo: false, random: fixed });
    expect(chip).toEqual({ challenge, refusal: 'SW 6A88' });
    const { card, sent } = inMemory(alice);
    expect((await readEidFiles(card, { photo: false, random: fixed })).chip).toBeUndefined();
    expect(sent.some((c) => c.startsWith('0088'))).toBe(false);
    expect(toHex(new BelpicApplet(alice).process(internalAuthenticate(challenge)))).toBe('6A88');
  });

  it('answers a malformed INTERNAL AUTHENTICATE with 6A86 or 6A80', () => {
    const applet = new BelpicApplet(alice);
    const command = internalAuthenticate(challenge);
    expect(toHex(applet.process(Uint8Array.from([...command.subarray(0, 3), 0x82, ...command.subarray(4)])))).toBe('6A86');
    expect(toHex(applet.process(Uint8Array.from([...command.subarray(0, 5), 0x95, ...command.subarray(6)])))).toBe('6A80');
  });
});

describe('sizes known in advance', () => {
  it('derives the signature file size from the RRN key', () => {
    expect(signatureFileSize(alice['rrn-cert.der']!)).toBe(128);
    expect(signatureFileSize(Uint8Array.from([1, 2, 3]))).toBeUndefined();
  });

  it('takes a certificate length from its DER header, 0 for padding only', () => {
    expect(derCertificateLength(Uint8Array.from([0x30, 0x82, 0x03, 0x44]), 'x')).toBe(840);
    expect(derCertificateLength(Uint8Array.from([0x30, 0x81, 0x90]), 'x')).toBe(0x93);
    expect(derCertificateLength(new Uint8Array(8), 'x')).toBe(0);
    expect(() => derCertificateLength(Uint8Array.from([0x04, 0x01]), 'DF00/503C')).toThrow(CardError);
  });
});
