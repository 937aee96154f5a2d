// Issue 14: every retention rule of the statements (RETENTION_RULES) is enforced by the purge it
// names, no later than its period's end, on an injected clock; and a chain whose customer withdrew
// every chain purpose loses its file of them within 30 days, while another chain keeps its own.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { retentionDeadline, RETENTION_RULES, PURGE_EVERY_DAYS, type PurgeName } from '../../sync/consent/retention.js';
import type { SubjectAccessResponse } from '../../sync/wire/registry-api.js';
import { EnrollmentPayload, Person } from '../../sync/wire/schemas.js';
import { consentEventItem, consentRecord, enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { ENGINES, feed, type Kiosk, postJson, send, type TestEnv, twoChains } from './fixtures/registry-app.js';
import { all } from '../storage/sql.js';

const DAY = 86_400_000;
const BORN = '1980-05-17';
const JAN = { surname: 'Peeters', firstNames: 'Jan', email: 'jan@example.be', birthDate: undefined };
const BY_MAIL = { surname: 'Peeters', firstNames: 'Jan', email: 'jan@example.be' };

describe.each(ENGINES)('retention rules on %s', (engine) => {
  let env: TestEnv, a: Kiosk, b: Kiosk, subjectRef: string;
  beforeEach(async () => {
    ({ env, a, b } = await twoChains(engine));
    const item = enrollmentItem(a, { registry: 'given', person: JAN, registryMatch: { birthDate: BORN } });
    subjectRef = item.payload.enrollmentId;
    await send(env, a, item);
    await send(
      env,
      b,
      enrollmentItem(b, {
        registry: 'given',
        person: { ...JAN, email: undefined, mobile: '+32470123456' },
        registryMatch: { birthDate: BORN },
      }),
    );
  });
  afterEach(async () => env.dispose());

  /** Sets the clock to `at` minus `ms` and purges; answers the counts. */
  const purgeAt = async (at: Date, ms = 0) => {
    env.advance(at.getTime() - ms - env.now().getTime());
    return env.store.purge(env.now());
  };
  const withdrawAt = async (k: Kiosk, party: 'chain' | 'registry', purposes: string[]) =>
    send(
      env,
      k,
      consentEventItem(k, consentRecord({ subjectRef, party, kiosk: k, status: 'withdrawn', purposes, at: env.now().toISOString() })),
    );

  /** For each purge, what starts its period, and when that was. */
  const starts: Record<Exclude<PurgeName, 'kiosk-acknowledgement' | 'never-received'>, () => Promise<Date>> = {
    'chain-data-withdrawn': async () => {
      await withdrawAt(a, 'chain', ['loyalty', 'offers-email']);
      return env.now();
    },
    'chain-data-inactive': async () => env.now(),
    'registry-data-withdrawn': async () => {
      await withdrawAt(a, 'registry', ['profile-sync']);
      return env.now();
    },
    'registry-data-inactive': async () => env.now(),
    'consent-proof': async () => {
      // By the chip's birth date: the eID path needs no one-time code.
      expect((await postJson(env, a, '/v1/subject/erase', { surname: 'Peeters', firstNames: 'Jan', birthDate: BORN })).statusCode).toBe(
        200,
      );
      return env.now();
    },
    'transient-messages': async () => {
      // A one-time code made and its e-mail queued (no SMTP here: it waits, unsent).
      const asked = await postJson(env, a, '/v1/subject/challenge', { ...BY_MAIL, channel: 'email', language: 'en' });
      expect(asked.statusCode).toBe(202);
      return env.now();
    },
  };

  for (const rule of RETENTION_RULES) {
    it(`enforces "${rule.party}: ${rule.data}", ${JSON.stringify(rule.period)} after ${rule.from}, by ${rule.purge}`, async () => {
      if (rule.purge === 'never-received') {
        // Purchases: no field of an enrollment or a person carries one.
        const fields = [...Object.keys(EnrollmentPayload.shape), ...Object.keys(Person.shape)];
        expect(fields.filter((f) => /purchase|basket|receipt/i.test(f))).toEqual([]);
        return;
      }
      if (rule.purge === 'kiosk-acknowledgement') return; // the kiosk store's own test (sync/test/store-outbox.test.ts)
      const from = await starts[rule.purge]();
      const deadline = retentionDeadline(from, rule.period);
      // The last run before the deadline deletes it; the run before that does not.
      const lastRun = new Date(deadline.getTime() - PURGE_EVERY_DAYS * DAY);
      expect((await purgeAt(lastRun, 1))[rule.purge]).toBe(0);
      expect((await purgeAt(lastRun))[rule.purge]).toBeGreaterThan(0);
      // A signed batch goes with the last record of it kept: none is left that no record names.
      const orphans = await env.reader.read(() =>
        all('SELECT batch_id FROM signed_batches b WHERE NOT EXISTS (SELECT 1 FROM consent_signatures s WHERE s.batch_id = b.batch_id)'),
      );
      expect(orphans).toEqual([]);
    });
  }

  it("deletes only that chain's file once its customer withdrew every chain purpose, and tells that chain", async () => {
    env.advance(DAY);
    await withdrawAt(a, 'chain', ['loyalty', 'offers-email']);
    const counts = await purgeAt(new Date(env.now().getTime() + 29 * DAY));
    expect(counts).toMatchObject({ 'chain-data-withdrawn': 1, erased: 0 });
    expect((await feed(env, a)).events.map((e) => e.data).at(-1)).toEqual({ kind: 'subject-erased', reason: 'retention' });
    // Chain A carried the e-mail alone: it goes with A's file; B still finds Jan by the mobile.
    expect((await postJson(env, a, '/v1/subject/access', BY_MAIL)).statusCode).toBe(404);
    const atB = await postJson(env, b, '/v1/subject/access', { surname: 'Peeters', firstNames: 'Jan', mobile: '+32470123456' });
    const profile = atB.json<SubjectAccessResponse>().profile;
    expect(profile).toMatchObject({ surname: 'Peeters', mobile: '+32470123456' });
    expect(profile).not.toHaveProperty('email');
    expect(atB.json<SubjectAccessResponse>().enrollments).toHaveLength(1);
  });

  it('counts a consent decision at a kiosk as a visit: chain A keeps its file two years after the enrollment, chain B does not', async () => {
    env.advance(365 * DAY);
    await withdrawAt(a, 'chain', ['offers-email']);
    expect(await purgeAt(new Date(Date.parse('2027-03-01T10:00:00.000Z')))).toMatchObject({ 'chain-data-inactive': 1, erased: 0 }); // chain B's
    expect((await postJson(env, a, '/v1/subject/access', BY_MAIL)).statusCode).toBe(200);
  });
});
