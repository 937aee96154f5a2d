// The proof commands' own errors: they stop an operator's export or audit and never reach a route,
// so they stay out of the wire's code list.
import { CodedError } from '../../common/coded-error.js';

const PROOF_MESSAGES = {
  RECORD_UNREADABLE: 'A stored consent record is not a consent record any more; run the audit.',
  AUDIT_FAILED: 'Some consent records do not verify.',
} as const;

export type ProofErrorCode = keyof typeof PROOF_MESSAGES;

export class ProofError extends CodedError<ProofErrorCode> {
  override readonly name = 'ProofError';

  constructor(code: ProofErrorCode, detail?: string) {
    super(PROOF_MESSAGES, code, detail);
  }
}
