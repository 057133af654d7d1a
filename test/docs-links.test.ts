import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT } from '../lib/profile.ts';

/**
 * Every relative link and #anchor of the README and docs/ resolves: a page that moves or a heading that is renamed
 * breaks the test, not the reader's click. Anchors follow GitHub's rules for heading ids, so a link that passes here
 * lands on GitHub too. Links to a docs page or a README written in the code (a schema description, an error
 * message, a citation in contract/) are checked the same way.
 */

/** Folders that hold no documentation of ours: installed packages, generated output, the vendored API pages. */
const SKIP = new Set(['node_modules', '.git', 'out', 'html', 'single-file', 'allure-results', 'history', 'test-results', '.state']);
const VENDORED = ['contract/documents'];

function walk(dir: string, keep: (file: string) => boolean): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir)) {
    if (SKIP.has(entry)) continue;
    const full = join(dir, entry);
    const rel = relative(PROJECT_ROOT, full).split(sep).join('/');
    if (VENDORED.some((v) => rel === v || rel.startsWith(`${v}/`))) continue;
    if (statSync(full).isDirectory()) out.push(...walk(full, keep));
    else if (keep(rel)) out.push(rel);
  }
  return out.sort();
}

/** GitHub's heading id: the heading's text lowercased, punctuation dropped (but - and _), spaces to -. */
export function slug(heading: string): string {
  const text = heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1') // a link shows its text
    .replace(/<[^>]+>/g, '') // inline HTML shows nothing of its tags
    .replace(/[`*]/g, '') // code and emphasis marks are not text
    .trim()
    .toLowerCase();
  return text.replace(/[^\p{L}\p{N}\p{M} _-]/gu, '').replace(/ /g, '-');
}

/** The lines of a Markdown file outside fenced code blocks (``` or ~~~), with their numbers. */
function proseLines(markdown: string): { line: string; number: number }[] {
  const out: { line: string; number: number }[] = [];
  let fence: string | null = null;
  markdown.split('\n').forEach((line, i) => {
    const opening = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
    if (opening) {
      if (fence === null) fence = opening[1]![0]!.repeat(opening[1]!.length);
      else if (line.trim().startsWith(fence)) fence = null;
      return;
    }
    if (fence === null) out.push({ line, number: i + 1 });
  });
  return out;
}

/** Every anchor a Markdown file offers: its headings' ids (a repeated one gets -1, -2, ...) and explicit HTML ids. */
export function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { line } of proseLines(markdown)) {
    const heading = /^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (heading) {
      const base = slug(heading[1]!);
      const count = seen.get(base) ?? 0;
      seen.set(base, count + 1);
      anchors.add(count === 0 ? base : `${base}-${count}`);
    }
    for (const [, id] of line.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(id!);
  }
  return anchors;
}

/** The link targets of a Markdown file (inline links and reference definitions), outside code spans and fences. */
export function linksOf(markdown: string): { target: string; line: number }[] {
  const out: { target: string; line: number }[] = [];
  for (const { line, number } of proseLines(markdown)) {
    const prose = line.replace(/(`+)[\s\S]*?\1/g, (code) => ' '.repeat(code.length));
    for (const [, target] of prose.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: target!, line: number });
    const definition = /^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+"[^"]*")?\s*$/.exec(prose);
    if (definition) out.push({ target: definition[1]!, line: number });
  }
  return out;
}

const anchorCache = new Map<string, Set<string>>();
const anchorsIn = (file: string): Set<string> => {
  if (!anchorCache.has(file)) anchorCache.set(file, anchorsOf(readFileSync(join(PROJECT_ROOT, file), 'utf8')));
  return anchorCache.get(file)!;
};

/** Why a link from `from` (project-relative) to `target` does not resolve, or null when it does. */
export function brokenLink(from: string, target: string, root = PROJECT_ROOT): string | null {
  if (/^[a-z][a-z0-9+.-]*:/i.test(target)) return null; // https:, mailto: ... are not ours to check
  const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
  const path = decodeURIComponent(rawPath);
  const file = path === '' ? from : relative(root, resolve(root, dirname(from), path)).split(sep).join('/');
  if (file.startsWith('..')) return `${target}: points outside the project`;
  if (!existsSync(join(root, file))) return `${target}: ${file} does not exist`;
  if (anchor === undefined || anchor === '') return null;
  if (!file.endsWith('.md')) return `${target}: an anchor into ${file}, which is not Markdown`;
  if (!anchorsIn(file).has(decodeURIComponent(anchor))) return `${target}: ${file} has no heading with the id "${anchor}" (ids: ${[...anchorsIn(file)].join(', ')})`;
  return null;
}

const pages = walk(PROJECT_ROOT, (file) => file.startsWith('docs/') ? file.endsWith('.md') : /(^|\/)README\.md$/.test(file));

test('the pages under check: the README, every docs page, load/README.md', () => {
  for (const page of ['README.md', 'load/README.md', 'docs/target-profiles.md', 'docs/contributing.md']) assert.ok(pages.includes(page), `${page} is not checked`);
});

test('every relative link and anchor in the README and docs/ resolves', () => {
  const broken: string[] = [];
  let relativeLinks = 0;
  for (const page of pages) {
    for (const { target, line } of linksOf(readFileSync(join(PROJECT_ROOT, page), 'utf8'))) {
      if (!/^[a-z][a-z0-9+.-]*:/i.test(target)) relativeLinks++;
      const problem = brokenLink(page, target);
      if (problem) broken.push(`${page}:${line}: ${problem}`);
    }
  }
  assert.ok(relativeLinks >= 30, `only ${relativeLinks} relative links found: the parser missed some`);
  assert.deepEqual(broken, []);
});

test('the README links every page of docs/', () => {
  const linked = new Set(linksOf(readFileSync(join(PROJECT_ROOT, 'README.md'), 'utf8')).map(({ target }) => target.split('#')[0]));
  const unlinked = pages.filter((page) => page.startsWith('docs/') && !linked.has(page));
  assert.deepEqual(unlinked, [], 'docs pages the README does not link');
});

test('links to the docs and READMEs written in the code resolve (schema descriptions, messages, citations)', () => {
  // Not this file (its own examples are broken on purpose), nor the vendored workflow schema.
  const code = walk(PROJECT_ROOT, (file) => /\.(ts|json|jsonc|ya?ml|js|html)$/.test(file) && !['test/docs-links.test.ts', 'reports/ci/github-workflow.schema.json'].includes(file));
  const broken: string[] = [];
  let found = 0;
  for (const file of code) {
    const text = readFileSync(join(PROJECT_ROOT, file), 'utf8');
    // Project-relative, as the code writes them: docs/<page>.md or a README, with an optional #anchor.
    for (const match of text.matchAll(/(?<![\w./-])((?:docs\/[\w-]+|(?:[\w-]+\/)*README)\.md(?:#[\w-]+)?)/g)) {
      found++;
      const problem = brokenLink('README.md', match[1]!);
      if (problem) broken.push(`${file}: ${problem}`);
    }
  }
  assert.ok(found >= 5, `only ${found} links found in the code: the pattern missed them`);
  assert.deepEqual(broken, []);
});

test('the checker itself: GitHub ids, repeated headings, links in code spans and fences ignored, broken links named', () => {
  assert.equal(slug('What changed: learn, baseline, compare'), 'what-changed-learn-baseline-compare');
  assert.equal(slug('The main job: `npm start`'), 'the-main-job-npm-start');
  assert.equal(slug('Measured: the limit (k6 v1.3.0, load average 20-36)'), 'measured-the-limit-k6-v130-load-average-20-36');
  assert.equal(slug('`no_user_creation` and **new** users'), 'no_user_creation-and-new-users');
  assert.deepEqual([...anchorsOf('# A\n## Setup\n```\n# not a heading\n```\n### Setup\n## Setup\n')], ['a', 'setup', 'setup-1', 'setup-2']);
  const md = 'See [a](docs/x.md#y), `[b](nope.md)`, [c](#top) and [d](https://example.com).\n```\n[e](fenced.md)\n```\n[f]: ../g.md\n';
  assert.deepEqual(linksOf(md).map((l) => l.target), ['docs/x.md#y', '#top', 'https://example.com', '../g.md']);
  assert.match(brokenLink('README.md', 'docs/no-such-page.md')!, /does not exist/);
  assert.match(brokenLink('README.md', 'docs/target-profiles.md#no-such-heading')!, /has no heading with the id "no-such-heading"/);
  assert.match(brokenLink('docs/ci.md', '../../elsewhere.md')!, /outside the project/);
  assert.equal(brokenLink('docs/ci.md', '../README.md#the-two-commands'), null);
  assert.equal(brokenLink('README.md', 'https://grafana.com/docs/k6/'), null);
});
