// A virtual eID in the kiosk's reader (vpcd slot 1; the host helper's own tests use slot 0).
import { loadProfile, type ProfileName } from '../../card-reader/virtual/profiles.js';
import { startVirtualCard, type VirtualCard, type VirtualCardOptions } from '../../card-reader/virtual/vpcd-card.js';
import { SLOT } from './host.js';

export async function insertCard(name: ProfileName, faults: Partial<VirtualCardOptions> = {}): Promise<VirtualCard> {
  const profile = await loadProfile(name);
  return startVirtualCard({ files: profile.files, basicPrivateKey: profile.basicPrivateKey, slot: SLOT, ...faults });
}
