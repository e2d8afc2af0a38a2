// api.js: the daemon's JSON API (docs/HTTP.md), same origin only.
//
// A reader cleared for internal or restricted documents gives an access
// token once (the "Mã truy cập" box); it stays in this tab's
// sessionStorage and goes with every request as a bearer token.

const TOKEN_KEY = 'polsearch.token';

export function getToken() {
  try {
    return sessionStorage.getItem(TOKEN_KEY) || '';
  } catch (e) {
    return '';
  }
}

export function setToken(token) {
  try {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  } catch (e) {
    // private mode without storage: the token lasts until reload
  }
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

function queryString(params) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const s = qs.toString();
  return s ? '?' + s : '';
}

function headers(accept, extra) {
  const h = { Accept: accept, ...(extra || {}) };
  const token = getToken();
  if (token) h.Authorization = 'Bearer ' + token;
  return h;
}

// fetch, with a network failure turned into an ApiError
async function send(url, init) {
  try {
    return await fetch(url, { credentials: 'omit', cache: 'no-store', ...init });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'ENETWORK', 'Không kết nối được máy chủ tìm kiếm.');
  }
}

// The JSON of an answer, or an ApiError with the daemon's message.
async function json(res) {
  let body = null;
  try {
    body = await res.json();
  } catch (e) {
    body = null;
  }
  if (!res.ok) {
    const msg = body && body.error ? body.error : 'HTTP ' + res.status;
    throw new ApiError(res.status, body && body.code ? body.code : 'EHTTP', msg);
  }
  return body;
}

// GET path with params (an object; empty values left out). Resolves to
// the parsed JSON; rejects with ApiError (or AbortError).
export async function get(path, params, signal) {
  const res = await send(path + queryString(params), { headers: headers('application/json'), signal });
  return json(res);
}

export const search = (params, signal) => get('/api/search', params, signal);
export const suggest = (q, signal) => get('/api/suggest', { q }, signal);
// by ?id=: an id may hold anything, even "." segments a path would lose
export const doc = (id, q, signal) => get('/api/doc', { id, q }, signal);
// the other documents that repeat the sentences of passage `passage`
export const similar = (id, passage, signal) => get('/api/similar', { id, passage }, signal);

// Where a quote comes from. The quote goes as the body (a pasted
// paragraph does not fit a URL comfortably); the options in the URL.
export async function cite(quote, params, signal) {
  const res = await send('/api/cite' + queryString(params), {
    method: 'POST',
    headers: headers('application/json', { 'Content-Type': 'text/plain; charset=utf-8' }),
    body: quote,
    signal,
  });
  return json(res);
}

// The concordance, read as it streams (JSON Lines): onRecord gets the
// records of each piece read, in order, as an array: the occurrences,
// then the {"summary"} (or an {"error"}) record. Resolves when the stream ends; rejects with ApiError, or
// AbortError when signal stops it.
export async function kwic(params, signal, onRecord) {
  const res = await send('/api/kwic' + queryString(params), { headers: headers('application/x-ndjson'), signal });
  if (!res.ok) return json(res); // throws with the daemon's message
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  const take = (text, last) => {
    const parts = (rest + text).split('\n');
    rest = last ? '' : parts.pop();
    const records = [];
    for (const p of parts) if (p.trim()) records.push(JSON.parse(p));
    if (records.length) onRecord(records);
  };
  for (;;) {
    let step;
    try {
      step = await reader.read();
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'ENETWORK', 'Kết nối bị ngắt giữa chừng.');
    }
    if (step.done) break;
    take(decoder.decode(step.value, { stream: true }), false);
  }
  take(decoder.decode(), true);
}
