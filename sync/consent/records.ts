// Builds consent records (sync/wire/schemas.ts ConsentRecord): one per party per decision, append-only.
// Nothing is assumed on the customer's behalf: every purpose needs an explicit yes or no, and a
// withdrawal is a new record that leaves the earlier one untouched.
import type { z } from 'zod';
import { ConsentRecord, type CollectionMethod, type StaffCheck } from '../wire/schemas.js';
import { describeIssues } from '../zod-issues.js';
import { ConsentError } from './errors.js';
import { RETENTION_SUMMARY, reviewDate } from './retention.js';
import type { DataSource, Party, StatementView } from './statements.js';

type Method = z.infer<typeof CollectionMethod>;

/** Which sources each collection method can produce: a chip read only on the eID path, a paper form only by staff. */
const SOURCES_BY_METHOD: Record<Method, readonly DataSource[]> = {
  'kiosk-eid': ['eid-chip', 'self-declared'],
  'kiosk-manual': ['self-declared'],
  'staff-paper': ['staff-paper'],
};

/** Where and how a decision was taken; time, ids and offsets come from the caller. */
export interface DecisionContext {
  readonly method: Method;
  readonly storeId: string;
  readonly kioskId: string;
  readonly now: Date;
  readonly utcOffsetMinutes: number;
  /** Ids of the controls the customer touched, in order (evidence of an active choice). */
  readonly controlsTouched: readonly string[];
  readonly newId: () => string;
}

export interface ConsentDecision extends DecisionContext {
  readonly party: Party;
  /** The statement exactly as shown (from currentStatement). */
  readonly statement: StatementView;
  /** One explicit answer per purpose of the statement. */
  readonly decisions: Readonly<Record<string, boolean>>;
  /** The enrollment id: never the national number, not even hashed. */
  readonly subjectRef: string;
  /** What was collected and where it came from; each must be named by the statement. */
  readonly dataCategories: readonly { readonly id: string; readonly source: DataSource }[];
  /** True when this answers a re-consent request (a new statement version or a due review). */
  readonly reconsent?: boolean;
  /** eID path: who vouched for the face check (a staff member's id, or the policy had codes off). */
  readonly staffCheck?: StaffCheck;
}

function validated(record: ConsentRecord): ConsentRecord {
  const parsed = ConsentRecord.safeParse(record);
  if (!parsed.success) {
    const where = describeIssues(parsed.error.issues);
    throw new ConsentError('RECORD_INVALID', where);
  }
  return parsed.data;
}

function event(ctx: DecisionContext, type: ConsentRecord['event']['type']): ConsentRecord['event'] {
  return {
    at: ctx.now.toISOString(),
    utcOffsetMinutes: ctx.utcOffsetMinutes,
    type,
    method: ctx.method,
    storeId: ctx.storeId,
    kioskId: ctx.kioskId,
  };
}

function checkedCategories(d: ConsentDecision): ConsentRecord['dataCategories'] {
  const seen = new Set<string>();
  return d.dataCategories.map(({ id, source }) => {
    const declared = d.statement.dataCategories.find((c) => c.id === id);
    if (!declared || !declared.sources.includes(source)) {
      throw new ConsentError(
        'CATEGORY_NOT_DECLARED',
        `statement ${d.statement.id} v${d.statement.version} does not name ${id} from ${source}`,
      );
    }
    if (!SOURCES_BY_METHOD[d.method].includes(source)) {
      throw new ConsentError('CATEGORY_NOT_DECLARED', `${id} from ${source} cannot be collected by ${d.method}`);
    }
    if (seen.has(id)) throw new ConsentError('CATEGORY_NOT_DECLARED', `${id} is listed twice`);
    seen.add(id);
    return { id, source };
  });
}

export function buildConsentRecord(d: ConsentDecision): ConsentRecord {
  const { statement } = d;
  if (statement.party !== d.party) {
    throw new ConsentError('PARTY_MISMATCH', `statement ${statement.id} belongs to the ${statement.party}, not the ${d.party}`);
  }
  const known = new Set(statement.purposes.map((p) => p.id));
  const unknown = Object.keys(d.decisions).filter((id) => !known.has(id));
  if (unknown.length > 0) {
    throw new ConsentError('DECISION_UNKNOWN', `statement ${statement.id} v${statement.version} has no purpose ${unknown.join(', ')}`);
  }
  const purposes = statement.purposes.map((p) => {
    const answer = d.decisions[p.id];
    if (typeof answer !== 'boolean') {
      throw new ConsentError(
        'DECISION_MISSING',
        `purpose ${p.id} of statement ${statement.id} v${statement.version} has no explicit decision`,
      );
    }
    return { id: p.id, status: answer ? ('given' as const) : ('refused' as const), legalBasis: p.legalBasis };
  });
  const anyGiven = purposes.some((p) => p.status === 'given');
  return validated({
    recordId: d.newId(),
    subjectRef: d.subjectRef,
    party: d.party,
    controller: { ...statement.controller },
    purposes,
    dataCategories: checkedCategories(d),
    notice: { statementId: statement.id, version: statement.version, language: statement.language, textSha256: statement.textSha256 },
    event: event(d, anyGiven ? (d.reconsent ? 'renewed' : 'given') : 'refused'),
    evidence: {
      allUncheckedAtStart: true,
      controlsTouched: [...d.controlsTouched],
      ...(d.staffCheck !== undefined ? { staffCheck: { ...d.staffCheck } } : {}),
    },
    validity: { reviewAt: reviewDate(d.now).toISOString(), retention: RETENTION_SUMMARY[d.party] },
    withdrawal: { methods: [...statement.withdrawalMethods], asEasyAsGiving: true },
  });
}

/**
 * A new record withdrawing `purposeIds` (each must be given in `previous`, the party's latest
 * record), naming `previous` as the record it reverses; the other purposes are carried as they
 * were, with the notice and validity they were given under. The "my consents" screen starts from the current choices, not from unticked boxes,
 * so `allUncheckedAtStart` is false here.
 */
export function buildWithdrawal(previous: ConsentRecord, purposeIds: readonly string[], ctx: DecisionContext): ConsentRecord {
  if (purposeIds.length === 0) throw new ConsentError('WITHDRAWAL_INVALID', 'no purpose to withdraw');
  for (const id of purposeIds) {
    const p = previous.purposes.find((q) => q.id === id);
    if (!p || p.status !== 'given') {
      throw new ConsentError(
        'WITHDRAWAL_INVALID',
        `purpose ${id} is ${p ? p.status : 'unknown'} in record ${previous.recordId}, not given`,
      );
    }
  }
  const withdrawn = new Set(purposeIds);
  return validated({
    ...previous,
    recordId: ctx.newId(),
    purposes: previous.purposes.map((p) => (withdrawn.has(p.id) ? { ...p, status: 'withdrawn' } : { ...p })),
    event: { ...event(ctx, 'withdrawn'), withdraws: [previous.recordId] },
    evidence: { allUncheckedAtStart: false, controlsTouched: [...ctx.controlsTouched] },
  });
}
