// search.js: the results page: hits, facets, filters, sort, unit,
// pagination, the total and the time taken. Its whole state is in the
// URL (#/search?q=...&type=...&page=2), so every search can be shared.

import * as api from './api.js';
import { h, clear, snippetNodes, formatDate, parseDateInput } from './dom.js';

export const PAGE_SIZE = 10;
const MAX_OFFSET = 10000;

const FACET_NAMES = { type: 'Loại văn bản', issuer: 'Cơ quan ban hành', year: 'Năm ban hành' };

// The search state <-> the hash's query string.
export function stateFromParams(p) {
  const page = Math.max(1, parseInt(p.get('page') || '1', 10) || 1);
  return {
    q: p.get('q') || '',
    unit: p.get('unit') === 'passage' ? 'passage' : 'document',
    type: p.get('type') || '',
    issuer: p.get('issuer') || '',
    from: p.get('from') || '',
    to: p.get('to') || '',
    sort: ['date', '-date'].includes(p.get('sort')) ? p.get('sort') : 'relevance',
    page,
  };
}

export function searchHash(s) {
  const p = new URLSearchParams();
  if (s.q) p.set('q', s.q);
  if (s.unit && s.unit !== 'document') p.set('unit', s.unit);
  for (const k of ['type', 'issuer', 'from', 'to']) if (s[k]) p.set(k, s[k]);
  if (s.sort && s.sort !== 'relevance') p.set('sort', s.sort);
  if (s.page && s.page > 1) p.set('page', String(s.page));
  return '#/search?' + p.toString();
}

export function docHash(id, q, at) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (at !== undefined && at !== null && at !== '') p.set('at', String(at));
  const qs = p.toString();
  return '#/doc/' + id.split('/').map(encodeURIComponent).join('/') + (qs ? '?' + qs : '');
}

export function hasQuery(s) {
  return Boolean(s.q || s.type || s.issuer || s.from || s.to);
}

let controller = null;

// Runs the search of state s and renders it into the page's search view.
export async function renderSearch(s, els) {
  syncControls(s, els);
  if (!hasQuery(s)) {
    showHome(els);
    return;
  }
  els.home.hidden = true;
  els.results.hidden = false;
  if (controller) controller.abort();
  controller = new AbortController();
  els.results.setAttribute('aria-busy', 'true');
  els.summary.textContent = 'Đang tìm…';
  const offset = Math.min((s.page - 1) * PAGE_SIZE, MAX_OFFSET);
  let res;
  try {
    res = await api.search(
      {
        q: s.q,
        unit: s.unit,
        type: s.type,
        issuer: s.issuer,
        from: s.from,
        to: s.to,
        sort: s.sort === 'relevance' ? '' : s.sort,
        limit: PAGE_SIZE,
        offset,
      },
      controller.signal,
    );
  } catch (e) {
    if (e.name === 'AbortError') return;
    els.results.removeAttribute('aria-busy');
    clear(els.hits);
    clear(els.pager);
    clear(els.facets);
    els.summary.textContent = 'Không tìm được: ' + e.message;
    return;
  }
  els.results.removeAttribute('aria-busy');
  renderSummary(res, s, els);
  renderHits(res, s, els);
  renderFacets(res, s, els);
  renderActive(s, els);
  renderPager(res, s, els);
}

function showHome(els) {
  els.home.hidden = false;
  els.results.hidden = true;
  clear(els.facets);
  clear(els.active);
  els.summary.textContent = '';
}

function syncControls(s, els) {
  if (document.activeElement !== els.q) els.q.value = s.q;
  for (const r of els.unitRadios) r.checked = r.value === s.unit;
  els.sort.value = s.sort;
  els.from.value = s.from;
  els.to.value = s.to;
}

function renderSummary(res, s, els) {
  const what = res.unit === 'passage' ? 'đoạn' : 'văn bản';
  const n = res.total.toLocaleString('vi-VN');
  const ms = (res.took_ms || 0).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  let text = res.total === 0 ? 'Không tìm thấy ' + what + ' nào' : 'Tìm thấy ' + (res.total_exact ? '' : 'khoảng ') + n + ' ' + what;
  text += ' (' + ms + ' ms)';
  if (res.total > 0 && res.hits.length) {
    text += ' — hiển thị ' + (res.offset + 1) + '–' + (res.offset + res.hits.length);
  }
  els.summary.textContent = text;
  clear(els.warnings);
  for (const w of res.warnings || []) els.warnings.append(h('p', { class: 'warning' }, w));
}

function hitTitle(hit) {
  const t = hit.title || hit.citation || hit.id;
  return t.charAt(0).toUpperCase() + t.slice(1);
}

