// No import circles (design doc, runtime rules): a cycle makes module start-up order matter
// and usually means two modules are one idea split in the wrong place.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../../..');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Relative imports of a file, resolved to files (type-only imports included: they still couple). */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specs = [...text.matchAll(/(?:import|export)[^'"]*?from\s+['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1] ?? '');
  return specs.flatMap((spec) => {
    const base = resolve(dirname(file), spec).replace(/\.js$/, '');
    const hit = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts')].find((p) => {
      try {
        return statSync(p).isFile();
      } catch {
        return false;
      }
    });
    return hit ? [hit] : [];
  });
}

function findCycle(files: string[]): string[] | null {
  const graph = new Map<string, string[]>();
  const edges = (f: string) => graph.get(f) ?? graph.set(f, imports(f)).get(f) ?? [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string): string[] | null => {
    if (state.get(f) === 'done') return null;
    if (state.get(f) === 'visiting') return [...stack.slice(stack.indexOf(f)), f];
    state.set(f, 'visiting');
    stack.push(f);
    for (const next of edges(f)) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(f, 'done');
    return null;
  };
  for (const f of files) {
    const cycle = visit(f);
    if (cycle) return cycle.map((p) => relative(ROOT, p));
  }
  return null;
}

describe('import graph', () => {
  it('the detector finds a cycle when there is one', () => {
    expect(findCycle([join(ROOT, 'tests/unit/architecture/fixtures/cycle-a.ts')])).toEqual([
      'tests/unit/architecture/fixtures/cycle-a.ts',
      'tests/unit/architecture/fixtures/cycle-b.ts',
      'tests/unit/architecture/fixtures/cycle-a.ts',
    ]);
  });

  it('electron/ and renderer/ have no import circles', () => {
    const files = [...sourceFiles(join(ROOT, 'electron')), ...sourceFiles(join(ROOT, 'renderer'))];
    expect(files.length).toBeGreaterThan(20);
    expect(findCycle(files)).toBeNull();
  });
});
