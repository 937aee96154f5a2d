// The personal data of a known person must not appear, in any encoding we can think of, in the
// database, its WAL, or a debug-level log of everything the store and the manager did.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pino, type Logger } from 'pino';
import { bundledStatements } from '../consent/statements.js';
import {
  discardDeadLetter,
  exportConsentReceiptsCsv,
  importPaperLines,
  listFailed,
  queueStatus,
  retryDeadLetters,
} from '../manager/operations.js';
import { SqliteOutbox } from '../outbox/sqlite-outbox.js';
import { commitEnrollment } from '../store/commit.js';
import { DEFAULT_POLICY } from '../store/policy.js';
import type { Person } from '../wire/schemas.js';
import { at, enrollmentPayload, idGenerator, T0 } from './fixtures/payloads.js';
import { newKey, openTestStore, tempDir } from './fixtures/store.js';

const KNOWN: Person = {
  surname: 'Zwartkopfberghe',
  firstNames: 'Quirijntje Ottoline',
  language: 'nl',
  address: { street: 'Xylofoonlaantje 4711', postalCode: '9999', municipality: 'Sint-Ypsilonkerke', country: 'BE' },
  email: 'quirijntje.zwartkopf@example.test',
  mobile: '+32479818283',
};
const PAPER: Person = {
  surname: 'Vlieghe-Quackelbeen',
  firstNames: 'Ermengarde',
  language: 'fr',
  address: { street: 'Rue des Zéphyrins 88', postalCode: '5999', municipality: 'Wauthier-Braine', country: 'BE' },
  email: 'ermengarde.vq@example.test',
  mobile: '+32476545454',
};
const needles = (p: Person): string[] => [
  p.surname,
  p.firstNames,
  p.address!.street,
  p.address!.municipality,
  p.email!,
  p.mobile!,
  p.mobile!.slice(3), // the digits without the country code
];

function encodings(s: string): Buffer[] {
  const le = Buffer.from(s, 'utf16le');
  const be = Buffer.from(le).swap16();
  return [Buffer.from(s, 'utf8'), Buffer.from(s.normalize('NFD'), 'utf8'), le, be];
}

function findLeaks(files: string[], people: Person[]): string[] {
  const leaks: string[] = [];
  for (const file of files.filter((f) => existsSync(f))) {
    const bytes = readFileSync(file);
    for (const needle of people.flatMap(needles)) {
      for (const encoded of encodings(needle)) if (bytes.includes(encoded)) leaks.push(`${file}: ${needle}`);
    }
  }
  return leaks;
}

let dir: { dir: string; cleanup: () => void };
let dbPath: string;
let logPath: string;
let log: Logger;

beforeEach(() => {
  dir = tempDir();
  dbPath = join(dir.dir, 'kiosk.db');
  logPath = join(dir.dir, 'store.log');
  log = pino({ level: 'debug' }, pino.destination({ dest: logPath, sync: true }));
});
afterEach(() => dir.cleanup());

describe('personal data at rest', () => {
  it('is not readable in the database, the WAL or a debug log, whatever the store and the manager did', () => {
    const store = openTestStore(dbPath, newKey(), { log });
    const ids = idGenerator(2);
    const outbox = new SqliteOutbox(store);

    // An eID enrollment left pending, one rejected and retried, one acknowledged (purged).
    const pending = commitEnrollment(store, { payload: enrollmentPayload(ids, KNOWN), policy: DEFAULT_POLICY }, T0);
    const rejected = commitEnrollment(
      store,
      { payload: enrollmentPayload(ids, { ...KNOWN, email: 'second.' + KNOWN.email }), policy: DEFAULT_POLICY },
      at(1),
    );
    const acked = commitEnrollment(store, { payload: enrollmentPayload(ids, KNOWN), policy: DEFAULT_POLICY }, at(2));
    // A staff-keyed paper form.
    const paperLine = JSON.stringify({
      chainId: 'demo-chain',
      storeId: 'store-7',
      kioskId: 'kiosk-2',
      collectedAt: '2025-03-14T10:00:00+01:00',
      person: PAPER,
      consents: [
        {
          party: 'chain',
          statementId: 'demo-retail-loyalty',
          version: '1',
          language: 'fr',
          purposes: { loyalty: true, 'offers-email': false, 'offers-sms': true, 'offers-post': false, profiling: false },
        },
      ],
    });
    expect(
      importPaperLines(store, `${paperLine}\n`, { kioskId: 'kiosk-2', statements: bundledStatements(), policy: DEFAULT_POLICY, now: at(3) })
        .queued,
    ).toBe(1);

    const claimed = outbox.claimDue(at(4), 10);
    expect(claimed).toHaveLength(4);
    outbox.applyResults(
      [
        {
          idempotencyKey: rejected.idempotencyKey,
          status: 'rejected',
          statusCode: 422,
          reason: { code: 'INVALID_ITEM', message: 'email domain refused' },
        },
        { idempotencyKey: acked.idempotencyKey, status: 'accepted', statusCode: 201, receiptId: 'R-9', receivedAt: at(5).toISOString() },
      ],
      at(5),
    );
    outbox.releaseForRetry([pending.idempotencyKey, claimed[3]!.idempotencyKey], 'ETIMEDOUT', at(6));
    expect(listFailed(store).map((f) => f.initials)).toEqual(['Q. Z.']);
    retryDeadLetters(store, 'all', at(7));
    const again = outbox.claimDue(at(8), 10).map((i) => i.idempotencyKey);
    outbox.applyResults([{ idempotencyKey: rejected.idempotencyKey, status: 'rejected', statusCode: 422 }], at(9));
    outbox.releaseForRetry(
      again.filter((k) => k !== rejected.idempotencyKey),
      'HTTP 503',
      at(9),
    );
    discardDeadLetter(store, rejected.idempotencyKey, at(10));
    queueStatus(store, at(11));
    expect(exportConsentReceiptsCsv(store)).not.toContain(KNOWN.surname);

    // The data is there (the kiosk can still send it) ...
    expect(outbox.claimDue(at(20), 10).map((i) => i.kind === 'enrollment' && i.payload.person.surname)).toEqual([
      KNOWN.surname,
      PAPER.surname,
    ]);
    // ... and the log really recorded the work at debug level.
    const logText = readFileSync(logPath, 'utf8');
    expect(logText).toContain('enrollment committed');
    expect(logText).toContain('registry results applied');

    expect(existsSync(`${dbPath}-wal`)).toBe(true);
    expect(findLeaks([dbPath, `${dbPath}-wal`, `${dbPath}-shm`, logPath], [KNOWN, PAPER])).toEqual([]);
    store.close(); // checkpoints the WAL into the main file
    expect(findLeaks([dbPath, `${dbPath}-wal`, logPath], [KNOWN, PAPER])).toEqual([]);
  });

  it('the scan finds the data when it is written in clear (the test can fail)', () => {
    const store = openTestStore(dbPath, newKey(), { log });
    store.db.exec(`CREATE TABLE canary (v TEXT)`);
    store.db.prepare('INSERT INTO canary VALUES (?)').run(KNOWN.address!.street);
    log.debug({ note: KNOWN.email }, 'canary');
    expect(findLeaks([dbPath, `${dbPath}-wal`, logPath], [KNOWN])).toEqual(
      expect.arrayContaining([`${dbPath}-wal: ${KNOWN.address!.street}`, `${logPath}: ${KNOWN.email}`]),
    );
    store.close();
  });
});
