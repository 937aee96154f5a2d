// Enrollment's slice of the handler table: the read (only after the customer's tap), the staff
// check, the form, the consent screens, the contact details and the commit. The read and the form
// serve "my consents" too, which takes over once the customer is identified (my-consents.ts).
// Nothing reaches a party before the customer decided for it: the returning-customer check asks the
// registry only as the chain's processor (scope 'chain'), and the enrollment is sent after both
// screens. A "no" to every purpose of the chain keeps nothing (sync.md, "What a no forbids").
import { isCardError } from '../card-reader/errors.js';
import type { Party } from '../sync/consent/statements.js';
import { commitEnrollment } from '../sync/store/commit.js';
import type { ConsentLookupResponse } from '../sync/wire/registry-api.js';
import { isFullDate } from '../sync/wire/registry-match.js';
import type { EnrollmentPayload, Person } from '../sync/wire/schemas.js';
import { logger } from '../sync/log.js';
import type { CallOutput } from '../api/contract.js';
import { namesOnCard, readPermittedCard, verdictViews, wireVerification } from './card-read.js';
import { buildRecords, statementScreen } from './consent-records.js';
import { HostError, wrongStep } from './errors.js';
import { validateContact, validateManual, type Contact } from './manual-form.js';
import { identifyByForm } from './my-consents.js';
import { buildReceipt } from './receipt.js';
import type { Identification } from './registry-desk.js';
import type { CallsUnder, Handlers, Session, SessionCore } from './session.js';

export type EnrollmentCall = CallsUnder<'card' | 'staff' | 'manual' | 'contact' | 'statement' | 'consent' | 'enrollment'>;

const log = logger('kiosk-host');
const PARTIES: readonly Party[] = ['chain', 'registry'];
const REGISTRY_CHECK_MS = 3000;

