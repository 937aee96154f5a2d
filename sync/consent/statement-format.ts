// The on-disk format of consent statements (resources/consent/<id>/v<version>.json) and of the
// manifest that pins each published text, plus the one rendering that the UI shows and the hash
// covers. The renderer adds no words of its own: every word on screen comes from the file.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { DataSource, Language, LANGUAGES, Party } from '../wire/schemas.js';
import { describeIssues } from '../zod-issues.js';
import { ConsentError } from './errors.js';
import { RETENTION_RULES } from './retention.js';

/** A single line of shown text: no line breaks, so the blank line between blocks is unambiguous. */
const Line = z
  .string()
  .min(1)
  .refine((s) => !/[\r\n]/.test(s) && s.trim() === s, 'one trimmed line, no line breaks');
const Id = z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/);
const Version = z.string().regex(/^[1-9]\d*$/);

/** Data categories a kiosk may collect; the national number, photo and card numbers are not among them. */
export const DataCategoryId = z.enum(['surname', 'firstNames', 'address', 'language', 'birthDate', 'sex', 'email', 'mobile']);
export type DataCategoryId = z.infer<typeof DataCategoryId>;

/**
 * What a statement version's inventory names: the collected categories above, and what the kiosk
 * and the registry make or note beside them (the withdrawal code, the visits, the eID checks, the
 * staff member who checked, the consent proof, the profile that links chains, a one-time code sent
 * to prove control of an address), plus what a chain
 * keeps in its own systems (purchases) and what is only shown (the photo).
 */
export const InventoryCategory = z.enum([
  ...DataCategoryId.options,
  'withdrawalCode',
  'oneTimeCode',
  'visits',
  'eidChecks',
  'staffCheck',
  'consentProof',
  'profileLink',
  'purchases',
  'photo',
]);
export type InventoryCategory = z.infer<typeof InventoryCategory>;

/** Where an inventoried item comes from: a collection source, the kiosk itself, or the chain's tills. */
export const InventorySource = z.enum([...DataSource.options, 'kiosk', 'till']);
/** The form it is kept in: as it is, only as a keyed digest (HMAC) that cannot be turned back, sealed on the kiosk until sent, or not at all. */
export const KeptAs = z.enum(['plain', 'keyed-digest', 'sealed-on-kiosk', 'not-kept']);
export type KeptAs = z.infer<typeof KeptAs>;

export const InventoryEntry = z.strictObject({
  category: InventoryCategory,
  sources: z.array(InventorySource).min(1),
  /** Whose purposes it serves: always the statement's own party (what the registry keeps as a chain's processor is the chain's). */
  party: Party,
  keptAs: KeptAs,
  /** The `purge` of each RETENTION_RULES rule of this party that ends it; none when it is not kept. */
  retention: z.array(Id),
  /** Every recipient by statement-independent id, and in which role it gets it. */
  recipients: z.array(z.strictObject({ id: Id, as: z.enum(['processor', 'controller']) })),
});
export type InventoryEntry = z.infer<typeof InventoryEntry>;

const LanguageText = z.strictObject({
  title: Line,
  intro: z.array(Line).min(1),
  purposes: z.array(z.strictObject({ id: Id, title: Line, text: Line, legalBasis: Line })).min(1),
  sections: z.array(z.strictObject({ id: Id, heading: Line, paragraphs: z.array(Line).min(1) })).min(1),
});

export const StatementFile = z.strictObject({
  id: Id,
  version: Version,
  party: Party,
  controller: z.strictObject({ id: Id, name: Line, contact: z.email() }),
  /** Language-independent facts copied into every record. */
  purposes: z.array(z.strictObject({ id: Id, legalBasis: Line })).min(1),
  dataCategories: z.array(z.strictObject({ id: DataCategoryId, sources: z.array(DataSource).min(1) })).min(1),
  withdrawalMethods: z.array(Line).min(1),
  /** What is kept, in which form, for how long and for whom (sync.md, "What a no forbids"); required of a current version, absent from v1. */
  inventory: z.array(InventoryEntry).min(1).optional(),
  text: z.record(Language, LanguageText), // an enum key makes all four languages required
});
export type StatementFile = z.infer<typeof StatementFile>;

const Pin = z.strictObject({ id: Id, version: Version, language: Language, sha256: z.string().regex(/^[0-9a-f]{64}$/) });
export type Pin = z.infer<typeof Pin>;

export const Manifest = z.strictObject({
  current: z.record(Party, z.strictObject({ id: Id, version: Version })),
  pins: z.array(Pin),
});
export type Manifest = z.infer<typeof Manifest>;

export type BlockRole = 'title' | 'intro' | 'purpose-title' | 'purpose-text' | 'legal-basis' | 'section-heading' | 'section-text';
/** One paragraph as shown; the UI renders the blocks in order and puts a purpose's toggle after its blocks. */
export interface Block {
  readonly role: BlockRole;
  readonly text: string;
  readonly purposeId?: string;
  readonly sectionId?: string;
}

