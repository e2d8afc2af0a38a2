// doc.js: one document: metadata, citation, table of contents, the text
// with the query's matches marked, a "copy citation" button on every
// unit (Điều, khoản, điểm, and the parts of documents without
// articles), a "Văn bản lặp lại" button on every passage (the other
// documents that repeat its sentences), and the documents it cites and
// that cite it.
//
// The API gives every span (structure, highlights) as byte offsets into
// the UTF-8 text; byteIndexer turns them into string indices.

import * as api from './api.js';
import { h, clear, formatDate, byteIndexer } from './dom.js';
import { docCitation, unitCitation, citeButton } from './cite.js';
import { docHash, searchHash } from './search.js';

const ACCESS_NAMES = { public: 'Công khai', internal: 'Lưu hành nội bộ', restricted: 'Mật', secret: 'Tối mật' };
const RELATION_NAMES = {
  cites: 'Dẫn chiếu',
  based_on: 'Căn cứ',
  amends: 'Sửa đổi, bổ sung',
  replaces: 'Thay thế',
  guides: 'Hướng dẫn',
  repeals: 'Bãi bỏ',
};
// units listed in the table of contents (khoản and điểm are too many)
const TOC_KINDS = new Set(['phan', 'chuong', 'muc', 'dieu']);

let current = null; // {id, q, doc}
let controller = null;

