import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';
import { PROJECT_ROOT } from '../lib/profile.ts';

/**
 * Imports run one way: down. The entry points (scripts/, bench/) are the top floor and may read anything; the stages
 * (conformance/, e2e/, load/, reports/) read contract/ and lib/; contract/ is read by everyone. The simulator is a
 * target like any other: the suites and the load stage reach it over HTTP and its command line, never its modules.
 * A circle has no bottom floor at all, so none is allowed anywhere.
 *
 * The imports are read with the TypeScript parser (static `import`/`export ... from`, `import x = require()`,
 * `import()` calls and `import('...')` types), so a comment or a string that looks like an import is not one.
 */

/** Folders the harness generates; nothing in them is source. */
const GENERATED = new Set(['node_modules', 'out', 'html', 'single-file', 'allure-results', 'history', 'test-results', '.state', '.git']);

export function sourceFiles(root: string, dir = root): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (GENERATED.has(entry)) continue;
    const full = join(dir, entry);
    if (statSync(full).isDirectory()) out.push(...sourceFiles(root, full));
    else if (/\.(c|m)?tsx?$/.test(entry) && !entry.endsWith('.d.ts')) out.push(relative(root, full).split(sep).join('/'));
  }
  return out.sort();
}

/** Every module specifier a file names, static or dynamic; a dynamic import of a computed name cannot be followed. */
export function importsOf(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference) && ts.isStringLiteral(node.moduleReference.expression)) {
      found.push(node.moduleReference.expression.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [arg] = node.arguments;
      if (arg && ts.isStringLiteralLike(arg)) found.push(arg.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** One import: `to` is a project path for a relative specifier, else the package or built-in as written (`external`). */
export interface Edge { from: string; to: string; external: boolean }

/** The import graph of the project's files, packages and Node built-ins included (as external ends). */
export function importGraph(root: string, files: string[], read = (file: string) => readFileSync(join(root, file), 'utf8')): Edge[] {
  const edges: Edge[] = [];
  for (const from of files) {
    for (const specifier of importsOf(from, read(from))) {
      if (!specifier.startsWith('.')) edges.push({ from, to: specifier, external: true });
      else edges.push({ from, to: relative(root, resolve(root, dirname(from), specifier)).split(sep).join('/'), external: false });
    }
  }
  return edges;
}

const under = (file: string, ...folders: string[]): boolean => folders.some((folder) => file.startsWith(`${folder}/`));
const STAGES = ['conformance', 'e2e', 'load', 'reports'];
const stageOf = (file: string): string | undefined => STAGES.find((stage) => under(file, stage));

/**
 * The rules of the layout, each saying why; a violation names the importing file and what it imports. Top-level
 * files (playwright.config.ts) are entry points like scripts/: Playwright's command line starts from them.
 */
export const RULES: { name: string; forbids: (edge: Edge) => boolean }[] = [
  {
    name: 'only the entry points (scripts/, bench/) import the entry points: nothing below them reads the top floor',
    forbids: ({ from, to, external }) => !external && under(from, 'contract', 'lib', 'sim', 'load', 'reports', 'conformance', 'e2e') && under(to, 'scripts', 'bench'),
  },
  {
    name: 'the stages reach the simulator as any other target (HTTP, its command line), never through its modules',
    forbids: ({ from, to, external }) => !external && under(from, 'load', 'conformance', 'e2e') && under(to, 'sim'),
  },
  {
    name: 'nothing reads a stage: contract/, lib/ and sim/ import no stage, and no stage imports another (what two share goes to lib/)',
    forbids: ({ from, to, external }) => !external && stageOf(to) !== undefined && (under(from, 'contract', 'lib', 'sim') || (stageOf(from) !== undefined && stageOf(from) !== stageOf(to))),
  },
  {
    name: 'the simulator never imports test code: sim/ reads only sim/ and contract/',
    forbids: ({ from, to, external }) => !external && under(from, 'sim') && !under(to, 'sim', 'contract'),
  },
  {
    name: 'contract/ is plain data that the k6 scripts import too: it reads only contract/, no package and no Node built-in',
    forbids: ({ from, to, external }) => under(from, 'contract') && (external || !under(to, 'contract')),
  },
  {
    name: 'the project\'s own tests are read by nothing else',
    forbids: ({ from, to, external }) => !external && !under(from, 'test') && under(to, 'test'),
  },
];

export function violations(edges: Edge[]): string[] {
  const found: string[] = [];
  for (const edge of edges) for (const rule of RULES) if (rule.forbids(edge)) found.push(`${edge.from} imports ${edge.to}: ${rule.name}`);
  return found;
}

/** Every import circle, one path each (a -> b -> a), from the strongly connected components of the graph (Tarjan). */
export function cycles(edges: Edge[]): string[][] {
  const next = new Map<string, string[]>();
  for (const { from, to, external } of edges) if (!external) next.set(from, [...(next.get(from) ?? []), to]);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const strongConnect = (v: string): void => {
    index.set(v, counter); low.set(v, counter); counter++;
    stack.push(v); onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) { strongConnect(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); }
      else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do { w = stack.pop()!; onStack.delete(w); component.push(w); } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) components.push(component);
    }
  };
  for (const v of [...next.keys()].sort()) if (!index.has(v)) strongConnect(v);
  // Within a component every file reaches every other: a breadth-first search from its first file back to itself
  // gives the shortest circle through it, which is the path worth printing.
  return components.map((component) => {
    const members = new Set(component);
    const start = [...component].sort()[0]!;
    const cameFrom = new Map<string, string>();
    const queue = [start];
    while (queue.length > 0) {
      const v = queue.shift()!;
      for (const w of next.get(v) ?? []) {
        if (!members.has(w)) continue;
        if (w === start) {
          const path = [start];
          for (let at: string | undefined = v; at !== undefined && at !== start; at = cameFrom.get(at)) path.splice(1, 0, at);
          return [...path, start];
        }
        if (!cameFrom.has(w)) { cameFrom.set(w, v); queue.push(w); }
      }
    }
    return [...component, component[0]!];
  });
}

