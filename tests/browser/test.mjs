// The web page in Debian's real Chromium, driven by playwright-core (no
// browser download): search with and without diacritics, a facet, pages,
// passages, a document, a jump from the table of contents, a copied
// citation, suggestions by keyboard, the citation finder (a pasted quote,
// its sources, the differences, a copied citation), the concordance
// (lines read from the stream as they come, the stop button, the chart
// of uses per year), the near-duplicates of a passage, a phone-sized
// screen, and a document with hostile fields that must show as text and
// run nothing.
//
//   node test.mjs BASE_URL SCREENSHOT_DIR
//
// Prints "ok ..." / "FAIL ..." lines and exits 1 when a check failed.
import { chromium } from 'playwright-core';
import { mkdtempSync, rmSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const [, , BASE, SHOTS] = process.argv;
if (!BASE || !SHOTS) {
  console.error('usage: node test.mjs BASE_URL SCREENSHOT_DIR');
  process.exit(2);
}
mkdirSync(SHOTS, { recursive: true });

let checks = 0;
let failures = 0;
function ok(cond, what, detail) {
  checks++;
  if (cond) console.log('ok   ' + what);
  else {
    failures++;
    console.log('FAIL ' + what + (detail !== undefined ? ': ' + JSON.stringify(detail) : ''));
  }
  return cond;
}

const HOSTILE_ID = 'hostile/<img src=x onerror=alert(7)>.txt';
const dialogs = [];
const pageErrors = [];
const consoleErrors = [];

const profile = mkdtempSync(join(tmpdir(), 'polsearch-chromium-'));
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-dev-shm-usage',
  ],
  viewport: { width: 1280, height: 900 },
  locale: 'vi-VN',
});

try {
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: BASE });
  // nothing may leave the machine: every request goes to the daemon
  const offsite = [];
  context.on('request', (r) => {
    if (!r.url().startsWith(BASE) && !r.url().startsWith('data:')) offsite.push(r.url());
  });
  const page = context.pages()[0] || (await context.newPage());
  watch(page);

  await desktop(page);
  await citeFinder(page);
  await concordance(page, context);
  await nearDuplicates(page);
  await hostile(page);
  await phone(context);

  ok(offsite.length === 0, 'no request leaves the daemon (works offline)', offsite);
  ok(dialogs.length === 0, 'no dialog was opened (no script ran)', dialogs);
  ok(pageErrors.length === 0, 'no script error', pageErrors);
  ok(consoleErrors.length === 0, 'no console error (CSP violations included)', consoleErrors);
} catch (e) {
  ok(false, 'the run finished', String(e && e.stack ? e.stack : e));
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
console.log(`${checks} checks, ${failures} failed`);
process.exit(failures ? 1 : 0);

function watch(page) {
  page.on('dialog', async (d) => {
    dialogs.push(d.type() + ': ' + d.message());
    await d.dismiss().catch(() => {});
  });
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
}

async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, name + '.png'), fullPage: false });
}

// waits until the results of the current route are on the page
// (the app sets data-route on <html> once the route's view is rendered)
async function settled(page) {
  await page.waitForFunction(() => document.documentElement.dataset.route === location.hash);
}

async function searchFor(page, q) {
  await page.fill('#q', q);
  await page.press('#q', 'Enter');
  await page.waitForFunction((want) => new URLSearchParams(location.hash.split('?')[1] || '').get('q') === want, q);
  await settled(page);
}

async function firstHitHref(page) {
  return page.locator('#hits .hit-title a').first().getAttribute('href');
}