// A search for the document with this number ("number:57-NQ/TW").
function numberSearch(number, field = 'number') {
  const v = /[\s"]/.test(number) ? '"' + number.replace(/"/g, '') + '"' : number;
  return searchHash({ q: field + ':' + v, unit: 'document', sort: 'relevance', page: 1 });
}

export async function renderDoc(id, q, at, els, backHash) {
  els.back.setAttribute('href', backHash || '#/');
  if (current && current.id === id && current.q === q) {
    jumpTo(at, els);
    return;
  }
  if (controller) controller.abort();
  controller = new AbortController();
  clear(els.doc);
  els.doc.setAttribute('aria-busy', 'true');
  els.doc.append(h('p', { class: 'loading' }, 'Đang mở văn bản…'));
  let d;
  try {
    d = await api.doc(id, q, controller.signal);
  } catch (e) {
    if (e.name === 'AbortError') return;
    clear(els.doc);
    els.doc.removeAttribute('aria-busy');
    els.doc.append(h('h2', { id: 'doc-title', tabindex: '-1' }, e.status === 404 ? 'Không tìm thấy văn bản' : 'Không mở được văn bản'), h('p', null, e.status === 404 ? 'Văn bản này không có hoặc bạn không có quyền xem.' : e.message));
    document.getElementById('doc-title').focus();
    current = null;
    return;
  }
  current = { id, q, doc: d };
  clear(els.doc);
  els.doc.removeAttribute('aria-busy');
  buildDoc(d, q, els);
  document.title = (d.type ? d.type + ' ' : '') + (d.number || d.title || d.id) + ' — Tra cứu văn bản';
  if (at !== '' && at !== null && at !== undefined) jumpTo(at, els);
  else {
    window.scrollTo(0, 0);
    document.getElementById('doc-title').focus({ preventScroll: true });
  }
  loadCitedBy(d, els);
}

export function forgetDoc() {
  current = null;
}

function flatten(nodes, chain, out) {
  for (const n of nodes || []) {
    const c = [...chain, n];
    out.push({ node: n, chain: c });
    flatten(n.children, c, out);
  }
  return out;
}

function buildDoc(d, q, els) {
  const base = docCitation(d);
  const title = d.title ? d.title.charAt(0).toUpperCase() + d.title.slice(1) : d.id;
  const kind = [d.type, d.number].filter(Boolean).join(' ');
  const meta = h('dl', { class: 'doc-meta' });
  const field = (label, value) => {
    if (value) meta.append(h('div', null, h('dt', null, label), h('dd', null, value)));
  };
  field('Loại văn bản', d.type);
  field('Số, ký hiệu', d.number);
  field('Cơ quan ban hành', d.issuer);
  field('Ngày ban hành', d.date ? h('time', { datetime: d.date }, formatDate(d.date)) : null);
  field('Ngày hiệu lực', d.effective_date ? h('time', { datetime: d.effective_date }, formatDate(d.effective_date)) : null);
  field('Nơi ban hành', d.place);
  field('Người ký', [d.signer_title, d.signer].filter(Boolean).join(' '));
  field('Mức độ', ACCESS_NAMES[d.access] || d.access);

  const header = h(
    'header',
    { class: 'doc-header' },
    kind ? h('p', { class: 'doc-kind' }, kind) : null,
    h('h2', { id: 'doc-title', tabindex: '-1' }, title),
    h('div', { class: 'citation-box' }, h('p', { class: 'citation', id: 'doc-citation' }, base), citeButton(base, 'Sao chép trích dẫn văn bản', 'Sao chép trích dẫn')),
    meta,
  );

  const units = flatten(d.structure, [], []);
  const toc = buildToc(d, q);
  const text = buildText(d, units, q);
  const rel = buildRelations(d);
  els.doc.append(header, h('div', { class: 'doc-body' }, toc, text), rel);
}

function buildToc(d, q) {
  const list = (nodes) => {
    const items = (nodes || []).filter((n) => TOC_KINDS.has(n.kind));
    if (!items.length) return null;
    return h(
      'ol',
      null,
      items.map((n) => h('li', null, h('a', { href: docHash(d.id, q, n.start), dataset: { at: String(n.start) } }, n.label + (n.title ? '. ' + n.title : '')), list(n.children))),
    );
  };
  const tree = list(d.structure);
  if (!tree) return h('nav', { class: 'toc empty', 'aria-label': 'Mục lục' });
  const det = h('details', { class: 'toc-details' }, h('summary', null, 'Mục lục'), tree);
  if (window.matchMedia('(min-width: 60em)').matches) det.open = true;
  return h('nav', { class: 'toc', 'aria-label': 'Mục lục' }, det);
}

// The text as one <p> a line; a line where a unit starts carries the
// unit's anchor (id "u-START", START its byte offset) and its citation
// button; matches in <mark>.
function buildText(d, units, q) {
  const text = d.text || '';
  const u16 = byteIndexer(text);
  const marks = (d.highlights || []).map(([s, e]) => [u16(s), u16(e)]).filter(([s, e]) => e > s).sort((a, b) => a[0] - b[0]);
  const starts = units.map((u) => ({ ...u, s: u16(u.node.start) })).sort((a, b) => a.s - b.s);
  const box = h('div', { class: 'doc-text', lang: 'vi' });
  let ui = 0;
  let mi = 0;
  let pos = 0;
  let byte = 0;
  const lines = text.split('\n');
  for (const line of lines) {
    const ls = pos;
    const le = pos + line.length;
    const lineByte = byte;
    pos = le + 1;
    byte += utf8Len(line) + 1;
    const here = [];
    while (ui < starts.length && starts[ui].s < le + 1) {
      if (starts[ui].s >= ls) here.push(starts[ui]);
      ui++;
    }
    if (!line.trim() && !here.length) continue;
    const p = h('p', { class: 'line', dataset: { b: String(lineByte), e: String(byte - 1) } });
    // matches that overlap the line
    while (mi < marks.length && marks[mi][1] <= ls) mi++;
    let k = mi;
    let cur = ls;
    while (k < marks.length && marks[k][0] < le) {
      const s = Math.max(marks[k][0], ls);
      const e = Math.min(marks[k][1], le);
      if (s > cur) p.append(text.slice(cur, s));
      if (e > s && e > cur) p.append(h('mark', null, text.slice(Math.max(s, cur), e)));
      cur = Math.max(cur, e);
      k++;
    }
    if (cur < le) p.append(text.slice(cur, le));
    if (here.length) {
      const inner = here[here.length - 1];
      p.id = 'u-' + here[0].node.start;
      p.classList.add('unit', 'u-' + inner.node.kind);
      p.tabIndex = -1;
      // extra anchors when more than one unit starts on the line
      for (const u of here.slice(1)) p.prepend(h('span', { id: 'u-' + u.node.start, class: 'anchor', tabindex: '-1' }));
      const cite = unitCitation(d, inner.chain);
      const label = inner.chain.map((n) => n.label).reverse().join(' ');
      p.append(' ', citeButton(cite, 'Sao chép trích dẫn ' + label, 'Trích dẫn'));
    }
    box.append(p);
  }
  addSimilarButtons(d, box);
  return box;
}

// "Văn bản lặp lại" on the line where each passage (a search hit's unit,
// by its ordinal) starts; a passage may start at the newline that ends
// the line before its own, as in jumpTo.
function addSimilarButtons(d, box) {
  const lines = [...box.querySelectorAll('p.line')];
  if (!lines.length) return;
  let li = 0;
  (d.passages || []).forEach((ps, ordinal) => {
    const n = Number(ps.start);
    while (li < lines.length - 1 && n >= Number(lines[li].dataset.e)) li++;
    const label = ps.label || 'đoạn ' + (ordinal + 1);
    lines[li].append(' ', similarButton(d, ordinal, label, lines[li]));
  });
}

function similarButton(d, ordinal, label, line) {
  const panelId = 'similar-' + ordinal;
  const btn = h(
    'button',
    { type: 'button', class: 'similar-btn', 'aria-expanded': 'false', 'aria-controls': panelId, 'aria-label': 'Văn bản lặp lại ' + label, dataset: { passage: String(ordinal) } },
    'Văn bản lặp lại',
  );
  const close = () => {
    const panel = document.getElementById(panelId);
    if (panel) panel.remove();
    btn.setAttribute('aria-expanded', 'false');
  };
  btn.addEventListener('click', async (e) => {
    e.preventDefault();
    if (document.getElementById(panelId)) {
      close();
      return;
    }
    const panel = h('div', { id: panelId, class: 'similar-panel', role: 'region', 'aria-label': 'Văn bản lặp lại ' + label, 'aria-busy': 'true' }, h('p', { class: 'loading' }, 'Đang tìm văn bản lặp lại…'));
    line.after(panel);
    btn.setAttribute('aria-expanded', 'true');
    let res;
    try {
      res = await api.similar(d.id, ordinal);
    } catch (err) {
      clear(panel).append(h('p', { class: 'none' }, 'Không tìm được: ' + err.message));
      panel.removeAttribute('aria-busy');
      return;
    }
    panel.removeAttribute('aria-busy');
    renderSimilar(panel, res, d, label, () => {
      close();
      btn.focus();
    });
  });
  return btn;
}

// The documents repeating a passage, later ones first as the question is
// usually "who took this up", each with the sentences it repeats.
function renderSimilar(panel, res, d, label, onClose) {
  clear(panel);
  const all = res.similar || [];
  const later = all.filter((x) => !d.date || !x.date || x.date >= d.date);
  const earlier = all.filter((x) => d.date && x.date && x.date < d.date);
  panel.append(
    h(
      'p',
      { class: 'similar-head' },
      all.length
        ? all.length + ' văn bản khác lặp lại câu của ' + label + ' (' + (res.sentences || 0) + ' câu được so):'
        : 'Không có văn bản nào khác lặp lại câu của ' + label + '.',
    ),
  );
  const group = (title, items) => {
    if (!items.length) return;
    panel.append(
      h('h4', null, title),
      h(
        'ul',
        { class: 'similar-list' },
        items.map((x) =>
          h(
            'li',
            { dataset: { id: x.id } },
            h('a', { href: docHash(x.id, '', '') }, [x.type, x.number].filter(Boolean).join(' ') || x.title || x.id),
            x.date ? ' ngày ' + formatDate(x.date) : '',
            x.title && (x.type || x.number) ? ' — ' + x.title : '',
            h('span', { class: 'rel-where' }, ' (lặp lại ' + x.repeated + ' câu)'),
            (x.examples || []).length
              ? h(
                  'ul',
                  { class: 'similar-ex' },
                  x.examples.map((ex) => h('li', null, ex.location ? h('span', { class: 'rel-where' }, ex.location + ': ') : null, '“' + (ex.match || '') + '”')),
                )
              : null,
          ),
        ),
      ),
    );
  };
  group('Ban hành sau (hoặc cùng ngày)', later);
  group('Ban hành trước', earlier);
  panel.append(h('p', { class: 'buttons' }, h('button', { type: 'button', class: 'secondary', onclick: onClose }, 'Đóng')));
}

function utf8Len(s) {
  return new TextEncoder().encode(s).length;
}

function buildRelations(d) {
  const sec = h('section', { class: 'relations', 'aria-labelledby': 'rel-title' }, h('h3', { id: 'rel-title' }, 'Văn bản liên quan'));
  const seen = new Set();
  const out = h('ul', { class: 'rel-list' });
  for (const r of d.relations || []) {
    const name = [r.type, r.number].filter(Boolean).join(' ') || r.title || '';
    if (!name || seen.has(r.kind + name)) continue;
    seen.add(r.kind + name);
    // the document itself when it is indexed (and the reader may see it),
    // else a search for its number
    const href = r.target ? docHash(r.target, '', '') : r.number ? numberSearch(r.number) : null;
    out.append(
      h(
        'li',
        null,
        h('span', { class: 'rel-kind' }, RELATION_NAMES[r.kind] || r.kind),
        ': ',
        href ? h('a', { href, class: r.target ? 'rel-doc' : 'rel-search' }, name) : name,
        r.date ? ' ngày ' + formatDate(r.date) : '',
      ),
    );
  }
  sec.append(h('h4', null, 'Văn bản này dẫn chiếu'), out.childNodes.length ? out : h('p', { class: 'none' }, 'Không có.'));
  const box = h('div', { id: 'cited-by' });
  sec.append(h('h4', null, 'Được dẫn chiếu bởi'), box);
  if (Array.isArray(d.cited_by)) renderCitedBy(box, d.cited_by, d);
  else box.append(h('p', { class: 'none' }, d.number ? 'Đang tìm…' : 'Không có.'));
  return sec;
}

// One line per citing document, with the parts that mention this one.
function renderCitedBy(box, items, d) {
  clear(box);
  const byDoc = new Map();
  for (const x of items) {
    if (!x.id || x.id === d.id) continue;
    if (!byDoc.has(x.id)) byDoc.set(x.id, { doc: x, parts: [] });
    const where = x.path || (x.article ? 'Điều ' + x.article : '');
    if (where && !byDoc.get(x.id).parts.includes(where)) byDoc.get(x.id).parts.push(where);
  }
  if (!byDoc.size) {
    box.append(h('p', { class: 'none' }, 'Không có.'));
    return;
  }
  box.append(
    h(
      'ul',
      { class: 'rel-list' },
      [...byDoc.values()].map(({ doc: x, parts }) =>
        h(
          'li',
          null,
          h('a', { href: docHash(x.id, '', '') }, [x.type, x.number].filter(Boolean).join(' ') || x.title || x.id),
          x.title ? ' — ' + x.title : '',
          parts.length ? h('span', { class: 'rel-where' }, ' (' + parts.join('; ') + ')') : '',
        ),
      ),
    ),
  );
}

// Documents that cite this one, when the API does not list them itself:
// through the search (so the reader's access level applies to them as to
// any hit).
async function loadCitedBy(d, els) {
  const box = els.doc.querySelector('#cited-by');
  if (!box || !d.number || Array.isArray(d.cited_by)) return;
  let res;
  try {
    res = await api.search({ q: 'cites:' + (/[\s"]/.test(d.number) ? '"' + d.number.replace(/"/g, '') + '"' : d.number), limit: 20, facets: 0 });
  } catch (e) {
    clear(box).append(h('p', { class: 'none' }, 'Không tải được.'));
    return;
  }
  renderCitedBy(box, (res.hits || []).map((x) => ({ ...x, path: x.passage && x.passage.kind !== 'preamble' ? x.passage.path : '' })), d);
  if (res.total > 20) box.append(h('p', null, h('a', { href: numberSearch(d.number, 'cites') }, 'Xem tất cả ' + res.total + ' văn bản')));
}

// Scrolls to the unit (or line) at byte offset at and focuses it.
function jumpTo(at, els) {
  if (at === '' || at === null || at === undefined) return;
  const n = Number(at);
  let target = document.getElementById('u-' + n);
  if (!target) {
    // the line holding byte n; a passage may start at the newline that
    // ends the line before its own, so past a line's end means the next
    for (const p of els.doc.querySelectorAll('.doc-text p.line')) {
      target = p;
      if (n < Number(p.dataset.e)) break;
    }
  }
  if (!target) return;
  if (target.tabIndex < 0 && !target.hasAttribute('tabindex')) target.tabIndex = -1;
  target.scrollIntoView({ block: 'start' });
  target.focus({ preventScroll: true });
  for (const t of els.doc.querySelectorAll('.target')) t.classList.remove('target');
  target.classList.add('target');
}
