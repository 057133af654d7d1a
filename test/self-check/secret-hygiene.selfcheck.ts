import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT, loadProfile } from '../../lib/profile.ts';
import { buildRecord, recordPathFor, writeRecord } from '../../lib/drift/record.ts';
import { writeLearnedFile } from '../../lib/drift/learn.ts';
import { SOCIAL_PROVIDERS } from '../../contract/index.ts';
import { runPlaywright } from '../../scripts/verify-harness/playwright-run.ts';
import { freePort } from '../../lib/listening.ts';
import { simulatorProfileDocument, writeProfile } from '../../scripts/verify-harness/target-profiles.ts';
import { scanForCanaries } from './canary-scan.ts';

/**
 * Secret hygiene: a profile whose every secret is a canary (read from environment variables, as a real profile
 * reads them), the conformance and e2e suites run against the simulator with some checks failing (the canary
 * client secret is not the simulator's, so every code exchange is refused and its checks fail with their cURL
 * lines), then everything the run left is searched: the Allure results, the Allure HTML report built from them
 * (browsable and single-file), Playwright's output folder with its traces (unzipped) and the run's logs. No
 * canary, in any encoding, and no JWT may be found. The canaries are valid social credentials for the
 * simulator (`sim-<provider>-CANARY…`), so the sign-ins succeed and the tokens travel through every path.
 *
 * Secrets minted at run time too: google's accounts come from a `once` credential source and epicgames' codes from a
 * `perTest` one (test/fixtures/credential-sources/sim-accounts.mjs), neither known before the run nor listed in the
 * profile; every value they printed is read back from their ledger after the run and searched for as a canary.
 */

const OUT = join(PROJECT_ROOT, 'reports/out/secret-hygiene');
/** The e2e client app listens on the registered redirect URIs' origin; only one e2e run at a time can have it. */
const E2E_CLIENT_APP_ORIGIN = new URL(String((simulatorProfileDocument().oauth as { singleRedirect: { redirectUris: string[] } }).singleRedirect.redirectUris[0])).origin;

