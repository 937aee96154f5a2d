// What goes wrong in a kiosk, through the real pcscd: a card pulled at every point of a read, a
// card that does not answer, a card that is not an eID or not activated, a reader that is busy,
// missing or misnamed. Each ends in its CardError and leaves the reader ready for the next card.
import { beforeEach, describe, expect, it } from 'vitest';
import { PcscSession } from '../pcsc/session.js';
import { readCard, type ReadCardOptions } from '../read-card.js';
import type { CardProfile } from '../virtual/profiles.js';
import { vpcdReaderName, type VirtualCard } from '../virtual/vpcd-card.js';
import { TODAY, eject, errorCode, insert, profile, trustFor, usePcscd } from './support.js';

const pcsc = usePcscd();
let session: PcscSession;
let alice: CardProfile;
beforeEach(async () => {
  session = pcsc.session();
  alice = await profile('specimen-alice-rsa');
});

const options = (slot: number, extra: Partial<ReadCardOptions> = {}): ReadCardOptions => ({
  reader: vpcdReaderName(slot),
  photo: true,
  trust: trustFor(alice),
  now: () => TODAY,
  waitMs: 2000,
  ...extra,
});

/** Reads a fresh, well-behaved card in `slot` with `s`, proving the reader was left clean. */
async function readsFine(s: PcscSession, slot: number): Promise<void> {
  const card = await insert(s, { files: alice.files, slot });
  try {
    const r = await readCard(s, options(slot));
    expect(r.apdus).toBe(29);
    expect(r.verification.identity.ok).toBe(true);
  } finally {
    await eject(s, card);
  }
}

describe('card removed during the read', () => {
  it('gives CARD_REMOVED at every APDU index, and the next card reads fine', async () => {
    const FULL_READ = 29;
    const seen: string[] = [];
    const pullAt = async (slot: number, indices: number[]) => {
      for (const n of indices) {
        const card = await insert(session, { files: alice.files, slot, removeAfterApdus: n });
        const code = await errorCode(readCard(session, options(slot)));
        seen.push(`${n}:${code}`);
        expect(code === 'CARD_REMOVED' || (n === 0 && code === 'NO_CARD'), `removed after ${n} APDUs: ${code}`).toBe(true);
        expect(card.apduCount).toBe(n);
        await card.removed;
      }
    };
    const indices = Array.from({ length: FULL_READ }, (_, i) => i);
    // Both readers share the work: it halves the time spent waiting for pcscd's insert/remove polls.
    await Promise.all([
      pullAt(
        0,
        indices.filter((i) => i % 2 === 0),
      ),
      pullAt(
        1,
        indices.filter((i) => i % 2 === 1),
      ),
    ]);
    expect(seen).toHaveLength(FULL_READ);

    // A fresh card in the same readers reads, through this session and through a second PC/SC
    // context (a leaked exclusive handle would make the second one fail with READER_BUSY).
    await readsFine(session, 0);
    await readsFine(session, 1);
    const other = await PcscSession.open();
    try {
      await readsFine(other, 0);
      await readsFine(other, 1);
    } finally {
      await other.close();
    }
  }, 90_000);
});

describe('cards that refuse', () => {
  it('gives CARD_NOT_ACTIVATED for a card answering 6D00', async () => {
    const card = await insert(session, { files: alice.files, slot: 0, notActivated: true });
    try {
      expect(await errorCode(readCard(session, options(0)))).toBe('CARD_NOT_ACTIVATED');
    } finally {
      await eject(session, card);
    }
  });

  it('gives NOT_BEID for a card that does not know the Belpic applet', async () => {
    const card = await insert(session, { files: alice.files, slot: 1, notBeid: true });
    try {
      await expect(readCard(session, options(1))).rejects.toMatchObject({ code: 'NOT_BEID', detail: 'SW 6A82 on SELECT applet' });
    } finally {
      await eject(session, card);
    }
  });

  it('gives TIMEOUT for a card slower than the APDU deadline, then the reader works again', async () => {
    const card = await insert(session, { files: alice.files, slot: 0, delayMs: 600 });
    try {
      expect(await errorCode(readCard(session, options(0, { apduTimeoutMs: 150 })))).toBe('TIMEOUT');
    } finally {
      await eject(session, card);
    }
    await readsFine(session, 0);
  });
});

describe('readers', () => {
  it('gives READER_BUSY while another program holds the card, and reads once it lets go', async () => {
    let card: VirtualCard | undefined;
    const other = await PcscSession.open();
    try {
      card = await insert(session, { files: alice.files, slot: 1 });
      const status = await other.waitForCard({ reader: card.readerName, timeoutMs: 2000 });
      const held = await other.connect(status, { apduTimeoutMs: 1000 });
      expect(await errorCode(readCard(session, options(1)))).toBe('READER_BUSY');
      await held.close();
      expect((await readCard(session, options(1))).apdus).toBe(29);
    } finally {
      await other.close();
      if (card) await eject(session, card);
    }
  });

  it('gives READER_BUSY to a second read of the same reader in this process', async () => {
    const card = await insert(session, { files: alice.files, slot: 0, delayMs: 5 });
    try {
      const [first, second] = await Promise.all([errorCode(readCard(session, options(0))), errorCode(readCard(session, options(0)))]);
      expect([first, second].sort()).toEqual(['READER_BUSY', 'resolved']);
    } finally {
      await eject(session, card);
    }
  });

  it('gives NO_CARD when the reader stays empty', async () => {
    expect(await errorCode(readCard(session, options(0, { waitMs: 300 })))).toBe('NO_CARD');
  });

  it('gives NO_READER at once for a reader name pcscd does not list', async () => {
    await expect(readCard(session, options(0, { reader: 'ACME Reader 00 00', waitMs: 20_000 }))).rejects.toMatchObject({
      code: 'NO_READER',
      detail: expect.stringContaining('Virtual PCD 00 00'),
    });
  });

  it('gives NO_READER when pcscd cannot be reached', async () => {
    await expect(PcscSession.open({ socketPath: '/nonexistent/pcscd.comm' })).rejects.toMatchObject({
      code: 'NO_READER',
      detail: expect.stringContaining('pcscd not reachable'),
    });
  });
});
