// "My consents"' slice of the handler table: the customer, identified by a genuine card read or by
// the form, sees what the registry holds, withdraws (queued like an enrollment when this chain
// enrolled them, at the registry at once otherwise) and asks for erasure. The registry is asked once
// per session, and at most LOOKUPS_PER_WINDOW times per window across sessions.
import type { Party } from '../sync/consent/statements.js';
import { commitConsentEvent } from '../sync/store/commit.js';
import { oneTimeCodeNeeded } from '../sync/wire/registry-api.js';
import { isFullDate } from '../sync/wire/registry-match.js';
import { normaliseWithdrawalCode, WITHDRAWAL_CODE } from '../sync/wire/withdrawal-code.js';
import type { ConsentOverview } from '../api/contract.js';
import { namesOnCard } from './card-read.js';
import { purposeTitle } from './consent-records.js';
import { HostError, wrongStep } from './errors.js';
import type { ManualIdentity } from './manual-form.js';
import type { RegistryDesk } from './registry-desk.js';
import type { CallsUnder, Handlers, Session, SessionCore } from './session.js';
import { namesEveryGive, withdrawalRecords } from './withdrawal.js';

/** "My consents" look-ups per kiosk: enough for a queue of customers, too few to probe who is a customer. */
const LOOKUPS_PER_WINDOW = 10;
const LOOKUP_WINDOW_MS = 10 * 60 * 1000;

/**
 * My consents by the form: the name plus an e-mail, a mobile or the receipt's withdrawal code
 * identifies the customer (the code finds those who gave only a name, or said no to the registry).
 */
export function identifyByForm(s: Session, form: ManualIdentity, typedCode: string | undefined): void {
  const withdrawalCode = typedCode?.trim() ? normaliseWithdrawalCode(typedCode) : undefined;
  if (withdrawalCode !== undefined && !WITHDRAWAL_CODE.test(withdrawalCode)) {
    throw new HostError('INVALID_REQUEST', { fields: { withdrawalCode: 'CODE_INVALID' } });
  }
  if (!form.email && !form.mobile && !withdrawalCode) throw new HostError('INVALID_REQUEST', { fields: { email: 'REQUIRED' } });
  s.identification = { ...form, ...(withdrawalCode && { withdrawalCode }) };
  s.source = 'manual';
  s.step = 'identified';
}

