// Card images for the virtual card: the real SPECIMEN card, and cards built on the test PKI that
// cover what it does not (applet 1.7 with SHA-256, applet 1.8 with ECDSA and padded signatures, a
// foreigner card, a German-language card with a year-only birth date, a tampered address).
// Every generated card looks like a real one (beid.md §2-§5): tags in order, a specimen-style
// national number in tag 06 (so the parsers' dropping of it is exercised), UTF-8 names with
// diacritics, zero-padded address and certificate files. All are valid on 2026-11-22.
import { createHash, sign, type KeyObject } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeTlv, encodeTlv } from '../eid/tlv.js';
import { CARD_FILE_NAMES, type CardFiles } from '../types.js';
import { addressSignedData } from '../verify/signature.js';
import { ensureTestPki, privateKeyOf, publicKeySpki, type TestPki } from './test-pki.js';

export const PROFILE_NAMES = [
  'specimen-alice-rsa',
  'applet17-rsa',
  'applet18-ec',
  'foreigner',
  'german-year-only',
  'tampered-address',
] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

export interface CardProfile {
  name: ProfileName;
  files: CardFiles;
  /** The root to trust for this card (DER): the specimen's test root or the test PKI's. */
  trustedRootDer: Uint8Array;
  description: string;
  /** Applet 1.8: the chip's basic key, for answering INTERNAL AUTHENTICATE (beid.md §5). */
  basicPrivateKey?: KeyObject;
}

export const SPECIMEN_DIR = fileURLToPath(new URL('./fixtures/specimen-alice-rsa/', import.meta.url));

