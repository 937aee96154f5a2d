// What applying a batch works with: the authenticated request and the registry's fixed rules. Its
// own module, so that apply.ts and batch-record.ts both use it without importing each other.
import type { SigningKey } from '../sync/proof/ed25519.js';
import type { MatchKeyer } from './matching.js';
import type { PublishedStatements } from './published-notices.js';
import type { KioskIdentity } from './storage/kiosks.js';
import type { SignedBatchRow } from './storage/consent-signatures.js';

/** A batch as the route receives it. */
export interface BatchRequestContext {
  kiosk: KioskIdentity;
  sentAt: string; // kiosk clock
  receivedAt: string; // registry clock
  /** The registry key that countersigned the batch (by kid: the batch may be applied on the writer thread); else the current one. */
  registryKid?: string;
  /** The kiosk's signed batch with the registry's countersignature, kept once when an item of it is (signed-records.ts). */
  signedBatch?: SignedBatchRow;
}

/** What every item is checked and matched against, the same for every batch. */
export interface RegistryRules {
  keyer: MatchKeyer;
  statements: PublishedStatements;
}

export interface BatchContext extends BatchRequestContext {
  rules: RegistryRules;
  /** Signs the records the registry writes itself while applying the batch. */
  registryKey: SigningKey;
}