const files = sourceFiles(PROJECT_ROOT);
const edges = importGraph(PROJECT_ROOT, files);

test('the import graph is read from the whole project', () => {
  assert.ok(files.length > 150, `only ${files.length} source files found`);
  assert.ok(edges.length > 500, `only ${edges.length} imports found: the parser missed some`);
  const missing = edges.filter(({ to, external }) => !external && !existsSync(join(PROJECT_ROOT, to))).map(({ from, to }) => `${from} -> ${to}`);
  assert.deepEqual(missing, [], 'imports of files that do not exist');
});

test('imports run down: nothing below scripts/ and bench/ imports them, no stage imports the simulator or another stage', () => {
  assert.deepEqual(violations(edges), []);
});

test('there are no import circles', () => {
  assert.deepEqual(cycles(edges).map((path) => path.join(' -> ')), []);
});

test('the checks catch what they are for (static, type-only, re-export and dynamic imports, each rule; circles)', () => {
  const planted: Record<string, string> = {
    'reports/a.ts': "import { x } from '../scripts/x.ts';",
    'load/run/b.ts': "import type { K } from '../../sim/rate-limiter.ts';\nexport * from '../lib/c.ts';",
    'e2e/c.ts': "const m = await import('../bench/y.ts'); // import '../sim/not-an-import.ts'",
    'conformance/d.ts': "type T = import('../sim/routes.ts').Route;",
    'reports/e.ts': "import { k6 } from '../load/lib/summary.ts';",
    'sim/f.ts': "import { redact } from '../lib/redact.ts';",
    'contract/g.ts': "import { readFileSync } from 'node:fs';",
    'lib/p.ts': "import { q } from './q.ts';\nimport { helper } from '../test/sim-helpers.ts';",
    'lib/q.ts': "export { p } from './r.ts';",
    'lib/r.ts': "export const r = () => import('./p.ts');",
  };
  const graph = importGraph('/root', Object.keys(planted), (file) => planted[file]!);
  assert.deepEqual(violations(graph).map((v) => v.split(': ')[0]), [
    'reports/a.ts imports scripts/x.ts',
    'load/run/b.ts imports sim/rate-limiter.ts',
    'e2e/c.ts imports bench/y.ts',
    'conformance/d.ts imports sim/routes.ts',
    'reports/e.ts imports load/lib/summary.ts',
    'sim/f.ts imports lib/redact.ts',
    'contract/g.ts imports node:fs',
    'lib/p.ts imports test/sim-helpers.ts',
  ]);
  assert.deepEqual(cycles(graph), [['lib/p.ts', 'lib/q.ts', 'lib/r.ts', 'lib/p.ts']]);
});
