import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { test } from 'node:test';
import { PROJECT_ROOT, loadProfile } from '../../lib/profile.ts';
import { buildRecord, readRecord, recordPathFor, writeRecord, type RunRecord } from '../../lib/drift/record.ts';
import { runDriftStep } from '../../reports/drift/step.ts';
import { countResults } from '../../reports/results.ts';
import { formatSummary } from '../../reports/summary.ts';
import { writeLearnedFile } from '../../lib/drift/learn.ts';
import { SOCIAL_PROVIDERS } from '../../contract/index.ts';
import { runPlaywright } from '../../scripts/verify-harness/playwright-run.ts';
import { freePort } from '../../lib/listening.ts';
import { simulatorProfileDocument, writeProfile } from '../../scripts/verify-harness/target-profiles.ts';
import { redactionLabelsIn, scanForCanaries } from './canary-scan.ts';

/**
 * Secret hygiene: a profile whose every secret is a canary (read from environment variables, as a real profile
 * reads them), the conformance and e2e suites run against the simulator with some checks failing (the canary
 * client secret is not the simulator's, so every code exchange is refused and its checks fail with their cURL
 * lines), then everything the run left is searched: the Allure results, the Allure HTML report built from them
 * (browsable and single-file), Playwright's output folder with its traces (unzipped) and the run's logs. No
 * canary, in any encoding, and no JWT may be found. The canaries are valid social credentials for the
 * simulator (`sim-<provider>-CANARY…`), so the sign-ins succeed and the tokens travel through every path.
 *
 * Which tests: the smallest set that still sends every secret through every output path (SUBSET below; about 25
 * conformance and 14 e2e tests instead of every test), and `SECRET_HYGIENE_FULL=1` (`npm test -- --full`, the
 * nightly) every conformance and e2e test. Either way the test first PROVES the coverage: the runs redact under
 * REDACTION_PROBE_MARK (lib/redact.ts), which marks each redacted canary with its fixed prefix
 * (`[REDACTED:sim-facebook-]`), and every output path must show the marker of every canary that can reach it
 * (COVERAGE below) before the scan for leaks counts. A path that received none of them fails the test: a clean scan
 * of a path no secret went through proves nothing.
 *
 * Secrets minted at run time too: google's accounts come from a `once` credential source and epicgames' codes from a
 * `perTest` one (test/fixtures/credential-sources/sim-accounts.mjs), neither known before the run nor listed in the
 * profile; every value they printed is read back from their ledger after the run and searched for as a canary.
 */

const FULL = process.env.SECRET_HYGIENE_FULL === '1';

/**
 * The covering subset. Conformance: per social provider, the JWT login (the JWT comes back) and the OAuth 2.0 login
 * whose code exchange is refused (the canary client secret is not the simulator's), so the test fails with the cURL
 * lines of the social token and the client secret; per platform, the cross_auth code exchange (tickets, Epic's
 * code, refused the same way). e2e: every provider's game-page sign-in and every platform's silent auth, failing at
 * the same exchange, so their traces (retained on failure) carry every token.
 */
