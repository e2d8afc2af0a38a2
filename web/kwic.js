// kwic.js: the concordance (#/kwic?q=...&sort=...): every use of a
// phrase across the documents, the left context right-aligned against
// the phrase and the right context after it, each line a link to the
// document at the occurrence; read from the stream as it arrives (a
// count, and a button to stop), then a small chart of the uses per year
// drawn as inline SVG.

import * as api from './api.js';
import { h, clear, formatDate } from './dom.js';
import { docHash } from './search.js';

const SORTS = ['date', '-date', 'doc'];
const SVG = 'http://www.w3.org/2000/svg';

export function kwicState(params) {
  const sort = params.get('sort');
  return { q: params.get('q') || '', sort: SORTS.includes(sort) ? sort : 'date' };
}

export function kwicHash(q, sort) {
  const p = new URLSearchParams();
  if (q) p.set('q', q);
  if (sort && sort !== 'date') p.set('sort', sort);
  const s = p.toString();
  return '#/kwic' + (s ? '?' + s : '');
}

let controller = null;
let run = 0; // the render whose lines the page shows

// Stops the stream being read, if any (leaving the view, a new phrase).
export function stopKwic() {
  run++;
  if (controller) controller.abort();
  controller = null;
}

// Reads and shows the concordance of state s into the view els (form,
// q, sort, stop, status, count, chart, chartBox, lines).
export async function renderKwic(s, els) {
  stopKwic();
  const mine = run;
  if (els.q.value.trim() !== s.q) els.q.value = s.q;
  els.sort.value = s.sort;
  clear(els.lines);
  clear(els.chartBox);
  els.chart.hidden = true;
  els.count.textContent = '';
  if (!s.q) {
    els.status.textContent = 'Nhập một cụm từ để xem mọi lần nó được dùng trong các văn bản.';
    els.stop.disabled = true;
    return;
  }
  const ctl = new AbortController();
  controller = ctl;
  let stoppedByUser = false;
  const stop = () => {
    stoppedByUser = true;
    ctl.abort();
  };
  els.stop.onclick = stop;
  els.stop.disabled = false;
  els.lines.setAttribute('aria-busy', 'true');
  els.status.textContent = 'Đang tìm “' + s.q + '”…';
  const years = new Map();
  let n = 0;
  let summary = null;
  let failure = null;
  try {
    await api.kwic({ q: s.q, sort: s.sort === 'date' ? '' : s.sort }, ctl.signal, (records) => {
      if (mine !== run) return;
      const frag = document.createDocumentFragment();
      for (const r of records) {
        if (r.summary) summary = r.summary;
        else if (r.error) failure = new Error(r.error);
        else {
          n++;
          frag.append(lineNode(r, s.q, n));
          const y = /^\d{4}/.exec(r.date || '');
          if (y) years.set(y[0], (years.get(y[0]) || 0) + 1);
        }
      }
      els.lines.append(frag);
      els.count.textContent = 'Đã nhận ' + n.toLocaleString('vi-VN') + ' dòng' + (summary ? '.' : '…');
    });
  } catch (e) {
    if (e.name !== 'AbortError') failure = e;
  }
  if (mine !== run) return; // another phrase, or another view, took over
  controller = null;
  els.stop.disabled = true;
  els.lines.removeAttribute('aria-busy');
  if (summary) {
    const ms = (summary.took_ms || 0).toLocaleString('vi-VN', { maximumFractionDigits: 1 });
    let text =
      summary.lines === 0
        ? 'Không thấy “' + s.q + '” trong văn bản nào'
        : '“' + s.q + '”: ' + summary.lines.toLocaleString('vi-VN') + ' lần, trong ' + summary.documents.toLocaleString('vi-VN') + ' văn bản';
    text += ' (' + ms + ' ms)';
    if (summary.truncated) text += ' — chỉ hiện ' + n.toLocaleString('vi-VN') + ' dòng đầu';
    els.status.textContent = text;
    drawChart(Object.entries(summary.years || {}), els, false);
  } else if (stoppedByUser) {
    els.status.textContent = 'Đã dừng sau ' + n.toLocaleString('vi-VN') + ' dòng.';
    drawChart([...years.entries()], els, true);
  } else {
    els.status.textContent = 'Không xem được ngữ cảnh: ' + (failure ? failure.message : 'kết nối bị ngắt');
    if (n) drawChart([...years.entries()], els, true);
  }
}

