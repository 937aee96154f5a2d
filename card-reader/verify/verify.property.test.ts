// Property tests of the authenticity checks: whatever certificate and signature bytes a card hands
// over (random, or a real file with flipped, cut, inserted or corrupted-length bytes), verifyCard
// answers with verdicts and reasons; it never throws and never says a broken file is genuine.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CardFileName, CardFiles, Verification } from '../types.js';
import { parseIdentityFile } from '../eid/identity.js';
import { derLengthOffsets, mutate, mutationsArb } from '../test/byte-mutations.js';
import { loadProfile, type CardProfile } from '../virtual/profiles.js';
import { readCertificate } from './certificate.js';
import { loadTrustStore } from './trust-store.js';
import { verifyCard } from './verify-card.js';

const NOW = new Date('2026-11-22T10:00:00Z');
const profiles: CardProfile[] = await Promise.all([loadProfile('applet17-rsa'), loadProfile('applet18-ec')]);

async function verifyWith(profile: CardProfile, name: CardFileName, bytes: Uint8Array): Promise<Verification> {
  const files: CardFiles = { ...profile.files, [name]: bytes };
  const parsed = parseIdentityFile(profile.files['identity.tlv']!);
  return verifyCard({
    files,
    photoHash: parsed.photoHash,
    validityBegin: parsed.identity.validityBegin,
    validityEnd: parsed.identity.validityEnd,
    trust: loadTrustStore([profile.trustedRootDer]),
    now: NOW,
  });
}

const sameBytes = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);

describe.each(profiles.map((p) => [p.name, p] as const))('verifyCard on mutated files of %s', (_name, profile) => {
  it('reads random bytes as a failed certificate with a reason, never an exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), (bytes) => {
        const outcome = readCertificate(bytes, 'RRN certificate');
        if (!outcome.ok) expect(outcome.reason).toMatch(/RRN certificate/);
      }),
      { numRuns: 300 },
    );
  });

  it.each(['rrn-cert.der', 'identity-signature.bin', 'address-signature.bin'] as const)(
    'a mutated %s gives verdicts, and never passes both signatures and the chain by accident',
    async (name) => {
      const original = profile.files[name]!;
      await fc.assert(
        fc.asyncProperty(mutationsArb, async (mutations) => {
          const bytes = mutate(original, mutations, derLengthOffsets);
          const result = await verifyWith(profile, name, bytes);
          for (const verdict of Object.values(result)) {
            expect(typeof verdict.ok).toBe('boolean');
            expect(verdict.reason.length).toBeGreaterThan(0);
          }
          // A change confined to the zero padding after the DER is harmless; any other change must fail a check.
          const stillGenuine = result.identity.ok && result.address.ok && result.chain.ok;
          if (stillGenuine && !sameBytes(bytes, original)) {
            expect(sameBytes(bytes.subarray(0, derEnd(bytes)), original.subarray(0, derEnd(original)))).toBe(true);
          }
        }),
        { numRuns: 150 },
      );
    },
  );
});

it('refuses an ECDSA certificate signature in another encoding than DER (found by the property above)', async () => {
  const profile = profiles.find((p) => p.name === 'applet18-ec')!;
  const original = profile.files['rrn-cert.der']!;
  // The signature value's SEQUENCE tag (0x30) with its constructed bit cleared (0x10): the same r and
  // s, which a lenient reader still verifies, in bytes the CA never signed.
  const at = Buffer.from(original).indexOf(Buffer.from('0303690030', 'hex')) + 4;
  expect(at).toBeGreaterThan(4);
  const bytes = Uint8Array.from(original);
  bytes[at] = 0x10;
  expect(readCertificate(bytes, 'RRN certificate')).toMatchObject({ ok: false, code: 'CERTIFICATE_INVALID' });
  expect((await verifyWith(profile, 'rrn-cert.der', bytes)).chain.ok).toBe(false);
});

/** End of the first DER element (header + body), or the file length when it does not parse. */
function derEnd(b: Uint8Array): number {
  const first = b[1] ?? 0;
  if (first < 0x80) return Math.min(b.length, 2 + first);
  const n = first & 0x7f;
  let length = 0;
  for (let i = 0; i < n; i++) length = length * 256 + (b[2 + i] ?? 0);
  return Math.min(b.length, 2 + n + length);
}
