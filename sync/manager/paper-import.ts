// Staff-keyed paper enrollments, one JSON object per line (format in sync/store/README.md). Each line
// is validated on its own (zod, then by the consent part's record builder against the published
// statements: the statement version must exist and every purpose needs an explicit true or false);
// good lines are committed, bad ones reported by line number with a reason that names the field,
// never its value.
import { z } from 'zod';
import { isConsentError, type ConsentError } from '../consent/errors.js';
import { buildConsentRecord } from '../consent/records.js';
import type { StatementCatalog } from '../consent/statements.js';
import { Language, Party, Person, Text, type EnrollmentPayload } from '../wire/schemas.js';
import { commitEnrollment } from '../store/commit.js';
import { StoreError } from '../store/errors.js';
import type { Store } from '../store/open.js';
import { applyPolicy, type ChainPolicy } from '../store/policy.js';
import { describeIssues } from '../zod-issues.js';

const PaperDecision = z.strictObject({
  party: Party,
  statementId: Text.min(1),
  version: Text.min(1),
  language: Language,
  /** purpose id -> ticked (true) or not (false); every purpose of the statement, explicitly. */
  purposes: z.record(Text.min(1), z.boolean()),
});

export const PaperLine = z.strictObject({
  chainId: Text.min(1),
  storeId: Text.min(1),
  /** Optional: the kiosk is the one importing (PaperContext); a line naming another is refused. */
  kioskId: Text.min(1).optional(),
  /** When the form was filled in, with the local offset: 2025-03-14T10:15:00+01:00. */
  collectedAt: z.iso.datetime({ offset: true }),
  person: Person,
  consents: z.array(PaperDecision).min(1),
});
export type PaperLine = z.infer<typeof PaperLine>;

const bad = (reason: string, cause?: unknown): StoreError => new StoreError('INVALID_IMPORT_LINE', reason, { cause });

/** A builder refusal as a line reason: the consent messages name statement, purpose and category ids, never personal data. */
function badDecision(where: string, e: ConsentError): StoreError {
  const field = e.code === 'DECISION_MISSING' || e.code === 'DECISION_UNKNOWN' ? `${where}.purposes` : where;
  return bad(`${field}: ${e.detail ?? e.code}`, e);
}

export interface PaperContext {
  /** The importing kiosk, from its own configuration: every line is queued as this kiosk's. */
  readonly kioskId: string;
  readonly statements: StatementCatalog;
  readonly policy: ChainPolicy;
}

/** Parses one line and builds the enrollment payload it stands for; throws INVALID_IMPORT_LINE (detail: the reason). */
export function paperLineToPayload(text: string, ctx: PaperContext & { newId: () => string }): EnrollmentPayload {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw bad('not valid JSON'); // the parser's message quotes the text, which may be personal
  }
  const parsed = PaperLine.safeParse(json);
  if (!parsed.success) throw bad(describeIssues(parsed.error.issues, { limit: 1 }));
  const form = parsed.data;
  // A mistyped kiosk id would have the registry refuse the item: caught here, on its line.
  if (form.kioskId !== undefined && form.kioskId !== ctx.kioskId) throw bad(`kioskId: this line names another kiosk than ${ctx.kioskId}`);
  if (!form.consents.some((c) => c.party === 'chain')) throw bad('consents: no decision for party chain');

  const enrollmentId = ctx.newId();
  const { at, utcOffsetMinutes } = splitOffset(form.collectedAt);
  const person = applyPolicy(form.person, ctx.policy);
  // Category ids are the Person field names, as the statements list them.
  const dataCategories = Object.keys(person).map((id) => ({ id, source: 'staff-paper' as const }));
  const seen = new Set<string>();
  const consents = form.consents.map((decision, i) => {
    const where = `consents.${i}`;
    if (seen.has(decision.party)) throw bad(`${where}: a second decision for party ${decision.party}`);
    seen.add(decision.party);
    try {
      const statement = ctx.statements.find(decision.statementId, decision.version, decision.language);
      return buildConsentRecord({
        party: decision.party,
        statement,
        decisions: decision.purposes,
        subjectRef: enrollmentId,
        dataCategories,
        method: 'staff-paper',
        storeId: form.storeId,
        kioskId: ctx.kioskId,
        now: new Date(at),
        utcOffsetMinutes,
        // The paper form is printed with every box empty; the ticks are the controls the customer touched.
        controlsTouched: statement.purposes.filter((p) => decision.purposes[p.id] === true).map((p) => `paper:${p.id}`),
        newId: ctx.newId,
      });
    } catch (e) {
      if (isConsentError(e)) throw badDecision(where, e);
      throw e;
    }
  });
  return {
    enrollmentId,
    chainId: form.chainId,
    storeId: form.storeId,
    kioskId: ctx.kioskId,
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
export function importPaperLines(store: Store, text: string, ctx: PaperContext & { now: Date }): ImportReport {
  let queued = 0;
  const errors: { line: number; reason: string }[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    if (raw.trim() === '') return;
    try {
      const payload = paperLineToPayload(raw, { ...ctx, newId: store.newId });
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