/** A folder of raw card files named as in CARD_FILE_NAMES; files not there stay absent. */
export async function loadProfileDir(dir: string): Promise<CardFiles> {
  const files: CardFiles = {};
  for (const name of CARD_FILE_NAMES) {
    try {
      files[name] = new Uint8Array(await readFile(join(dir, name)));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
  return files;
}

export async function loadProfile(name: ProfileName, opts: { pkiDir?: string } = {}): Promise<CardProfile> {
  const specimen = await loadProfileDir(SPECIMEN_DIR);
  if (name === 'specimen-alice-rsa') {
    return {
      name,
      // GET CARD DATA of a 1.1 card: the chip number (identity tag 02), then the 1.1 layout of beid.md §1.
      files: { ...specimen, 'card-data.bin': cardData(specimenChip(specimen), hex('A5 03 01 01 01 11 00 02 00 01 01 0F')) },
      trustedRootDer: specimen['root-cert.der']!,
      description: 'The real SPECIMEN card "Alice": applet 1.1, RSA-1024, SHA-1 signatures and photo hash.',
    };
  }
  const pki = await ensureTestPki(opts.pkiDir);
  const photo = specimen['photo.jpg']!;
  const spec = GENERATED[name];
  const files = buildCard(spec, pki, photo);
  return {
    name,
    files,
    trustedRootDer: pki[spec.key].root.certDer,
    description: spec.description,
    ...(spec.applet === '1.8' ? { basicPrivateKey: privateKeyOf(pki.basicKey) } : {}),
  };
}

type Field = readonly [tag: number, value: string | Uint8Array];

interface CardSpec {
  description: string;
  applet: '1.7' | '1.8';
  key: 'rsa' | 'ec';
  /** RSA cards only: EC cards always sign with SHA-384. */
  rsaSignatureHash?: 'sha1' | 'sha256';
  photoHash: 'sha1' | 'sha256' | 'sha384';
  /** Identity fields in card order, without the photo hash (0x11) and basic-key hash (0x1A) added here. */
  identity: readonly Field[];
  address: readonly Field[];
  /** Written to the card instead of `address` after the address was signed (a forgery). */
  tamperedAddress?: readonly Field[];
}

interface Applet {
  atr: string;
  /** GET CARD DATA bytes 16-27 (beid.md §1): byte 21 is the applet version. */
  cardDataTail: string;
  /** Zero bytes after each DF00 certificate (beid.md §2). */
  certificatePadding: number;
  addressLength: number;
  /** ECDSA signatures are DER zero-padded to this file length. */
  signatureFileLength?: number;
}

const APPLETS: Record<CardSpec['applet'], Applet> = {
  '1.7': {
    atr: '3B 98 13 40 0A A5 03 01 01 01 AD 13 11',
    cardDataTail: 'F3 36 01 25 01 17 00 03 00 21 01 0F',
    certificatePadding: 50,
    addressLength: 121,
  },
  '1.8': {
    atr: '3B 7F 96 00 00 80 31 80 65 B0 85 04 01 20 12 0F FF 82 90 00',
    cardDataTail: 'F3 37 02 26 01 18 00 01 00 00 01 0F',
    certificatePadding: 1100,
    addressLength: 121,
    signatureFileLength: 256,
  },
};

const specimenChip = (files: CardFiles): Uint8Array => decodeTlv(files['identity.tlv']!, 'identity').find((f) => f.tag === 0x02)!.value;

/** An 11-digit national number with a correct check (beid.md §4) over fake specimen-style digits. */
export function specimenNationalNumber(first9: string, bornFrom2000 = false): string {
  const check = 97 - (Number(`${bornFrom2000 ? '2' : ''}${first9}`) % 97);
  return `${first9}${String(check).padStart(2, '0')}`;
}

const FILE_VERSION_2 = Uint8Array.of(0x02);

const APPLET17_RSA: CardSpec = {
  description: 'Applet 1.7, RSA-2048 RRN key, SHA-256 signatures and photo hash (test PKI).',
  applet: '1.7',
  key: 'rsa',
  rsaSignatureHash: 'sha256',
  photoHash: 'sha256',
  identity: [
    [0x01, '591234567890'],
    [0x02, hex('534C494E3366002A7D1E3C4B5A697887')],
    [0x03, '14.03.2022'],
    [0x04, '14.03.2032'],
    [0x05, 'Liège'],
    [0x06, specimenNationalNumber('857151123')],
    [0x07, 'Müller-Lefèvre'],
    [0x08, 'Zoé Anaïs'],
    [0x09, 'M'],
    [0x0a, 'Belg'],
    [0x0b, 'Liège'],
    [0x0c, '15 JUL 1985'],
    [0x0d, 'V'],
    [0x0e, ''],
    [0x0f, '1'],
    [0x10, '0'],
  ],
  address: [
    [0x01, "Rue de l'Église 12"],
    [0x02, '4000'],
    [0x03, 'Liège'],
  ],
};

const GENERATED: Record<Exclude<ProfileName, 'specimen-alice-rsa'>, CardSpec> = {
  'applet17-rsa': APPLET17_RSA,
  'applet18-ec': {
    description: 'Applet 1.8, P-384 RRN key, ECDSA/SHA-384 signatures padded to 256 bytes, SHA-384 photo hash, basic key (test PKI).',
    applet: '1.8',
    key: 'ec',
    photoHash: 'sha384',
    identity: [
      [0x00, FILE_VERSION_2],
      [0x01, '600123456789'],
      [0x02, hex('534C494E3366003C11223344556677AB')],
      [0x03, '05.07.2025'],
      [0x04, '05.07.2035'],
      [0x05, 'Brussel'],
      [0x06, specimenNationalNumber('997151456', true)],
      [0x07, 'Specimen'],
      [0x08, 'Noël Zoë'],
      [0x09, ''],
      [0x0a, 'Belg'],
      [0x0b, 'Antwerpen'],
      [0x0c, '15 MAAR 1999'],
      [0x0d, 'M'],
      [0x0e, ''],
      [0x0f, '1'],
      [0x10, '0'],
    ],
    // Starts with the file-version tag 00: the signed data must be cut at the END, not the first zero.
    address: [
      [0x00, FILE_VERSION_2],
      [0x01, 'Kerkstraat 7 bus 3'],
      [0x02, '1000'],
      [0x03, 'Brussel'],
    ],
  },
  foreigner: {
    description: 'Foreigner card, type A (33), applet 1.7, RSA-2048, SHA-256; tags 0x13-0x1F partly present or empty (test PKI).',
    applet: '1.7',
    key: 'rsa',
    rsaSignatureHash: 'sha256',
    photoHash: 'sha256',
    identity: [
      [0x01, '612345678'],
      [0x02, hex('534C494E33660031A0B1C2D3E4F50617')],
      [0x03, '01.09.2024'],
      [0x04, '01.09.2029'],
      [0x05, 'Schaerbeek'],
      [0x06, specimenNationalNumber('907151789')],
      [0x07, 'El Amrani'],
      [0x08, 'Aïcha Zoë'],
      [0x09, ''],
      [0x0a, 'Marokkaan'],
      [0x0b, 'Casablanca'],
      [0x0c, '03 MAAR 1990'],
      [0x0d, 'V'],
      [0x0e, ''],
      [0x0f, '33'],
      [0x10, '0'],
      [0x13, ''],
      [0x15, ''],
      [0x16, '8'],
      [0x17, '0123.456.789'],
      [0x18, ''],
      [0x19, 'RF0012345678'],
      [0x1a, ''],
      [0x1b, ''],
      [0x1c, ''],
      [0x1d, 'D'],
      [0x1e, ''],
    ],
    address: [
      [0x01, 'Chaussée de Haecht 123 '],
      [0x02, '1030'],
      [0x03, 'Schaerbeek'],
    ],
  },
  'german-year-only': {
    description:
      'German-language card (Eupen), year-only birth date, RSA-2048 with SHA-256 signatures but a SHA-1 photo hash (eid-mw#128), applet 1.7 (test PKI).',
    applet: '1.7',
    key: 'rsa',
    rsaSignatureHash: 'sha256',
    photoHash: 'sha1',
    identity: [
      [0x01, '592987654321'],
      [0x02, hex('534C494E33660027FEDCBA9876543210')],
      [0x03, '12.11.2019'],
      [0x04, '12.11.2029'],
      [0x05, 'Eupen'],
      [0x06, specimenNationalNumber('620000123')],
      [0x07, 'Schröder'],
      [0x08, 'Jürgen Günther'],
      [0x09, 'K'],
      [0x0a, 'Belgier'],
      [0x0b, 'Sankt Vith'],
      [0x0c, '        1962'],
      [0x0d, 'M'],
      [0x0e, ''],
      [0x0f, '1'],
      [0x10, '0'],
    ],
    address: [
      [0x01, 'Rathausplatz 14'],
      [0x02, '4700'],
      [0x03, 'Eupen'],
    ],
  },
  'tampered-address': {
    ...APPLET17_RSA,
    description: 'Like applet17-rsa, but the street number was changed after the National Register signed the address.',
    tamperedAddress: [
      [0x01, "Rue de l'Église 13"],
      [0x02, '4000'],
      [0x03, 'Liège'],
    ],
  },
};

function buildCard(spec: CardSpec, pki: TestPki, photo: Uint8Array): CardFiles {
  const applet = APPLETS[spec.applet];
  const rrn = pki[spec.key].rrn;
  const rrnKey = privateKeyOf(rrn.key);
  const signFile = (data: Uint8Array): Uint8Array =>
    spec.key === 'rsa'
      ? new Uint8Array(sign(spec.rsaSignatureHash ?? 'sha256', data, rrnKey))
      : padTo(new Uint8Array(sign('sha384', data, { key: rrnKey, dsaEncoding: 'der' })), applet.signatureFileLength ?? 0);
  const padCertificate = (der: Uint8Array) => padTo(der, der.length + applet.certificatePadding);
  const basicKey = spec.applet === '1.8' ? publicKeySpki(pki.basicKey) : undefined;
  const added: Field[] = [[0x11, digest(spec.photoHash, photo)]];
  if (basicKey) added.push([0x1a, digest('sha384', basicKey)]);
  // 0x1A may already be present but empty (some 1.7 cards): a computed value replaces it.
  const identityFields = [...spec.identity.filter(([tag]) => !added.some(([t]) => t === tag)), ...added].sort((a, b) => a[0] - b[0]);
  const identity = encodeTlv(identityFields.map(toTlv));
  const identitySignature = signFile(identity);
  const address = addressFile(spec.address, applet);
  const chip = spec.identity.find(([tag]) => tag === 0x02)![1] as Uint8Array;
  const files: CardFiles = {
    'atr.bin': hex(applet.atr),
    'card-data.bin': cardData(chip, hex(applet.cardDataTail)),
    'identity.tlv': identity,
    'identity-signature.bin': identitySignature,
    'address.tlv': spec.tamperedAddress ? addressFile(spec.tamperedAddress, applet) : address,
    'address-signature.bin': signFile(addressSignedData(address, identitySignature)),
    'photo.jpg': photo,
    'root-cert.der': padCertificate(pki[spec.key].root.certDer),
    'rrn-cert.der': padCertificate(rrn.certDer),
  };
  if (basicKey) files['basic-key.der'] = basicKey;
  return files;
}

function addressFile(fields: readonly Field[], applet: Applet): Uint8Array {
  return padTo(encodeTlv(fields.map(toTlv)), applet.addressLength);
}

const toTlv = ([tag, value]: Field) => ({ tag, value: typeof value === 'string' ? new TextEncoder().encode(value) : value });

const cardData = (chip: Uint8Array, tail: Uint8Array): Uint8Array => Uint8Array.from([...chip, ...tail]);

const digest = (algorithm: string, data: Uint8Array): Uint8Array => new Uint8Array(createHash(algorithm).update(data).digest());

function padTo(bytes: Uint8Array, length: number): Uint8Array {
  if (bytes.length >= length) return bytes;
  const padded = new Uint8Array(length);
  padded.set(bytes);
  return padded;
}

function hex(text: string): Uint8Array {
  return Uint8Array.from(Buffer.from(text.replace(/\s+/g, ''), 'hex'));
}
