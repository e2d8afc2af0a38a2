// app.js: the page's entry point: routes (#/search?..., #/doc/ID?q=&at=),
// the search form, filters and the access-token box. No build step, no
// third-party code: plain ES modules served by polsearch serve.

import { attachSuggest } from './suggest.js';
import { renderSearch, stateFromParams, stateFromForm, searchHash, docHash } from './search.js';
import { renderDoc, forgetDoc } from './doc.js';
import { getToken, setToken } from './api.js';
import { toast } from './dom.js';

const $ = (id) => document.getElementById(id);

const els = {
  form: $('search-form'),
  q: $('q'),
  suggestions: $('suggestions'),
  searchView: $('search-view'),
  docView: $('doc-view'),
  home: $('home'),
  results: $('results'),
  summary: $('summary'),
  warnings: $('warnings'),
  hits: $('hits'),
  pager: $('pager'),
  facets: $('facets'),
  active: $('active-filters'),
  filters: $('filters'),
  sort: $('sort'),
  from: $('from'),
  to: $('to'),
  unitRadios: document.querySelectorAll('input[name="unit"]'),
  doc: $('doc'),
  back: $('back'),
};

let lastSearchHash = '#/';
let lastState = stateFromParams(new URLSearchParams());

// "#/doc/a/b.txt?q=x&at=5" -> {view, id, params}
function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/';
  const qi = raw.indexOf('?');
  const path = qi >= 0 ? raw.slice(0, qi) : raw;
  const params = new URLSearchParams(qi >= 0 ? raw.slice(qi + 1) : '');
  if (path.startsWith('/doc/')) {
    let id;
    try {
      id = path.slice(5).split('/').map(decodeURIComponent).join('/');
    } catch (e) {
      id = path.slice(5);
    }
    return { view: 'doc', id, params };
  }
  return { view: 'search', params };
}

async function route() {
  // "#main" and other in-page anchors are not routes
  if (location.hash && !location.hash.startsWith('#/')) return;
  const hash = location.hash;
  await render(parseHash());
  // which route the page shows now (tests and scripts wait for it)
  if (location.hash === hash) document.documentElement.dataset.route = hash;
}

async function render(r) {
  if (r.view === 'doc') {
    els.searchView.hidden = true;
    els.docView.hidden = false;
    await renderDoc(r.id, r.params.get('q') || '', r.params.get('at') || '', { doc: els.doc, back: els.back }, lastSearchHash);
    return;
  }
  forgetDoc();
  els.docView.hidden = true;
  els.searchView.hidden = false;
  const s = stateFromParams(r.params);
  lastState = s;
  lastSearchHash = location.hash || '#/';
  document.title = s.q ? s.q + ' — Tra cứu văn bản' : 'Tra cứu văn bản Đảng và Nhà nước';
  await renderSearch(s, els);
}

function go(hash) {
  if (location.hash === hash) route();
  else location.hash = hash;
}

function submit(e) {
  if (e) e.preventDefault();
  const r = stateFromForm(lastState, els);
  if (r.error) {
    toast(r.error);
    return;
  }
  suggest.close();
  go(searchHash(r.state));
}

els.form.addEventListener('submit', submit);
// sort and unit apply at once; the dates when the filter form is sent
els.sort.addEventListener('change', submit);
for (const r of els.unitRadios) r.addEventListener('change', submit);
$('filter-form').addEventListener('submit', submit);
$('clear-dates').addEventListener('click', () => {
  els.from.value = '';
  els.to.value = '';
  submit();
});

const suggest = attachSuggest(els.q, els.suggestions, (s) => go(docHash(s.id, '', '')));

// the access token box
const tokenInput = $('token');
const tokenState = $('token-state');
function showTokenState() {
  tokenState.textContent = getToken() ? 'Đang dùng mã truy cập.' : 'Chưa nhập mã: chỉ xem văn bản công khai.';
}
$('token-form').addEventListener('submit', (e) => {
  e.preventDefault();
  setToken(tokenInput.value.trim());
  tokenInput.value = '';
  showTokenState();
  forgetDoc();
  route();
});
$('token-clear').addEventListener('click', () => {
  setToken('');
  tokenInput.value = '';
  showTokenState();
  forgetDoc();
  route();
});
showTokenState();

// narrow screens start with the filters folded
if (!window.matchMedia('(min-width: 48em)').matches) els.filters.open = false;

// "/" focuses the search box, as on many search sites
document.addEventListener('keydown', (e) => {
  if (e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey) {
    const t = e.target;
    if (t instanceof HTMLInputElement || t instanceof HTMLTextAreaElement || t instanceof HTMLSelectElement) return;
    e.preventDefault();
    els.q.focus();
  }
});

// the skip link moves focus without touching the route
$('skip').addEventListener('click', (e) => {
  e.preventDefault();
  const target = els.docView.hidden ? $('main') : document.getElementById('doc-title') || $('main');
  target.focus();
});

window.addEventListener('hashchange', route);
route();