/** Waits while another run's client app holds the origin, so this test does not fail for a neighbour's run. */
async function waitUntilFree(origin: string, limitMs: number): Promise<void> {
  const { hostname, port } = new URL(origin);
  const deadline = Date.now() + limitMs;
  for (;;) {
    const inUse = await new Promise<boolean>((resolve) => {
      const socket = connect(Number(port), hostname);
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (!inUse) return;
    if (Date.now() > deadline) throw new Error(`${origin} is still in use by another run's e2e client app after ${limitMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 2000));
  }
}
const MARK = `CANARY${randomBytes(5).toString('hex')}`;
const SOURCE = join(PROJECT_ROOT, 'test/fixtures/credential-sources/sim-accounts.mjs');
/** Where the credential sources write down what they printed (one JSON line per run of a command). */
const LEDGER = join(OUT, 'source-ledger.jsonl');

/** Every value the credential sources minted during the run. */
function mintedAtRunTime(): string[] {
  if (!existsSync(LEDGER)) return [];
  return readFileSync(LEDGER, 'utf8').split('\n').filter(Boolean).flatMap((line) => (JSON.parse(line) as Record<string, string>[]).flatMap((a) => [a.accessToken, a.code].filter((v): v is string => v !== undefined)));
}

/** Every secret of the profile, as environment variables, and the profile that reads them. */
function canaryProfile(port: number): { path: string; env: Record<string, string>; canaries: string[] } {
  const env: Record<string, string> = {};
  const secret = (name: string, value: string): { env: string } => {
    env[name] = value;
    return { env: name };
  };
  const b64 = (s: string): string => Buffer.from(s, 'utf8').toString('base64');
  const credentials: Record<string, unknown[]> = {};
  const templates: Record<string, unknown> = {};
  for (const p of SOCIAL_PROVIDERS) {
    const key = p.toUpperCase();
    credentials[p] = [0, 1].map((i) => ({
      accessToken: secret(`CANARY_${key}_TOKEN_${i}`, `sim-${p}-${MARK}u${i}`),
      ...(p === 'twitter' ? { accessTokenSecret: secret(`CANARY_TWITTER_SECRET_${i}`, `sim-secret-${MARK}u${i}`) } : {}),
      ...(p === 'wechat' ? { openid: secret(`CANARY_WECHAT_OPENID_${i}`, `sim-openid-${MARK}u${i}`) } : {}),
    }));
    // Fresh accounts minted by the suites carry the canary too (templates are literal: the mark is in every value).
    templates[p] = {
      accessToken: `sim-${p}-${MARK}{id}`,
      ...(p === 'twitter' ? { accessTokenSecret: `sim-secret-${MARK}{id}` } : {}),
      ...(p === 'wechat' ? { openid: `sim-openid-${MARK}{id}` } : {}),
    };
  }
  credentials.steam = [{ sessionTicket: secret('CANARY_STEAM_TICKET', b64(`sim-steam-${MARK}u0`)), appId: '480' }];
  credentials.xbox = [{ sessionTicket: secret('CANARY_XBOX_TICKET', b64(`sim-xbox-${MARK}u0`)) }];
  credentials.epicgames = [{ code: secret('CANARY_EPIC_CODE', `sim-epicgames-${MARK}u0`), deploymentId: 'sim-deployment-0001' }];
  templates.steam = { sessionTicket: { base64: `sim-steam-${MARK}{id}` }, appId: '480' };
  templates.xbox = { sessionTicket: { base64: `sim-xbox-${MARK}{id}` } };
  templates.epicgames = { code: `sim-epicgames-${MARK}{id}`, deploymentId: 'sim-deployment-0001' };
  // Minted at run time by credential sources, not by the harness: no template, no literal, nothing known in advance.
  credentials.google = { command: [process.execPath, SOURCE, 'google', '2', LEDGER], run: 'once' } as unknown as unknown[];
  credentials.epicgames = { command: [process.execPath, SOURCE, 'epicgames', '1', LEDGER], run: 'perTest' } as unknown as unknown[];
  delete templates.google;
  delete templates.epicgames;

  const clientSecret = `client-secret-${MARK}`;
  const path = writeProfile(OUT, port, (doc) => {
    doc.name = 'canary profile';
    doc.credentials = credentials;
    doc.credentialTemplates = templates;
    const oauth = doc.oauth as Record<string, { clientSecret: unknown }>;
    for (const client of Object.values(oauth)) client.clientSecret = secret('CANARY_CLIENT_SECRET', clientSecret);
    const rl = doc.rateLimit as { client: { clientSecret: unknown } } | undefined;
    if (rl) rl.client.clientSecret = secret('CANARY_CLIENT_SECRET', clientSecret);
  });
  // The canaries are the secrets as the target takes them. Not the bare mark: the simulator's social networks use
  // the part after `sim-<provider>-` as the account id, and an account id in a user's name is data, not a secret.
  const canaries = [
    ...SOCIAL_PROVIDERS.map((p) => `sim-${p}-${MARK}`),
    `sim-secret-${MARK}`, `sim-openid-${MARK}`, `sim-steam-${MARK}`, `sim-xbox-${MARK}`, `sim-epicgames-${MARK}`, clientSecret,
  ];
  return { path, env, canaries };
}

function buildAllureReports(resultsDir: string): string[] {
  const outputs: string[] = [];
  for (const variant of ['html', 'single-file'] as const) {
    const output = join(OUT, `allure-${variant}`);
    const config = join(OUT, `allurerc.${variant}.ts`);
    // The project's report configuration, writing here instead of over the project's report and history.
    writeFileSync(
      config,
      `import { reportConfig } from ${JSON.stringify(join(PROJECT_ROOT, 'reports/report-config.ts'))};\n` +
        `export default { ...reportConfig(${JSON.stringify(variant)}), output: ${JSON.stringify(output)}, historyPath: ${JSON.stringify(join(OUT, `history-${variant}.jsonl`))} };\n`,
    );
    const run = spawnSync(process.execPath, [join(PROJECT_ROOT, 'node_modules/allure/cli.js'), 'generate', '--config', config, resultsDir], { cwd: PROJECT_ROOT, encoding: 'utf8' });
    assert.equal(run.status, 0, `allure generate (${variant}) failed: ${run.stderr}${run.stdout}`);
    outputs.push(output);
  }
  return outputs;
}

test(`no canary secret (${MARK}) and no JWT in reports, traces or logs, even with failing checks`, { timeout: 20 * 60_000 }, async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const profile = canaryProfile(await freePort());
  const resultsDir = join(OUT, 'allure-results');
  const env = { ...profile.env, TARGET_PROFILE: profile.path, ALLURE_RESULTS_DIR: resultsDir };

  // The project's own reporters (list/line + allure-playwright), so the results are exactly what QA would get.
  const conformance = await runPlaywright({ project: 'conformance', outDir: join(OUT, 'conformance'), env: { ...env, E2E_CLIENT_APP: 'off' }, workers: 2, timeoutMs: 12 * 60_000, keepConfigReporters: true });
  await waitUntilFree(E2E_CLIENT_APP_ORIGIN, 5 * 60_000);
  const e2e = await runPlaywright({ project: 'e2e', outDir: join(OUT, 'e2e'), env, workers: 1, timeoutMs: 12 * 60_000, keepConfigReporters: true });
  const reports = buildAllureReports(resultsDir);
  // The run's record (reports/history/<target>.run.json) and learned expectations, built as the main job builds them
  // (without the profile's secrets, so only what the results themselves let through could leak into them).
  const history = join(OUT, 'history');
  const record = buildRecord(resultsDir, { id: 'canary', date: new Date().toISOString(), commit: 'canary', target: { name: 'canary profile', baseUrl: 'http://127.0.0.1/api' }, stages: ['conformance', 'e2e'] });
  writeRecord(recordPathFor(history, 'canary profile'), record);
  writeLearnedFile(record, { name: 'canary profile', expectations: loadProfile(profile.path, { ...process.env, ...profile.env }).expectations, expectationsPath: join(history, 'expectations.json') }, true);
  assert.ok(Object.values(record.tests).some((t) => t.answers.length > 0), 'the record holds the answers of the run');

  // The run must really have exercised the failure paths and produced every kind of artifact, or an empty scan proves nothing.
  const traces = readdirSync(join(OUT, 'e2e', 'test-results'), { recursive: true }).filter((f) => String(f).endsWith('trace.zip'));
  const results = readdirSync(resultsDir);
  process.stdout.write(
    `hygiene: conformance exit ${conformance.exitCode}, e2e exit ${e2e.exitCode}; ${results.length} Allure result files, ${traces.length} traces, reports: ${reports.map((r) => existsSync(join(r, 'index.html'))).join(', ')}\n`,
  );
  assert.notEqual(conformance.exitCode, 0, 'some conformance checks must fail with the canary client secret');
  assert.notEqual(e2e.exitCode, 0, 'some e2e flows must fail with the canary client secret');
  assert.ok(results.some((f) => f.endsWith('-attachment.txt') || f.includes('attachment')), 'the Allure results carry request/response attachments');
  assert.ok(traces.length > 0, 'failed e2e flows left Playwright traces to search');

  // Positive control: the scanner does find the canary where it must be (the profile's own environment file).
  const controlFile = join(OUT, 'control', 'env.json');
  mkdirSync(join(OUT, 'control'), { recursive: true });
  writeFileSync(controlFile, `${JSON.stringify(profile.env)}\nticket ${Buffer.from(`sim-steam-${MARK}x`).toString('base64')}`);
  const control = scanForCanaries([join(OUT, 'control')], profile.canaries).findings;
  assert.ok(control.some((f) => f.what.includes('Base64')) && control.some((f) => !f.what.includes('Base64')), 'the scanner finds canaries that are there, plain and Base64');

  const minted = mintedAtRunTime();
  assert.ok(minted.some((v) => v.startsWith('sim-google-')) && minted.some((v) => v.startsWith('sim-epicgames-')), 'the credential sources ran and minted secrets');
  const scan = scanForCanaries([resultsDir, ...reports, history, join(OUT, 'conformance'), join(OUT, 'e2e')], [...profile.canaries, ...minted]);
  process.stdout.write(`hygiene: scanned ${scan.filesScanned} files and ${scan.zipEntriesScanned} trace entries: ${scan.findings.length} findings\n`);
  for (const f of scan.findings.slice(0, 20)) process.stdout.write(`  LEAK ${f.what} in ${f.file.replace(`${PROJECT_ROOT}/`, '')}: …${f.excerpt}…\n`);
  assert.equal(scan.findings.length, 0, `${scan.findings.length} secrets found in the run's artifacts (see above)`);
});
