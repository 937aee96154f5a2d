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
  return file;
}