function renderHits(res, s, els) {
  clear(els.hits);
  els.hits.setAttribute('start', String(res.offset + 1));
  for (const hit of res.hits) {
    const p = hit.passage || {};
    const at = res.unit === 'passage' || (p.ordinal && p.ordinal > 0) ? p.start : '';
    const meta = [];
    if (hit.type || hit.number) meta.push(h('span', { class: 'hit-num' }, [hit.type, hit.number].filter(Boolean).join(' ')));
    if (hit.issuer) meta.push(h('span', { class: 'hit-issuer' }, hit.issuer));
    if (hit.date) meta.push(h('span', { class: 'hit-date' }, 'ngày ', h('time', { datetime: hit.date }, formatDate(hit.date))));
    const where = p.path && p.kind !== 'preamble' ? p.path : '';
    els.hits.append(
      h(
        'li',
        { class: 'hit' },
        h('h3', { class: 'hit-title' }, h('a', { href: docHash(hit.id, s.q, at) }, hitTitle(hit))),
        h('p', { class: 'hit-meta' }, meta),
        where ? h('p', { class: 'hit-path' }, h('span', { class: 'visually-hidden' }, 'Vị trí: '), where) : null,
        hit.snippet ? h('p', { class: 'snippet' }, snippetNodes(hit.snippet)) : null,
      ),
    );
  }
}

function renderFacets(res, s, els) {
  clear(els.facets);
  const facets = res.facets || {};
  for (const name of ['type', 'issuer', 'year']) {
    const values = facets[name] || [];
    if (!values.length) continue;
    const list = h('ul', { class: 'facet-values' });
    for (const v of values) {
      const selected = name === 'year' ? s.from === v.value && s.to === v.value : s[name] === v.value;
      const next = { ...s, page: 1 };
      if (name === 'year') {
        next.from = selected ? '' : v.value;
        next.to = selected ? '' : v.value;
      } else {
        next[name] = selected ? '' : v.value;
      }
      list.append(
        h(
          'li',
          null,
          h(
            'a',
            {
              href: searchHash(next),
              class: 'facet-value' + (selected ? ' selected' : ''),
              'aria-current': selected ? 'true' : null,
              dataset: { facet: name, value: v.value },
            },
            h('span', { class: 'facet-label' }, v.value),
            ' ',
            h('span', { class: 'count', 'aria-label': v.count + ' kết quả' }, String(v.count)),
          ),
        ),
      );
    }
    els.facets.append(h('section', { class: 'facet', 'aria-labelledby': 'facet-' + name }, h('h3', { id: 'facet-' + name }, FACET_NAMES[name]), list));
  }
}

function renderActive(s, els) {
  clear(els.active);
  const chips = [];
  const add = (label, patch) => chips.push(h('li', null, h('a', { href: searchHash({ ...s, ...patch, page: 1 }), class: 'chip', 'aria-label': 'Bỏ lọc ' + label }, label, h('span', { 'aria-hidden': 'true' }, ' ×'))));
  if (s.type) add(s.type, { type: '' });
  if (s.issuer) add(s.issuer, { issuer: '' });
  if (s.from || s.to) {
    const label = s.from && s.from === s.to ? 'Năm ' + s.from : [s.from ? 'từ ' + formatDate(s.from) : '', s.to ? 'đến ' + formatDate(s.to) : ''].filter(Boolean).join(' ');
    add(label, { from: '', to: '' });
  }
  if (chips.length) els.active.append(h('span', { class: 'visually-hidden' }, 'Đang lọc theo: '), h('ul', { class: 'chips' }, chips));
}

function renderPager(res, s, els) {
  clear(els.pager);
  const pages = Math.ceil(Math.min(res.total, MAX_OFFSET + PAGE_SIZE) / PAGE_SIZE);
  if (pages <= 1) return;
  const cur = s.page;
  const link = (p, label, aria, rel) =>
    h('li', null, h('a', { href: searchHash({ ...s, page: p }), class: 'page' + (p === cur ? ' current' : ''), 'aria-current': p === cur ? 'page' : null, 'aria-label': aria, rel }, label));
  const items = [];
  if (cur > 1) items.push(link(cur - 1, '‹ Trước', 'Trang trước', 'prev'));
  const shown = new Set([1, pages, cur - 2, cur - 1, cur, cur + 1, cur + 2].filter((p) => p >= 1 && p <= pages));
  let last = 0;
  for (const p of [...shown].sort((a, b) => a - b)) {
    if (p - last > 1) items.push(h('li', { class: 'gap', 'aria-hidden': 'true' }, '…'));
    items.push(link(p, String(p), 'Trang ' + p));
    last = p;
  }
  if (cur < pages) items.push(link(cur + 1, 'Sau ›', 'Trang sau', 'next'));
  els.pager.append(h('ul', null, items));
}

// Reads the filter form (dates typed as dd/mm/yyyy, mm/yyyy, yyyy or
// ISO); returns the new state, or an error message.
export function stateFromForm(s, els) {
  const from = parseDateInput(els.from.value);
  const to = parseDateInput(els.to.value);
  if (from === null) return { error: 'Ngày “từ” chưa đúng: hãy nhập năm, tháng/năm hoặc ngày/tháng/năm.' };
  if (to === null) return { error: 'Ngày “đến” chưa đúng: hãy nhập năm, tháng/năm hoặc ngày/tháng/năm.' };
  const unit = [...els.unitRadios].find((r) => r.checked);
  return {
    state: {
      ...s,
      q: els.q.value.trim(),
      unit: unit ? unit.value : 'document',
      sort: els.sort.value,
      from,
      to,
      page: 1,
    },
  };
}
