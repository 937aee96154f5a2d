// The kiosk's signature over each batch it sends (issue #16): every request, a re-sent half of a
// split batch included, is signed over its own records, and each record's commit-time JWS travels
// detached (the registry puts back the record it receives beside it). One Ed25519 verification a
// batch at the registry instead of one a record.
import { signedBatch } from '../proof/batch-signature.js';
import type { Signer } from '../proof/jws.js';
import type { BatchRequest, BatchResponse } from '../wire/schemas.js';
import { SyncError } from './errors.js';
import type { RegistryTransport } from './transport.js';

/**
 * `transport` with every batch signed by `key`. `prepare` puts the kiosk's key at the registry and
 * answers whether the registry takes signed batches: before the first batch of each run, and again
 * when the registry refuses a batch's signature (a registry restored without the key); that batch is
 * then signed and sent once more. A second refusal fails the request (SIGNATURE_REFUSED): its items
 * wait for a later attempt, none is dead-lettered for it. A registry that does not take signed
 * batches (one older than them, which would refuse the request) gets each record's JWS attached, unsigned as a batch.
 */
export function batchSigning(key: Signer, transport: RegistryTransport, prepare: () => Promise<boolean>): RegistryTransport {
  let signs: boolean | undefined;
  const signedSend = async (batch: BatchRequest): Promise<BatchResponse> => transport.send(signs ? signedBatch(batch, key) : batch);
  return {
    send: async (batch) => {
      signs ??= await prepare();
      const answer = await signedSend(batch);
      if (!signatureRefused(answer)) return answer;
      signs = await prepare();
      const again = await signedSend(batch);
      if (signatureRefused(again)) throw new SyncError('SIGNATURE_REFUSED', 'the registry refused the batch signature twice');
      return again;
    },
    close: () => transport.close(),
  };
}

const signatureRefused = (answer: BatchResponse): boolean => answer.results.some((r) => r.reason?.code === 'BATCH_SIGNATURE_INVALID');
