import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commonName } from './certificate.js';
import { loadTrustStore, PRODUCTION_ROOTS_DIR, productionTrustStore, TrustStoreError } from './trust-store.js';
import { ensureTestPki, toPem } from '../virtual/test-pki.js';

// SHA-256 fingerprints from ../shared/fixtures/beid/README.md (from Fedict/eid-mw's published roots).
const PRODUCTION_ROOTS: Record<string, { cn: string; validUntil: string; sha256: string }> = {
  'belgiumrca.pem': {
    cn: 'Belgium Root CA',
    validUntil: '2014-01-26',
    sha256: '7C:7E:D4:24:0B:B2:53:BB:35:C3:76:E1:2E:00:B0:27:F1:65:9D:F9:D8:26:74:22:A9:3E:ED:75:ED:C7:AD:FB',
  },
  'belgiumrca2.pem': {
    cn: 'Belgium Root CA2',
    validUntil: '2021-12-15',
    sha256: '9F:97:44:46:3B:E1:37:14:75:4E:1A:3B:EC:F9:8C:08:CC:20:5E:4A:B3:20:28:F4:E2:83:0C:4A:1B:27:75:B8',
  },
  'belgiumrca3.pem': {
    cn: 'Belgium Root CA3',
    validUntil: '2028-01-28',
    sha256: 'A8:D1:4E:94:5E:3E:51:56:BC:AE:5E:39:73:7C:F6:A1:B1:F5:10:28:BB:BF:98:2F:50:CE:5F:4C:05:56:8B:4D',
  },
  'belgiumrca4.pem': {
    cn: 'Belgium Root CA4',
    validUntil: '2028-01-28',
    sha256: 'C3:FB:F3:72:59:AF:09:54:EE:EA:42:82:DD:1C:72:26:A5:4E:71:50:F7:C2:9A:2C:49:5B:A3:4D:BF:E0:9C:A0',
  },
  'belgiumrca4b.pem': {
    cn: 'Belgium Root CA4',
    validUntil: '2032-10-22',
    sha256: '70:2D:D5:C1:A0:93:CF:0A:9D:71:FA:DD:9B:F9:A7:C5:85:7D:89:FB:73:B7:16:E8:67:22:8B:3C:2B:EB:96:8F',
  },
  'belgiumrca6.pem': {
    cn: 'Belgium Root CA6',
    validUntil: '2040-06-03',
    sha256: '9C:87:2B:C9:79:A7:C0:9A:58:D4:A2:74:C1:99:E5:CB:16:CF:A9:B9:61:8D:98:BC:9A:99:88:E9:84:B8:49:5C',
  },
};

const fingerprint = (der: Uint8Array) => createHash('sha256').update(der).digest('hex').toUpperCase().match(/../g)!.join(':');

describe('the production Belgian roots in resources/certs/belgium', () => {
  it('are exactly the six published roots', () => {
    expect(readdirSync(PRODUCTION_ROOTS_DIR).sort()).toEqual(Object.keys(PRODUCTION_ROOTS).sort());
  });

  for (const [file, expected] of Object.entries(PRODUCTION_ROOTS)) {
    it(`${file} has the published SHA-256 fingerprint`, () => {
      const store = loadTrustStore([readFileSync(join(PRODUCTION_ROOTS_DIR, file))]);
      expect(store.roots).toHaveLength(1);
      const root = store.roots[0]!;
      expect(fingerprint(new Uint8Array(root.toSchema().toBER(false)))).toBe(expected.sha256);
      expect(commonName(root.subject)).toBe(expected.cn);
      expect(root.notAfter.value.toISOString().slice(0, 10)).toBe(expected.validUntil);
    });
  }

  it('load as the production trust store', () => {
    expect(productionTrustStore().roots.map((r) => commonName(r.subject))).toEqual(Object.values(PRODUCTION_ROOTS).map((r) => r.cn));
  });
});

describe('loadTrustStore', () => {
  it('reads DER files and PEM files holding several certificates', async () => {
    const pki = await ensureTestPki();
    const bundle = new TextEncoder().encode(`# test roots\n${toPem(pki.rsa.root.certDer)}${toPem(pki.ec.root.certDer)}`);
    const store = loadTrustStore([bundle, pki.rsa.root.certDer, readFileSync(pki.rootPem.all)]);
    expect(store.roots.map((r) => commonName(r.subject))).toEqual([
      'eID kiosk TEST RSA Root CA',
      'eID kiosk TEST EC Root CA',
      'eID kiosk TEST RSA Root CA',
      'eID kiosk TEST RSA Root CA',
      'eID kiosk TEST EC Root CA',
    ]);
  });

  it('throws a TrustStoreError for a file that holds no certificate', () => {
    const bad = [Uint8Array.of(1, 2, 3), new TextEncoder().encode('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')];
    for (const file of bad) {
      expect(() => loadTrustStore([file])).toThrow(TrustStoreError);
      expect(() => loadTrustStore([file])).toThrow(expect.objectContaining({ code: 'TRUST_FILE_INVALID' }));
    }
    expect(() => productionTrustStore('/nonexistent-trust-dir')).toThrow();
  });
});