const SUBSET = {
  conformance: {
    files: ['conformance/jwt-login.spec.ts', 'conformance/oauth-login.spec.ts', 'conformance/cross-auth.spec.ts'],
    grep: ': the JWT carries the payload exactly|: login_url → code → JWT|the code from Location exchanges',
  },
  e2e: { files: ['e2e/social-login.spec.ts', 'e2e/silent-auth.spec.ts'] },
};

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
function canaryProfile(port: number): { path: string; env: Record<string, string>; canaries: string[]; labels: { canary: string; accepted: string[] }[] } {
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
  // Minted at run time by credential sources, not by the harness: no template, no literal, each value random (the mark
  // in it lets the redaction probe show which paths it reached; the whole minted values are scanned for as well).
  credentials.google = { command: [process.execPath, SOURCE, 'google', '2', LEDGER, MARK], run: 'once' } as unknown as unknown[];
  credentials.epicgames = { command: [process.execPath, SOURCE, 'epicgames', '1', LEDGER, MARK], run: 'perTest' } as unknown as unknown[];
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
  // What each canary's probe marker says (lib/redact.ts): the fixed prefix before the mark; a Base64 ticket may be
  // redacted as the ticket (`b64:` + its decoded prefix) or decoded, whichever form a path holds.
  const labels = canaries.map((canary) => {
    const prefix = canary.slice(0, canary.indexOf(MARK));
    return { canary, accepted: [prefix, `b64:${prefix}`] };
  });
  return { path, env, canaries, labels };
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

test(`no canary secret (${MARK}) and no JWT in reports, traces, logs, the record or the summary, even with failing checks${FULL ? ' (every test)' : ' (the covering subset)'}`, { timeout: 20 * 60_000 }, async () => {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const profile = canaryProfile(await freePort());
  const resultsDir = join(OUT, 'allure-results');
  const env = { ...profile.env, TARGET_PROFILE: profile.path, ALLURE_RESULTS_DIR: resultsDir, REDACTION_PROBE_MARK: MARK };
  // This process redacts too (the drift step's Changed results): under the same probe.
  process.env.REDACTION_PROBE_MARK = MARK;

  // The project's own reporters (list/line + allure-playwright), so the results are exactly what QA would get.
  const conformance = await runPlaywright({
    project: 'conformance', outDir: join(OUT, 'conformance'), env: { ...env, E2E_CLIENT_APP: 'off' }, workers: 2, timeoutMs: 12 * 60_000, keepConfigReporters: true,
    ...(FULL ? {} : SUBSET.conformance),
  });
  await waitUntilFree(E2E_CLIENT_APP_ORIGIN, 5 * 60_000);
  const e2e = await runPlaywright({ project: 'e2e', outDir: join(OUT, 'e2e'), env, workers: FULL ? 1 : 2, timeoutMs: 12 * 60_000, keepConfigReporters: true, ...(FULL ? {} : SUBSET.e2e) });

  // The run's record (reports/history/<target>.run.json) and learned expectations, built as the main job builds them
  // (without the profile's secrets, so only what the results themselves let through could leak into them).
  const history = join(OUT, 'history');
  const facts = { id: 'canary', date: new Date().toISOString(), commit: 'canary', target: { name: 'canary profile', baseUrl: 'http://127.0.0.1/api' }, stages: ['conformance', 'e2e'] };
  const record = buildRecord(resultsDir, facts);
  const recordPath = recordPathFor(history, 'canary profile');
  writeRecord(recordPath, record);
  const loaded = loadProfile(profile.path, { ...process.env, ...profile.env });
  writeLearnedFile(record, { name: 'canary profile', expectations: loaded.expectations, expectationsPath: join(history, 'expectations.json') }, true);
  assert.ok(Object.values(record.tests).some((t) => t.answers.length > 0), 'the record holds the answers of the run');
  // The drift step's Changed results carry the cURL lines of both runs: a baseline in which every answer differs makes
  // one for every test with answers (the drift step runs in the report build, so before the reports are built).
  const baselinePath = join(OUT, 'baseline.run.json');
  const baseline: RunRecord = structuredClone(readRecord(recordPath));
  for (const t of Object.values(baseline.tests)) for (const a of t.answers) a.status += 1;
  writeRecord(baselinePath, { ...baseline, run: { ...baseline.run, id: 'canary baseline' } });
  const drift = runDriftStep({ resultsDir, historyDir: join(OUT, 'drift-history'), profile: { ...loaded, name: 'canary profile' }, facts: { ...facts, id: 'canary run' } }, { learn: false, force: false, strict: false, baseline: baselinePath });
  assert.ok(drift.changes.length > 0, 'the drift step wrote Changed results');
  // The one-screen summary as the main job prints it, with the drift lines.
  const summaryPath = join(OUT, 'summary.txt');
  writeFileSync(summaryPath, `${formatSummary({
    target: 'canary profile (http://127.0.0.1/api)',
    stages: [{ stage: 'conformance, e2e', outcome: 'ran' as const, reason: null, seconds: conformance.seconds + e2e.seconds, parts: 1, counts: countResults(resultsDir) }],
    gate: { passed: false, reasons: ['canary run'] },
    report: { html: null, singleFile: null, errors: [] },
  })}${drift.lines.join('\n')}\n`);
  const reports = buildAllureReports(resultsDir);

  // The run must really have exercised the failure paths and produced every kind of artifact, or an empty scan proves nothing.
  const traces = readdirSync(join(OUT, 'e2e', 'test-results'), { recursive: true }).filter((f) => String(f).endsWith('trace.zip'));
  const results = readdirSync(resultsDir);
  process.stdout.write(
    `hygiene (${FULL ? 'every test' : 'covering subset'}): conformance exit ${conformance.exitCode}, e2e exit ${e2e.exitCode}; ${results.length} Allure result files, ${traces.length} traces, reports: ${reports.map((r) => existsSync(join(r, 'index.html'))).join(', ')}\n`,
  );
  assert.notEqual(conformance.exitCode, 0, 'some conformance checks must fail with the canary client secret');
  assert.notEqual(e2e.exitCode, 0, 'some e2e flows must fail with the canary client secret');
  assert.ok(results.some((f) => f.endsWith('-attachment.txt') || f.includes('attachment')), 'the Allure results carry request/response attachments');
  assert.ok(traces.length > 0, 'failed e2e flows left Playwright traces to search');

  // Coverage: every output path received every canary that can reach it (redacted, so as its probe marker).
  const coverage = outputPaths({ resultsDir, conformance: join(OUT, 'conformance'), e2e: join(OUT, 'e2e'), logs: [conformance.logPath, e2e.logPath], reports }, profile.labels);
  const missing: string[] = [];
  for (const path of coverage) {
    const labels = redactionLabelsIn(path.files, profile.labels.flatMap((l) => l.accepted));
    const absent = profile.labels.filter((l) => path.receives(l) && !l.accepted.some((a) => labels.has(a))).map((l) => l.canary);
    const reached = profile.labels.filter((l) => l.accepted.some((a) => labels.has(a))).length;
    process.stdout.write(`  path ${path.name.padEnd(34)} ${path.files.length} file(s): ${reached} of ${profile.labels.length} canaries arrived redacted${absent.length ? `; MISSING ${absent.join(', ')}` : ''}\n`);
    if (path.files.length === 0 || reached === 0 || absent.length > 0) missing.push(`${path.name}: ${path.files.length === 0 ? 'no file' : reached === 0 ? 'no canary at all' : `no ${absent.join(', ')}`}`);
  }
  assert.deepEqual(missing, [], 'every output path must receive every canary that can reach it, or its clean scan proves nothing');
  // The record and the summary hold no values by design (answer shapes, counts, statuses): no canary, not even redacted.
  for (const [name, file] of [['run record', recordPath], ['summary', summaryPath]] as const) {
    const labels = redactionLabelsIn([file], profile.labels.flatMap((l) => l.accepted));
    process.stdout.write(`  path ${name.padEnd(34)} holds no values by design: ${labels.size} canary markers\n`);
    assert.equal(labels.size, 0, `${name} must hold no secret, not even redacted: ${[...labels].join(', ')}`);
  }

  // Positive control: the scanner does find the canary where it must be (the profile's own environment file).
  const controlFile = join(OUT, 'control', 'env.json');
  mkdirSync(join(OUT, 'control'), { recursive: true });
  writeFileSync(controlFile, `${JSON.stringify(profile.env)}\nticket ${Buffer.from(`sim-steam-${MARK}x`).toString('base64')}`);
  const control = scanForCanaries([join(OUT, 'control')], profile.canaries).findings;
  assert.ok(control.some((f) => f.what.includes('Base64')) && control.some((f) => !f.what.includes('Base64')), 'the scanner finds canaries that are there, plain and Base64');

  const minted = mintedAtRunTime();
  assert.ok(minted.some((v) => v.startsWith('sim-google-')) && minted.some((v) => v.startsWith('sim-epicgames-')), 'the credential sources ran and minted secrets');
  const scan = scanForCanaries([resultsDir, ...reports, history, join(OUT, 'drift-history'), summaryPath, join(OUT, 'conformance'), join(OUT, 'e2e')], [...profile.canaries, ...minted]);
  process.stdout.write(`hygiene: scanned ${scan.filesScanned} files and ${scan.zipEntriesScanned} trace entries: ${scan.findings.length} findings\n`);
  for (const f of scan.findings.slice(0, 20)) process.stdout.write(`  LEAK ${f.what} in ${f.file.replace(`${PROJECT_ROOT}/`, '')}: …${f.excerpt}…\n`);
  assert.equal(scan.findings.length, 0, `${scan.findings.length} secrets found in the run's artifacts (see above)`);
});

interface OutputPath {
  name: string;
  files: string[];
  /** Can this canary reach the path at all? */
  receives(canary: { canary: string; accepted: string[] }): boolean;
}

const filesUnder = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((f) => statSync(f).isFile()) : []);

