// Shared set-up for the PC/SC integration tests: the real pcscd (never skipped: missing = failed),
// profiles loaded once, and virtual cards inserted and removed by waiting on PC/SC events.
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { CardError, isCardError, type CardErrorCode } from '../errors.js';
import { assertPcscdReachable, defaultPcscdSocket } from '../pcsc/native.js';
import { PcscSession } from '../pcsc/session.js';
import { loadTrustStore, type TrustStore } from '../verify/trust-store.js';
import { loadProfile, type CardProfile, type ProfileName } from '../virtual/profiles.js';
import { startVirtualCard, vpcdReaderName, type VirtualCard, type VirtualCardOptions } from '../virtual/vpcd-card.js';

/** The day the generated profiles are built to be valid on. */
export const TODAY = new Date('2026-11-22T10:00:00Z');

/**
 * Registers hooks that open one session for a test file. A missing pcscd fails every test of the
 * file with the reason (CI=true or not): a hook error in beforeAll alone would report them skipped.
 */
export function usePcscd(): { session(): PcscSession } {
  let session: PcscSession | undefined;
  let failure: unknown;
  beforeAll(async () => {
    try {
      await requirePcscd();
      session = await PcscSession.open();
    } catch (err) {
      failure = err;
    }
  });
  beforeEach(() => {
    if (failure) throw failure;
  });
  afterAll(async () => {
    await session?.close();
  });
  return { session: () => session! };
}

export async function requirePcscd(): Promise<void> {
  try {
    await assertPcscdReachable(defaultPcscdSocket());
  } catch (err) {
    const why = err instanceof CardError ? err.detail : String(err);
    throw new Error(
      `These tests need the real pcscd with vsmartcard-vpcd (${why}). Start it with: bash scripts/services.sh start` +
        (process.env.CI === 'true' ? ' (CI must start it before the tests).' : ''),
    );
  }
}

const profiles = new Map<ProfileName, Promise<CardProfile>>();
export const profile = (name: ProfileName): Promise<CardProfile> => {
  let p = profiles.get(name);
  if (!p) profiles.set(name, (p = loadProfile(name)));
  return p;
};

export const trustFor = (p: CardProfile): TrustStore => loadTrustStore([p.trustedRootDer]);

/** Starts a virtual card and resolves once the session has seen it arrive in its reader. */
export async function insert(session: PcscSession, opts: VirtualCardOptions): Promise<VirtualCard> {
  const reader = vpcdReaderName(opts.slot ?? 0);
  const arrived = new Promise<void>((resolve) => {
    const onInsert = (s: { reader: string }) => {
      if (s.reader !== reader) return;
      session.off('card-inserted', onInsert);
      resolve();
    };
    session.on('card-inserted', onInsert);
  });
  const card = await startVirtualCard(opts);
  await arrived;
  return card;
}

/** Takes a card out and resolves once the session has seen it go. */
export async function eject(session: PcscSession, card: VirtualCard): Promise<void> {
  const gone = session.readers().find((r) => r.reader === card.readerName)?.present
    ? new Promise<void>((resolve) => {
        const onRemove = (reader: string) => {
          if (reader !== card.readerName) return;
          session.off('card-removed', onRemove);
          resolve();
        };
        session.on('card-removed', onRemove);
      })
    : Promise.resolve();
  await card.stop();
  await gone;
}

/** The CardError code a promise rejects with ('resolved' if it does not). */
export async function errorCode(p: Promise<unknown>): Promise<CardErrorCode | 'resolved'> {
  try {
    await p;
    return 'resolved';
  } catch (err) {
    if (isCardError(err)) return err.code;
    throw err;
  }
}
