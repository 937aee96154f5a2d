import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { allowsDigitalSignature, describeName, readCertificate } from '../verify/certificate.js';
import { loadTrustStore } from '../verify/trust-store.js';
import { ensureTestPki } from './test-pki.js';

const parent = mkdtempSync(join(tmpdir(), 'test-pki-spec-'));
afterAll(() => rmSync(parent, { recursive: true, force: true }));

describe('ensureTestPki', () => {
  it('generates the RSA and EC PKI once, and concurrent callers get the same one', async () => {
    const dir = join(parent, 'concurrent');
    const [a, b] = await Promise.all([ensureTestPki(dir), ensureTestPki(dir)]);
    expect(a.rsa.root.certDer).toEqual(b.rsa.root.certDer);
    expect(a.ec.rrn.key.pkcs8).toEqual(b.ec.rrn.key.pkcs8);
    const again = await ensureTestPki(dir);
    expect(again.ec.root.certDer).toEqual(a.ec.root.certDer);
  });

  it('names and key usages follow the Belgian RRN certificates', async () => {
    const pki = await ensureTestPki(join(parent, 'names'));
    const rsaRrn = readCertificate(pki.rsa.rrn.certDer, 'RRN certificate');
    const ecRrn = readCertificate(pki.ec.rrn.certDer, 'RRN certificate');
    if (!rsaRrn.ok || !ecRrn.ok) throw new Error('test PKI certificates do not parse');
    expect(describeName(rsaRrn.value.certificate.subject)).toBe('CN=test RRN, O=test RRN, C=BE');
    expect(describeName(ecRrn.value.certificate.subject)).toBe('CN=eID TEST EC RRN, O=TEST, C=BE');
    expect(rsaRrn.value.publicKey.asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(ecRrn.value.publicKey.asymmetricKeyDetails?.namedCurve).toBe('secp384r1');
    expect(allowsDigitalSignature(rsaRrn.value.certificate)).toBe(true);
    const root = readCertificate(pki.rsa.root.certDer, 'root');
    expect(root.ok && allowsDigitalSignature(root.value.certificate)).toBe(false);
  });

  it('writes PEM roots a CLI can trust with --trust', async () => {
    const pki = await ensureTestPki(join(parent, 'pem'));
    expect(loadTrustStore([readFileSync(pki.rootPem.rsa)]).roots).toHaveLength(1);
    expect(loadTrustStore([readFileSync(pki.rootPem.ec)]).roots).toHaveLength(1);
    expect(loadTrustStore([readFileSync(pki.rootPem.all)]).roots).toHaveLength(2);
  });

  it('regenerates a cache left by another version', async () => {
    const dir = join(parent, 'stale');
    const first = await ensureTestPki(dir);
    writeFileSync(join(dir, 'version'), 'old');
    const second = await ensureTestPki(dir);
    expect(second.rsa.root.certDer).not.toEqual(first.rsa.root.certDer);
  });
});
