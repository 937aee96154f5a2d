// Staff-keyed paper enrollments, one JSON object per line (format in sync/store/README.md). Each line
// is validated on its own (zod, then against the known statements: the statement version must exist
// and every purpose needs an explicit true or false); good lines are committed, bad ones reported by
// line number with a reason that names the field, never its value.
import { z } from 'zod';
import { Language, Party, Person, type ConsentRecord, type EnrollmentPayload } from '../wire/schemas.js';
import { commitEnrollment } from './commit.js';
import { describeFirstIssue, StoreError } from './errors.js';
import type { Store } from './open.js';
import { applyPolicy, type ChainPolicy } from './policy.js';
import { findStatement, type StatementFacts } from './statement-facts.js';

const PaperDecision = z.strictObject({
  party: Party,
  statementId: z.string().min(1),
  version: z.string().min(1),
  language: Language,
  /** purpose id -> ticked (true) or not (false); every purpose of the statement, explicitly. */
  purposes: z.record(z.string().min(1), z.boolean()),
});

export const PaperLine = z.strictObject({
  chainId: z.string().min(1),
  storeId: z.string().min(1),
  kioskId: z.string().min(1),
  /** When the form was filled in, with the local offset: 2025-03-14T10:15:00+01:00. */
  collectedAt: z.iso.datetime({ offset: true }),
  person: Person,
  consents: z.array(PaperDecision).min(1),
});
export type PaperLine = z.infer<typeof PaperLine>;


const bad = (reason: string): StoreError => new StoreError('INVALID_IMPORT_LINE', reason);

/** Parses one line and builds the enrollment payload it stands for; throws INVALID_IMPORT_LINE (detail: the reason). */
export function paperLineToPayload(
  text: string,
  ctx: { statements: readonly StatementFacts[]; policy: ChainPolicy; newId: () => string },
): EnrollmentPayload {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad('not valid JSON'); // the parser's message quotes the text, which may be personal
  }
  const parsed = PaperLine.safeParse(json);
  if (!parsed.success) throw bad(describeFirstIssue(parsed.error));
  const form = parsed.data;
  if (!form.consents.some((c) => c.party === 'chain')) throw bad('consents: no decision for party chain');

  const enrollmentId = ctx.newId();
  const { at, utcOffsetMinutes } = splitOffset(form.collectedAt);
  const person = applyPolicy(form.person, ctx.policy);
  // Category ids are the Person field names, as the statements list them.
  const dataCategories = Object.keys(person).map((id) => ({ id, source: 'staff-paper' as const }));
  const seen = new Set<string>();
  const consents = form.consents.map((decision, i): ConsentRecord => {
    const where = `consents.${i}`;
    if (seen.has(decision.party)) throw bad(`${where}: a second decision for party ${decision.party}`);
    seen.add(decision.party);
    const statement = findStatement(ctx.statements, decision);
    if (!statement) {
      throw bad(`${where}: unknown statement ${decision.statementId} version ${decision.version} (${decision.language}) for party ${decision.party}`);
    }
    const known = new Set(statement.purposes.map((p) => p.id));
    const unknown = Object.keys(decision.purposes).find((id) => !known.has(id));
    if (unknown !== undefined) throw bad(`${where}.purposes: unknown purpose ${unknown}`);
    const missing = statement.purposes.find((p) => decision.purposes[p.id] === undefined);
    if (missing) throw bad(`${where}.purposes: no decision for purpose ${missing.id}`);
    const given = statement.purposes.filter((p) => decision.purposes[p.id]);
    return {
      recordId: ctx.newId(),
      subjectRef: enrollmentId,
      party: decision.party,
      controller: { ...statement.controller },
      purposes: statement.purposes.map((p) => ({ id: p.id, status: decision.purposes[p.id] ? 'given' : 'refused', legalBasis: p.legalBasis })),
      dataCategories,
      notice: { statementId: statement.statementId, version: statement.version, language: statement.language, textSha256: statement.textSha256 },
      event: { at, utcOffsetMinutes, type: given.length > 0 ? 'given' : 'refused', method: 'staff-paper', storeId: form.storeId, kioskId: form.kioskId },
      // The paper form is printed with every box empty; the ticks are the controls the customer touched.
      evidence: { allUncheckedAtStart: true, controlsTouched: given.map((p) => `paper:${p.id}`) },
      validity: { retention: statement.retention },
      withdrawal: { methods: [...statement.withdrawalMethods], asEasyAsGiving: true },
    };
  });
  return {
    enrollmentId,
    chainId: form.chainId,
    storeId: form.storeId,
    kioskId: form.kioskId,
    source: 'paper',
    enrolledAt: at,
    utcOffsetMinutes,
    person,
    consents,
  };
}

/** '2025-03-14T10:15:00+01:00' -> UTC instant and +60. */
function splitOffset(collectedAt: string): { at: string; utcOffsetMinutes: number } {
  const m = /([+-])(\d{2}):?(\d{2})$/.exec(collectedAt);
  const utcOffsetMinutes = m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
  return { at: new Date(collectedAt).toISOString(), utcOffsetMinutes };
}

export interface ImportReport {
  readonly queued: number;
  readonly errors: readonly { line: number; reason: string }[];
}

/** Queues every good line (each in its own transaction); collects the bad ones. Disk and key errors abort. */
export function importPaperLines(
  store: Store,
  text: string,
  ctx: { statements: readonly StatementFacts[]; policy: ChainPolicy; now: Date },
): ImportReport {
  let queued = 0;
  const errors: { line: number; reason: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      const payload = paperLineToPayload(raw, { statements: ctx.statements, policy: ctx.policy, newId: store.newId });
      commitEnrollment(store, { payload, policy: ctx.policy }, ctx.now);
      queued++;
    } catch (e) {
      if (e instanceof StoreError && (e.code === 'INVALID_IMPORT_LINE' || e.code === 'INVALID_PAYLOAD')) {
        errors.push({ line: i + 1, reason: e.detail ?? e.code });
      } else throw e;
    }
  });
  store.log.info({ queued, bad: errors.length }, 'paper import done');
  return { queued, errors };
}
