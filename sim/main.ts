import { UsageError, USAGE, parseSimArgs } from './cli-options.ts';
import { DEFECTS } from './defects.ts';
import { QUIRKS } from './quirks.ts';
import { LIMITER_DESCRIPTIONS, LIMITER_KINDS } from './rate-limiter.ts';
import { startSimulator } from './server.ts';
import { DEFAULT_PORT } from './seed.ts';

/** `npm run sim`: the simulator alone, until Ctrl-C. */
async function main(): Promise<void> {
  let parsed;
  try {
    parsed = parseSimArgs(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      process.exit(2);
    }
    throw error;
  }
  if (parsed.help) return void process.stdout.write(`${USAGE}\n`);
  if (parsed.listDefects) {
    for (const [name, defect] of Object.entries(DEFECTS).sort(([a], [b]) => a.localeCompare(b))) process.stdout.write(`${name.padEnd(34)} ${defect.description}\n`);
    return;
  }
  // One limiter per line, its name first: the load stage reads the names from here (load/run/simulator-process.ts).
  if (parsed.listLimiters) {
    for (const name of LIMITER_KINDS) process.stdout.write(`${name.padEnd(16)} ${LIMITER_DESCRIPTIONS[name]}\n`);
    return;
  }
  if (parsed.listQuirks) {
    for (const [name, quirk] of Object.entries(QUIRKS).sort(([a], [b]) => a.localeCompare(b))) {
      process.stdout.write(`${name.padEnd(34)} ${quirk.description}\n${''.padEnd(34)}   allowed: ${quirk.allowedBy}\n`);
    }
    return;
  }
  let sim;
  try {
    sim = await startSimulator({ port: DEFAULT_PORT, ...parsed.options });
  } catch (error) {
    const err = error as NodeJS.ErrnoException;
    const port = parsed.options.port ?? DEFAULT_PORT;
    process.stderr.write(err.code === 'EADDRINUSE' ? `simulator: port ${port} is in use; pick another with --port <n>\n` : `simulator: ${err.message}\n`);
    process.exit(1);
  }
  const modes = [
    parsed.options.defect ? `defect: ${parsed.options.defect}` : '',
    parsed.options.quirks?.length ? `quirks: ${parsed.options.quirks.join(',')}` : '',
    parsed.options.latencyMs ? `latency: +${parsed.options.latencyMs} ms` : '',
    parsed.options.socialTokenTtlSeconds ? `social tokens live ${parsed.options.socialTokenTtlSeconds} s` : '',
    parsed.options.epicCodesSingleUse ? 'Epic codes work once, for 300 s' : '',
    parsed.options.facebookTestUsersPaused ? 'Facebook test-user creation paused' : '',
  ].filter(Boolean);
  process.stdout.write(`listening on ${sim.url}${modes.length > 0 ? ` (${modes.join('; ')})` : ''}\n`);
  // Second line: where credential sources find the fake networks' test-account APIs (SIM_SOCIAL_URL).
  process.stdout.write(`fake social networks on ${sim.socialUrl}\n`);
  const stop = (): void => void sim.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

void main();
