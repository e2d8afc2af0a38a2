// quote.js: the citation finder (#/cite?q=...). A pasted quote (exact,
// half-remembered, without diacritics, a paragraph with its line breaks
// mangled) and the passages it most likely comes from, best first: each
// with its citation ready to copy, its location (điểm, khoản, Điều or
// paragraph), how much of the quote it holds, and the quote set against
// the source with the differences marked: <ins> what only the source
// says, <del> what only the quote says.

import * as api from './api.js';
import { h, clear, formatDate } from './dom.js';
import { citeButton } from './cite.js';
import { docHash } from './search.js';

const LIMIT = 10;
// The daemon takes a body of 64 KB and reads the first 16 KB of a quote:
// longer pastes are cut here, at a character, and the reader told.
const QUOTE_MAX_BYTES = 16384;

function cutQuote(q) {
  const bytes = new TextEncoder().encode(q);
  if (bytes.length <= QUOTE_MAX_BYTES) return { quote: q, cut: false };
  let n = QUOTE_MAX_BYTES;
  while (n > 0 && (bytes[n] & 0xc0) === 0x80) n--; // not inside a character
  return { quote: new TextDecoder().decode(bytes.subarray(0, n)), cut: true };
}

// The library's warnings, in the page's language where known.
function warningText(w) {
  if (/too long/i.test(w)) return 'Đoạn trích quá dài: chỉ tìm theo phần đầu (16 KB).';
  return w;
}

export function citeHash(q) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  const s = p.toString();
  return '#/cite' + (s ? '?' + s : '');
}

let controller = null;

// Finds and shows the sources of quote q (the view is els: form, q,
// summary, warnings, hits).
export async function renderCite(q, els) {
  if (els.q.value.trim() !== q) els.q.value = q;
  if (controller) controller.abort();
  controller = null;
  clear(els.hits);
  clear(els.warnings);
  if (!q) {
    els.summary.textContent = '';
    return;
  }
  controller = new AbortController();
  els.hits.setAttribute('aria-busy', 'true');
  els.summary.textContent = 'Đang tìm nguồn…';
  const { quote, cut } = cutQuote(q);
  let res;
  try {
    res = await api.cite(quote, { limit: LIMIT }, controller.signal);
  } catch (e) {
    if (e.name === 'AbortError') return;
    els.hits.removeAttribute('aria-busy');
    els.summary.textContent = 'Không tìm được: ' + e.message;
    return;
  }
  els.hits.removeAttribute('aria-busy');
  const hits = res.hits || [];
  const ms = (res.took_ms || 0).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
  els.summary.textContent = hits.length
    ? 'Tìm thấy ' + hits.length + ' nguồn có thể, khớp nhất trước (' + ms + ' ms)'
    : 'Không tìm thấy nguồn nào cho đoạn trích này (' + ms + ' ms)';
  const warnings = (res.warnings || []).map(warningText);
  if (cut && !warnings.some((w) => w.startsWith('Đoạn trích quá dài'))) warnings.push(warningText('too long'));
  for (const w of warnings) els.warnings.append(h('p', { class: 'warning' }, w));
  hits.forEach((hit, i) => els.hits.append(hitNode(hit, i)));
}

function percent(x) {
  return Math.round((Number(x) || 0) * 100) + '%';
}

function hitNode(hit, i) {
  const p = hit.passage || {};
  const name = [hit.type, hit.number].filter(Boolean).join(' ');
  const title = hit.title ? hit.title.charAt(0).toUpperCase() + hit.title.slice(1) : hit.id;
  const where = hit.location_text || (p.kind !== 'preamble' ? p.label : '') || 'phần mở đầu';
  const meta = [];
  if (hit.issuer) meta.push(h('span', { class: 'hit-issuer' }, hit.issuer));
  if (hit.date) meta.push(h('span', { class: 'hit-date' }, 'ngày ', h('time', { datetime: hit.date }, formatDate(hit.date))));
  const citation = hit.citation || '';
  return h(
    'li',
    { class: 'cite-hit', dataset: { id: hit.id } },
    h(
      'h3',
      { class: 'hit-title' },
      // the link opens the document at the matched text
      h('a', { href: docHash(hit.id, '', hit.match_start !== undefined ? hit.match_start : p.start) }, name ? name + ' — ' + title : title),
    ),
    meta.length ? h('p', { class: 'hit-meta' }, meta) : null,
    h(
      'p',
      { class: 'cite-where' },
      h('span', { class: 'cite-loc' }, 'Vị trí: ', h('strong', null, where)),
      ' ',
      h('span', { class: 'coverage', title: 'Phần các từ của đoạn trích có trong nguồn, đúng thứ tự' }, 'Khớp ' + percent(hit.coverage)),
    ),
    h(
      'div',
      { class: 'citation-box' },
      h('p', { class: 'citation' }, citation),
      citeButton(citation, 'Sao chép trích dẫn nguồn ' + (i + 1), 'Sao chép trích dẫn'),
    ),
    h('blockquote', { class: 'cite-diff', lang: 'vi' }, diffNodes(hit)),
  );
}

// The quote against the source: equal text as is, what only the source
// says in <ins>, what only the quote says in <del>; each marked for
// screen readers too, which do not announce the elements themselves.
function diffNodes(hit) {
  const diff = Array.isArray(hit.diff) && hit.diff.length ? hit.diff : [{ op: 'equal', text: hit.match || '' }];
  const out = [];
  diff.forEach((d, k) => {
    if (k > 0) out.push(' ');
    const text = String(d.text || '');
    if (d.op === 'insert') {
      out.push(h('ins', null, h('span', { class: 'visually-hidden' }, '[chỉ có trong nguồn: '), text, h('span', { class: 'visually-hidden' }, ']')));
    } else if (d.op === 'delete') {
      out.push(h('del', null, h('span', { class: 'visually-hidden' }, '[chỉ có trong đoạn trích: '), text, h('span', { class: 'visually-hidden' }, ']')));
    } else {
      out.push(text);
    }
  });
  return out;
}
