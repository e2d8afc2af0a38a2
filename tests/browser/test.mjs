// The web page in Debian's real Chromium, driven by playwright-core (no
// browser download): search with and without diacritics, a facet, pages,
// passages, a document, a jump from the table of contents, a copied
// citation, suggestions by keyboard, a phone-sized screen, and a document
// with hostile fields that must show as text and run nothing.
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
  await page.close();
}
