// A test PKI shaped like the Belgian eID's (beid.md §5): an RSA root with an RSA RRN certificate,
// and a P-384 root with an EC RRN certificate, plus the P-384 basic key of applet 1.8 cards.
// Generated once with pkijs and Node's webcrypto, then cached as files so that later test runs and
// a separate CLI process (`--trust <rootPem>`) share the same roots. Test use only.
import { createPrivateKey, createPublicKey, randomBytes, webcrypto, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as asn1js from 'asn1js';
import { AttributeTypeAndValue, BasicConstraints, Certificate, CryptoEngine, Extension, RelativeDistinguishedNames } from 'pkijs';

export type KeyKind = 'rsa' | 'ec';

export interface TestKey {
  kind: KeyKind;
  pkcs8: Uint8Array;
}

export interface TestAuthority {
  key: TestKey;
  certDer: Uint8Array;
}

export interface TestPki {
  dir: string;
  rsa: { root: TestAuthority; rrn: TestAuthority };
  ec: { root: TestAuthority; rrn: TestAuthority };
  /** The chip's basic key of applet 1.8 cards (file 4040 holds its public half). */
  basicKey: TestKey;
  /** PEM files of the test roots, for `--trust`: each root alone, and both in one file. */
  rootPem: { rsa: string; ec: string; all: string };
}

/** Name attributes in the order they are encoded (C first, as on the real certificates). */
export type TestName = readonly (readonly ['C' | 'O' | 'CN', string])[];

export const TEST_NAMES = {
  rsaRoot: [
    ['C', 'BE'],
    ['CN', 'eID kiosk TEST RSA Root CA'],
  ],
  rsaRrn: [
    ['C', 'BE'],
    ['O', 'test RRN'],
    ['CN', 'test RRN'],
  ],
  ecRoot: [
    ['C', 'BE'],
    ['CN', 'eID kiosk TEST EC Root CA'],
  ],
  ecRrn: [
    ['C', 'BE'],
    ['O', 'TEST'],
    ['CN', 'eID TEST EC RRN'],
  ],
} as const satisfies Record<string, TestName>;

// Fixed dates (no clock): the roots outlive every test card, the RRN certificates cover the issue
// dates of the profiles' cards (2019-2025) and expire in 2036, which the date-rule tests rely on.
export const TEST_VALIDITY = {
  root: { notBefore: new Date('2015-01-01T00:00:00Z'), notAfter: new Date('2045-01-01T00:00:00Z') },
  rrn: { notBefore: new Date('2015-01-01T00:00:00Z'), notAfter: new Date('2036-01-01T00:00:00Z') },
} as const;

const CACHE_VERSION = '1';
const engine = new CryptoEngine({
  name: 'node-webcrypto',
  crypto: webcrypto as unknown as ConstructorParameters<typeof CryptoEngine>[0]['crypto'],
});
const subtle = webcrypto.subtle;

const ALGORITHMS = {
  rsa: {
    generate: { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    import: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    certHash: 'SHA-256',
  },
  ec: {
    generate: { name: 'ECDSA', namedCurve: 'P-384' },
    import: { name: 'ECDSA', namedCurve: 'P-384' },
    certHash: 'SHA-384',
  },
} as const;

export async function generateKey(kind: KeyKind): Promise<TestKey> {
  const pair = (await subtle.generateKey(ALGORITHMS[kind].generate, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  return { kind, pkcs8: new Uint8Array(await subtle.exportKey('pkcs8', pair.privateKey)) };
}

export const privateKeyOf = (key: TestKey): KeyObject => createPrivateKey({ key: Buffer.from(key.pkcs8), format: 'der', type: 'pkcs8' });

export const publicKeySpki = (key: TestKey): Uint8Array =>
  new Uint8Array(createPublicKey(privateKeyOf(key)).export({ type: 'spki', format: 'der' }));

export interface IssueOptions {
  subject: TestName;
  subjectKey: TestKey;
  /** Absent: self-signed root. */
  issuer?: TestAuthority;
  notBefore: Date;
  notAfter: Date;
  /** 'ca': keyCertSign + cRLSign and CA basic constraints; 'rrn': digitalSignature + nonRepudiation. */
  role: 'ca' | 'rrn' | 'no-signing';
}

const KEY_USAGE = {
  ca: { bits: 0x06, unused: 1 }, // keyCertSign, cRLSign
  rrn: { bits: 0xc0, unused: 6 }, // digitalSignature, nonRepudiation
  'no-signing': { bits: 0x20, unused: 5 }, // keyEncipherment only
} as const;

export async function issueCertificate(o: IssueOptions): Promise<Uint8Array> {
  const signerKey = o.issuer?.key ?? o.subjectKey;
  const cert = new Certificate();
  cert.version = 2;
  cert.serialNumber = new asn1js.Integer({ valueHex: Uint8Array.from([0x01, ...randomBytes(15)]) });
  cert.subject = toName(o.subject);
  cert.issuer = o.issuer ? Certificate.fromBER(o.issuer.certDer).subject : toName(o.subject);
  cert.notBefore.value = o.notBefore;
  cert.notAfter.value = o.notAfter;
  const usage = KEY_USAGE[o.role];
  const keyUsage = new asn1js.BitString({ valueHex: Uint8Array.from([usage.bits]), unusedBits: usage.unused });
  cert.extensions = [new Extension({ extnID: '2.5.29.15', critical: true, extnValue: keyUsage.toBER(false), parsedValue: keyUsage })];
  if (o.role === 'ca') {
    const constraints = new BasicConstraints({ cA: true });
    cert.extensions.push(
      new Extension({ extnID: '2.5.29.19', critical: true, extnValue: constraints.toSchema().toBER(false), parsedValue: constraints }),
    );
  }
  const publicKey = await subtle.importKey('spki', publicKeySpki(o.subjectKey), ALGORITHMS[o.subjectKey.kind].import, true, ['verify']);
  await cert.subjectPublicKeyInfo.importKey(publicKey, engine);
  const signingKey = await subtle.importKey('pkcs8', signerKey.pkcs8, ALGORITHMS[signerKey.kind].import, false, ['sign']);
  await cert.sign(signingKey, ALGORITHMS[signerKey.kind].certHash, engine);
  return new Uint8Array(cert.toSchema(true).toBER(false));
}

const NAME_OIDS = { C: '2.5.4.6', O: '2.5.4.10', CN: '2.5.4.3' } as const;

// One attribute per RDN, as on real certificates (pkijs would put them all in one multi-valued RDN).
function toName(name: TestName): RelativeDistinguishedNames {
  const rdns = name.map(([attribute, value]) => {
    const atv = new AttributeTypeAndValue({
      type: NAME_OIDS[attribute],
      value: attribute === 'C' ? new asn1js.PrintableString({ value }) : new asn1js.Utf8String({ value }),
    });
    return new asn1js.Set({ value: [atv.toSchema()] });
  });
  return RelativeDistinguishedNames.fromBER(new asn1js.Sequence({ value: rdns }).toBER(false));
}

export const toPem = (der: Uint8Array): string =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(der)
    .toString('base64')
    .replace(/.{1,64}/g, '$&\n')}-----END CERTIFICATE-----\n`;

export const DEFAULT_TEST_PKI_DIR = join(tmpdir(), 'eid-kiosk-test-pki');

const AUTHORITIES = ['rsa-root', 'rsa-rrn', 'ec-root', 'ec-rrn'] as const;

/** Loads the cached test PKI from `dir`, generating it first if it is missing or stale. */
export async function ensureTestPki(dir: string = DEFAULT_TEST_PKI_DIR): Promise<TestPki> {
  const cached = readPki(dir);
  if (cached) return cached;
  rmSync(dir, { recursive: true, force: true }); // stale version or an interrupted copy
  // Build in a sibling folder and rename it into place, so a concurrent process never sees half a
  // PKI; if another process got there first, the rename fails and its PKI is used.
  mkdirSync(dirname(dir), { recursive: true });
  const staging = mkdtempSync(`${dir}.tmp-`);
  await writePki(staging);
  try {
    renameSync(staging, dir);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw error;
  }
  const pki = readPki(dir);
  if (!pki) throw new Error(`Test PKI in ${dir} is incomplete after generation`);
  return pki;
}

async function writePki(dir: string): Promise<void> {
  const rsaRootKey = await generateKey('rsa');
  const rsaRrnKey = await generateKey('rsa');
  const ecRootKey = await generateKey('ec');
  const ecRrnKey = await generateKey('ec');
  const rsaRoot = {
    key: rsaRootKey,
    certDer: await issueCertificate({ subject: TEST_NAMES.rsaRoot, subjectKey: rsaRootKey, role: 'ca', ...TEST_VALIDITY.root }),
  };
  const ecRoot = {
    key: ecRootKey,
    certDer: await issueCertificate({ subject: TEST_NAMES.ecRoot, subjectKey: ecRootKey, role: 'ca', ...TEST_VALIDITY.root }),
  };
  const authorities: Record<(typeof AUTHORITIES)[number], TestAuthority> = {
    'rsa-root': rsaRoot,
    'rsa-rrn': {
      key: rsaRrnKey,
      certDer: await issueCertificate({
        subject: TEST_NAMES.rsaRrn,
        subjectKey: rsaRrnKey,
        issuer: rsaRoot,
        role: 'rrn',
        ...TEST_VALIDITY.rrn,
      }),
    },
    'ec-root': ecRoot,
    'ec-rrn': {
      key: ecRrnKey,
      certDer: await issueCertificate({
        subject: TEST_NAMES.ecRrn,
        subjectKey: ecRrnKey,
        issuer: ecRoot,
        role: 'rrn',
        ...TEST_VALIDITY.rrn,
      }),
    },
  };
  for (const name of AUTHORITIES) {
    writeFileSync(join(dir, `${name}.der`), authorities[name].certDer);
    writeFileSync(join(dir, `${name}.key`), authorities[name].key.pkcs8, { mode: 0o600 });
  }
  writeFileSync(join(dir, 'basic.key'), (await generateKey('ec')).pkcs8, { mode: 0o600 });
  writeFileSync(join(dir, 'rsa-root.pem'), toPem(rsaRoot.certDer));
  writeFileSync(join(dir, 'ec-root.pem'), toPem(ecRoot.certDer));
  writeFileSync(join(dir, 'roots.pem'), toPem(rsaRoot.certDer) + toPem(ecRoot.certDer));
  writeFileSync(join(dir, 'version'), CACHE_VERSION); // written last: its presence marks a complete PKI
}

function readPki(dir: string): TestPki | undefined {
  const file = (name: string) => join(dir, name);
  if (!existsSync(file('version')) || readFileSync(file('version'), 'utf8') !== CACHE_VERSION) return undefined;
  const authority = (name: (typeof AUTHORITIES)[number], kind: KeyKind): TestAuthority => ({
    key: { kind, pkcs8: new Uint8Array(readFileSync(file(`${name}.key`))) },
    certDer: new Uint8Array(readFileSync(file(`${name}.der`))),
  });
  return {
    dir,
    rsa: { root: authority('rsa-root', 'rsa'), rrn: authority('rsa-rrn', 'rsa') },
    ec: { root: authority('ec-root', 'ec'), rrn: authority('ec-rrn', 'ec') },
    basicKey: { kind: 'ec', pkcs8: new Uint8Array(readFileSync(file('basic.key'))) },
    rootPem: { rsa: file('rsa-root.pem'), ec: file('ec-root.pem'), all: file('roots.pem') },
  };
}
