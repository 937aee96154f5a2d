// Every file a Markdown page of ours points to exists: links (`[text](path)`) and paths written in
// backticks (`sync/store/commit.ts`), resolved from the page's folder or from the repository's root.
// A renamed or deleted file otherwise leaves a README sending a newcomer nowhere.
import { existsSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const PAGES = execFileSync('git', ['ls-files', '*.md'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
// Top-level folders of the repository, and the shared docs beside it: a backticked path counts as a
// file reference only when it starts with one of these (or with ../), so commands and options do not.
const TOP = new Set([
  'api',
  'card-reader',
  'common',
  'docs',
  'e2e',
  'electron',
  'host',
  'registry',
  'renderer',
  'resources',
  'scripts',
  'sync',
]);
const PATH_LIKE = /^(\.\.?\/)*[\w@.-]+(\/[\w@.-]+)*\/?$/;

/** The paths a page refers to, with the line each is on. */
const referencesIn = (text: string): { ref: string; line: number }[] => {
  const refs: { ref: string; line: number }[] = [];
  text.split('\n').forEach((line, i) => {
    for (const m of line.matchAll(/\]\(([^)#\s]+)(#[^)]*)?\)/g)) if (!/^[a-z]+:/.test(m[1]!)) refs.push({ ref: m[1]!, line: i + 1 });
    for (const m of line.matchAll(/`([^`\s]+)`/g)) {
      const ref = m[1]!.replace(/[,.:;]$/, '');
      if (!PATH_LIKE.test(ref) || !ref.includes('/')) continue;
      const first = ref.replace(/^(\.\.?\/)+/, '').split('/')[0]!;
      if (ref.startsWith('../') || TOP.has(first)) refs.push({ ref, line: i + 1 });
    }
  });
  return refs;
};

const exists = (page: string, ref: string): boolean => {
  // Generated or run-time folders, named in prose but absent from a clean clone.
  if (/^(dist|test-results|node_modules)\//.test(ref)) return true;
  const candidates = [normalize(join(ROOT, dirname(page), ref)), normalize(join(ROOT, ref))];
  return candidates.some((p) => existsSync(p));
};

describe('Markdown references', () => {
  it('finds links and backticked paths, not commands', () => {
    const refs = referencesIn('See [x](sync/README.md), `host/host.ts`, `npm run kiosk`, `--db FILE`, `a/b` and `../shared/docs/sync.md`.');
    expect(refs.map((r) => r.ref)).toEqual(['sync/README.md', 'host/host.ts', '../shared/docs/sync.md']);
  });

  it.each(PAGES)('%s points only to files that exist', (page) => {
    const missing = referencesIn(readFileSync(join(ROOT, page), 'utf8'))
      .filter(({ ref }) => !exists(page, ref))
      .map(({ ref, line }) => `${page}:${line} ${ref}`);
    expect(missing).toEqual([]);
  });
});
