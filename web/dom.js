// dom.js: building the page without ever parsing HTML.
//
// Every document field (titles, issuers, text, snippets) comes from the
// index and so from outside: it reaches the page only as text nodes or
// as <mark> elements this file makes itself. Nothing here sets innerHTML,
// outerHTML or insertAdjacentHTML, and links only get hrefs the app built.

// h('a', {href: '#/x', class: 'c', 'aria-label': '...'}, child, ...):
// children are nodes or strings (made text nodes); null/false skipped.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  if (attrs) {
    for (const [k, v] of Object.entries(attrs)) {
      if (v === null || v === undefined || v === false) continue;
      if (k === 'class') el.className = v;
      else if (k === 'text') el.textContent = v;
      else if (k === 'href') el.setAttribute('href', safeHref(v));
      else if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
      else if (k === 'dataset') Object.assign(el.dataset, v);
      else el.setAttribute(k, v === true ? '' : String(v));
    }
  }
  append(el, children);
  return el;
}

export function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

export function clear(el) {
  while (el.firstChild) el.removeChild(el.firstChild);
  return el;
}

// Only the app's own routes: "#/...", or a same-page relative path.
function safeHref(v) {
  const s = String(v);
  return s.startsWith('#') || s.startsWith('./') || s === '/' ? s : '#';
}

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'" };

// Decodes the few entities an HTML-escaped snippet holds; anything else
// stays as written (it is shown as text either way).
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,6}|#39);/g, (m, name) => {
    if (name in ENTITIES) return ENTITIES[name];
    if (name[0] === '#') {
      const cp = name[1] === 'x' || name[1] === 'X' ? parseInt(name.slice(2), 16) : parseInt(name.slice(1), 10);
      if (cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff)) return String.fromCodePoint(cp);
    }
    return m;
  });
}

// The API's snippet ("HTML-escaped text, matches in <mark>") as DOM:
// text nodes and <mark> elements, nothing else, whatever the string holds.
export function snippetNodes(snippet) {
  const out = [];
  const parts = String(snippet || '').split(/(<mark>|<\/mark>)/);
  let mark = null;
  for (const p of parts) {
    if (p === '<mark>') {
      if (!mark) mark = document.createElement('mark');
    } else if (p === '</mark>') {
      if (mark) out.push(mark);
      mark = null;
    } else if (p) {
      const t = document.createTextNode(decodeEntities(p));
      if (mark) mark.append(t);
      else out.push(t);
    }
  }
  if (mark) out.push(mark);
  return out;
}

// "2024-12-22" -> "22/12/2024"; partial dates as far as they go.
export function formatDate(iso) {
  if (!iso) return '';
  const m = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$/.exec(iso);
  if (!m) return iso;
  return [m[3], m[2], m[1]].filter(Boolean).join('/');
}

// What a user types in a date box -> the API's form (YYYY, YYYY-MM,
// YYYY-MM-DD); "22/12/2024", "12/2024", "2024" and ISO forms; null when
// it is not a date.
export function parseDateInput(s) {
  s = (s || '').trim();
  if (!s) return '';
  let m = /^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$/.exec(s);
  if (m) return [m[1], m[2] && m[2].padStart(2, '0'), m[3] && m[3].padStart(2, '0')].filter(Boolean).join('-');
  m = /^(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})$/.exec(s);
  if (m) return [m[3], m[2].padStart(2, '0'), m[1] && m[1].padStart(2, '0')].filter(Boolean).join('-');
  return null;
}

// Byte offsets into a string's UTF-8 form -> its UTF-16 indices. The API
// gives spans (highlights, structure) in UTF-8 bytes; JavaScript strings
// count UTF-16 code units.
export function byteIndexer(text) {
  const map = new Uint32Array(utf8Length(text) + 1);
  let b = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    let n;
    if (c < 0x80) n = 1;
    else if (c < 0x800) n = 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        for (let k = 0; k < 4; k++) map[b + k] = i;
        b += 4;
        i++;
        continue;
      }
      n = 3;
    } else n = 3;
    for (let k = 0; k < n; k++) map[b + k] = i;
    b += n;
  }
  map[b] = text.length;
  return (byte) => (byte <= 0 ? 0 : byte >= b ? text.length : map[byte]);
}

function utf8Length(s) {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && s.charCodeAt(i + 1) >= 0xdc00 && s.charCodeAt(i + 1) <= 0xdfff) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

// Copies text to the clipboard: the async API where the page may use it,
// else a selected textarea. Resolves true when it worked.
export async function copyText(text) {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch (e) {
    // fall through to the old way
  }
  const ta = h('textarea', { class: 'offscreen', 'aria-hidden': 'true', readonly: true });
  ta.value = text;
  document.body.append(ta);
  ta.select();
  let ok = false;
  try {
    ok = document.execCommand('copy');
  } catch (e) {
    ok = false;
  }
  ta.remove();
  return ok;
}

let toastTimer = 0;
// A short message in the live region (read out by screen readers).
export function toast(message) {
  const el = document.getElementById('toast');
  if (!el) return;
  el.textContent = message;
  el.classList.add('show');
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => el.classList.remove('show'), 6000);
}
