// The suite needs Chromium, pcscd with the virtual readers, and the built UI: a missing one fails
// the run with what to do, never skips it (CI=true or not).
import { existsSync } from 'node:fs';
import { assertPcscdReachable, defaultPcscdSocket } from '../../card-reader/pcsc/native.js';

export const CHROMIUM = '/usr/bin/chromium';

export default async function globalSetup(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The end-to-end tests need Debian's Chromium at ${CHROMIUM}: apt-get install chromium (scripts/setup.sh --tests).`);
  }
  if (!existsSync('dist/renderer/index.html')) throw new Error('The UI is not built: run npm run build:ui (npm run test:e2e does).');
  try {
    await assertPcscdReachable(defaultPcscdSocket());
  } catch (err) {
    throw new Error(`The end-to-end tests need pcscd with vsmartcard-vpcd (${String(err)}): bash scripts/services.sh start`);
  }
}
