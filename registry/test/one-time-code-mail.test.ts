// Issue 14: proof of control on the typed path, and real e-mail. Erasure and registry withdrawals on
// typed details need a one-time code sent to the address or number on file; the outbox's e-mail goes
// over SMTP to a real server on 127.0.0.1 (smtp-server, read with mailparser), SMS to the recording double.
import pino from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MailDispatcher } from '../mail/dispatcher.js';
import { RecordingSmsSender, SmtpSender } from '../mail/senders.js';
import type { ConsentLookupResponse } from '../../sync/wire/registry-api.js';
import type { Person } from '../../sync/wire/schemas.js';
import { enrollmentItem } from '../../sync/test/fixtures/payloads.js';
import { codeIn, SmtpInbox } from './fixtures/smtp-inbox.js';
import { ENGINES, type Kiosk, postJson, send, type TestEnv, twoChains } from './fixtures/registry-app.js';

const JAN: Partial<Person> = {
  surname: 'Peeters',
  firstNames: 'Jan',
  language: 'nl',
  birthDate: undefined,
  email: 'jan@example.be',
  mobile: '+32470123456',
};
const TYPED = { surname: 'Peeters', firstNames: 'Jan', email: 'jan@example.be' };

describe.each(ENGINES)('one-time codes and the mail outbox on %s', (engine) => {
  let env: TestEnv, a: Kiosk, inbox: SmtpInbox, sms: RecordingSmsSender, email: SmtpSender, mail: MailDispatcher;
  beforeEach(async () => {
    ({ env, a } = await twoChains(engine));
    await send(env, a, enrollmentItem(a, { registry: 'given', source: 'manual', person: JAN }));
    inbox = new SmtpInbox();
    await inbox.start();
    sms = new RecordingSmsSender();
    email = new SmtpSender(inbox.url, 'registry@example.be');
    mail = new MailDispatcher({ store: env.store, email, sms, now: env.now, logger: pino({ level: 'silent' }), domain: 'example.be' });
  });
  afterEach(async () => {
    email.close();
    await inbox.stop();
    await env.dispose();
  });

  const challenge = (body: object): ReturnType<typeof postJson> =>
    postJson(env, a, '/v1/subject/challenge', { ...TYPED, channel: 'email', language: 'nl', ...body });

  it('refuses erasure on typed details without the code, a wrong code as a miss, and erases with the right one', async () => {
    const without = await postJson(env, a, '/v1/subject/erase', TYPED);
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ code: 'PROOF_REQUIRED' });
    // Unknown or known, the same answer.
    expect((await challenge({ surname: 'Maes' })).statusCode).toBe(202);
    expect((await challenge({})).statusCode).toBe(202);
    await mail.tick();
    expect(inbox.mails).toHaveLength(1);
    const [sent] = inbox.mails;
    expect(sent?.to).toMatchObject({ text: 'jan@example.be' });
    const code = codeIn(sent?.text);
    expect(code).toMatch(/^\d{6}$/);
    const wrong = String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const miss = await postJson(env, a, '/v1/subject/erase', { ...TYPED, oneTimeCode: wrong });
    expect(miss.statusCode).toBe(404);
    expect(miss.json()).toMatchObject({ code: 'CONSUMER_NOT_FOUND' });
    expect((await postJson(env, a, '/v1/subject/erase', { ...TYPED, oneTimeCode: code })).statusCode).toBe(200);
    expect((await postJson(env, a, '/v1/consents/lookup', TYPED)).statusCode).toBe(404);
  });

  it('lets a code be used once, five tries, ten minutes', async () => {
    await challenge({});
    await mail.tick();
    const code = codeIn(inbox.mails[0]?.text);
    env.advance(10 * 60_000);
    expect((await postJson(env, a, '/v1/subject/erase', { ...TYPED, oneTimeCode: code })).statusCode).toBe(404);
    await challenge({});
    await mail.tick();
    const fresh = codeIn(inbox.mails[1]?.text);
    const wrong = String((Number(fresh) + 1) % 1_000_000).padStart(6, '0');
    for (let i = 0; i < 5; i++) await postJson(env, a, '/v1/subject/erase', { ...TYPED, oneTimeCode: wrong });
    // The five wrong tries ended the code: the right one no longer works.
    expect((await postJson(env, a, '/v1/subject/erase', { ...TYPED, oneTimeCode: fresh })).statusCode).toBe(404);
  });

  it('sends the code in the language asked for', async () => {
    const subjects: Record<string, string> = {
      nl: 'Uw eenmalige code',
      fr: 'Votre code à usage unique',
      de: 'Ihr Einmalcode',
      en: 'Your one-time code',
    };
    for (const language of Object.keys(subjects)) {
      await challenge({ language });
      await mail.tick();
    }
    expect(inbox.mails.map((m) => m.subject)).toEqual(Object.values(subjects));
    expect(inbox.mails.every((m) => /^\d{6}$/.test(codeIn(m.text)))).toBe(true);
    expect(inbox.mails[2]?.text).toContain('10 Minuten');
  });

  it('texts the code to the mobile on file, which withdraws the registry consent; a chain consent needs none', async () => {
    const byMobile = { surname: 'Peeters', firstNames: 'Jan', mobile: '+32470123456' };
    const looked = (await postJson(env, a, '/v1/consents/lookup', byMobile)).json<ConsentLookupResponse>();
    const withdraw = (party: 'chain' | 'registry', extra: object = {}): ReturnType<typeof postJson> =>
      postJson(env, a, '/v1/consents/withdraw', {
        ...byMobile,
        party,
        purposes: looked[party].map((p) => p.purposeId),
        method: 'kiosk-manual',
        utcOffsetMinutes: 60,
        ...extra,
      });
    expect((await withdraw('registry')).json()).toMatchObject({ code: 'PROOF_REQUIRED' });
    expect((await challenge({ ...byMobile, email: undefined, channel: 'mobile', language: 'fr' })).statusCode).toBe(202);
    await mail.tick();
    expect(sms.sent).toHaveLength(1);
    expect(sms.sent[0]?.to).toBe('+32470123456');
    expect(sms.sent[0]?.text).toContain('Votre code');
    expect(inbox.mails).toHaveLength(0);
    expect((await withdraw('registry', { oneTimeCode: codeIn(sms.sent[0]?.text) })).statusCode).toBe(200);
    expect((await withdraw('chain')).statusCode).toBe(200);
  });

  it('keeps e-mail through an SMTP outage and sends it once when the server is back', async () => {
    await inbox.stop();
    await challenge({});
    await mail.tick();
    expect(await env.store.waitingMail()).toBe(1);
    await inbox.start();
    await mail.tick(); // not due yet: the retry waits its backoff
    expect(inbox.mails).toHaveLength(0);
    env.advance(15_000);
    await mail.tick();
    await mail.tick();
    env.advance(3_600_000);
    await mail.tick();
    expect(inbox.mails).toHaveLength(1);
    expect(await env.store.waitingMail()).toBe(0);
  });

  it('e-mails the confirmation asked for, with the decisions and how to withdraw, never the withdrawal code', async () => {
    const item = enrollmentItem(a, {
      registry: 'refused',
      source: 'manual',
      person: { ...JAN, surname: 'Maes', language: 'de', email: 'els@example.be' },
    });
    const withCode = {
      ...item,
      payload: { ...item.payload, confirmationEmail: true, chainMatch: { withdrawalCode: 'K7QM2XH9PA' } },
    };
    await send(env, a, withCode);
    await mail.tick();
    expect(inbox.mails).toHaveLength(1);
    const [sent] = inbox.mails;
    expect(sent?.subject).toBe('Bestätigung Ihrer Anmeldung');
    const { notice } = item.payload.consents[0]!;
    expect(sent?.text).toContain(`${notice.statementId}, Version ${notice.version}`);
    expect(sent?.text).toContain('Einwilligung erteilt');
    expect(sent?.text).toContain('abgelehnt');
    expect(sent?.text).toContain('Meine Einwilligungen');
    expect(sent?.text).not.toContain('K7QM2XH9PA');
    expect(sent?.text).not.toMatch(/K7QM/i);
  });
});
