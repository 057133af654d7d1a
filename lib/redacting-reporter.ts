import { readFileSync, writeFileSync } from 'node:fs';
import type { Reporter, TestCase, TestError, TestResult, TestStep } from '@playwright/test/reporter';
import { currentRunId, readRunSecrets } from './credential-sources.ts';
import { loadProfile, profilePathFromEnv, type TargetProfile } from './profile.ts';
import { PlaywrightRedactor } from './trace-redaction.ts';

/**
 * First in the reporter list: redacts, in place, what every later reporter (Allure, the console) gets from
 * Playwright itself: error messages and stacks (they quote URLs with tokens and the values a test typed),
 * text attachments and error-context files, captured output, and trace archives on disk. The suites redact what
 * they attach themselves; this covers what Playwright writes on their behalf.
 */
export default class RedactingReporter implements Reporter {
  private readonly profile: TargetProfile = loadProfile(profilePathFromEnv());
  private redactorOf = { count: -1, redactor: PlaywrightRedactor.forProfile(this.profile) };

  /**
   * The profile's secrets plus what the run's credential sources have printed so far (the workers record it in the
   * run's folder before any test uses it; lib/credential-sources.ts): rebuilt when that list grows.
   */
  private get redactor(): PlaywrightRedactor {
    const printed = readRunSecrets(currentRunId());
    if (printed.length !== this.redactorOf.count) {
      this.redactorOf = { count: printed.length, redactor: PlaywrightRedactor.forProfile({ ...this.profile, secrets: [...this.profile.secrets, ...printed] }) };
    }
    return this.redactorOf.redactor;
  }

  printsToStdio(): boolean {
    return false;
  }

  onStepEnd(_test: TestCase, _result: TestResult, step: TestStep): void {
    if (step.error) this.error(step.error);
  }

  onTestEnd(_test: TestCase, result: TestResult): void {
    for (const error of result.errors) this.error(error);
    if (result.error) this.error(result.error);
    for (const attachment of result.attachments) {
      const textual = /^text\/|json|markdown/.test(attachment.contentType);
      if (attachment.body && textual) {
        attachment.body = Buffer.from(this.redactor.text(attachment.body.toString('utf8')));
      } else if (attachment.path && attachment.contentType === 'application/zip' && attachment.name === 'trace') {
        this.redactor.traceArchive(attachment.path);
      } else if (attachment.path && textual) {
        const before = readFileSync(attachment.path, 'utf8');
        const after = this.redactor.text(before);
        if (after !== before) writeFileSync(attachment.path, after);
      }
    }
    result.stdout = result.stdout.map((chunk) => this.redactor.text(chunk.toString()));
    result.stderr = result.stderr.map((chunk) => this.redactor.text(chunk.toString()));
  }

  private error(error: TestError): void {
    const mutable = error as { message?: string; stack?: string; value?: string; snippet?: string };
    for (const key of ['message', 'stack', 'value', 'snippet'] as const) {
      if (typeof mutable[key] === 'string') mutable[key] = this.redactor.text(mutable[key]!);
    }
    if (error.cause) this.error(error.cause);
  }
}
