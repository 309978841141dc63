// The rules of CONTRIBUTING.md's "Architecture rules" that a machine can check:
// no import circles in src/, and deciding never asks the direction.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import ts from 'typescript';

const sources = readdirSync('src', { recursive: true, encoding: 'utf8' })
  .filter((file) => file.endsWith('.ts'))
  .map((file) => path.join('src', file));

/** Each source file's relative imports, as source paths. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sources) {
    const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map(({ fileName }) => fileName)
      .filter((name) => name.startsWith('.'))
      .map((name) => path.join(path.dirname(file), name.replace(/\.js$/, '.ts')));
    graph.set(file, targets);
  }
  return graph;
}

/** The first circle found by a depth-first walk, as the files on it; undefined when there is none. */
function findCircle(graph: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const onPath: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const at = onPath.indexOf(file);
    if (at !== -1) return [...onPath.slice(at), file];
    if (done.has(file)) return undefined;
    onPath.push(file);
    for (const target of graph.get(file) ?? []) {
      const circle = visit(target);
      if (circle) return circle;
    }
    onPath.pop();
    done.add(file);
    return undefined;
  };
  for (const file of graph.keys()) {
    const circle = visit(file);
    if (circle) return circle;
  }
  return undefined;
}

describe('architecture', () => {
  it('src/ has no import circles', () => {
    const graph = importGraph();
    assert.ok(graph.size > 40, `read ${graph.size} files`);
    assert.deepEqual(findCircle(graph), undefined);
  });

  it('finds a circle where there is one', () => {
    const graph = new Map([
      ['a.ts', ['b.ts']],
      ['b.ts', ['c.ts']],
      ['c.ts', ['a.ts']],
    ]);
    assert.deepEqual(findCircle(graph), ['a.ts', 'b.ts', 'c.ts', 'a.ts']);
  });

  it('deciding never asks the direction: that is the pipeline chosen', () => {
    for (const file of sources.filter((source) => source.startsWith(path.join('src', 'decide')))) {
      const text = readFileSync(file, 'utf8');
      assert.doesNotMatch(text, /\bdirection\b|remoteIsSource|'push'|'pull'/, file);
    }
  });

  it('no source runs code from a string', () => {
    for (const file of sources) assert.doesNotMatch(readFileSync(file, 'utf8'), /eval: true|new Function\(/, file);
  });
});
