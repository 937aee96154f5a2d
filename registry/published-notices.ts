// The registry accepts only consent records naming a statement that was published (the same
// catalogue the kiosks show, resources/consent): its id, version and language, the exact text's
// hash, its own purposes, and the party it belongs to. A record naming anything else proves nothing.
import type { StatementView } from '../sync/consent/statements.js';
import type { ConsentRecord } from '../sync/wire/schemas.js';
import { ItemRejection } from './errors.js';

/**
 * The published statements by id, version and language: plain data, so the SQLite writer thread
 * (sqlite-writer.ts) holds the same index as the main thread.
 */
export class PublishedStatements {
  private readonly byKey = new Map<string, StatementView>();
  constructor(views: readonly StatementView[]) {
    for (const v of views) this.byKey.set(key(v.id, v.version, v.language), v);
  }
  get(id: string, version: string, language: string): StatementView | undefined {
    return this.byKey.get(key(id, version, language));
  }
}

const key = (id: string, version: string, language: string): string => `${id}\u0000${version}\u0000${language}`;

export function checkPublishedNotice(published: PublishedStatements, c: ConsentRecord): void {
  const { statementId, version, language, textSha256 } = c.notice;
  const statement = published.get(statementId, version, language);
  if (!statement) throw new ItemRejection('UNKNOWN_STATEMENT', `statement ${statementId} v${version} ${language} is not published`);
  if (statement.textSha256 !== textSha256) {
    throw new ItemRejection('UNKNOWN_TEXT_HASH', `the text hash is not that of statement ${statementId} v${version} ${language}`);
  }
  if (statement.party !== c.party) {
    throw new ItemRejection('PARTY_MISMATCH', `statement ${statementId} belongs to the ${statement.party}, not the ${c.party}`);
  }
  const purposes = new Set(statement.purposes.map((p) => p.id));
  const unknown = c.purposes.filter((p) => !purposes.has(p.id)).map((p) => p.id);
  if (unknown.length > 0) {
    throw new ItemRejection('UNKNOWN_PURPOSE', `statement ${statementId} v${version} has no purpose ${unknown.join(', ')}`);
  }
}
