// Card-read benchmark (npm run bench:card -- [--delay-ms D] [--reads N] [--profile NAME] [--slot S]).
// A virtual card answers each APDU after D ms, as a real reader does (tens of ms per APDU), so the
// floor of a read is APDUs x D; the figure that matters is how close the real read gets to it.
// The read runs through pcscd and @pokusew/pcsclite exactly as the kiosk does.
import { parseArgs } from 'node:util';
import { configureLogging, logLevel } from '../log.js';
import { PcscSession } from '../pcsc/session.js';
import { readCard } from '../read-card.js';
import { loadTrustStore } from '../verify/trust-store.js';
import { PROFILE_NAMES, loadProfile, type ProfileName } from '../virtual/profiles.js';
import { startVirtualCard, vpcdReaderName } from '../virtual/vpcd-card.js';

// Per-read log lines would cost time inside the measurement: warnings only unless LOG_LEVEL asks.
configureLogging(logLevel(process.env.LOG_LEVEL, 'warn'));

const { values } = parseArgs({
  options: {
    'delay-ms': { type: 'string', default: '20' },
    reads: { type: 'string', default: '10' },
    profile: { type: 'string', default: 'specimen-alice-rsa' },
    slot: { type: 'string', default: '0' },
  },
});
const delayMs = Number(values['delay-ms']);
const reads = Number(values.reads);
const slot = Number(values.slot);
const name = values.profile as ProfileName;
if (!PROFILE_NAMES.includes(name) || !(delayMs >= 0) || !(reads >= 1) || !(slot === 0 || slot === 1)) {
  console.error(`usage: npm run bench:card -- [--delay-ms D] [--reads N] [--profile ${PROFILE_NAMES.join('|')}] [--slot 0|1]`);
  process.exit(2);
}

const profile = await loadProfile(name);
const trust = loadTrustStore([profile.trustedRootDer]);
const session = await PcscSession.open();
// One card for the whole run: each read still connects, reads in one exclusive connection and
// disconnects, as a kiosk read does; only pcscd's insertion polling is left out of the figures.
const card = await startVirtualCard({ files: profile.files, basicPrivateKey: profile.basicPrivateKey, slot, delayMs });
try {
  console.log(`profile: ${name}`);
  console.log(`delay per APDU: ${delayMs} ms`);
  console.log(`reads per case: ${reads}`);
  for (const photo of [false, true]) {
    const label = photo ? 'with photo' : 'identity+address+signatures+RRN certificate';
    const cardMs: number[] = [];
    const totalMs: number[] = [];
    let apdus = 0;
    for (let i = 0; i < reads; i++) {
      const started = performance.now();
      const r = await readCard(session, { reader: vpcdReaderName(slot), photo, trust, now: () => new Date(), waitMs: 5000 });
      totalMs.push(performance.now() - started);
      cardMs.push(r.ms);
      apdus = r.apdus;
    }
    const floor = apdus * delayMs;
    console.log(`${label}: APDUs per read: ${apdus}`);
    console.log(`${label}: median ms with the card connected: ${median(cardMs).toFixed(0)}`);
    console.log(`${label}: median ms including parse and verify: ${median(totalMs).toFixed(0)}`);
    console.log(`${label}: floor ms (APDUs x delay): ${floor}`);
    if (floor > 0) {
      console.log(`${label}: ratio to floor, card connected: ${(median(cardMs) / floor).toFixed(3)}`);
      console.log(`${label}: ratio to floor, whole read with parse and verify: ${(median(totalMs) / floor).toFixed(3)}`);
    }
  }
} finally {
  await card.stop();
  await session.close();
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}
