// The kiosk's signing key registered with its registry (POST /v1/kiosk-keys, with the kiosk's
// token), so a receipt's QR verifies on a phone from the very first enrollment: right after
// provisioning (host/setup.ts), and at every start until the registry has acknowledged it (a kiosk
// provisioned before, or whose registration failed; the demo). The sync client also registers it
// before its first batch, so a failure here costs nothing but a receipt that verifies a little later.
import { registerSigningKey } from '../sync/client/compose-sync.js';
import { isSyncError } from '../sync/client/errors.js';
import { HttpTransport, type HttpTransportOptions } from '../sync/client/transport.js';
import { logger } from '../sync/log.js';
import type { Store } from '../sync/store/open.js';

const log = logger('kiosk-key');
const REGISTER_TIMEOUT_MS = 10_000;

/** True once the registry has the store's key; false (logged) when it could not be reached or refused it. */
export async function registerKioskKey(store: Store, registry: HttpTransportOptions): Promise<boolean> {
  const http = new HttpTransport({ requestTimeoutMs: REGISTER_TIMEOUT_MS, ...registry });
  try {
    await registerSigningKey(store, http);
    return true;
  } catch (e) {
    log.warn(
      { err: isSyncError(e) ? e.code : e instanceof Error ? e.name : 'unknown' },
      'kiosk key not registered yet: the sync client retries',
    );
    return false;
  } finally {
    await http.close();
  }
}
