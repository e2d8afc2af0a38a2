// app.js: the page's entry point: routes (#/search?..., #/doc/ID?q=&at=,
// #/cite?q=, #/kwic?q=&sort=), the search form, filters and the
// access-token box. No build step, no third-party code: plain ES modules
// served by polsearch serve.

import { attachSuggest } from './suggest.js';
import { renderSearch, stateFromParams, stateFromForm, searchHash, docHash } from './search.js';
import { renderDoc, forgetDoc } from './doc.js';
import { renderCite, citeHash } from './quote.js';
import { renderKwic, kwicState, kwicHash, stopKwic } from './kwic.js';
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
  also: $('also'),
  alsoCite: $('also-cite'),
  alsoKwic: $('also-kwic'),
};

const views = { search: els.searchView, doc: els.docView, cite: $('cite-view'), kwic: $('kwic-view') };
const navs = { search: $('nav-search'), cite: $('nav-cite'), kwic: $('nav-kwic') };

const cite = {
  form: $('cite-form'),
  q: $('cite-q'),
  summary: $('cite-summary'),
  warnings: $('cite-warnings'),
  hits: $('cite-hits'),
};

const kwic = {
  form: $('kwic-form'),
  q: $('kwic-q'),
  sort: $('kwic-sort'),
  stop: $('kwic-stop'),
  status: $('kwic-status'),
  count: $('kwic-count'),
  chart: $('kwic-chart'),
  chartTitle: $('kwic-chart-title'),
  chartBox: $('kwic-chart-box'),
  lines: $('kwic-lines'),
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
  if (path === '/cite') return { view: 'cite', params };
  if (path === '/kwic') return { view: 'kwic', params };
  return { view: 'search', params };
}

// Shows one view, hides the others, marks the tool it belongs to.
function show(view) {
  for (const [name, el] of Object.entries(views)) el.hidden = name !== view;
  for (const [name, a] of Object.entries(navs)) {
    if (name === view || (name === 'search' && view === 'doc')) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (view !== 'kwic') stopKwic();
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
  show(r.view);
  if (r.view === 'doc') {
    await renderDoc(r.id, r.params.get('q') || '', r.params.get('at') || '', { doc: els.doc, back: els.back }, lastSearchHash);
    return;
  }
  forgetDoc();
  if (r.view === 'cite') {
    const q = r.params.get('q') || '';
    document.title = (q ? 'Nguồn: ' + q.slice(0, 60) : 'Tìm nguồn trích dẫn') + ' — Tra cứu văn bản';
    await renderCite(q, cite);
    return;
  }
  if (r.view === 'kwic') {
    const k = kwicState(r.params);
    document.title = (k.q ? 'Ngữ cảnh: ' + k.q : 'Ngữ cảnh sử dụng') + ' — Tra cứu văn bản';
    // shown once the stream ended (the lines show as they come)
    await renderKwic(k, kwic);
    return;
  }
  const s = stateFromParams(r.params);
  lastState = s;
  lastSearchHash = location.hash || '#/';
  document.title = s.q ? s.q + ' — Tra cứu văn bản' : 'Tra cứu văn bản Đảng và Nhà nước';
  // the same words as a quote to trace, or a phrase to follow
  els.also.hidden = !s.q;
  els.alsoCite.setAttribute('href', citeHash(s.q));
  els.alsoKwic.setAttribute('href', kwicHash(s.q.replace(/"/g, ''), 'date'));
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
cite.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = cite.q.value.trim();
  if (!q) {
    toast('Hãy dán đoạn trích cần tìm nguồn.');
    cite.q.focus();
    return;
  }
  go(citeHash(q));
});
// Ctrl+Enter sends the quote from the text area
cite.q.addEventListener('keydown', (e) => {
  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
    e.preventDefault();
    cite.form.requestSubmit();
  }
});
kwic.form.addEventListener('submit', (e) => {
  e.preventDefault();
  const q = kwic.q.value.trim();
  if (!q) {
    toast('Hãy nhập cụm từ cần xem.');
    kwic.q.focus();
    return;
  }
  go(kwicHash(q, kwic.sort.value));
});
kwic.sort.addEventListener('change', () => {
  if (kwic.q.value.trim()) go(kwicHash(kwic.q.value.trim(), kwic.sort.value));
});
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
  const target = !els.docView.hidden
    ? document.getElementById('doc-title') || $('main')
    : !views.cite.hidden
      ? cite.q
      : !views.kwic.hidden
        ? kwic.q
        : $('main');
  target.focus();
});

window.addEventListener('hashchange', route);
route();
