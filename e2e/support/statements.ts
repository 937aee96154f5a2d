// A copy of resources/consent with the next version of the chain's statement published (pinned,
// current), so a customer who consented to the current one is a returning customer to ask again.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinStatements } from '../../sync/consent/pin.js';
import { readManifest } from '../../sync/consent/statement-format.js';

/** The version the copy publishes: the chain's current one plus one, whatever is published now. */
export const NEXT_CHAIN_VERSION = String(Number(readManifest('resources/consent').current.chain.version) + 1);

/** The copy's directory; each title ends in ` (NEXT_CHAIN_VERSION)` so the screen shows which version it is. */
export function statementsWithNextChainVersion(): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-statements-'));
  cpSync('resources/consent', dir, { recursive: true });
  const { id, version } = readManifest(dir).current.chain;
  const current = JSON.parse(readFileSync(join(dir, id, `v${version}.json`), 'utf8')) as {
    version: string;
    text: Record<string, { title: string }>;
  };
  const next = {
    ...current,
    version: NEXT_CHAIN_VERSION,
    text: Object.fromEntries(Object.entries(current.text).map(([lng, t]) => [lng, { ...t, title: `${t.title} (${NEXT_CHAIN_VERSION})` }])),
  };
  writeFileSync(join(dir, id, `v${NEXT_CHAIN_VERSION}.json`), `${JSON.stringify(next, null, 2)}\n`);
  pinStatements(dir);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { current: { chain: { version: string } } };
  manifest.current.chain.version = NEXT_CHAIN_VERSION;
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}
