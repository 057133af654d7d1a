/**
 * A credential source for any provider whose test accounts come from one plain HTTP call:
 * `npx tsx credential-sources/generic-test-account.ts <provider>`.
 *
 * Calls TEST_ACCOUNT_URL (`{provider}` in it is replaced) with `Authorization: Bearer $TEST_ACCOUNT_TOKEN` and
 * prints what it answers, which must already be one account or a list of accounts in the profile's format
 * (`{"accessToken"}`; twitter also `accessTokenSecret`, wechat `openid`; steam `{"sessionTicket", "appId"}`, xbox
 * `{"sessionTicket"}`, epicgames `{"code"}`). An API that answers another shape needs a copy of this file with its
 * own mapping in `toAccounts`.
 *
 * Environment (targets/credential-sources/README.md):
 *   TEST_ACCOUNT_URL     the endpoint (required, unless SIM_SOCIAL_URL is set: then the simulator's
 *                        $SIM_SOCIAL_URL/test-accounts/{provider})
 *   TEST_ACCOUNT_TOKEN   the bearer secret (required; never printed)
 *   TEST_ACCOUNT_QUERY   query parameters added to the URL, e.g. `credentials=4` (the simulator's API then answers
 *                        four credentials of one new account: for newPlatformUsers of a credential that works once)
 *   TEST_ACCOUNT_METHOD  POST (default) or GET
 *   TEST_ACCOUNT_COUNT   calls made, one account each (default 1: prints one account; more: a list)
 * Errors: one line on stderr, exit 1.
 */

const NAME = 'generic-test-account';
let secret = '';

function fail(reason: string): never {
  process.stderr.write(`${NAME}: ${secret ? reason.split(secret).join('[redacted]') : reason}\n`);
  process.exit(1);
}

function isAccount(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0;
}

/** The answer as accounts: here, as it is. Adapt this for an API of another shape. */
function toAccounts(body: unknown): Record<string, unknown>[] | null {
  if (isAccount(body)) return [body];
  if (Array.isArray(body) && body.length > 0 && body.every(isAccount)) return body;
  return null;
}

async function main(): Promise<void> {
  const provider = process.argv[2]?.trim();
  if (!provider || !/^[a-z0-9_]+$/.test(provider)) fail('usage: generic-test-account.ts <provider> (e.g. google)');
  secret = process.env.TEST_ACCOUNT_TOKEN?.trim() ?? '';
  if (!secret) fail('TEST_ACCOUNT_TOKEN is not set');
  const simulator = process.env.SIM_SOCIAL_URL?.trim();
  const template = process.env.TEST_ACCOUNT_URL?.trim() || (simulator ? `${simulator.replace(/\/+$/, '')}/test-accounts/{provider}` : '');
  if (!template) fail('TEST_ACCOUNT_URL is not set');
  let url: URL;
  try {
    url = new URL(template.replaceAll('{provider}', encodeURIComponent(provider)));
  } catch {
    fail(`TEST_ACCOUNT_URL is not a URL: "${template}"`);
  }
  const extra = process.env.TEST_ACCOUNT_QUERY?.trim();
  if (extra) for (const [name, value] of new URLSearchParams(extra)) url.searchParams.append(name, value);
  const method = (process.env.TEST_ACCOUNT_METHOD?.trim() || 'POST').toUpperCase();
  if (method !== 'POST' && method !== 'GET') fail(`TEST_ACCOUNT_METHOD must be POST or GET, got "${method}"`);
  const count = Number(process.env.TEST_ACCOUNT_COUNT ?? '1');
  if (!Number.isInteger(count) || count < 1 || count > 100) fail(`TEST_ACCOUNT_COUNT must be a whole number from 1 to 100, got "${process.env.TEST_ACCOUNT_COUNT}"`);

  const shown = `${method} ${url.origin}${url.pathname}`; // a query may hold a key: never shown
  const accounts: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    let res: Response;
    try {
      res = await fetch(url, { method, headers: { authorization: `Bearer ${secret}`, accept: 'application/json' }, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      fail(`${shown}: ${(error as Error).name === 'TimeoutError' ? 'no answer within 15 s' : (error as Error).message}`);
    }
    const text = await res.text();
    if (!res.ok) fail(`${shown} answered ${res.status}${res.headers.get('www-authenticate') ? ` (${res.headers.get('www-authenticate')})` : ''}`);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      fail(`${shown} answered ${res.status} with a body that is not JSON`);
    }
    const got = toAccounts(body);
    if (!got) fail(`${shown} answered ${res.status} with neither an account nor a non-empty list of accounts`);
    accounts.push(...got);
  }
  process.stdout.write(`${JSON.stringify(accounts.length === 1 ? accounts[0] : accounts)}\n`);
}

await main();

// A module of its own (top-level await), with no import: it runs alone with `npx tsx`.
export {};
