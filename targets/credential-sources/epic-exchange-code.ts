/**
 * A credential source for `newPlatformUsers.epicgames` or `credentials.epicgames`: one fresh Epic exchange code
 * per call. An exchange code works once and for 300 s, so the profile runs this source with `"run": "perTest"`.
 *
 * Asks the account service for a code (`GET /account/api/oauth/exchange` with the Epic account's access token
 * as the bearer; it answers `{"code", "expiresInSeconds": 300, "creatingClientId"}`) and prints `{"code": "..."}`
 * (with `"deploymentId"` when EPIC_DEPLOYMENT_ID is set).
 *
 * Environment (targets/credential-sources/README.md):
 *   EPIC_ACCESS_TOKEN   an access token of the Epic account the codes sign in (required; never printed)
 *   EPIC_ACCOUNT_URL    the account service (default https://account-public-service-prod.ol.epicgames.com, or the
 *                       simulator's fake Epic when SIM_SOCIAL_URL is set)
 *   EPIC_DEPLOYMENT_ID  printed as the account's deploymentId (optional)
 *   EPIC_CODES          codes to print (default 1: one account; more: a list of codes of the one account, for a
 *                       newPlatformUsers source: a test that signs a new user in several times uses one per sign-in)
 * Errors: one line on stderr, exit 1.
 */

const NAME = 'epic-exchange-code';
let secret = '';

function fail(reason: string): never {
  process.stderr.write(`${NAME}: ${secret ? reason.split(secret).join('[redacted]') : reason}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  secret = process.env.EPIC_ACCESS_TOKEN?.trim() ?? '';
  if (!secret) fail('EPIC_ACCESS_TOKEN is not set');
  const simulator = process.env.SIM_SOCIAL_URL?.trim();
  const base = (process.env.EPIC_ACCOUNT_URL?.trim() || (simulator ? `${simulator}/epicgames` : 'https://account-public-service-prod.ol.epicgames.com')).replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(`${base}/account/api/oauth/exchange`);
  } catch {
    fail(`EPIC_ACCOUNT_URL is not a URL: "${base}"`);
  }
  const count = Number(process.env.EPIC_CODES ?? '1');
  if (!Number.isInteger(count) || count < 1 || count > 10) fail(`EPIC_CODES must be a whole number from 1 to 10, got "${process.env.EPIC_CODES}"`);
  const shown = `GET ${url.origin}${url.pathname}`;
  const deploymentId = process.env.EPIC_DEPLOYMENT_ID?.trim();
  const accounts: { code: string; deploymentId?: string }[] = [];
  for (let i = 0; i < count; i++) {
    let res: Response;
    try {
      res = await fetch(url, { headers: { authorization: `bearer ${secret}` }, signal: AbortSignal.timeout(15_000) });
    } catch (error) {
      fail(`${shown}: ${(error as Error).name === 'TimeoutError' ? 'no answer within 15 s' : (error as Error).message}`);
    }
    const text = await res.text();
    let body: { code?: unknown; errorCode?: unknown; errorMessage?: unknown };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      fail(`${shown} answered ${res.status} with a body that is not JSON`);
    }
    if (!res.ok) fail(`${shown} answered ${res.status}${typeof body.errorCode === 'string' ? ` (${body.errorCode}: ${String(body.errorMessage)})` : ''}`);
    if (typeof body.code !== 'string' || body.code === '') fail(`${shown} answered ${res.status} without a "code"`);
    accounts.push({ code: body.code, ...(deploymentId ? { deploymentId } : {}) });
  }
  process.stdout.write(`${JSON.stringify(accounts.length === 1 ? accounts[0] : accounts)}\n`);
}

await main();

// A module of its own (top-level await), with no import: it runs alone with `npx tsx`.
export {};
