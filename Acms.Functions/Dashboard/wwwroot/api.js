// Talks to the app's HTTP API. The function key is read from the page URL once, kept in sessionStorage and sent only as
// the x-functions-key header: it is stripped from the address bar and never put into another URL, link or log.
const KEY_STORE = 'acms.dashboard.key';

// This module is served from <prefix>/dashboard/assets/api.js, so the API root is <prefix>/ whatever the route prefix.
export const apiRoot = new URL('../../', import.meta.url);

let functionKey = null;

export function initKey() {
  const url = new URL(window.location.href);
  const fromUrl = url.searchParams.get('code');
  if (fromUrl) {
    functionKey = fromUrl;
    try { sessionStorage.setItem(KEY_STORE, fromUrl); } catch { /* storage off: the key lives in memory only */ }
    url.searchParams.delete('code');
    window.history.replaceState(window.history.state, '', url.pathname + url.search + url.hash);
  } else {
    try { functionKey = sessionStorage.getItem(KEY_STORE); } catch { functionKey = null; }
  }
}

export class ApiError extends Error {
  constructor(status, problem) {
    super(describe(status, problem));
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem || {};
  }
}

function describe(status, problem) {
  if (status === 401 && !functionKey) {
    return 'Sign-in is off for this app: open the dashboard with ?code=<function key>.';
  }
  if (status === 401 || (status === 403 && functionKey && !(problem && problem.code))) {
    return 'The function key is missing or wrong: open the dashboard with ?code=<function key>.';
  }
  if (problem && (problem.detail || problem.title)) {
    return problem.detail || problem.title;
  }
  return status === 0 ? 'The app did not answer.' : `The request failed (HTTP ${status}).`;
}

// With a key the page calls the function-key routes (v2/…); without one, the sign-in routes (signed-in/v2/…), which
// App Service authentication guards and where the app answers only what the signed-in person may see.
function buildUrl(path, query) {
  const url = new URL(!functionKey && path.startsWith('v2/') ? `signed-in/${path}` : path, apiRoot);
  for (const [name, value] of Object.entries(query || {})) {
    if (value !== undefined && value !== null && value !== '') {
      url.searchParams.set(name, String(value));
    }
  }
  return url;
}

async function send(path, { method = 'GET', query, body, accept = 'application/json', signal } = {}) {
  const headers = { Accept: accept };
  if (functionKey) {
    headers['x-functions-key'] = functionKey;
  }
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
  }
  let response;
  try {
    response = await fetch(buildUrl(path, query), {
      method, headers, signal, cache: 'no-store', credentials: 'same-origin', referrerPolicy: 'no-referrer',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    if (error.name === 'AbortError') { throw error; }
    throw new ApiError(0, null);
  }
  if (!response.ok) {
    let problem = null;
    if ((response.headers.get('content-type') || '').includes('json')) {
      try { problem = await response.json(); } catch { problem = null; }
    }
    // A 401 without a problem document is App Service authentication's own (sign-in on, no session): go and sign in.
    if (response.status === 401 && !functionKey && !(problem && problem.code)) {
      const back = window.location.pathname + window.location.hash;
      window.location.assign(`/.auth/login/aad?post_login_redirect_uri=${encodeURIComponent(back)}`);
    }
    throw new ApiError(response.status, problem);
  }
  return response;
}

/** Calls a JSON route and returns its envelope's data. */
export async function api(path, options = {}) {
  return (await apiEnvelope(path, options)).data;
}

/** Calls a JSON route and returns its whole envelope: data and meta (what the data covers, and when it was made). */
export async function apiEnvelope(path, options = {}) {
  const response = await send(path, options);
  const body = await response.json();
  return body && typeof body === 'object' && 'data' in body ? { data: body.data, meta: body.meta || {} } : { data: body, meta: {} };
}

/** Calls a route that answers text (a report as HTML or Markdown). */
export async function apiText(path, options = {}) {
  const response = await send(path, options);
  return response.text();
}

/** Saves a route's answer as a file through a Blob, so the key stays in a header and out of any link. */
export async function download(path, query, fileName, accept) {
  const text = await apiText(path, { query, accept });
  const blob = new Blob([text], { type: accept });
  const href = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = href;
  link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(href), 10000);
}

let callerPromise = null;

/** Who is calling and what the policy lets them do ({kind, user_id, name, may: {read, write}}), fetched once. */
export function caller() {
  callerPromise = callerPromise || api('v2/me').catch(() => null);
  return callerPromise;
}