export function myConsentsHandlers(core: SessionCore): Handlers<CallsUnder<'myConsents'>> {
  const { deps } = core;
  /** When the last look-ups were made (kiosk-wide: a new session does not reset it). */
  let lookups: number[] = [];

  const countLookup = (): void => {
    const now = deps.now().getTime();
    lookups = lookups.filter((at) => at > now - LOOKUP_WINDOW_MS);
    if (lookups.length >= LOOKUPS_PER_WINDOW) {
      throw new HostError('RATE_LIMITED', { retryAfterSeconds: Math.ceil((lookups[0]! + LOOKUP_WINDOW_MS - now) / 1000) });
    }
    lookups.push(now);
  };

  /** Identified by the form, or by a genuine card read (no staff step on this path). */
  const identified = (): Session => {
    const s = core.current();
    if (s.intent !== 'my-consents') throw wrongStep();
    if (s.step === 'checked') {
      const read = s.read!;
      if (!read.genuine) throw new HostError('NOT_VERIFIED');
      // The full birth date confirms the name; a card with a partial one cannot identify anyone safely.
      if (!isFullDate(read.identity.birthDate)) throw new HostError('NOT_FOUND');
      s.identification = { ...namesOnCard(read.identity), birthDate: read.identity.birthDate };
      s.source = 'eid';
      delete s.read;
      s.step = 'identified';
    }
    if (s.step !== 'identified') throw wrongStep();
    return s;
  };

  const desk = (): RegistryDesk => {
    if (!deps.desk) throw new HostError('REGISTRY_UNREACHABLE');
    return deps.desk;
  };

  /** The registry's answer, with this session's queued withdrawals shown as done (the registry hears of them at the next sync). */
  const overview = (s: Session): ConsentOverview => {
    const { answer, erasureOffered } = s.known!;
    const view = (
      party: Party,
      states: readonly { purposeId: string; statementId: string; version: string; status: ConsentOverview['chain'][number]['status'] }[],
    ) =>
      states.map((c) => ({
        id: c.purposeId,
        title: purposeTitle(deps.catalog, c.statementId, c.version, s.language, c.purposeId),
        status: s.queued.some((q) => q.party === party && q.purposeId === c.purposeId) ? ('withdrawn' as const) : c.status,
      }));
    return { chain: view('chain', answer.chain), registry: view('registry', answer.registry), erasureOffered, ...proof(s) };
  };

  /** Typed details prove control with a one-time code sent to what the registry holds: the e-mail address when typed, else the mobile. */
  const proof = (s: Session): { codeChannel?: 'email' | 'mobile' } =>
    oneTimeCodeNeeded(s.identification!) ? { codeChannel: s.identification!.email ? 'email' : 'mobile' } : {};

  return {
    'myConsents.lookup': async () => {
      const s = identified();
      // Asked once per session: a later look-up (the language changed) re-titles that answer, so it
      // costs no registry call, works offline, and still shows a profile erased meanwhile.
      if (s.known) return overview(s);
      try {
        countLookup();
        const registry = desk();
        const [known, erasureOffered] = await Promise.all([registry.lookup(s.identification!), registry.erasureOffered()]);
        if (!core.isCurrent(s)) throw new HostError('NO_SESSION'); // wiped while the registry answered
        s.known = { answer: known, erasureOffered };
        return overview(s);
      } catch (e) {
        // Not found (a mistyped code, say), offline or too many tries: the customer may correct the
        // form, or read the card again or use the form; the per-kiosk limit still counts each try.
        if (core.isCurrent(s)) {
          s.step = s.source === 'eid' ? 'read-failed' : 'manual';
          delete s.identification;
          delete s.source;
        }
        throw e;
      }
    },
    'myConsents.withdraw': async ({ party, purposes, oneTimeCode }) => {
      const s = identified();
      if (!s.known) throw wrongStep(); // withdraws what the customer was shown
      const method = s.source === 'eid' ? 'kiosk-eid' : 'kiosk-manual';
      const { subjectRef } = s.known.answer;
      // On typed details a registry consent is withdrawn only with the one-time code sent to the
      // address on file (proof of control), which the registry checks itself: online, on its route.
      const typedRegistry = party === 'registry' && oneTimeCodeNeeded(s.identification!);
      if (typedRegistry && oneTimeCode === undefined) throw new HostError('PROOF_REQUIRED');
      // A fresh purpose's give is decided at this chain by a record the registry named, or not.
      const fresh = purposes.filter((p) => !s.queued.some((q) => q.party === party && q.purposeId === p));
      const choice = { known: s.known.answer, party, purposes: fresh, language: s.language };
      if (subjectRef === undefined || typedRegistry || !namesEveryGive(choice)) {
        // Known here only through a registry consent given at another chain: no enrollment of this
        // chain to name in a queued event, nor a record of this chain to name as the one reversed,
        // so the registry's own route takes it (online only; on typed details a registry consent
        // needs the one-time code there).
        const answer = await desk().withdraw({
          ...s.identification!,
          party,
          purposes,
          method,
          utcOffsetMinutes: core.offset(deps.now()),
          ...(oneTimeCode ? { oneTimeCode } : {}),
        });
        s.known.answer = answer;
        return { ...overview(s), withdrawal: 'registered' as const };
      }
      const at = deps.now();
      // A second touch on a purpose already queued in this session queues nothing again (`fresh`).
      const records = withdrawalRecords({ ...choice, known: { ...s.known.answer, subjectRef } }, deps.catalog, {
        method,
        storeId: deps.config.storeId,
        kioskId: deps.config.kioskId,
        now: at,
        utcOffsetMinutes: core.offset(at),
        controlsTouched: purposes.map((p) => `withdraw:${party}:${p}`),
        newId: deps.newId,
      });
      // Durable before the answer, as an enrollment is: the sync client delivers it when it can.
      for (const record of records) {
        commitConsentEvent(deps.store, record, at);
        s.queued.push(...record.purposes.map((p) => ({ party, purposeId: p.id })));
      }
      if (records.length > 0) deps.sync?.notify();
      return { ...overview(s), withdrawal: 'queued' as const };
    },
    'myConsents.sendCode': async () => {
      const s = identified();
      const channel = proof(s).codeChannel;
      if (!s.known || channel === undefined) throw wrongStep(); // the eID path needs no code
      await desk().challenge({ ...s.identification!, channel, language: s.language });
      return { channel };
    },
    'myConsents.erase': async ({ oneTimeCode }) => {
      const s = identified();
      if (!(await desk().erase({ ...s.identification!, ...(oneTimeCode ? { oneTimeCode } : {}) }))) throw new HostError('NOT_FOUND');
      return {};
    },
  };
}
