// The roots an RRN certificate may chain to. Production: the Belgian eID roots shipped in
// resources/certs/belgium; tests and the test set-up pass their own roots (a test root is never
// mixed into the production store by this module).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Certificate } from 'pkijs';
import { CodedError } from '../../common/coded-error.js';

export interface TrustStore {
  readonly roots: readonly Certificate[];
}

export const TRUST_STORE_ERROR_CODES = {
  TRUST_FILE_INVALID: 'A trust file holds no usable root certificate.',
} as const;

export type TrustStoreErrorCode = keyof typeof TRUST_STORE_ERROR_CODES;

/** A trust file that cannot be used: a configuration error, raised when the store is loaded. */
export class TrustStoreError extends CodedError<TrustStoreErrorCode> {
  override readonly name = 'TrustStoreError';

  /** `detail` names the file and what is wrong with it. */
  constructor(code: TrustStoreErrorCode, detail: string, options?: { cause?: unknown }) {
    super(TRUST_STORE_ERROR_CODES, code, detail, options);
  }
}

export const PRODUCTION_ROOTS_DIR = fileURLToPath(new URL('../../resources/certs/belgium/', import.meta.url));

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\s]+)-----END CERTIFICATE-----/g;

/** Each file is PEM (one or many certificates) or a single DER certificate. */
export function loadTrustStore(pemOrDerFiles: readonly Uint8Array[]): TrustStore {
  const roots = pemOrDerFiles.flatMap((file, index) => parseTrustFile(file, `trust file ${index + 1}`));
  return { roots };
}

export function productionTrustStore(dir: string = PRODUCTION_ROOTS_DIR): TrustStore {
  const names = readdirSync(dir)
    .filter((n) => n.endsWith('.pem'))
    .sort();
  if (names.length === 0) throw new TrustStoreError('TRUST_FILE_INVALID', `no root certificates (*.pem) in ${dir}`);
  return { roots: names.flatMap((n) => parseTrustFile(readFileSync(join(dir, n)), n)) };
}

function parseTrustFile(file: Uint8Array, label: string): Certificate[] {
  const text = Buffer.from(file).toString('latin1');
  if (text.includes('-----BEGIN')) {
    const blocks = [...text.matchAll(PEM_BLOCK)].map((m) => Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64'));
    if (blocks.length === 0) throw new TrustStoreError('TRUST_FILE_INVALID', `${label}: PEM without a CERTIFICATE block`);
    return blocks.map((der) => parseCertificate(der, label));
  }
  return [parseCertificate(file, label)];
}

function parseCertificate(der: Uint8Array, label: string): Certificate {
  try {
    return Certificate.fromBER(der);
  } catch (cause) {
    throw new TrustStoreError('TRUST_FILE_INVALID', `${label}: not a valid X.509 certificate`, { cause });
  }
}
