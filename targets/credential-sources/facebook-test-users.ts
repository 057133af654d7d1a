/**
 * A credential source for `credentials.facebook`: the app's Facebook test users, each with an access token.
 *
 * Lists the app's test users (Graph API `GET /{app-id}/accounts` with the app token `{app-id}|{app-secret}`),
 * reuses the ones that have a token, and creates new ones (`POST /{app-id}/accounts`) only while fewer exist than
 * asked for, creation is allowed, and the app is under Facebook's limit of 10. Facebook pauses the creation of
 * test users at times: then the existing ones are used, with a warning on stderr. Prints a JSON list of
 * `{"accessToken": "..."}` on stdout.
 *
 * Environment (targets/credential-sources/README.md):
 *   FACEBOOK_APP_ID         the app's id (required)
 *   FACEBOOK_APP_SECRET     the app's secret (required; never printed)
 *   FACEBOOK_GRAPH_URL      the Graph API (default https://graph.facebook.com, or the simulator's fake Facebook
 *                           when SIM_SOCIAL_URL is set); a version may end it: https://graph.facebook.com/v19.0
 *   FACEBOOK_TEST_USERS     how many accounts to print (default 2, at most 10)
 *   FACEBOOK_CREATE_TEST_USERS  "false": never create test users, only reuse
 * Errors: one line on stderr, exit 1.
 */

const NAME = 'facebook-test-users';
const LIMIT = 10;
let secret = '';

function fail(reason: string): never {
  // Whatever reached the message (a URL, an echoed body), the secret does not leave this process.
  process.stderr.write(`${NAME}: ${secret ? reason.split(secret).join('[redacted]') : reason}\n`);
  process.exit(1);
}

function required(name: string): string {
  const value = process.env[name]?.trim();
  if (!value) fail(`${name} is not set`);
  return value;
}

interface TestUser {
  id: string;
  access_token?: string;
}

async function graph(method: 'GET' | 'POST', url: URL): Promise<{ ok: true; body: unknown } | { ok: false; reason: string }> {
  const shown = `${method} ${url.origin}${url.pathname}`; // the query holds the app token: never shown
  let res: Response;
  try {
    res = await fetch(url, { method, signal: AbortSignal.timeout(15_000) });
  } catch (error) {
    fail(`${shown}: ${(error as Error).name === 'TimeoutError' ? 'no answer within 15 s' : (error as Error).message}`);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, reason: `${shown} answered ${res.status} with a body that is not JSON` };
  }
  const error = (body as { error?: { message?: string; code?: number } }).error;
  if (!res.ok || error) return { ok: false, reason: `${shown} answered ${res.status}${error ? ` (code ${error.code}: ${error.message})` : ''}` };
  return { ok: true, body };
}

async function main(): Promise<void> {
  const appId = required('FACEBOOK_APP_ID');
  secret = required('FACEBOOK_APP_SECRET');
  const simulator = process.env.SIM_SOCIAL_URL?.trim();
  const base = (process.env.FACEBOOK_GRAPH_URL?.trim() || (simulator ? `${simulator}/facebook/graph` : 'https://graph.facebook.com')).replace(/\/+$/, '');
  const wanted = Number(process.env.FACEBOOK_TEST_USERS ?? '2');
  if (!Number.isInteger(wanted) || wanted < 1 || wanted > LIMIT) fail(`FACEBOOK_TEST_USERS must be a whole number from 1 to ${LIMIT}, got "${process.env.FACEBOOK_TEST_USERS}"`);
  const mayCreate = process.env.FACEBOOK_CREATE_TEST_USERS?.trim().toLowerCase() !== 'false';

  let accountsUrl: URL;
  try {
    accountsUrl = new URL(`${base}/${encodeURIComponent(appId)}/accounts`);
  } catch {
    fail(`FACEBOOK_GRAPH_URL is not a URL: "${base}"`);
  }
  const appToken = `${appId}|${secret}`;
  const listUrl = new URL(accountsUrl);
  listUrl.searchParams.set('access_token', appToken);
  listUrl.searchParams.set('limit', String(LIMIT));
  const listed = await graph('GET', listUrl);
  if (!listed.ok) fail(`listing the test users: ${listed.reason}`);
  const data = (listed.body as { data?: unknown }).data;
  if (!Array.isArray(data)) fail('listing the test users: the answer has no "data" list');
  const all = data as TestUser[];
  // A test user who has not installed the app has no token: it cannot sign in.
  const tokens = all.filter((u) => typeof u.access_token === 'string' && u.access_token !== '').map((u) => u.access_token!);

  let existing = all.length;
  while (tokens.length < wanted && mayCreate && existing < LIMIT) {
    const createUrl = new URL(accountsUrl);
    createUrl.searchParams.set('installed', 'true');
    createUrl.searchParams.set('permissions', 'email');
    createUrl.searchParams.set('access_token', appToken);
    const created = await graph('POST', createUrl);
    if (!created.ok) {
      process.stderr.write(`${NAME}: warning: could not create a test user (${created.reason.split(secret).join('[redacted]')}); using the ${tokens.length} that exist\n`);
      break;
    }
    const token = (created.body as TestUser).access_token;
    if (typeof token !== 'string' || token === '') fail('creating a test user: the answer has no access_token');
    tokens.push(token);
    existing += 1;
  }
  if (tokens.length === 0) fail(`the app has no test user with an access token${mayCreate ? '' : ' (FACEBOOK_CREATE_TEST_USERS=false)'}`);
  if (tokens.length < wanted) process.stderr.write(`${NAME}: warning: ${wanted} accounts asked for, ${tokens.length} available\n`);
  process.stdout.write(`${JSON.stringify(tokens.slice(0, wanted).map((accessToken) => ({ accessToken })))}\n`);
}

await main();

// A module of its own (top-level await), with no import: it runs alone with `npx tsx`.
export {};