async function desktop(page) {
  await page.goto(BASE + '/');
  ok((await page.title()).includes('Tra cứu'), 'the page loads with a Vietnamese title');
  ok(await page.locator('#home').isVisible(), 'the home view shows');
  await shot(page, '01-home');

  // with diacritics
  await searchFor(page, 'chuyển đổi số');
  const n1 = await page.locator('#hits .hit').count();
  ok(n1 === 10, 'ten hits for "chuyển đổi số"', n1);
  ok(page.url().includes('#/search?q='), 'the search has its own URL', page.url());
  const summary = await page.textContent('#summary');
  ok(/Tìm thấy \d+ văn bản \([\d,]+ ms\)/.test(summary), 'total and time taken shown', summary);
  ok((await page.locator('#hits mark').count()) > 0, 'snippets are highlighted');
  ok((await page.locator('#hits .hit-meta').first().textContent()).length > 0, 'hit metadata shown');
  const withMarks = await firstHitHref(page);
  await shot(page, '02-results');

  // without diacritics: the same first document
  await searchFor(page, 'chuyen doi so');
  const without = await firstHitHref(page);
  ok(without.split('?')[0] === withMarks.split('?')[0], 'without diacritics finds the same first document', [withMarks, without]);

  // a shared URL reproduces the search
  const shared = page.url();
  await page.goto(BASE + '/');
  await page.goto(shared);
  await settled(page);
  ok((await page.inputValue('#q')) === 'chuyen doi so', 'a shared URL restores the query');

  // filter by a facet
  const facet = page.locator('#facets .facet-value[data-facet="type"]').first();
  const facetValue = await facet.getAttribute('data-value');
  const facetCount = Number(await facet.locator('.count').textContent());
  await facet.click();
  await page.waitForFunction(() => location.hash.includes('type='));
  await settled(page);
  await page.waitForFunction((n) => document.querySelectorAll('#hits .hit').length === Math.min(n, 10), facetCount);
  const types = await page.locator('#hits .hit-num').allTextContents();
  ok(types.length > 0 && types.every((t) => t.startsWith(facetValue)), `facet "${facetValue}" filters the hits`, types);
  ok((await page.textContent('#summary')).includes(`Tìm thấy ${facetCount} văn bản`), 'the facet count is the new total', await page.textContent('#summary'));
  ok((await page.locator('#active-filters .chip').count()) === 1, 'the active filter shows as a removable chip');
  await shot(page, '03-facet');
  await page.click('#active-filters .chip');
  await page.waitForFunction(() => !location.hash.includes('type='));
  await settled(page);
  ok(true, 'the chip removes the filter');

  // pages
  await searchFor(page, 'nghị quyết');
  const page1 = await firstHitHref(page);
  await page.click('#pager a[rel="next"]');
  await page.waitForFunction(() => location.hash.includes('page=2') && document.getElementById('hits').getAttribute('start') === '11');
  await settled(page);
  await page.waitForFunction(() => /hiển thị 11–/.test(document.getElementById('summary').textContent));
  const page2 = await firstHitHref(page);
  ok(page1 !== page2, 'page 2 shows other hits', [page1, page2]);
  ok((await page.locator('#pager [aria-current="page"]').textContent()) === '2', 'the pager marks page 2');
  await shot(page, '04-page2');

  // a date range, typed the Vietnamese way
  await page.fill('#from', '01/01/2024');
  await page.fill('#to', '2024');
  await page.click('#filter-form button[type="submit"]');
  await page.waitForFunction(() => location.hash.includes('from=2024-01-01') && location.hash.includes('to=2024'));
  await settled(page);
  await settled(page);
  const dates = await page.locator('#hits .hit-date time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
  ok(dates.length > 0 && dates.every((d) => d >= '2024-01-01' && d <= '2024-12-31'), 'the date range filters', dates);
  await page.click('#clear-dates');
  await page.waitForFunction(() => !location.hash.includes('from='));
  await settled(page);

  // sort by date, newest first
  await page.selectOption('#sort', '-date');
  await page.waitForFunction(() => location.hash.includes('sort=-date'));
  await settled(page);
  await settled(page);
  const sorted = await page.locator('#hits .hit-date time').evaluateAll((els) => els.map((e) => e.getAttribute('datetime')));
  ok(sorted.length > 1 && sorted.every((d, i) => i === 0 || sorted[i - 1] >= d), 'sorted newest first', sorted);
  await page.selectOption('#sort', 'relevance');
  await page.waitForFunction(() => !location.hash.includes('sort='));
  await settled(page);

  // passages
  await searchFor(page, 'dữ liệu cá nhân');
  await page.check('input[name="unit"][value="passage"]');
  await page.waitForFunction(() => location.hash.includes('unit=passage') && /đoạn/.test(document.getElementById('summary').textContent));
  await settled(page);
  const paths = await page.locator('#hits .hit-path').allTextContents();
  ok(paths.some((p) => /Điều \d+/.test(p)), 'passages name their article', paths);
  await shot(page, '05-passages');

  // open a document from a passage hit: it opens at the passage
  const hitLink = page.locator('#hits .hit-title a').first();
  const hitHref = await hitLink.getAttribute('href');
  await hitLink.click();
  await page.waitForSelector('#doc-title');
  await settled(page);
  await page.waitForFunction(() => document.querySelectorAll('#doc .doc-text p').length > 0);
  ok(page.url().includes('#/doc/'), 'the document has its own URL', page.url());
  ok((await page.locator('#doc .doc-text mark').count()) > 0, "the query's terms are highlighted in the text");
  if (hitHref.includes('at=')) {
    ok(await page.locator('#doc .doc-text .target').count() === 1, 'it opens at the passage');
  }

  // the document view in full: nd-13-2023 (articles in chapters)
  await page.goto(BASE + '/#/doc/nha-nuoc/nd-13-2023.txt?q=d%E1%BB%AF+li%E1%BB%87u');
  await page.waitForFunction(() => document.querySelectorAll('#doc .doc-text p').length > 0);
  const title = await page.textContent('#doc-title');
  ok(title.length > 10, 'the title shows', title);
  ok((await page.locator('#doc .doc-meta dt').count()) >= 4, 'the metadata shows');
  const tocLinks = page.locator('#doc nav.toc a');
  ok((await tocLinks.count()) >= 5, 'a table of contents from the structure', await tocLinks.count());
  ok(/Nghị định số 13\/2023\/NĐ-CP/.test(await page.textContent('#doc-citation')), 'the citation in the standard form', await page.textContent('#doc-citation'));
  // jump to Điều 5 from the table of contents
  const art = tocLinks.filter({ hasText: 'Điều 5' }).first();
  const at = await art.getAttribute('data-at');
  await art.click();
  await page.waitForFunction((a) => location.hash.includes('at=' + a), at);
  await settled(page);
  await page.waitForFunction((a) => document.activeElement && document.activeElement.id === 'u-' + a, at);
  const box = await page.locator('#u-' + at).boundingBox();
  ok(box && box.y >= -2 && box.y < 200, 'the article is scrolled to the top', box);
  ok((await page.locator('#u-' + at).textContent()).startsWith('Điều 5'), 'the jump lands on Điều 5');
  await shot(page, '06-document');

  // copy the citation of Điều 3 (read back through the clipboard)
  const d3 = page.locator('#doc .doc-text p.u-dieu').filter({ hasText: /^Điều 3\./ }).locator('button.cite');
  await d3.click();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  ok(/^Nghị định số 13\/2023\/NĐ-CP ngày 17\/04\/2023 .+, Điều 3$/.test(clip), 'copy citation of Điều 3', clip);
  await page.waitForFunction(() => document.getElementById('toast').textContent.includes('Đã sao chép'));
  ok((await page.textContent('#toast')).includes(clip), 'a visible confirmation holds the citation');
  // a paragraph (khoản) of an article
  const k = page.locator('#doc .doc-text p.u-khoan button.cite').first();
  await k.click();
  const clip2 = await page.evaluate(() => navigator.clipboard.readText());
  ok(/, khoản \d+ Điều \d+$/.test(clip2), 'copy citation of a khoản', clip2);
  await shot(page, '07-citation');

  // relations: cites and cited-by link to searches by number
  await page.goto(BASE + '/#/doc/dang/nq-57-2024.txt');
  await page.waitForSelector('#doc-title');
  await settled(page);
  await page.waitForFunction(() => !/Đang tìm/.test((document.getElementById('cited-by') || {}).textContent || ''));
  const citedBy = await page.locator('#cited-by a').count();
  ok(citedBy > 0, 'cited by: documents that cite 57-NQ/TW', citedBy);
  const citeLink = page.locator('#cited-by a').first();
  await citeLink.click();
  await page.waitForSelector('#doc-title');
  await settled(page);
  ok(page.url().includes('#/doc/'), 'a cited-by link opens the document');
  // a relation names a document: linked to it when it is indexed, else to
  // a search for its number
  await page.goto(BASE + '/#/doc/nha-nuoc/nq-cp-03-2025.txt');
  await page.waitForSelector('#doc-title');
  await settled(page);
  const relDoc = page.locator('.relations a.rel-doc').first();
  ok((await relDoc.count()) > 0, 'relations link to the documents they name');
  if ((await relDoc.count()) > 0) {
    await relDoc.click();
    await page.waitForSelector('#doc-title');
    await settled(page);
    ok(page.url().includes('#/doc/'), 'a relation opens the document it names', page.url());
  }
  const rel = page.locator('.relations a.rel-search').first();
  if ((await rel.count()) > 0) {
    await rel.click();
    await settled(page);
    ok(page.url().includes('number%3A'), 'a relation to a document not indexed searches its number', page.url());
  }

  // suggestions by keyboard alone
  await page.goto(BASE + '/');
  await page.keyboard.press('/');
  ok(await page.evaluate(() => document.activeElement.id === 'q'), '"/" focuses the search box');
  await page.keyboard.type('nghi quyet 57', { delay: 30 });
  await page.waitForSelector('#suggestions [role="option"]');
  ok((await page.getAttribute('#q', 'aria-expanded')) === 'true', 'the combobox says it is open');
  const nopt = await page.locator('#suggestions [role="option"]').count();
  ok(nopt > 0 && nopt <= 10, 'suggestions as you type', nopt);
  await page.keyboard.press('ArrowDown');
  ok((await page.getAttribute('#q', 'aria-activedescendant')) === 'sugg-0', 'ArrowDown selects the first');
  await page.keyboard.press('ArrowDown');
  ok((await page.getAttribute('#q', 'aria-activedescendant')) === 'sugg-1' || nopt === 1, 'ArrowDown moves on');
  await page.keyboard.press('ArrowUp');
  ok((await page.getAttribute('#sugg-0', 'aria-selected')) === 'true', 'ArrowUp moves back');
  await shot(page, '08-suggestions');
  await page.keyboard.press('Escape');
  ok((await page.getAttribute('#q', 'aria-expanded')) === 'false', 'Escape closes the list');
  await page.keyboard.type(' ');
  await page.waitForSelector('#suggestions [role="option"]');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#doc-title');
  await settled(page);
  ok(page.url().includes('#/doc/'), 'Enter opens the suggested document', page.url());

  // keyboard: the skip link comes first, then the search box
  await page.goto('about:blank');
  await page.goto(BASE + '/#/search?q=chuyen+doi+so');
  await settled(page);
  await page.keyboard.press('Tab');
  ok(await page.evaluate(() => document.activeElement.id === 'skip'), 'Tab reaches the skip link first');
  await page.keyboard.press('Tab'); // the site name, a link home
  await page.keyboard.press('Tab');
  ok(await page.evaluate(() => document.activeElement.id === 'q'), 'then the search box');
  // the skip link moves focus to the main content without changing the route
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('Enter');
  ok(await page.evaluate(() => document.activeElement.id === 'main' && location.hash.startsWith('#/search')), 'the skip link focuses the content and keeps the route');
  // every control has a name a screen reader can read
  const unnamed = await page.evaluate(() => {
    const bad = [];
    for (const el of document.querySelectorAll('a[href], button, input, select, [role="option"]')) {
      if (el.type === 'hidden' || el.closest('[hidden]')) continue;
      const name = (el.getAttribute('aria-label') || (el.labels && el.labels.length ? el.labels[0].textContent : '') || el.textContent || el.getAttribute('title') || '').trim();
      if (!name) bad.push(el.outerHTML.slice(0, 80));
    }
    return bad;
  });
  ok(unnamed.length === 0, 'every control has an accessible name', unnamed);
  ok((await page.getAttribute('#q', 'role')) === 'combobox' && (await page.getAttribute('#suggestions', 'role')) === 'listbox', 'ARIA combobox roles');
}

async function citeFinder(page) {
  // from the menu, paste a quote with a word missing and one added
  await page.goto(BASE + '/');
  await page.click('#nav-cite');
  await page.waitForFunction(() => location.hash.startsWith('#/cite'));
  await settled(page);
  ok(await page.locator('#cite-view').isVisible(), 'the citation finder has its own view');
  ok(await page.evaluate(() => document.getElementById('nav-cite').getAttribute('aria-current') === 'page'), 'the menu marks the citation finder');
  const quote = 'Khoa học, công nghệ, đổi mới và chuyển đổi số\nlà đột phá rất quan trọng hàng đầu';
  await page.fill('#cite-q', quote);
  await page.click('#cite-form button[type="submit"]');
  await page.waitForFunction(() => location.hash.startsWith('#/cite?q='));
  await settled(page);
  const first = page.locator('#cite-hits .cite-hit').first();
  ok((await first.getAttribute('data-id')) === 'dang/nq-57-2024.txt', 'the source ranked first', await first.getAttribute('data-id'));
  ok(/^Tìm thấy \d+ nguồn/.test(await page.textContent('#cite-summary')), 'the sources are counted', await page.textContent('#cite-summary'));
  ok((await first.locator('.cite-loc').textContent()).includes('điểm a khoản 1 Phần II'), 'the location shows', await first.locator('.cite-loc').textContent());
  ok(/^Khớp \d+%$/.test(await first.locator('.coverage').textContent()), 'the coverage shows', await first.locator('.coverage').textContent());
  const ins = await first.locator('.cite-diff ins').allTextContents();
  const del = await first.locator('.cite-diff del').allTextContents();
  ok(ins.some((t) => t.includes('sáng tạo')), 'what only the source says is marked <ins>', ins);
  ok(del.some((t) => t.includes('rất')), 'what only the quote says is marked <del>', del);
  ok((await page.inputValue('#cite-q')).includes('đột phá rất quan trọng'), 'the quote stays in the text area');
  await shot(page, '13-cite');
  // copy its citation
  await first.locator('button.cite').click();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  ok(/^Nghị quyết số 57-NQ\/TW ngày 22\/12\/2024 của Bộ Chính trị về .+, điểm a khoản 1 Phần II$/.test(clip), 'copy the citation of the source', clip);
  await page.waitForFunction(() => document.getElementById('toast').textContent.includes('Đã sao chép'));
  ok((await first.locator('.citation').textContent()) === clip, 'the copied citation is the one shown');
  // the source opens at the matched text
  await first.locator('.hit-title a').click();
  await page.waitForSelector('#doc-title');
  await settled(page);
  ok(page.url().includes('#/doc/dang/nq-57-2024.txt') && page.url().includes('at='), 'a source opens its document at the match', page.url());
  const target = await page.locator('#doc .doc-text .target').textContent();
  ok(target.includes('đột phá quan trọng hàng đầu'), 'the match is the line shown', target);
  // a pasted quote by keyboard alone: Ctrl+Enter sends it
  await page.goto(BASE + '/#/cite');
  await settled(page);
  await page.focus('#cite-q');
  await page.keyboard.type('tinh trang tu dien bien tu chuyen hoa', { delay: 5 });
  await page.keyboard.press('Control+Enter');
  await page.waitForFunction(() => location.hash.startsWith('#/cite?q='));
  await settled(page);
  const ids = await page.locator('#cite-hits .cite-hit').evaluateAll((els) => els.map((e) => e.dataset.id));
  ok(!ids.includes('extra/kl-85-2024-mat.txt'), 'a restricted text is no source for a public reader', ids);
}

async function concordance(page, context) {
  // from a search, the same words as a concordance
  await searchFor(page, 'kinh tế tư nhân');
  ok(await page.locator('#also').isVisible(), 'the search offers the citation finder and the concordance');
  ok((await page.getAttribute('#also-cite', 'href')).startsWith('#/cite?q='), 'a link to trace the words as a quote');
  await page.click('#also-kwic');
  await page.waitForFunction(() => location.hash.startsWith('#/kwic?q='));
  await settled(page);
  ok((await page.inputValue('#kwic-q')) === 'kinh tế tư nhân', 'the concordance takes the words', await page.inputValue('#kwic-q'));
  const n = await page.locator('#kwic-lines .kwic-line').count();
  ok(n > 5, 'lines of the phrase in context', n);
  const status = await page.textContent('#kwic-status');
  ok(new RegExp('“kinh tế tư nhân”: ' + n + ' lần, trong \\d+ văn bản').test(status), 'the count of uses and documents', status);
  const dates = await page.locator('#kwic-lines .kwic-line').evaluateAll((els) => els.map((e) => e.dataset.date).filter(Boolean));
  ok(dates.every((d, i) => i === 0 || dates[i - 1] <= d), 'earliest use first', dates);
  const row = page.locator('#kwic-lines .kwic-line').first();
  const parts = await row.evaluate((li) => ({
    left: li.querySelector('.kwic-left').getBoundingClientRect(),
    match: li.querySelector('.kwic-match').getBoundingClientRect(),
    text: li.querySelector('.kwic-match').textContent,
  }));
  ok(/kinh tế tư nhân/i.test(parts.text), 'the phrase is the middle column', parts.text);
  ok(Math.abs(parts.left.right - parts.match.left) < 12, 'the left context ends against the phrase', parts);
  const xs = await page.locator('#kwic-lines .kwic-match').evaluateAll((els) => els.slice(0, 10).map((e) => Math.round(e.getBoundingClientRect().left)));
  ok(xs.every((x) => x === xs[0]), 'every phrase starts at the same place', xs);
  // the chart of uses per year
  ok(await page.locator('#kwic-chart').isVisible(), 'a chart of uses per year');
  const bars = await page.locator('#kwic-chart svg [role="listitem"]').evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
  ok(bars.length > 0 && bars.every((b) => /^\d{4}: \d+ lần$/.test(b)), 'each year a bar with its name', bars);
  const total = bars.reduce((t, b) => t + Number(b.split(': ')[1].split(' ')[0]), 0);
  ok(total === n, 'the bars add up to the lines', [total, n]);
  ok((await page.locator('#kwic-chart svg rect.kwic-bar').count()) === bars.length, 'drawn as inline SVG bars');
  await shot(page, '14-kwic');
  // newest first
  await page.selectOption('#kwic-sort', '-date');
  await page.waitForFunction(() => location.hash.includes('sort=-date'));
  await settled(page);
  const desc = await page.locator('#kwic-lines .kwic-line').evaluateAll((els) => els.map((e) => e.dataset.date).filter(Boolean));
  ok(desc.length === dates.length && desc.every((d, i) => i === 0 || desc[i - 1] >= d), 'newest use first', desc);
  // a line opens its document at the occurrence
  const href = await page.locator('#kwic-lines .kwic-match').first().getAttribute('href');
  await page.locator('#kwic-lines .kwic-match').first().click();
  await page.waitForSelector('#doc-title');
  await settled(page);
  ok(page.url().includes('at=') && (await page.locator('#doc .doc-text .target').count()) === 1, 'a line opens the document at the occurrence', href);
  ok((await page.locator('#doc .doc-text .target mark').count()) > 0, 'with the phrase marked');

  // A long concordance, read from the stream as it comes: the network
  // slowed to a trickle, lines show while the answer still arrives, and
  // the stop button ends it (the order of events, not a clock).
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: 64 * 1024, uploadThroughput: -1 });
  await page.goto(BASE + '/#/kwic?q=' + encodeURIComponent('trạm quan trắc thủy văn tự động'));
  await page.waitForSelector('#kwic-lines .kwic-line');
  const early = await page.evaluate(() => ({ n: document.querySelectorAll('#kwic-lines .kwic-line').length, status: document.getElementById('kwic-status').textContent, stop: document.getElementById('kwic-stop').disabled }));
  ok(early.n > 0 && early.status.startsWith('Đang tìm') && !early.stop, 'lines show while the stream still comes, the stop button ready', early);
  await page.waitForFunction((k) => document.querySelectorAll('#kwic-lines .kwic-line').length > k, early.n);
  ok(true, 'more lines arrive as they are read');
  ok(/^Đã nhận [\d.]+ dòng…$/.test(await page.textContent('#kwic-count')), 'a running count', await page.textContent('#kwic-count'));
  await shot(page, '15-kwic-streaming');
  await page.click('#kwic-stop');
  await page.waitForFunction(() => /^Đã dừng sau/.test(document.getElementById('kwic-status').textContent));
  const after = await page.evaluate(() => {
    const n = document.querySelectorAll('#kwic-lines .kwic-line').length;
    return { n, want: 'Đã dừng sau ' + n.toLocaleString('vi-VN') + ' dòng.', status: document.getElementById('kwic-status').textContent, stop: document.getElementById('kwic-stop').disabled, chart: document.getElementById('kwic-chart-title').textContent };
  });
  ok(after.n < 5000 && after.status === after.want, 'stop ends the stream where it was', after);
  ok(after.stop && after.chart.includes('đã nhận'), 'stopped: the chart counts the lines received', after);
  await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
  await cdp.detach();
  // the daemon's search ends with the stream
  let streams = -1;
  for (let i = 0; i < 100 && streams !== 0; i++) {
    const m = await (await fetch(BASE + '/metrics')).text();
    streams = Number((/^polsearch_kwic_streams (\d+)$/m.exec(m) || [])[1]);
    if (streams !== 0) await page.waitForTimeout(100);
  }
  ok(streams === 0, 'stopping ends the search in the daemon', streams);
}

