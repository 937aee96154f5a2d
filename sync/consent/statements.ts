// Loads the published consent statements and answers "which text do we show this customer". Every
// text is checked against its pinned hash at load, so the kiosk can only show (and record) a text
// exactly as it was published.
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type ConsentRecord, type Language } from '../wire/schemas.js';
import { ConsentError } from './errors.js';
import {
  changedMessage,
  readManifest,
  readStatementFile,
  renderBlocks,
  renderText,
  sha256Hex,
  type Block,
  type DataCategoryId,
  type InventoryEntry,
  type StatementFile,
} from './statement-format.js';

export type Party = ConsentRecord['party'];
export type DataSource = ConsentRecord['dataCategories'][number]['source'];

/** resources/consent beside the sources. Resolved on call, not at import: a CommonJS bundle has no
 *  import.meta.url, and the host there passes its own directory to loadStatements. */
export const defaultStatementsDir = (): string => fileURLToPath(new URL('../../resources/consent/', import.meta.url));

/** One statement version in one language, ready to show and to record. */
export interface StatementView {
  readonly id: string;
  readonly version: string;
  readonly party: Party;
  readonly language: Language;
  /** Exactly what the customer reads; `textSha256` is its hash and goes into the record. */
  readonly text: string;
  readonly textSha256: string;
  readonly blocks: readonly Block[];
  readonly purposes: readonly {
    readonly id: string;
    readonly title: string;
    readonly text: string;
    /** Language-independent, as recorded (e.g. "GDPR Art. 6(1)(a)"). */
    readonly legalBasis: string;
    /** The sentence shown to the customer. */
    readonly legalBasisText: string;
  }[];
  readonly controller: { readonly id: string; readonly name: string; readonly contact: string };
  readonly dataCategories: readonly { readonly id: DataCategoryId; readonly sources: readonly DataSource[] }[];
  readonly withdrawalMethods: readonly string[];
  /** What is kept, how, how long and for whom; empty only for versions published before inventories (v1). */
  readonly inventory: readonly InventoryEntry[];
}

export interface StatementCatalog {
  /** The version a customer must see now for this party. */
  current(party: Party, language: Language): StatementView;
  /** Any published version, e.g. the one an older record refers to. */
  find(id: string, version: string, language: Language): StatementView;
  all(): readonly StatementView[];
}

function view(file: StatementFile, language: Language): StatementView {
  const blocks = renderBlocks(file, language);
  const text = renderText(blocks);
  const shown = file.text[language].purposes;
  return {
    id: file.id,
    version: file.version,
    party: file.party,
    language,
    text,
    textSha256: sha256Hex(text),
    blocks,
    purposes: file.purposes.map((p, i) => {
      const t = shown[i]!; // same ids in the same order, checked by readStatementFile
      return { id: p.id, title: t.title, text: t.text, legalBasis: p.legalBasis, legalBasisText: t.legalBasis };
    }),
    controller: file.controller,
    dataCategories: file.dataCategories,
    withdrawalMethods: file.withdrawalMethods,
    inventory: file.inventory ?? [],
  };
}

const key = (id: string, version: string, language: Language): string => `${id}\u0000${version}\u0000${language}`;

export function loadStatements(dir: string = defaultStatementsDir()): StatementCatalog {
  const manifest = readManifest(dir);
  const pins = new Map(manifest.pins.map((p) => [key(p.id, p.version, p.language), p.sha256]));
  const views = new Map<string, StatementView>();
  const versions = new Set(manifest.pins.map((p) => `${p.id}\u0000${p.version}`));
  for (const idVersion of versions) {
    const [id, version] = idVersion.split('\u0000') as [string, string];
    const file = readStatementFile(dir, id, version);
    for (const language of LANGUAGES) {
      const v = view(file, language);
      const pinned = pins.get(key(id, version, language));
      if (pinned === undefined) {
        throw new ConsentError('STATEMENT_UNPINNED', `statement ${id} v${version} ${language} has no pinned hash in manifest.json`);
      }
      if (pinned !== v.textSha256) throw new ConsentError('STATEMENT_CHANGED', changedMessage(id, version, language));
      views.set(key(id, version, language), v);
    }
  }

  const find = (id: string, version: string, language: Language): StatementView => {
    const v = views.get(key(id, version, language));
    if (!v) throw new ConsentError('STATEMENT_NOT_FOUND', `statement ${id} v${version} ${language} is not published`);
    return v;
  };
  for (const [party, { id, version }] of Object.entries(manifest.current)) {
    const v = find(id, version, 'en');
    if (v.party !== party) throw new ConsentError('PARTY_MISMATCH', `current ${party} statement ${id} is a ${v.party} statement`);
    // What a customer agrees to now must say what is kept (sync.md); only older versions may lack it.
    if (v.inventory.length === 0)
      throw new ConsentError('STATEMENT_INVALID', `current ${party} statement ${id} v${version} has no inventory`);
  }
  return {
    current: (party, language) => find(manifest.current[party].id, manifest.current[party].version, language),
    find,
    all: () => [...views.values()],
  };
}

let bundled: StatementCatalog | undefined;

/** The statements shipped in resources/consent, loaded once. */
export const bundledStatements = (): StatementCatalog => (bundled ??= loadStatements());

export const currentStatement = (party: Party, language: Language, catalog: StatementCatalog = bundledStatements()): StatementView =>
  catalog.current(party, language);
