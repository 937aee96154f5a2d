// Publishing a statement version: pins the hash of each new (id, version, language) text in the
// manifest. A text already pinned is never re-pinned: an edit must become a new version.
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LANGUAGES } from '../wire/schemas.js';
import { ConsentError } from './errors.js';
import {
  changedMessage,
  readManifest,
  readStatementFile,
  renderBlocks,
  renderText,
  sha256Hex,
  type Manifest,
  type Pin,
} from './statement-format.js';

/** Every (id, version) with a file under `dir`: <id>/v<version>.json. */
function statementFiles(dir: string): { id: string; version: string }[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join(dir, d.name))
        .map((name) => /^v([1-9]\d*)\.json$/.exec(name))
        .filter((m): m is RegExpExecArray => m !== null)
        .map((m) => ({ id: d.name, version: m[1]! })),
    );
}

/** The pins the files under `dir` need that the manifest lacks; throws STATEMENT_CHANGED when a
 *  pinned text no longer matches its file. */
export function missingPins(dir: string, manifest: Manifest = readManifest(dir)): Pin[] {
  const pinned = new Map(manifest.pins.map((p) => [`${p.id} ${p.version} ${p.language}`, p.sha256]));
  const missing: Pin[] = [];
  for (const { id, version } of statementFiles(dir)) {
    const file = readStatementFile(dir, id, version);
    for (const language of LANGUAGES) {
      const sha256 = sha256Hex(renderText(renderBlocks(file, language)));
      const was = pinned.get(`${id} ${version} ${language}`);
      if (was === undefined) missing.push({ id, version, language, sha256 });
      else if (was !== sha256) throw new ConsentError('STATEMENT_CHANGED', changedMessage(id, version, language));
    }
  }
  return missing;
}

/** Adds the missing pins to manifest.json and returns them. Which version is current stays a
 *  separate, deliberate edit of `current` in the manifest. */
export function pinStatements(dir: string): Pin[] {
  const manifest = readManifest(dir);
  const added = missingPins(dir, manifest);
  if (added.length > 0) {
    const pins = [...manifest.pins, ...added].sort(
      (a, b) =>
        a.id.localeCompare(b.id) || Number(a.version) - Number(b.version) || LANGUAGES.indexOf(a.language) - LANGUAGES.indexOf(b.language),
    );
    writeFileSync(join(dir, 'manifest.json'), `${JSON.stringify({ ...manifest, pins }, null, 2)}\n`);
  }
  return added;
}