/**
 * Every output path of a run and which canaries can reach it. The client secret never reaches the browser (the game's
 * backend exchanges the code; an e2e test asserts no browser request carries it), so it is not expected in traces.
 */
function outputPaths(run: { resultsDir: string; conformance: string; e2e: string; logs: string[]; reports: string[] }, labels: { canary: string; accepted: string[] }[]): OutputPath[] {
  const all = (): boolean => true;
  const notClientSecret = (l: { canary: string }): boolean => !l.canary.startsWith('client-secret-');
  const resultFiles = filesUnder(run.resultsDir);
  const isDrift = (f: string): boolean => f.endsWith('-result.json') && readFileSync(f, 'utf8').includes('"value":"drift"');
  // The log prints each failure's message in full but only the first characters of its attachments: it must show
  // every canary the failure messages of the results hold (their cURL lines), and may show more.
  const failureMessages = join(OUT, 'failure-messages.txt');
  writeFileSync(failureMessages, resultFiles.filter((f) => f.endsWith('-result.json') && !isDrift(f))
    .map((f) => (JSON.parse(readFileSync(f, 'utf8')) as { statusDetails?: { message?: string; trace?: string } }).statusDetails)
    .map((d) => `${d?.message ?? ''}\n${d?.trace ?? ''}`).join('\n'));
  const inFailures = redactionLabelsIn([failureMessages], labels.flatMap((l) => l.accepted));
  const inFailureMessages = (l: { accepted: string[] }): boolean => l.accepted.some((a) => inFailures.has(a));
  const curlLines = join(OUT, 'curl-lines.txt');
  // Every cURL line the results hold (failure messages and attachments), gathered into one file.
  writeFileSync(curlLines, resultFiles.filter((f) => !f.endsWith('.zip') && !/\.(png|webm|jpe?g)$/.test(f))
    .flatMap((f) => readFileSync(f, 'utf8').split(/\\n|\n/).filter((l) => /(^|[\s"])curl\s/.test(l))).join('\n'));
  return [
    // Each kind of attachment the run makes: requests and responses and cURL lines (.txt), Playwright's error context
    // (.md: the failure message and the page), traces (.zip, below). Screenshots and videos (.png, .webm) are pixels, and
    // the pages draw codes and tokens as dots: nothing to redact in them.
    { name: 'Allure attachments: exchanges, cURL (.txt)', files: resultFiles.filter((f) => /-attachment\.(txt|json)$/.test(f)), receives: all },
    { name: 'Allure attachments: error context (.md)', files: resultFiles.filter((f) => f.endsWith('-attachment.md')), receives: (l) => l.canary.startsWith('client-secret-') },
    { name: 'cURL lines', files: [curlLines], receives: all },
    { name: 'Allure result files', files: resultFiles.filter((f) => f.endsWith('-result.json') && !isDrift(f)), receives: all },
    { name: 'Allure trace attachments', files: resultFiles.filter((f) => f.endsWith('.zip')), receives: notClientSecret },
    { name: 'Playwright traces (test-results)', files: filesUnder(join(run.e2e, 'test-results')).filter((f) => f.endsWith('trace.zip')), receives: notClientSecret },
    // Every failing exchange here is a code exchange refused for the canary client secret: its cURL line carries it.
    { name: 'failure messages', files: [failureMessages], receives: (l) => l.canary.startsWith('client-secret-') },
    { name: 'run logs', files: run.logs, receives: inFailureMessages },
    { name: 'drift: Changed results', files: resultFiles.filter(isDrift), receives: all },
    { name: 'Allure report (browsable)', files: [run.reports[0]!], receives: all },
    { name: 'Allure report (single file)', files: [run.reports[1]!], receives: all },
  ];
}
