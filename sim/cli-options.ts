import { parseArgs } from 'node:util';
import { DEFAULT_OPTIONS, type SimOptions } from './context.ts';
import { parseQuirkList } from './quirks.ts';
import { isLimiterKind, LIMITER_KINDS } from './rate-limiter.ts';

/** `npm run sim -- --port <n> [--defect <name>] ...`: command-line flags to simulator options, with clear refusals. */

export const USAGE = `usage: npm run sim -- [options]
  --port <n>              port on 127.0.0.1 (default ${DEFAULT_OPTIONS.port}; 0 picks a free one)
  --rate-limit <rps|off>  sustained limit per project and per OAuth client (default ${DEFAULT_OPTIONS.rateLimit})
  --burst <n>             requests let through at once after a quiet spell: the bucket size, or the window's
                          quota (default: one second of --rate-limit)
  --limiter <kind>        ${LIMITER_KINDS.join('|')} (default ${DEFAULT_OPTIONS.limiter})
  --list-limiters         print the limiters (one name and what it counts per line) and exit
  --defect <name>         start with one documented rule broken (see --list-defects)
  --list-defects          print the defect modes and exit
  --quirk <name[,name]>   start with conforming quirks a real server may have (repeatable; see --list-quirks)
  --list-quirks           print the quirk modes and what allows each, and exit
  --latency <ms>          add this delay to every API answer (a slower server; default 0)
  --token-ttl <s>         JWT lifetime (default ${DEFAULT_OPTIONS.tokenTtlSeconds})
  --code-ttl <s>          authorization code lifetime (default ${DEFAULT_OPTIONS.codeTtlSeconds})
  --social-latency <ms>   delay every fake social network answer
  --social-outage <list>  providers whose fake network is down (comma-separated, or all)
  --social-timeout <ms>   how long the simulator waits for a social network (default ${DEFAULT_OPTIONS.socialTimeoutMs})
  --social-cache-ttl <s>  how long a network's acceptance of a credential is remembered (default ${DEFAULT_OPTIONS.socialCacheTtlSeconds}; 0 asks every time)
  --social-token-ttl <s>  social credentials expire this long after they were issued (default: never); a
                          template-minted sim-<provider>-<uid> token counts as issued when the simulator started
  --epic-codes-single-use Epic codes work once and for 300 s, as real exchange codes (default: reusable)
  --facebook-test-users-paused
                          the fake Facebook refuses to create test users (existing ones still list)
  --max-body <bytes>      largest request body accepted (default ${DEFAULT_OPTIONS.maxBodyBytes})
The fake networks' test-account APIs answer at the URL printed on start (fake social networks on <url>); the
throwaway secrets they ask for are in sim/seed.ts (targets/credential-sources/README.md).`;

export class UsageError extends Error {}

function positiveNumber(flag: string, raw: string | undefined, allowZero = false): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || (!allowZero && n === 0)) throw new UsageError(`--${flag}: expected a ${allowZero ? 'non-negative' : 'positive'} number, got "${raw}"`);
  return n;
}

export function parseSimArgs(argv: string[]): { options: Partial<SimOptions>; listDefects: boolean; listLimiters: boolean; listQuirks: boolean; help: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        'rate-limit': { type: 'string' },
        burst: { type: 'string' },
        limiter: { type: 'string' },
        defect: { type: 'string' },
        'list-defects': { type: 'boolean' },
        'list-limiters': { type: 'boolean' },
        quirk: { type: 'string', multiple: true },
        'list-quirks': { type: 'boolean' },
        latency: { type: 'string' },
        'token-ttl': { type: 'string' },
        'code-ttl': { type: 'string' },
        'social-latency': { type: 'string' },
        'social-outage': { type: 'string' },
        'social-timeout': { type: 'string' },
        'social-cache-ttl': { type: 'string' },
        'social-token-ttl': { type: 'string' },
        'epic-codes-single-use': { type: 'boolean' },
        'facebook-test-users-paused': { type: 'boolean' },
        'max-body': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const options: Partial<SimOptions> = {};
  const port = positiveNumber('port', values.port, true);
  if (port !== undefined) {
    if (!Number.isInteger(port) || port > 65535) throw new UsageError(`--port: expected 0..65535, got "${values.port}"`);
    options.port = port;
  }
  if (values.host !== undefined) {
    // The simulator is a local target: it never listens beyond loopback.
    if (!['127.0.0.1', 'localhost', '::1'].includes(values.host)) throw new UsageError(`--host: only loopback is allowed, got "${values.host}"`);
    options.host = values.host === 'localhost' ? '127.0.0.1' : values.host;
  }
  const rate = values['rate-limit'];
  if (rate !== undefined) options.rateLimit = rate === 'off' ? null : positiveNumber('rate-limit', rate)!;
  const burst = positiveNumber('burst', values.burst);
  if (burst !== undefined) options.burst = Math.ceil(burst);
  if (values.limiter !== undefined) {
    if (!isLimiterKind(values.limiter)) throw new UsageError(`--limiter: expected one of ${LIMITER_KINDS.join(', ')}, got "${values.limiter}"`);
    options.limiter = values.limiter;
  }
  if (values.defect !== undefined) options.defect = values.defect;
  if (values.quirk !== undefined) {
    try {
      options.quirks = parseQuirkList(values.quirk);
    } catch (error) {
      throw new UsageError(`--quirk: ${(error as Error).message}`);
    }
  }
  const answerLatency = positiveNumber('latency', values.latency, true);
  if (answerLatency !== undefined) options.latencyMs = answerLatency;
  const ttl = positiveNumber('token-ttl', values['token-ttl']);
  if (ttl !== undefined) options.tokenTtlSeconds = ttl;
  const codeTtl = positiveNumber('code-ttl', values['code-ttl']);
  if (codeTtl !== undefined) options.codeTtlSeconds = codeTtl;
  const latency = positiveNumber('social-latency', values['social-latency'], true);
  if (latency !== undefined) options.socialLatencyMs = latency;
  const timeout = positiveNumber('social-timeout', values['social-timeout']);
  if (timeout !== undefined) options.socialTimeoutMs = timeout;
  const cacheTtl = positiveNumber('social-cache-ttl', values['social-cache-ttl'], true);
  if (cacheTtl !== undefined) options.socialCacheTtlSeconds = cacheTtl;
  const socialTtl = positiveNumber('social-token-ttl', values['social-token-ttl']);
  if (socialTtl !== undefined) options.socialTokenTtlSeconds = socialTtl;
  if (values['epic-codes-single-use'] === true) options.epicCodesSingleUse = true;
  if (values['facebook-test-users-paused'] === true) options.facebookTestUsersPaused = true;
  const maxBody = positiveNumber('max-body', values['max-body']);
  if (maxBody !== undefined) options.maxBodyBytes = maxBody;
  if (values['social-outage'] !== undefined) options.socialOutage = values['social-outage'].split(',').map((s) => s.trim()).filter(Boolean);
  return { options, listDefects: values['list-defects'] === true, listLimiters: values['list-limiters'] === true, listQuirks: values['list-quirks'] === true, help: values.help === true };
}
