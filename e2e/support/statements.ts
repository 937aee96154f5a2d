// A copy of resources/consent with a version 2 of the chain's statement published (pinned, current),
// so a customer who consented to version 1 is a returning customer to ask again.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pinStatements } from '../../sync/consent/pin.js';

export function statementsWithChainV2(): string {
  const dir = mkdtempSync(join(tmpdir(), 'e2e-statements-'));
  cpSync('resources/consent', dir, { recursive: true });
  const v1 = JSON.parse(readFileSync(join(dir, 'demo-retail-loyalty', 'v1.json'), 'utf8')) as {
    version: string;
    text: Record<string, { title: string }>;
  };
  const v2 = {
    ...v1,
    version: '2',
    text: Object.fromEntries(Object.entries(v1.text).map(([lng, t]) => [lng, { ...t, title: `${t.title} (2)` }])),
  };
  writeFileSync(join(dir, 'demo-retail-loyalty', 'v2.json'), `${JSON.stringify(v2, null, 2)}\n`);
  pinStatements(dir);
  const manifestPath = join(dir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { current: { chain: { version: string } } };
  manifest.current.chain.version = '2';
  writeFileSync(manifestPath, `${JSON.stringify(manifest, null, 2)}\n`);
  return dir;
}