// One occurrence: left context | phrase | right context, then where.
function lineNode(r, q, n) {
  const src = [[r.type, r.number].filter(Boolean).join(' ') || r.title || r.id, r.date ? formatDate(r.date) : '', r.path && r.path !== 'Phần mở đầu' ? r.path : '']
    .filter(Boolean)
    .join(' · ');
  return h(
    'li',
    { class: 'kwic-line', dataset: { id: r.id, date: r.date || '' } },
    h('span', { class: 'kwic-left' }, h('span', null, r.left || '')),
    h('a', { class: 'kwic-match', href: docHash(r.id, q, r.start), 'aria-label': (r.match || '') + ' — ' + src + ' (dòng ' + n + ')' }, r.match || ''),
    h('span', { class: 'kwic-right' }, r.right || ''),
    h('span', { class: 'kwic-src' }, src),
  );
}

function svg(tag, attrs, text) {
  const el = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs || {})) el.setAttribute(k, String(v));
  if (text !== undefined) el.textContent = text;
  return el;
}

// Bars of the uses per year, from the first year to the last (the years
// between with none drawn as empty); each bar a list item with its
// year and count as its name.
function drawChart(entries, els, partial) {
  clear(els.chartBox);
  const counts = new Map(entries.map(([y, c]) => [Number(y), Number(c)]).filter(([y, c]) => Number.isFinite(y) && c > 0));
  if (!counts.size) {
    els.chart.hidden = true;
    return;
  }
  const first = Math.min(...counts.keys());
  const last = Math.max(...counts.keys());
  const years = [];
  for (let y = first; y <= last; y++) years.push(y);
  const max = Math.max(...counts.values());
  const bar = 22;
  const gap = 6;
  const top = 18;
  const plot = 110;
  const width = years.length * (bar + gap) + gap;
  const height = top + plot + 22;
  const every = Math.ceil(years.length / 12); // a year label every so often
  const chart = svg('svg', {
    class: 'kwic-svg',
    viewBox: '0 0 ' + width + ' ' + height,
    width,
    height,
    role: 'list',
    'aria-labelledby': 'kwic-chart-title',
  });
  chart.append(svg('line', { class: 'kwic-axis', x1: 0, y1: top + plot + 0.5, x2: width, y2: top + plot + 0.5 }));
  years.forEach((y, i) => {
    const c = counts.get(y) || 0;
    const hgt = c ? Math.max(2, Math.round((c / max) * plot)) : 0;
    const x = gap + i * (bar + gap);
    const label = y + ': ' + c.toLocaleString('vi-VN') + ' lần';
    const g = svg('g', { class: 'kwic-year', role: 'listitem', 'aria-label': label, 'data-year': y, 'data-count': c });
    g.append(svg('title', null, label));
    g.append(svg('rect', { class: 'kwic-bar', x, y: top + plot - hgt, width: bar, height: hgt }));
    if (c && years.length <= 30) g.append(svg('text', { class: 'kwic-n', x: x + bar / 2, y: top + plot - hgt - 4, 'text-anchor': 'middle', 'aria-hidden': 'true' }, String(c)));
    if (i % every === 0) {
      g.append(svg('text', { class: 'kwic-y', x: x + bar / 2, y: top + plot + 16, 'text-anchor': 'middle', 'aria-hidden': 'true' }, String(y)));
    }
    chart.append(g);
  });
  els.chartTitle.textContent = 'Số lần xuất hiện theo năm' + (partial ? ' (tính trên các dòng đã nhận)' : '');
  els.chartBox.append(chart);
  els.chart.hidden = false;
}
