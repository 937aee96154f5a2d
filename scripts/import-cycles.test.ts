// No module imports itself through others: a cycle between files (type imports included) means two
// modules that cannot be read, tested or moved apart. The folder layers are the linter's job
// (eslint.config.js); this finds cycles inside a folder too.
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..');
const PARTS = ['common', 'card-reader', 'sync', 'electron', 'renderer', 'scripts'];
const SPECIFIER = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*'(\.{1,2}\/[^']+)'/gm;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sources(path);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of PARTS.filter((p) => existsSync(join(ROOT, p))).flatMap((p) => sources(join(ROOT, p)))) {
    const targets = [...readFileSync(file, 'utf8').matchAll(SPECIFIER)].flatMap(([, spec]) => {
      const base = normalize(join(dirname(file), spec!)).replace(/\.js$/, '');
      return [`${base}.ts`, `${base}.tsx`].filter((candidate) => existsSync(candidate));
    });
    graph.set(file, targets);
  }
  return graph;
}

function cycles(graph: Map<string, string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    path.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...path.slice(path.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    path.pop();
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file);
  return found.map((cycle) => cycle.map((f) => relative(ROOT, f)));
}

describe('imports', () => {
  it('form no cycle between source files', () => {
    const graph = importGraph();
    expect(graph.size).toBeGreaterThan(100);
    expect(cycles(graph)).toEqual([]);
  });

  it('would report a cycle', () => {
    const graph = new Map([
      ['/a.ts', ['/b.ts']],
      ['/b.ts', ['/a.ts']],
    ]);
    expect(cycles(graph)).toHaveLength(1);
  });
});
