// A virtual eID in the kiosk's reader (vpcd slot 1; the host helper's own tests use slot 0).
import { configureLogging, logLevel } from '../../card-reader/log.js';
import { loadProfile, type ProfileName } from '../../card-reader/virtual/profiles.js';
import { startVirtualCard, type VirtualCard, type VirtualCardOptions } from '../../card-reader/virtual/vpcd-card.js';
import { SLOT } from './host.js';

// The virtual card's info lines would drown the report (playwright.config.ts sets LOG_LEVEL=warn).
configureLogging(logLevel(process.env.LOG_LEVEL, 'warn'));

export async function insertCard(name: ProfileName, faults: Partial<VirtualCardOptions> = {}): Promise<VirtualCard> {
  const profile = await loadProfile(name);
  return startVirtualCard({ files: profile.files, basicPrivateKey: profile.basicPrivateKey, slot: SLOT, ...faults });
}
