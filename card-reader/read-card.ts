// One card read, composed: wait for a card, connect exclusively (the read's one transaction), read
// the files in the fewest APDUs, disconnect, then parse and verify off the card. The raw files
// (which hold the national register number) stay inside this function; the result carries parsed
// fields only.
import { BeidCard, readEidFiles } from './eid/protocol.js';
import { toHex } from './eid/hex.js';
import { parseAddressFile, type Address } from './eid/address.js';
import type { AppletVersion } from './eid/card-data.js';
import { parseIdentityFile, type Identity } from './eid/identity.js';
import { isCardError } from './errors.js';
import { logger } from './log.js';
import type { PcscSession } from './pcsc/session.js';
import type { CardFileName, Verification } from './types.js';
import type { TrustStore } from './verify/trust-store.js';
import { verifyCard } from './verify/verify-card.js';

export interface CardRead {
  identity: Identity;
  address: Address;
  card: { appletVersion: AppletVersion; reader: string; atr?: string };
  verification: Verification;
  /** The JPEG as base64, only when asked for. */
  photo?: string;
  /** Command APDUs sent, GET RESPONSEs and 6Cxx resends included. */
  apdus: number;
  /** Time the card was connected: connect, every APDU, disconnect. */
  ms: number;
}

export interface ReadCardOptions {
  /** Reader name; default the first reader holding a card. */
  reader?: string;
  /** Read DF01/4035 too (needed for verification.photo). */
  photo?: boolean;
  trust: TrustStore;
  /** Today, for the card's validity check. */
  now: () => Date;
  /** Monotonic milliseconds, for `ms`. */
  clock?: () => number;
  /** How long to wait for a card to be present; 0 = it must be there already. */
  waitMs?: number;
  /** Deadline for each APDU. */
  apduTimeoutMs?: number;
  /** Random bytes for the applet 1.8 basic-key challenge; default crypto.randomBytes. */
  random?: (n: number) => Uint8Array;
  /**
   * Reports parsed data while the read goes on: the identity and address as soon as both files are
   * in (before the certificate, signatures and photo), then the photo. Not yet verified: the result's
   * `verification` says whether they are genuine. A listener that throws does not break the read.
   */
  onProgress?: (progress: ReadProgress) => void;
}

export type ReadProgress =
  | { stage: 'identity'; identity: Identity; address: Address }
  /** The JPEG as base64. */
  | { stage: 'photo'; photo: string };

const log = logger('read-card');

export async function readCard(session: PcscSession, opts: ReadCardOptions): Promise<CardRead> {
  const clock = opts.clock ?? (() => performance.now());
  const status = await session.waitForCard({ reader: opts.reader, timeoutMs: opts.waitMs ?? 0 });
  const started = clock();
  const connection = await session.connect(status, { apduTimeoutMs: opts.apduTimeoutMs ?? 5000 });
  const card = new BeidCard(connection);
  let read;
  try {
    read = await readEidFiles(card, { photo: opts.photo ?? false, random: opts.random, onFile: progressReporter(opts.onProgress) });
  } catch (err) {
    log.warn({ reader: status.reader, apdus: card.apduCount, code: isCardError(err) ? err.code : 'BUG' }, 'card read failed');
    throw err;
  } finally {
    await connection.close();
  }
  const ms = Math.round(clock() - started);
  log.info({ reader: status.reader, apdus: card.apduCount, ms }, 'card read');

  const { files, cardData, chip } = read;
  // Parsed again here rather than kept from the progress report: cheap, and the result never depends on a listener.
  const { identity, photoHash, basicKeyHash } = parseIdentityFile(files['identity.tlv']!);
  const verification = await verifyCard({
    files,
    photoHash,
    validityBegin: identity.validityBegin,
    validityEnd: identity.validityEnd,
    ...(chip ? { chip: { ...chip, keyHash: basicKeyHash } } : {}),
    trust: opts.trust,
    now: opts.now(),
  });
  const photo = files['photo.jpg'];
  return {
    identity,
    address: parseAddressFile(files['address.tlv']!),
    card: {
      appletVersion: cardData.appletVersion,
      reader: status.reader,
      ...(status.atr ? { atr: toHex(status.atr) } : {}),
    },
    verification,
    ...(opts.photo && photo ? { photo: Buffer.from(photo).toString('base64') } : {}),
    apdus: card.apduCount,
    ms,
  };
}

/** Turns the protocol's file-by-file hook into parsed progress reports; parse errors end the read (MALFORMED_FILE). */
function progressReporter(listener: ReadCardOptions['onProgress']): ((name: CardFileName, bytes: Uint8Array) => void) | undefined {
  if (!listener) return undefined;
  let identity: Identity | undefined;
  const report = (progress: ReadProgress) => {
    try {
      listener(progress);
    } catch (err) {
      log.warn({ stage: progress.stage, err: err instanceof Error ? err.name : 'unknown' }, 'progress listener failed');
    }
  };
  return (name, bytes) => {
    if (name === 'identity.tlv') identity = parseIdentityFile(bytes).identity;
    else if (name === 'address.tlv' && identity) report({ stage: 'identity', identity, address: parseAddressFile(bytes) });
    else if (name === 'photo.jpg') report({ stage: 'photo', photo: Buffer.from(bytes).toString('base64') });
  };
}
