import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DOCUMENTED_ENDPOINTS, type AnswerCase, type Endpoint, type EndpointId } from '../contract/index.ts';
import type { Expectation } from './profile.ts';
import { COVERS_LABEL, RUN_LABEL } from './report-labels.ts';

/**
 * The coverage table: every documented parameter, provider and status of every documented endpoint (from contract/),
 * against the `covers` labels of the tests that passed in the latest run (from the Allure results). A status is
 * required only when the target can answer it: success statuses and 429 always; an error status when some case
 * of the target's expectations that applies to the endpoint maps to it (a GET without a body cannot get the
 * "malformed body" 400, for instance).
 */

/** Which of the open cases (contract/answers.ts) can happen on each endpoint. */
export const CASES_BY_ENDPOINT: Record<'jwtLogin' | 'oauthLogin' | 'crossAuth', readonly AnswerCase[]> = {
  jwtLogin: ['malformedBody', 'wrongContentType', 'bodyTooLarge', 'missingParameter', 'invalidParameter', 'unknownProvider', 'unknownProject', 'socialTokenRejected', 'socialNetworkUnavailable', 'rateLimited'],
  oauthLogin: [
    'malformedBody', 'wrongContentType', 'bodyTooLarge', 'missingParameter', 'invalidParameter', 'stateTooShort', 'unknownProvider', 'unknownClient',
    'redirectUriNotRegistered', 'redirectUriAmbiguous', 'socialTokenRejected', 'socialNetworkUnavailable', 'rateLimited',
  ],
  crossAuth: [
    'missingParameter', 'invalidParameter', 'stateTooShort', 'unknownProvider', 'unknownClient', 'redirectUriNotRegistered', 'redirectUriAmbiguous',
    'socialTokenRejected', 'socialNetworkUnavailable', 'userNotFound', 'rateLimited',
  ],
};

export interface CoverageItem {
  endpoint: EndpointId;
  kind: 'parameter' | 'provider' | 'status';
  item: string;
  /** Why the item is not required on this target, or null when it is. */
  notApplicable: string | null;
  tests: number;
}

function providerEnum(endpoint: Endpoint): readonly string[] {
  return endpoint.params.find((p) => p.in === 'path')?.enum ?? [];
}

export function coverageItems(expectations: Record<AnswerCase, Expectation>, providers?: readonly string[]): Omit<CoverageItem, 'tests'>[] {
  const items: Omit<CoverageItem, 'tests'>[] = [];
  for (const endpoint of DOCUMENTED_ENDPOINTS) {
    const id = endpoint.id as keyof typeof CASES_BY_ENDPOINT;
    for (const p of endpoint.params) items.push({ endpoint: endpoint.id, kind: 'parameter', item: `${p.in}.${p.name}`, notApplicable: null });
    for (const provider of providerEnum(endpoint)) {
      const outside = providers !== undefined && endpoint.id !== 'crossAuth' && !providers.includes(provider);
      items.push({ endpoint: endpoint.id, kind: 'provider', item: `provider ${provider}`, notApplicable: outside ? 'not in the profile\'s provider matrix' : null });
    }
    const reachable = new Set<number>([...endpoint.successStatus, 429]);
    for (const name of CASES_BY_ENDPOINT[id]) for (const s of expectations[name].status) reachable.add(s);
    for (const status of endpoint.statuses) {
      items.push({
        endpoint: endpoint.id, kind: 'status', item: `status ${status}`,
        notApplicable: reachable.has(status) ? null : `no case of this target's expectations that applies to ${endpoint.id} answers ${status}`,
      });
    }
  }
  return items;
}

interface AllureResult {
  status?: string;
  labels?: { name: string; value: string }[];
}

/** The `covers` labels of the passed tests of the latest run (or of every run) found in an Allure results folder. */
export function readCoveredLabels(resultsDir: string, allRuns = false): { counts: Map<string, number>; runId: string | null; tests: number } {
  const results: AllureResult[] = [];
  for (const file of readdirSync(resultsDir)) {
    if (!file.endsWith('-result.json')) continue;
    try {
      results.push(JSON.parse(readFileSync(join(resultsDir, file), 'utf8')) as AllureResult);
    } catch {
      // a result being written right now: skipped, as an incomplete test proves nothing
    }
  }
  const runOf = (r: AllureResult) => r.labels?.find((l) => l.name === RUN_LABEL)?.value;
  const runs = results.map(runOf).filter((v): v is string => v !== undefined).sort((a, b) => Number(b) - Number(a));
  const runId = runs[0] ?? null;
  const counts = new Map<string, number>();
  let tests = 0;
  for (const r of results) {
    if (runId === null || runOf(r) === undefined || (!allRuns && runOf(r) !== runId) || r.status !== 'passed') continue;
    tests++;
    for (const value of new Set((r.labels ?? []).filter((l) => l.name === COVERS_LABEL).map((l) => l.value))) counts.set(value, (counts.get(value) ?? 0) + 1);
  }
  return { counts, runId, tests };
}

export function computeCoverage(items: Omit<CoverageItem, 'tests'>[], counts: Map<string, number>): CoverageItem[] {
  return items.map((i) => ({ ...i, tests: counts.get(`${i.endpoint} ${i.item}`) ?? 0 }));
}

export function uncovered(coverage: readonly CoverageItem[]): CoverageItem[] {
  return coverage.filter((c) => c.notApplicable === null && c.tests === 0);
}

export function renderCoverageTable(coverage: readonly CoverageItem[]): string {
  const lines = ['| endpoint | kind | item | passed tests | |', '|---|---|---|---:|---|'];
  for (const c of coverage) {
    const mark = c.notApplicable !== null ? `n/a: ${c.notApplicable}` : c.tests > 0 ? 'covered' : '**UNCOVERED**';
    lines.push(`| ${c.endpoint} | ${c.kind} | ${c.item} | ${c.tests} | ${mark} |`);
  }
  const required = coverage.filter((c) => c.notApplicable === null);
  const missing = uncovered(coverage);
  lines.push('', `covered ${required.length - missing.length}/${required.length} documented items (${coverage.length - required.length} not applicable to this target)`);
  return lines.join('\n');
}