export function renderBlocks(file: StatementFile, language: Language): Block[] {
  const t = file.text[language];
  return [
    { role: 'title', text: t.title },
    ...t.intro.map((text): Block => ({ role: 'intro', text })),
    ...t.purposes.flatMap((p): Block[] => [
      { role: 'purpose-title', purposeId: p.id, text: p.title },
      { role: 'purpose-text', purposeId: p.id, text: p.text },
      { role: 'legal-basis', purposeId: p.id, text: p.legalBasis },
    ]),
    ...t.sections.flatMap((s): Block[] => [
      { role: 'section-heading', sectionId: s.id, text: s.heading },
      ...s.paragraphs.map((text): Block => ({ role: 'section-text', sectionId: s.id, text })),
    ]),
  ];
}

/** The exact text the customer reads: the blocks, one blank line apart. */
export const renderText = (blocks: readonly Block[]): string => blocks.map((b) => b.text).join('\n\n');

export const sha256Hex = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const statementPath = (dir: string, id: string, version: string): string => join(dir, id, `v${version}.json`);

export const changedMessage = (id: string, version: string, language: Language): string =>
  `statement ${id} v${version} ${language} changed: publish a new version instead of editing`;

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (cause) {
    const missing = (cause as NodeJS.ErrnoException).code === 'ENOENT';
    throw new ConsentError(missing ? 'STATEMENT_NOT_FOUND' : 'STATEMENT_INVALID', `cannot read ${path}`, { cause });
  }
}

const issues = (error: z.ZodError): string => describeIssues(error.issues);

export function readManifest(dir: string): Manifest {
  const path = join(dir, 'manifest.json');
  const parsed = Manifest.safeParse(readJson(path));
  if (!parsed.success) throw new ConsentError('STATEMENT_INVALID', `${path}: ${issues(parsed.error)}`);
  return parsed.data;
}

/** Reads and checks one statement file: schema, its place on disk, and the same purposes and
 *  sections in every language, so the four texts cannot drift apart. */
export function readStatementFile(dir: string, id: string, version: string): StatementFile {
  const path = statementPath(dir, id, version);
  const parsed = StatementFile.safeParse(readJson(path));
  if (!parsed.success) throw new ConsentError('STATEMENT_INVALID', `${path}: ${issues(parsed.error)}`);
  const file = parsed.data;
  const fail = (why: string): never => {
    throw new ConsentError('STATEMENT_INVALID', `statement ${id} v${version}: ${why}`);
  };
  if (file.id !== id || file.version !== version) fail(`the file says ${file.id} v${file.version}`);
  const purposeIds = file.purposes.map((p) => p.id).join(',');
  if (new Set(file.purposes.map((p) => p.id)).size !== file.purposes.length) fail('duplicate purpose ids');
  const sectionIds = file.text.en.sections.map((s) => s.id).join(',');
  for (const language of LANGUAGES) {
    const t = file.text[language];
    if (t.purposes.map((p) => p.id).join(',') !== purposeIds) fail(`${language} purposes are not [${purposeIds}]`);
    if (t.sections.map((s) => s.id).join(',') !== sectionIds) fail(`${language} sections are not [${sectionIds}]`);
  }
  const problems = inventoryProblems(file);
  if (problems.length > 0) fail(problems.join('; '));
  return file;
}

/**
 * What is wrong with a statement's inventory: an entry kept for another party, a retention rule
 * RETENTION_RULES lacks, a kept item without a rule (or a rule for what is not kept), and a data
 * category the records may carry that the inventory does not name with that source.
 */
export function inventoryProblems(file: {
  readonly party: z.infer<typeof Party>;
  readonly dataCategories: readonly { readonly id: string; readonly sources: readonly string[] }[];
  readonly inventory?: readonly InventoryEntry[] | undefined;
}): string[] {
  const inventory = file.inventory ?? [];
  const problems: string[] = [];
  for (const e of inventory) {
    const what = `inventory ${e.category} (${e.keptAs})`;
    if (e.party !== file.party) problems.push(`${what} is kept for the ${e.party}, not the ${file.party}`);
    if ((e.keptAs === 'not-kept') !== (e.retention.length === 0)) problems.push(`${what} needs a retention rule exactly when it is kept`);
    for (const purge of e.retention) {
      if (!RETENTION_RULES.some((r) => r.party === e.party && r.purge === purge)) {
        problems.push(`${what} names retention ${purge}, which RETENTION_RULES has not for the ${e.party}`);
      }
    }
  }
  if (file.inventory === undefined) return problems;
  for (const c of file.dataCategories) {
    for (const source of c.sources) {
      if (!inventory.some((e) => e.category === c.id && e.keptAs !== 'not-kept' && (e.sources as readonly string[]).includes(source))) {
        problems.push(`data category ${c.id} from ${source} is not in the inventory`);
      }
    }
  }
  return problems;
}
