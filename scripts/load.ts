import { ProfileError } from '../lib/profile.ts';
import { SafetyError } from '../load/lib/safety.ts';
import { K6NotFoundError } from '../load/run/k6-binary.ts';
import { parseLoadArgs, USAGE, UsageError } from '../load/run/plan.ts';
import { archiveLoad, runLoad } from '../load/run/runner.ts';

/** `npm run load -- <script> [--target <profile.json>] [--duration <s>] [--rate <rps>] ...`: one k6 script. */
async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) return void process.stdout.write(`${USAGE}\n`);
  try {
    const args = parseLoadArgs(argv);
    if (args.archive !== undefined) {
      process.stdout.write(`load: wrote ${await archiveLoad(args)}\n`);
      return;
    }
    const result = await runLoad(args);
    process.exit(result.exitCode);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`load: ${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    if (error instanceof K6NotFoundError || error instanceof ProfileError || error instanceof SafetyError) {
      process.stderr.write(`load: ${error.message}\n`);
      process.exit(error instanceof K6NotFoundError ? 3 : 2);
    }
    throw error;
  }
}

void main();