async function nearDuplicates(page) {
  await page.goto(BASE + '/#/doc/dang/nq-68-2025.txt');
  await page.waitForSelector('#doc-title');
  await settled(page);
  const buttons = page.locator('#doc .doc-text button.similar-btn');
  ok((await buttons.count()) >= 5, 'a "Văn bản lặp lại" button on every passage', await buttons.count());
  // by keyboard: focus the button of Phần II and press Enter
  const b = page.locator('#doc .doc-text button.similar-btn[data-passage="2"]');
  ok((await b.getAttribute('aria-label')) === 'Văn bản lặp lại Phần II', 'the button names its passage', await b.getAttribute('aria-label'));
  await b.focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector('#similar-2 .similar-head');
  ok((await b.getAttribute('aria-expanded')) === 'true', 'the button says its panel is open');
  const head = await page.textContent('#similar-2 .similar-head');
  ok(/^\d+ văn bản khác lặp lại câu của Phần II/.test(head), 'how many documents repeat the passage', head);
  const links = await page.locator('#similar-2 .similar-list > li > a').evaluateAll((els) => els.map((a) => a.getAttribute('href')));
  ok(links.length > 0 && links.every((h) => h.startsWith('#/doc/')), 'each repeating document linked', links);
  ok(links.some((h) => h.includes('nq-12-tu-nghe-an-2025')), 'the later resolution that repeats it', links);
  ok((await page.textContent('#similar-2')).includes('Ban hành sau'), 'later documents listed as such');
  ok((await page.locator('#similar-2 .similar-ex li').count()) > 0, 'with the sentences as they repeat them');
  await page.locator('#similar-2').scrollIntoViewIfNeeded();
  await shot(page, '16-similar');
  // hidden texts repeat the closing passage: not for a public reader
  await page.locator('#doc .doc-text button.similar-btn[data-passage="5"]').click();
  await page.waitForSelector('#similar-5 .similar-head');
  const hidden = await page.locator('#similar-5 .similar-list > li').evaluateAll((els) => els.map((e) => e.dataset.id));
  ok(!hidden.includes('extra/kl-85-2024-mat.txt') && !hidden.includes('extra/tb-112-2023-luu-hanh-noi-bo.txt'), 'no restricted or internal text among them', hidden);
  // close, and follow a link
  await page.locator('#similar-5 button.secondary').click();
  ok((await page.locator('#similar-5').count()) === 0, 'the panel closes');
  await page.locator('#similar-2 .similar-list > li > a').first().click();
  await page.waitForSelector('#doc-title');
  await settled(page);
  ok(page.url().includes('#/doc/') && !page.url().includes('nq-68-2025'), 'a repeating document opens', page.url());
}

