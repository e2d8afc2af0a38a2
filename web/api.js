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

// GET path with params (an object; empty values left out). Resolves to
// the parsed JSON; rejects with ApiError (or AbortError).
export async function get(path, params, signal) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params || {})) {
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  }
  const url = path + (qs.toString() ? '?' + qs.toString() : '');
  const headers = { Accept: 'application/json' };
  const token = getToken();
  if (token) headers.Authorization = 'Bearer ' + token;
  let res;
  try {
    res = await fetch(url, { headers, signal, credentials: 'omit', cache: 'no-store' });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, 'ENETWORK', 'Không kết nối được máy chủ tìm kiếm.');
  }
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

export const search = (params, signal) => get('/api/search', params, signal);
export const suggest = (q, signal) => get('/api/suggest', { q }, signal);
// by ?id=: an id may hold anything, even "." segments a path would lose
export const doc = (id, q, signal) => get('/api/doc', { id, q }, signal);
