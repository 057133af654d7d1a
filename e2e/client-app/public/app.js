// The game's web client: what a game site does around Xsolla Login's social-token calls. Plain browser
// JavaScript, no build step. The pages call the Login API cross-origin; only the game's own backend
// (/backend/*) ever sees the client secret and the OAuth token.

/** sessionStorage key of the pending sign-in: the state this tab sent and the redirect URI it named. */
const PENDING_KEY = 'game.login.pending';

const $ = (id) => document.getElementById(id);
const config = await (await fetch('/config.json')).json();

/** 128 random bits as hex: far longer than the 8 symbols `state` must exceed, and unguessable. */
function newState() {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

function remember(state, redirectUri) {
  sessionStorage.setItem(PENDING_KEY, JSON.stringify({ state, redirectUri }));
}

/** The pending sign-in, read once: a state is good for one callback only. */
function takePending() {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

async function jsonOf(response) {
  try {
    return await response.json();
  } catch {
    return null;
  }
}

function showError(text) {
  $('error').textContent = text;
}

function describeLoginError(status, body) {
  const error = body && body.error;
  return error ? `Login answered ${status}: ${error.code} ${error.description}` : `Login answered ${status}`;
}

function fillSelect(select, values) {
  for (const value of values) select.append(new Option(value, value));
}

/** The form's non-empty fields named in `names`. */
function fieldsOf(form, names) {
  const data = new FormData(form);
  const out = {};
  for (const name of names) {
    const value = data.get(name);
    if (typeof value === 'string' && value !== '') out[name] = value;
  }
  return out;
}

function decodeJwtClaims(jwt) {
  const part = jwt.split('.')[1] ?? '';
  const json = atob(part.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(part.length / 4) * 4, '='));
  return JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
}

/** Cleared synchronously when a check starts, so a reader never mistakes the previous answer for this one. */
function resetSession() {
  delete $('session').dataset.status;
  $('session').textContent = 'Checking…';
}

function showSession(status) {
  const out = $('session');
  out.dataset.status = String(status);
  out.textContent = status === 200 ? 'Session active (GET /users/me: 200)' : `Session ended (GET /users/me: ${status})`;
}

// ── Social-token login, OAuth 2.0 variant: POST /oauth2/social/{provider}/login_with_token ──────────────────
function loginPage() {
  fillSelect($('provider'), config.providers);
  const preset = new URLSearchParams(location.search).get('provider');
  if (preset) $('provider').value = preset;
  $('login').addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('');
    const form = event.currentTarget;
    const provider = $('provider').value;
    const state = newState();
    remember(state, config.callbackUri);
    const url = new URL(`${config.loginApi}/oauth2/social/${encodeURIComponent(provider)}/login_with_token`);
    url.search = new URLSearchParams({ client_id: String(config.clientId), response_type: 'code', state, redirect_uri: config.callbackUri }).toString();
    $('status').textContent = `Signing in with ${provider}…`;
    let response;
    try {
      response = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(fieldsOf(form, ['access_token', 'access_token_secret', 'openid'])),
      });
    } catch (error) {
      $('status').textContent = '';
      return showError(`Login could not be reached: ${error.message}`);
    }
    const body = await jsonOf(response);
    if (response.status !== 200 || !body || typeof body.login_url !== 'string') {
      $('status').textContent = '';
      return showError(describeLoginError(response.status, body));
    }
    $('status').textContent = 'Redirecting…';
    location.assign(body.login_url);
  });
}

// ── Silent authentication: GET /oauth2/social/{platform}/cross_auth?is_redirect=true ─────────────────────────
function silentPage() {
  fillSelect($('platform'), config.platforms);
  const preset = new URLSearchParams(location.search).get('platform');
  if (preset) $('platform').value = preset;
  $('silent').addEventListener('submit', (event) => {
    event.preventDefault();
    const platform = $('platform').value;
    const state = newState();
    remember(state, config.silentCallbackUri);
    const url = new URL(`${config.loginApi}/oauth2/social/${encodeURIComponent(platform)}/cross_auth`);
    url.search = new URLSearchParams({
      client_id: String(config.clientId),
      response_type: 'code',
      state,
      redirect_uri: config.silentCallbackUri,
      is_redirect: 'true',
      ...fieldsOf(event.currentTarget, ['session_ticket', 'app_id', 'code', 'deployment_id']),
    }).toString();
    // A top-level navigation: Login answers 302 and the browser lands on the callback page.
    location.assign(url);
  });
}

// ── The registered redirect URI(s): check state, then let the backend exchange the code ──────────────────────
async function callbackPage() {
  const params = new URLSearchParams(location.search);
  const code = params.get('code');
  const state = params.get('state');
  $('code').textContent = code ?? '';
  $('state').textContent = state ?? '';
  // The code is single-use and secret: keep it out of the address bar and the history.
  history.replaceState(null, '', location.pathname);
  const pending = takePending();
  const outcome = $('outcome');
  const finish = (name, text) => {
    outcome.dataset.outcome = name;
    outcome.textContent = text;
  };
  // CSRF defence (RFC 6749 §10.12): only a callback carrying the state this tab sent may sign the player in.
  if (!pending || !state || state !== pending.state) {
    return finish('refused', 'Sign-in refused: the state in the callback does not match the one this page sent (possible CSRF).');
  }
  if (!code) return finish('failed', 'Sign-in failed: the callback carries no code.');
  const response = await fetch('/backend/exchange', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code, redirect_uri: pending.redirectUri }),
  });
  const body = await jsonOf(response);
  if (response.status !== 200 || !body || !body.sub) {
    const login = body && body.login;
    showError(login ? describeLoginError(login.status, login.body) : `The game backend answered ${response.status}`);
    return finish('failed', 'Sign-in failed: the code could not be exchanged.');
  }
  $('user-id').textContent = body.sub;
  finish('signed-in', 'Signed in.');
  const check = $('check-session');
  check.hidden = false;
  check.addEventListener('click', async () => {
    resetSession();
    const me = await jsonOf(await fetch('/backend/me'));
    showSession(me && me.login ? me.login.status : 401);
  });
}

// ── Social-token login, JWT variant: POST /social/{provider}/login_with_token?projectId&with_logout ──────────
function jwtPage() {
  fillSelect($('provider'), config.providers);
  let token = null; // in memory only: never written to storage
  $('jwt-login').addEventListener('submit', async (event) => {
    event.preventDefault();
    showError('');
    const form = event.currentTarget;
    const provider = $('provider').value;
    const url = new URL(`${config.loginApi}/social/${encodeURIComponent(provider)}/login_with_token`);
    url.search = new URLSearchParams({ projectId: config.projectId, with_logout: $('with_logout').checked ? '1' : '0' }).toString();
    const response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fieldsOf(form, ['access_token', 'access_token_secret', 'openid'])),
    });
    const body = await jsonOf(response);
    if (response.status !== 200 || !body || typeof body.token !== 'string') return showError(describeLoginError(response.status, body));
    token = body.token;
    $('user-id').textContent = String(decodeJwtClaims(token).sub ?? '');
    $('check-session').hidden = false;
  });
  $('check-session').addEventListener('click', async () => {
    resetSession();
    const response = await fetch(`${config.loginApi}/users/me`, { headers: { authorization: `Bearer ${token}` } });
    showSession(response.status);
  });
}

const pages = { login: loginPage, silent: silentPage, callback: callbackPage, jwt: jwtPage };
await pages[document.body.dataset.page]?.();
document.body.dataset.ready = 'true';