async function hostile(page) {
  // search results with the hostile document
  await page.goto(BASE + '/#/search?q=xsszzmarker');
  await settled(page);
  const hitTitle = await page.locator('#hits .hit-title a').first().textContent();
  ok(hitTitle.includes('<script>alert(1)</script>'), 'a hostile title shows as text in the hits', hitTitle);
  ok(await page.evaluate(() => document.querySelectorAll('#hits script, #hits img, #hits svg, #hits [onerror], #hits [onload], #hits b').length === 0), 'no element made from hostile hit fields');
  const snip = await page.locator('#hits .snippet').first().textContent();
  ok(snip.includes('<') || snip.includes('alert'), 'the hostile snippet shows as text', snip);
  await shot(page, '09-hostile-hits');
  // the hostile document
  await page.locator('#hits .hit-title a').first().click();
  await page.waitForSelector('#doc-title');
  await settled(page);
  await page.waitForFunction(() => document.querySelectorAll('#doc .doc-text p').length > 0);
  const t = await page.textContent('#doc-title');
  ok(t.includes('<script>alert(1)</script>') && t.includes('onerror=alert(2)'), 'a hostile title shows as text', t);
  const text = await page.textContent('#doc .doc-text');
  ok(text.includes('<script>alert(5)</script>') && text.includes('<img src=x onerror=alert(6)>'), 'hostile text shows as text');
  const meta = await page.textContent('#doc .doc-meta');
  ok(meta.includes('<b onmouseover=alert(4)>'), 'a hostile issuer shows as text', meta);
  const injected = await page.evaluate(() => ({
    scripts: [...document.scripts].map((s) => s.src || 'inline:' + s.textContent.slice(0, 40)),
    imgs: document.querySelectorAll('img').length,
    svgs: document.querySelectorAll('#doc svg, #hits svg').length,
    handlers: [...document.querySelectorAll('*')].filter((e) => [...e.attributes].some((a) => a.name.startsWith('on'))).length,
    hrefs: [...document.querySelectorAll('a[href]')].map((a) => a.getAttribute('href')).filter((h) => !h.startsWith('#')),
  }));
  ok(injected.scripts.length === 1 && injected.scripts[0].endsWith('/app.js'), 'only the app script is on the page', injected.scripts);
  ok(injected.imgs === 0 && injected.svgs === 0 && injected.handlers === 0, 'no injected element or handler', injected);
  ok(injected.hrefs.length === 0, 'every link is an app route', injected.hrefs);
  // copy its citation: the text comes out as written, nothing runs
  await page.locator('#doc .citation-box button.cite').click();
  const clip = await page.evaluate(() => navigator.clipboard.readText());
  ok(clip.includes('<script>alert(1)</script>'), 'its citation copies as text', clip);
  // suggestions with hostile titles
  await page.goto(BASE + '/');
  await page.click('#q');
  await page.keyboard.type('xsszzmarker', { delay: 20 });
  await page.waitForSelector('#suggestions [role="option"]');
  ok(await page.evaluate(() => document.querySelectorAll('#suggestions img, #suggestions script, #suggestions svg').length === 0), 'hostile suggestions show as text');
  await page.waitForTimeout(300);
  await shot(page, '10-hostile-doc');
  // hostile fields in the concordance and the citation finder
  await page.goto(BASE + '/#/kwic?q=xsszzmarker');
  await settled(page);
  ok((await page.locator('#kwic-lines .kwic-line').count()) > 0, 'the hostile text in the concordance');
  ok((await page.textContent('#kwic-lines')).includes('<script>alert(5)</script>'), 'its context shows as text');
  ok(await page.evaluate(() => document.querySelectorAll('#kwic-lines script, #kwic-lines img, #kwic-lines svg, #kwic-lines [onerror], #kwic-lines [onload]').length === 0), 'no element made from it in the concordance');
  await page.goto(BASE + '/#/cite?q=' + encodeURIComponent('xsszzmarker <script>alert(5)</script> và <img src=x onerror=alert(6)>'));
  await settled(page);
  ok((await page.locator('#cite-hits .cite-hit').count()) > 0, 'the hostile text as a source');
  const citeText = await page.textContent('#cite-hits');
  ok(citeText.includes('<script>alert(1)</script>') && citeText.includes('<script>alert(5)</script> và <img src=x onerror=alert(6'), 'its title and text show as text in the citation finder', citeText.slice(0, 300));
  ok(await page.evaluate(() => document.querySelectorAll('#cite-hits script, #cite-hits img, #cite-hits svg, #cite-hits [onerror], #cite-hits [onload]').length === 0), 'no element made from it in the citation finder');
  // the hostile id in the route
  await page.goto(BASE + '/#/doc/' + HOSTILE_ID.split('/').map(encodeURIComponent).join('/'));
  await page.waitForSelector('#doc-title');
  await settled(page);
  await page.waitForTimeout(300);
  ok((await page.textContent('#doc-title')).includes('<script>'), 'a hostile id opens by its URL');
  ok(await page.evaluate(() => window.__xss === undefined), 'no injected script ran');
}

