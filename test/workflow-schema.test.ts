import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import { parse } from 'yaml';
import { PROJECT_ROOT } from '../lib/profile.ts';

/**
 * The nightly workflow is checked against the GitHub Actions workflow schema (SchemaStore's, vendored in
 * reports/ci/), and for the things the pipeline promises: nightly schedule, manual inputs, k6 from Grafana's
 * action, sharded conformance merged into one report, publication with history, secrets from the store.
 */

const schema = JSON.parse(readFileSync(join(PROJECT_ROOT, 'reports/ci/github-workflow.schema.json'), 'utf8')) as object;
const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
const workflowText = readFileSync(join(PROJECT_ROOT, '.github/workflows/nightly.yml'), 'utf8');

type Step = { uses?: string; run?: string; with?: Record<string, unknown>; if?: string };
type Job = { steps: Step[]; needs?: string | string[]; if?: string; env?: Record<string, string>; strategy?: { matrix: Record<string, unknown> }; permissions?: Record<string, string> };
interface Workflow {
  on: { schedule: { cron: string }[]; workflow_dispatch: { inputs: Record<string, { default?: string }> } };
  jobs: Record<string, Job>;
}
const workflow = parse(workflowText) as Workflow;

const errorsOf = (doc: unknown): string =>
  validate(doc) ? '' : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`).join('\n');

describe('.github/workflows/nightly.yml', () => {
  it('is a valid GitHub Actions workflow according to its JSON schema', () => {
    assert.equal(errorsOf(workflow), '');
  });

  it('the schema check itself rejects a malformed workflow (a misspelt key, a job without runs-on)', () => {
    const broken = structuredClone(workflow) as unknown as { jobs: Record<string, Record<string, unknown>> };
    broken.jobs.load!.step = broken.jobs.load!.steps;
    delete broken.jobs.load!.steps;
    delete broken.jobs.e2e!['runs-on'];
    assert.notEqual(errorsOf(broken), '');
  });

  it('runs nightly and on manual dispatch with the target profile and the stages as inputs', () => {
    assert.ok(workflow.on.schedule.length > 0 && /^\S+ \S+ \* \* \*$/.test(workflow.on.schedule[0]!.cron), 'a daily cron');
    const inputs = workflow.on.workflow_dispatch.inputs;
    assert.equal(inputs.target?.default, 'targets/simulator.json');
    assert.equal(inputs.stages?.default, 'conformance,e2e,load');
  });

  it('installs k6 with Grafana official setup action in the load job', () => {
    assert.ok(workflow.jobs.load!.steps.some((s) => s.uses?.startsWith('grafana/setup-k6-action@')));
  });

  it('shards conformance over a matrix with Playwright --shard and merges every stage into one report', () => {
    const conformance = workflow.jobs.conformance!;
    assert.ok(Array.isArray(conformance.strategy?.matrix.shard) && (conformance.strategy!.matrix.shard as number[]).length > 1);
    assert.ok(conformance.steps.some((s) => s.run?.includes('--shard ${{ matrix.shard }}/${{ strategy.job-total }}')));
    const report = workflow.jobs.report!;
    assert.deepEqual(report.needs, ['conformance', 'e2e', 'load']);
    const download = report.steps.find((s) => s.uses?.startsWith('actions/download-artifact@'));
    assert.equal(download?.with?.['merge-multiple'], true);
    assert.ok(report.steps.some((s) => s.run?.startsWith('npm run report')));
  });

  it('requires every stage: the report job and each stage job fail when their stage could not run (no k6, no Chromium)', () => {
    const report = workflow.jobs.report!;
    assert.ok(report.steps.some((s) => s.run === `npm run report -- --require "\${{ inputs.stages || 'conformance,e2e,load' }}"`));
    for (const stage of ['conformance', 'e2e', 'load']) {
      assert.ok(workflow.jobs[stage]!.steps.some((s) => s.run?.startsWith(`npm start -- --only ${stage} --require ${stage} `)), `${stage} job requires its stage`);
    }
  });

  it('publishes the report as an artifact and to GitHub Pages, keeping the history between runs', () => {
    const report = workflow.jobs.report!;
    assert.ok(report.steps.some((s) => s.uses?.startsWith('actions/upload-artifact@')));
    assert.ok(report.steps.some((s) => s.uses?.startsWith('actions/upload-pages-artifact@')));
    assert.ok(report.steps.some((s) => s.uses?.startsWith('actions/cache/restore@') && s.with?.path === 'reports/history'));
    assert.ok(report.steps.some((s) => s.uses?.startsWith('actions/cache/save@') && s.with?.path === 'reports/history'));
    const publish = workflow.jobs.publish!;
    assert.ok(publish.steps.some((s) => s.uses?.startsWith('actions/deploy-pages@')));
    assert.equal(publish.permissions?.pages, 'write');
  });

  it('takes the secrets the example profile references from the secret store, never as literals', () => {
    const example = parseJsonc(readFileSync(join(PROJECT_ROOT, 'targets/staging.example.jsonc'), 'utf8')) as unknown;
    const names: string[] = [];
    const collect = (v: unknown): void => {
      if (Array.isArray(v)) return v.forEach(collect);
      if (v === null || typeof v !== 'object') return;
      const record = v as Record<string, unknown>;
      if (Object.keys(record).length === 1 && typeof record.env === 'string') names.push(record.env);
      else Object.values(record).forEach(collect);
    };
    collect(example);
    assert.ok(names.length > 0);
    for (const job of ['conformance', 'e2e', 'load', 'report']) {
      for (const name of names) assert.equal(workflow.jobs[job]!.env?.[name], `\${{ secrets.${name} }}`, `${job}: ${name}`);
    }
  });
});