export function enrollmentHandlers(core: SessionCore): Handlers<EnrollmentCall> {
  const { deps } = core;

  /** The read the customer's tap allowed; a wiped or declined session drops whatever it finds. */
  const readAfterTap = async (s: Session): Promise<void> => {
    const { config } = deps;
    const live = () => core.isCurrent(s) && s.step === 'reading';
    try {
      const read = await readPermittedCard({
        pcsc: deps.pcsc,
        reader: config.reader,
        trust: deps.trust,
        policy: config.policy,
        now: deps.now,
        random: deps.random,
        apduTimeoutMs: config.apduTimeoutMs,
        waitMs: (config.idleSeconds + config.countdownSeconds) * 1000,
        emit: (event) => {
          // The photo is for the staff check: "my consents" has none, so it never leaves the host there.
          if (live() && !(event.phase === 'photo' && s.intent === 'my-consents')) core.emitCard(event);
        },
      });
      if (!live()) return;
      const reconsent =
        s.intent === 'enroll' && read.genuine
          ? await reconsentFor({
              ...namesOnCard(read.identity),
              ...(isFullDate(read.identity.birthDate) ? { birthDate: read.identity.birthDate } : {}),
            })
          : [];
      if (!live()) return;
      s.read = read;
      s.reconsent = reconsent;
      s.step = 'checked';
      core.emitCard({ phase: 'verified', verdicts: verdictViews(read.verification), genuine: read.genuine, reconsent });
    } catch (e) {
      if (!live()) return;
      s.step = 'read-failed';
      const code = isCardError(e) ? e.code : 'INTERNAL';
      if (code === 'INTERNAL') log.error({ err: e instanceof Error ? e.name : 'unknown' }, 'card read failed');
      core.emitCard({ phase: 'error', code });
    }
  };

  /**
   * A returning customer whose consent was to an older statement version: which parties ask again.
   * Asked of the chain's own file only (the card read and the form were allowed for the chain, not
   * for the registry), so a customer the chain does not know is asked as a new one.
   */
  const reconsentFor = async (who: Identification): Promise<Party[]> => {
    const { desk, catalog } = deps;
    if (!desk || (!who.birthDate && !who.email && !who.mobile)) return [];
    let known: ConsentLookupResponse;
    let timer: unknown;
    try {
      known = await Promise.race([
        desk.lookup(who, 'chain'),
        new Promise<never>((_, reject) => {
          timer = core.timers.setTimeout(() => reject(new HostError('REGISTRY_UNREACHABLE')), REGISTRY_CHECK_MS);
        }),
      ]);
    } catch {
      return []; // unknown, or offline: asked as a new customer, which asks every party anyway
    } finally {
      core.timers.clearTimeout(timer);
    }
    const versions: Record<Party, { statementId: string; version: string }[]> = { chain: known.chain, registry: known.registry };
    return PARTIES.filter((party) => {
      const current = catalog.current(party, 'en');
      return versions[party].some((v) => v.statementId !== current.id || v.version !== current.version);
    });
  };

  const commit = async (s: Session): Promise<CallOutput<'enrollment.commit'>> => {
    const { config, store, catalog, now, newId } = deps;
    if (keepsNothing(s)) {
      // Not even the refusal is recorded: the statement promises nothing of the person is kept.
      core.committed(s);
      return { kept: false };
    }
    const fromChip = s.source === 'eid';
    if (fromChip && !s.read?.genuine) throw new HostError('NOT_VERIFIED');
    const person: Person = { ...s.person!, language: s.language };
    const at = now();
    const consents = buildRecords(s.decided, {
      subjectRef: s.enrollmentId,
      person,
      policy: config.policy,
      fromChip,
      readTap: fromChip ? s.readTap : [],
      ...(fromChip && s.staffCheck ? { staffCheck: s.staffCheck } : {}),
      storeId: config.storeId,
      kioskId: config.kioskId,
      utcOffsetMinutes: core.offset,
      newId,
    });
    const payload: EnrollmentPayload = {
      enrollmentId: s.enrollmentId,
      chainId: config.chainId,
      storeId: config.storeId,
      kioskId: config.kioskId,
      source: fromChip ? 'eid' : 'manual',
      enrolledAt: at.toISOString(),
      utcOffsetMinutes: core.offset(at),
      person,
      ...(fromChip ? { eidVerification: wireVerification(s.read!) } : {}),
      consents,
      // Only when asked and there is an address to send it to: the registry then mails the confirmation.
      ...(s.confirmationEmail === true && person.email !== undefined ? { confirmationEmail: true } : {}),
    };
    const { withdrawalCode } = commitEnrollment(store, { payload, policy: config.policy }, at);
    core.committed(s);
    const proof = {
      signer: store.signingKey,
      chainId: config.chainId,
      ...(deps.receiptVerifyUrl !== undefined && { verifyUrl: deps.receiptVerifyUrl }),
    };
    return buildReceipt(consents, s.language, catalog, proof, withdrawalCode);
  };

  return {
    'card.allowRead': ({ controlsTouched }) => {
      const s = core.at('permission', 'read-failed');
      s.readTap = [...controlsTouched];
      s.step = 'reading';
      void readAfterTap(s);
      return {};
    },
    'card.decline': () => {
      const s = core.at('permission', 'reading', 'read-failed', 'checked');
      delete s.read;
      s.readTap = [];
      s.step = 'manual';
      return {};
    },
    'staff.confirm': ({ code }) => {
      const s = core.at('checked');
      if (s.intent !== 'enroll') throw wrongStep();
      if (!s.read?.genuine) throw new HostError('NOT_VERIFIED');
      // The face check is the staff's act: a code says which member vouched (the customer holds no code).
      s.staffCheck = deps.config.policy.staffCheck === 'off' ? { policy: 'off' } : { by: deps.staffCodes.verify(code ?? '').id };
      const { identity, address } = s.read;
      s.person = {
        ...namesOnCard(identity),
        address: { ...address, country: 'BE' },
        birthDate: identity.birthDate,
        sex: identity.sex,
      };
      s.source = 'eid';
      s.toDecide = s.reconsent.length > 0 ? [...s.reconsent] : [...PARTIES];
      s.step = 'consent';
      return {};
    },

    'manual.submit': async ({ withdrawalCode, ...input }) => {
      const s = core.at('manual');
      const form = validateManual(input);
      if (s.intent === 'my-consents') {
        identifyByForm(s, form, withdrawalCode);
        return { reconsent: [] };
      }
      // A code finds consents already given; an enrollment is issued its own at commit.
      if (withdrawalCode !== undefined) throw new HostError('INVALID_REQUEST', { fields: { withdrawalCode: 'UNKNOWN' } });
      const reconsent = await reconsentFor({ ...form });
      if (!core.isCurrent(s) || s.step !== 'manual') throw wrongStep(); // wiped while the registry answered
      s.person = form;
      s.source = 'manual';
      s.reconsent = reconsent;
      s.toDecide = reconsent.length > 0 ? [...reconsent] : [...PARTIES];
      s.step = 'consent';
      return { reconsent };
    },
    'contact.submit': (input) => {
      const s = core.at('contact');
      const contact: Contact = validateContact(input);
      s.person = { ...s.person!, ...contact };
      s.confirmationEmail = input.confirmationEmail === true && contact.email !== undefined;
      s.step = 'ready';
      return {};
    },

    'statement.get': ({ party }) => {
      const s = core.at('consent');
      if (s.toDecide[0] !== party) throw wrongStep();
      return statementScreen(deps.catalog.current(party, s.language), s.reconsent.includes(party));
    },
    'consent.decide': ({ party, decisions, controlsTouched }) => {
      const s = core.at('consent');
      if (s.toDecide[0] !== party) throw wrongStep();
      const statement = deps.catalog.current(party, s.language);
      const ids = statement.purposes.map((p) => p.id);
      const unknown = Object.keys(decisions).filter((id) => !ids.includes(id));
      const missing = ids.filter((id) => typeof decisions[id] !== 'boolean');
      if (unknown.length > 0 || missing.length > 0) {
        throw new HostError('INVALID_REQUEST', {
          fields: Object.fromEntries([...missing.map((id) => [id, 'REQUIRED']), ...unknown.map((id) => [id, 'UNKNOWN'])]),
        });
      }
      s.decided.set(party, {
        statement,
        decisions: { ...decisions },
        controlsTouched: [...controlsTouched],
        at: deps.now(),
        reconsent: s.reconsent.includes(party),
      });
      s.toDecide.shift();
      const nothing = keepsNothing(s);
      // Without a chain account the registry has nothing to keep current: its screen is not asked.
      if (nothing) s.toDecide = [];
      if (s.toDecide.length === 0) s.step = s.source === 'eid' && s.reconsent.length === 0 && !nothing ? 'contact' : 'ready';
      return nothing ? { keepsNothing: true } : {};
    },

    'enrollment.commit': async () => {
      const answer = await commit(core.at('ready', 'contact'));
      if ('receiptId' in answer) deps.sync?.notify();
      return answer;
    },
  };
}

/** A "no" to every purpose of the chain, given as a first answer (a re-consent's "no" withdraws, so it is kept). */
function keepsNothing(s: Session): boolean {
  const chain = s.decided.get('chain');
  return chain !== undefined && !chain.reconsent && Object.values(chain.decisions).every((given) => !given);
}
