// cite.js: citations in the standard form of Vietnamese administrative
// writing: "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về
// ..., Điều 3" (Nghị định 30/2020/NĐ-CP on văn thư: type, number, date,
// issuer, subject; then the part cited).

import { h, formatDate, copyText, toast } from './dom.js';

// The whole document's citation: the API's "citation" when it gives one,
// else built from the metadata.
export function docCitation(d) {
  if (d.citation) return d.citation;
  const parts = [];
  if (d.type) parts.push(d.type);
  if (d.number) parts.push((d.type ? 'số ' : '') + d.number);
  if (d.date) parts.push('ngày ' + formatDate(d.date));
  if (d.issuer) parts.push('của ' + d.issuer);
  let title = (d.title || '').trim();
  if (title) {
    if (/^về\s/i.test(title)) title = 'về' + title.slice(2);
    else if (parts.length) title = 'về ' + title.charAt(0).toLowerCase() + title.slice(1);
    parts.push(title);
  }
  return parts.join(' ') || d.id || '';
}

// The part cited, from the innermost unit out: "Điều 3", "khoản 2 Điều
// 3", "điểm a khoản 2 Điều 3". Above an article (Chương, Mục) nothing is
// added, since articles are numbered through the whole document; in
// documents without articles every unit's label is joined the same way
// ("khoản 1 Phần I", "Mục 2 Chương II").
export function unitPath(chain) {
  // chain: outermost first, innermost last
  const inner = [...chain].reverse();
  const out = [];
  for (const n of inner) {
    out.push(n.label || '');
    if (n.kind === 'dieu') break;
  }
  return out.filter(Boolean).join(' ');
}

export function unitCitation(d, chain) {
  const base = docCitation(d);
  const part = unitPath(chain);
  return part ? base + ', ' + part : base;
}

// A button that copies a citation and says so in the live region.
export function citeButton(citation, aria, label) {
  return h(
    'button',
    {
      type: 'button',
      class: 'cite',
      'aria-label': aria,
      dataset: { citation },
      onclick: async (e) => {
        e.preventDefault();
        const ok = await copyText(citation);
        toast(ok ? 'Đã sao chép trích dẫn: ' + citation : 'Không sao chép được; trích dẫn: ' + citation);
      },
    },
    label,
  );
}
