// The registry accepts only consent records naming a statement that was published (the same
// catalogue the kiosks show, resources/consent): its id, version and language, the exact text's
// hash, its own purposes, and the party it belongs to. A record naming anything else proves nothing.
import { ConsentError } from '../consent/errors.js';
import type { StatementCatalog, StatementView } from '../consent/statements.js';
import type { ConsentRecord } from '../wire/schemas.js';
import { ItemRejection } from './errors.js';

export function checkPublishedNotice(catalog: StatementCatalog, c: ConsentRecord): void {
  const { statementId, version, language, textSha256 } = c.notice;
  let statement: StatementView;
  try {
    statement = catalog.find(statementId, version, language);
  } catch (e) {
    if (!(e instanceof ConsentError)) throw e;
    throw new ItemRejection('UNKNOWN_STATEMENT', `statement ${statementId} v${version} ${language} is not published`);
  }
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
