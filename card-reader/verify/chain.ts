// The RRN certificate (DF00/503C) must be issued by a trusted root: the Root CA issues it directly
// (beid.md §5), so the chain is one signature. See README.md "Dates" for which day the dates are
// checked on.
import type { Certificate } from 'pkijs';
import type { Verdict } from '../types.js';
import { allowsDigitalSignature, commonName, describeName, isValidAt, isoDay, type CardCertificate, type Outcome } from './certificate.js';
import type { TrustStore } from './trust-store.js';

export interface CheckMoment {
  at: Date;
  /** How `at` was chosen, for the verdict: "the card's issue date" or "today". */
  label: string;
}

export async function checkChain(rrn: Outcome<CardCertificate>, trust: TrustStore, moment: CheckMoment): Promise<Verdict> {
  if (!rrn.ok) return { ok: false, code: rrn.code, reason: rrn.reason };
  const certificate = rrn.value.certificate;
  const named = trust.roots.filter((root) => root.subject.isEqual(certificate.issuer));
  if (named.length === 0) {
    return {
      ok: false,
      code: 'CHAIN_UNTRUSTED',
      reason: `The RRN certificate was not issued by a trusted root (its issuer is "${describeName(certificate.issuer)}").`,
    };
  }
  const signers: Certificate[] = [];
  for (const root of named) if (await signedBy(certificate, root)) signers.push(root);
  if (signers.length === 0) {
    return {
      ok: false,
      code: 'CHAIN_UNTRUSTED',
      reason: `The RRN certificate names the trusted root "${commonName(certificate.issuer)}" as issuer, but its signature does not match that root.`,
    };
  }
  const day = isoDay(moment.at);
  // Same-key re-issues of a root (CA4, CA4b) differ only in dates: any one valid on the day will do.
  const root = signers.find((r) => isValidAt(r, moment.at));
  if (!root) {
    return {
      ok: false,
      code: 'ROOT_NOT_VALID',
      reason: `The trusted root "${commonName(signers[0]!.subject)}" was not valid on ${day} (${moment.label}).`,
    };
  }
  if (!isValidAt(certificate, moment.at)) {
    return {
      ok: false,
      code: 'CERTIFICATE_NOT_VALID',
      reason: `The RRN certificate was not valid on ${day} (${moment.label}): it is valid from ${isoDay(certificate.notBefore.value)} to ${isoDay(certificate.notAfter.value)}.`,
    };
  }
  if (!allowsDigitalSignature(certificate)) {
    return {
      ok: false,
      code: 'CERTIFICATE_NOT_FOR_SIGNING',
      reason: 'The RRN certificate is not allowed to sign data (its key usage lacks digital signature).',
    };
  }
  return {
    ok: true,
    code: 'CHAIN_TRUSTED',
    reason: `The RRN certificate chains to the trusted root "${commonName(root.subject)}" (checked on ${day}, ${moment.label}).`,
  };
}

async function signedBy(certificate: Certificate, root: Certificate): Promise<boolean> {
  try {
    return await certificate.verify(root);
  } catch {
    return false;
  }
}
