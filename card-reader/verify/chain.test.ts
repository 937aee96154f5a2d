import { describe, expect, it } from 'vitest';
import { ensureTestPki, generateKey, issueCertificate, TEST_NAMES, type TestAuthority } from '../virtual/test-pki.js';
import { readCertificate } from './certificate.js';
import { checkChain } from './chain.js';
import { loadTrustStore } from './trust-store.js';

// Roots expire while the cards their RRN certificates signed are still valid (CA3 and CA4 end in
// 2028). An RRN certificate under a root that expired in 2020, still valid itself until 2036:
async function shortLivedRoot() {
  const pki = await ensureTestPki();
  const rootKey = await generateKey('ec');
  const root: TestAuthority = {
    key: rootKey,
    certDer: await issueCertificate({
      subject: [
        ['C', 'BE'],
        ['CN', 'Short-lived TEST Root'],
      ],
      subjectKey: rootKey,
      role: 'ca',
      notBefore: new Date('2010-01-01T00:00:00Z'),
      notAfter: new Date('2020-01-01T00:00:00Z'),
    }),
  };
  const rrn = await issueCertificate({
    subject: TEST_NAMES.ecRrn,
    subjectKey: pki.ec.rrn.key,
    issuer: root,
    role: 'rrn',
    notBefore: new Date('2010-01-01T00:00:00Z'),
    notAfter: new Date('2036-01-01T00:00:00Z'),
  });
  return { trust: loadTrustStore([root.certDer]), rrn: readCertificate(rrn, 'RRN certificate') };
}

describe('checkChain and expired roots', () => {
  it('passes when the root was valid on the day checked, even if it has expired since', async () => {
    const { trust, rrn } = await shortLivedRoot();
    const verdict = await checkChain(rrn, trust, { at: new Date('2019-05-01T12:00:00Z'), label: "the card's issue date" });
    expect(verdict).toEqual({
      ok: true,
      code: 'CHAIN_TRUSTED',
      reason: 'The RRN certificate chains to the trusted root "Short-lived TEST Root" (checked on 2019-05-01, the card\'s issue date).',
    });
  });

  it('fails when the root had expired on the day checked', async () => {
    const { trust, rrn } = await shortLivedRoot();
    const verdict = await checkChain(rrn, trust, { at: new Date('2021-05-01T12:00:00Z'), label: "the card's issue date" });
    expect(verdict).toEqual({
      ok: false,
      code: 'ROOT_NOT_VALID',
      reason: 'The trusted root "Short-lived TEST Root" was not valid on 2021-05-01 (the card\'s issue date).',
    });
  });

  it('passes on the RSA and EC test PKI', async () => {
    const pki = await ensureTestPki();
    const at = { at: new Date('2026-11-22T12:00:00Z'), label: 'today' };
    for (const kind of ['rsa', 'ec'] as const) {
      const verdict = await checkChain(
        readCertificate(pki[kind].rrn.certDer, 'RRN certificate'),
        loadTrustStore([pki[kind].root.certDer]),
        at,
      );
      expect(verdict.ok).toBe(true);
    }
  });
});