async function phone(context) {
  const page = await context.newPage();
  watch(page);
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(BASE + '/#/search?q=chuy%E1%BB%83n+%C4%91%E1%BB%95i+s%E1%BB%91');
  await settled(page);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  ok(overflow <= 1, 'phone: no sideways scrolling on results', overflow);
  ok(!(await page.evaluate(() => document.getElementById('filters').open)), 'phone: filters start folded');
  const hitBox = await page.locator('#hits .hit').first().boundingBox();
  ok(hitBox && hitBox.width <= 390, 'phone: hits fit the width', hitBox);
  await page.screenshot({ path: join(SHOTS, '11-phone-results.png') });
  await page.click('#filters summary');
  ok(await page.evaluate(() => document.getElementById('filters').open), 'phone: filters open on a tap');
  await page.locator('#hits .hit-title a').first().click().catch(async () => {
    await page.click('#filters summary');
    await page.locator('#hits .hit-title a').first().click();
  });
  await page.waitForSelector('#doc-title');
  await settled(page);
  await page.waitForFunction(() => document.querySelectorAll('#doc .doc-text p').length > 0);
  const overflow2 = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  ok(overflow2 <= 1, 'phone: no sideways scrolling on a document', overflow2);
  ok(await page.locator('#search-view').isHidden(), 'phone: only the document shows');
  await page.screenshot({ path: join(SHOTS, '12-phone-document.png') });
  // the citation finder and the concordance fit a phone too
  await page.goto(BASE + '/#/cite?q=' + encodeURIComponent('khoa hoc cong nghe doi moi sang tao va chuyen doi so'));
  await settled(page);
  ok((await page.locator('#cite-hits .cite-hit').count()) > 0 && (await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 1, 'phone: the citation finder fits the width');
  await page.screenshot({ path: join(SHOTS, '17-phone-cite.png') });
  await page.goto(BASE + '/#/kwic?q=' + encodeURIComponent('chuyển đổi số'));
  await settled(page);
  const kw = await page.evaluate(() => ({ over: document.documentElement.scrollWidth - window.innerWidth, lines: document.querySelectorAll('#kwic-lines .kwic-line').length, chart: document.getElementById('kwic-chart').getBoundingClientRect().width }));
  ok(kw.lines > 0 && kw.over <= 1 && kw.chart <= 390, 'phone: the concordance and its chart fit the width', kw);
  await page.screenshot({ path: join(SHOTS, '18-phone-kwic.png') });
  await page.close();
}
