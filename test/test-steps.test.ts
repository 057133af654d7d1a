import assert from 'node:assert/strict';
import { join, relative } from 'node:path';
import { describe, it } from 'node:test';
import { PROJECT_ROOT } from '../lib/profile.ts';
import { REPORT_PATHS } from '../reports/report-config.ts';
import { MAIN_JOB_CONFORMANCE_RESULTS, UNIT_SUITE, findFiles, selectSteps, testPhases } from '../scripts/test-steps.ts';

/**
 * `npm test` keeps every check and runs none twice: the suites run once, inside the main job, and what reads their
 * results reads the main job's; every unit test and self-check file is in some step.
 */

const phases = testPhases();
const steps = phases.flatMap((p) => p.steps);
const phaseOf = (name: string): number => phases.findIndex((p) => p.steps.some((s) => s.name.includes(name)));
const commandOf = (name: string): string[] => steps.find((s) => s.name.includes(name))!.command;

describe('npm test steps', () => {
  it('runs every unit test file (through the unit suite, which imports every test/*.test.ts) and every self-check file', () => {
    const commands = steps.flatMap((s) => s.command);
    assert.ok(commandOf('unit tests').includes(UNIT_SUITE));
    for (const file of findFiles(join(PROJECT_ROOT, 'test'), '.test.ts')) {
      assert.match(file, /^test\/[^/]+\.test\.ts$/, `${file}: the unit suite imports the .test.ts files of test/ itself, not of its subfolders`);
    }
    for (const file of findFiles(join(PROJECT_ROOT, 'test'), '.selfcheck.ts')) assert.ok(commands.includes(file), `${file} is run by a step`);
  });
  it('runs no self-check (servers, processes, timers) in the unit phase, and --full the complete version of each fast step', () => {
    assert.ok(phaseOf('simulator, servers') > phaseOf('main job'));
    const fullSteps = testPhases({ full: true }).flatMap((p) => p.steps);
    assert.ok(fullSteps.find((s) => s.name.includes('secret hygiene'))!.command.includes('SECRET_HYGIENE_FULL=1'));
    assert.ok(fullSteps.find((s) => s.name.includes('defect modes'))!.command.includes('--full'));
    assert.ok(!commandOf('secret hygiene').includes('SECRET_HYGIENE_FULL=1') && !commandOf('defect modes').includes('--full'));
  });
  it('runs the conformance and e2e suites once, in the main job, which requires both to have run', () => {
    const suiteRuns = steps.filter((s) => s.command.some((a) => a.startsWith('--project')));
    assert.deepEqual(suiteRuns.map((s) => s.name), [], 'no step runs a Playwright project of its own');
    assert.deepEqual(commandOf('main job'), ['npm', 'start', '--', '--require', 'conformance,e2e']);
  });
  it('the coverage table and the report check read what the main job left, after it', () => {
    assert.equal(MAIN_JOB_CONFORMANCE_RESULTS, relative(PROJECT_ROOT, join(REPORT_PATHS.stages, 'conformance', 'allure-results')));
    assert.deepEqual(commandOf('coverage').slice(-2), ['--results', MAIN_JOB_CONFORMANCE_RESULTS]);
    assert.ok(phaseOf('coverage') > phaseOf('main job'));
    assert.ok(phaseOf('report opens') > phaseOf('main job'));
  });
  it('never runs two users of the e2e client app port at once', () => {
    const portUsers = ['main job', 'secret hygiene', 'defect modes caught'].map(phaseOf);
    assert.equal(new Set(portUsers).size, portUsers.length, `phases ${portUsers.join(', ')}`);
  });
  it('--only keeps the matching steps in their phases', () => {
    assert.deepEqual(selectSteps(phases, 'unit').flatMap((p) => p.steps.map((s) => s.name)), ['unit tests']);
    assert.deepEqual(selectSteps(phases, 'no such step'), []);
  });
});
