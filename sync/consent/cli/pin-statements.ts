// Pins the hash of every new statement version in resources/consent/manifest.json.
// Usage: npx tsx sync/consent/cli/pin-statements.ts [dir]
import { isConsentError } from '../errors.js';
import { pinStatements } from '../pin.js';
import { defaultStatementsDir } from '../statements.js';

try {
  const added = pinStatements(process.argv[2] ?? defaultStatementsDir());
  for (const p of added) console.log(`pinned ${p.id} v${p.version} ${p.language} ${p.sha256}`);
  if (added.length === 0) console.log('nothing new to pin');
} catch (e) {
  console.error(isConsentError(e) ? `${e.code}: ${e.message}` : e);
  process.exitCode = 1;
}
