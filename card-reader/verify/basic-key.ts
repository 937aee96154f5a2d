// Is this the chip the identity was issued for? (beid.md §5 "Basic key (1.8)"). The signatures
// prove the files came from the National Register, but a clone holding copied files passes them.
// An applet 1.8 chip holds a basic key pair: DF01/4040 is its public key, identity tag 1A is
// SHA-384 of that file (so the signed identity names the key), and the chip's answer to a fresh
// random challenge proves it holds the private key. Like MW, checked on 1.8 only: a 1.x card's
// basic key is not named in its identity, so there is nothing to bind it to.
import { createHash, timingSafeEqual } from 'node:crypto';
import type { ChipChallenge } from '../eid/protocol.js';
import type { Verdict, VerdictCode } from '../types.js';
import { p384PublicKey, verifyDigestP384 } from './ecdsa-digest.js';

export interface BasicKeyEvidence extends ChipChallenge {
  /** DF01/4040: the basic public key as SubjectPublicKeyInfo. */
  keyFile?: Uint8Array;
  /** Identity tag 1A. */
  keyHash?: Uint8Array;
}

export function checkBasicKey(e: BasicKeyEvidence): Verdict {
  if (!e.keyFile || e.keyFile.length === 0) {
    return fail('NOT_READ', "The chip's basic public key (file 4040) was not read from the card, so the chip could not be checked.");
  }
  if (!e.keyHash)
    return fail('CHIP_KEY_UNNAMED', "The identity data does not name the chip's basic key (no tag 1A), so the chip could not be checked.");
  const hash = createHash('sha384').update(e.keyFile).digest();
  if (hash.length !== e.keyHash.length || !timingSafeEqual(hash, e.keyHash)) {
    return fail(
      'CHIP_KEY_SUBSTITUTED',
      "The chip's basic public key is not the one named in the signed identity data: the card was altered.",
    );
  }
  if (!e.response) return fail('CHIP_REFUSED', `The chip refused to prove it holds its basic key (${e.refusal ?? 'no answer'}).`);
  const key = p384PublicKey(e.keyFile);
  if (!key) return fail('CHIP_FAILED', "The chip's basic public key (file 4040) is not a P-384 key.");
  // The chip signs the challenge as the digest, unhashed (ecdsa-digest.ts).
  if (!verifyDigestP384(key, e.challenge, e.response)) {
    return fail(
      'CHIP_FAILED',
      'The chip did not prove it holds the basic key named in the identity data: it is not the chip this card was issued with (a copy?).',
    );
  }
  return { ok: true, code: 'CHIP_PROVEN', reason: 'The chip proved it holds the basic key named in the signed identity data.' };
}

const fail = (code: VerdictCode, reason: string): Verdict => ({ ok: false, code, reason });
