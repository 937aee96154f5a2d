// From the session's decisions to the records and the statement screens: one record per party per
// screen, built at commit time (when every category collected is known) with the time and the
// controls of the screen it was taken on.
import { buildConsentRecord, type DecisionContext } from '../sync/consent/records.js';
import type { DataSource, Party, StatementCatalog, StatementView } from '../sync/consent/statements.js';
import type { DataCategoryId } from '../sync/consent/statement-format.js';
import { applyPolicy, type ChainPolicy } from '../sync/store/policy.js';
import type { ConsentRecord, Language, Person, StaffCheck } from '../sync/wire/schemas.js';
import type { StatementScreen } from '../api/contract.js';

export interface Decision {
  statement: StatementView;
  decisions: Record<string, boolean>;
  controlsTouched: string[];
  at: Date;
  reconsent: boolean;
}

export function statementScreen(s: StatementView, reconsent: boolean): StatementScreen {
  return {
    party: s.party,
    id: s.id,
    version: s.version,
    language: s.language,
    controller: { name: s.controller.name, contact: s.controller.contact },
    blocks: s.blocks.map((b) => ({ role: b.role, text: b.text, ...(b.purposeId ? { purposeId: b.purposeId } : {}) })),
    purposes: s.purposes.map((p) => ({ id: p.id, title: p.title, text: p.text, legalBasisText: p.legalBasisText })),
    recipients: s.blocks.filter((b) => b.sectionId === 'recipients' && b.role === 'section-text').map((b) => b.text),
    reconsent,
  };
}

const CHIP_FIELDS: ReadonlySet<DataCategoryId> = new Set(['surname', 'firstNames', 'address', 'birthDate', 'sex']);
const CATEGORY_ORDER: readonly DataCategoryId[] = ['surname', 'firstNames', 'address', 'birthDate', 'sex', 'language', 'email', 'mobile'];

/**
 * What each party gets of the person: the chain what its policy keeps; the registry the same, plus
 * the birth date from the chip when the customer said yes to it (it matches a person across chains).
 */
export function categoriesFor(party: Party, person: Person, policy: ChainPolicy, fromChip: boolean, registryGiven: boolean) {
  const kept = applyPolicy(person, policy);
  const present = new Set(CATEGORY_ORDER.filter((c) => kept[c] !== undefined));
  if (party === 'registry' && registryGiven && fromChip && person.birthDate !== undefined) present.add('birthDate');
  return CATEGORY_ORDER.filter((c) => present.has(c)).map((id) => ({
    id,
    source: (fromChip && CHIP_FIELDS.has(id) ? 'eid-chip' : 'self-declared') as DataSource,
  }));
}

export interface RecordContext {
  subjectRef: string;
  person: Person;
  policy: ChainPolicy;
  fromChip: boolean;
  /** The tap that allowed the read: part of the evidence of every record on the eID path. */
  readTap: readonly string[];
  /** eID path: who vouched for the face check. */
  staffCheck?: StaffCheck;
  storeId: string;
  kioskId: string;
  utcOffsetMinutes: (at: Date) => number;
  newId: () => string;
}

export function buildRecords(decided: ReadonlyMap<Party, Decision>, ctx: RecordContext): ConsentRecord[] {
  const registryGiven = Object.values(decided.get('registry')?.decisions ?? {}).some(Boolean);
  return [...decided.entries()].map(([party, d]) => {
    const context: DecisionContext = {
      method: ctx.fromChip ? 'kiosk-eid' : 'kiosk-manual',
      storeId: ctx.storeId,
      kioskId: ctx.kioskId,
      now: d.at,
      utcOffsetMinutes: ctx.utcOffsetMinutes(d.at),
      controlsTouched: [...ctx.readTap.map((c) => `card-permission:${c}`), ...d.controlsTouched],
      newId: ctx.newId,
    };
    return buildConsentRecord({
      ...context,
      party,
      statement: d.statement,
      decisions: d.decisions,
      subjectRef: ctx.subjectRef,
      dataCategories: categoriesFor(party, ctx.person, ctx.policy, ctx.fromChip, registryGiven),
      reconsent: d.reconsent,
      ...(ctx.staffCheck !== undefined ? { staffCheck: ctx.staffCheck } : {}),
    });
  });
}

/** Purpose titles in the customer's language, from the version the decision was taken under. */
export function purposeTitle(
  catalog: StatementCatalog,
  statementId: string,
  version: string,
  language: Language,
  purposeId: string,
): string {
  try {
    return catalog.find(statementId, version, language).purposes.find((p) => p.id === purposeId)?.title ?? purposeId;
  } catch {
    return purposeId;
  }
}
