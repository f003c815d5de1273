'use strict';
// loadgen's pages work for a person opening them from disk with no network: the tests build the pages from fixed
// results (pages.js), open them in headless Chromium offline, and check that nothing errs, nothing is fetched and
// every chart is drawn.
// A full-page screenshot of each page is left in artifacts/ for a person to look at.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { launchBrowser, openOffline, waitForCharts } = require('./harness');
const { RUNS, COMPARED, buildPages } = require('./pages');

const ARTIFACTS = path.join(__dirname, 'artifacts');

let pages;
let browser;

before(async () => {
  pages = buildPages();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (pages) fs.rmSync(pages.work, { recursive: true, force: true });
});

// Opens FILE offline, runs ACT on the page (a person's clicks, checks of its content), waits for its charts unless
// it has none to draw yet, keeps a full-page screenshot as artifacts/SHOT.png, and asserts that every chart is drawn,
// nothing left the disk and nothing erred.
async function checkPage(file, shot, { act = async () => {}, charts = true } = {}) {
  const { context, page, errors, remoteRequests } = await openOffline(browser, file);
  try {
    await act(page);
    const undrawn = charts ? await waitForCharts(page) : [];
    await page.screenshot({ path: path.join(ARTIFACTS, `${shot}.png`), fullPage: true });
    assert.deepEqual(undrawn, [], 'charts not drawn');
    assert.deepEqual(remoteRequests, [], 'requests that left the disk');
    assert.deepEqual(errors, [], 'errors on the page');
  } finally {
    await context.close();
  }
}

for (const run of Object.keys(RUNS)) {
  test(`report.html of ${run} draws every chart offline, without errors`, async () => {
    await checkPage(pages.report(run), `report-${run}`);
  });
}

test(`compare.html of ${COMPARED.join(' and ')} draws every chart offline, without errors`, async () => {
  await checkPage(pages.compare, 'compare');
});

// Its charts stay empty until runs are picked.
test('index.html lists every run offline, without errors', async () => {
  await checkPage(pages.index, 'index', {
    charts: false,
    act: async (page) => {
      const listed = await page.$$eval('#runs-table tr[data-run]', (rows) => rows.map((row) => row.dataset.run));
      assert.deepEqual(listed.sort(), Object.values(RUNS).sort());
    },
  });
});

test(`index.html: ticking ${COMPARED.join(' and ')} and pressing Compare draws the overlay charts`, async () => {
  await checkPage(pages.index, 'index-compare', {
    act: async (page) => {
      for (const run of COMPARED) await page.check(`input.pick[value="${RUNS[run]}"]`);
      await page.click('#compare-button');
      assert.equal(await page.textContent('#compare-error'), '');
      const columns = await page.$$eval('#compare-delta-table tr:first-child th', (cells) => cells.map((c) => c.textContent));
      for (const run of COMPARED) assert.ok(columns.includes(RUNS[run]), `the delta table's columns: ${columns}`);
    },
  });
});

// The study page of a real sweep: scripts/test.sh runs the demo (the README's first command) and names its study.html.
// Every chart draws offline, without errors, and the findings in words come first, for both of the demo's profiles.
test('study.html of the demo draws every chart offline and starts with its findings', {
  skip: process.env.STUDY_PAGE ? false : 'STUDY_PAGE is not set: scripts/test.sh runs the demo and sets it',
}, async () => {
  assert.ok(fs.existsSync(process.env.STUDY_PAGE), `the demo wrote no study page at ${process.env.STUDY_PAGE}`);
  await checkPage(process.env.STUDY_PAGE, 'study', {
    act: async (page) => {
      const first = await page.$eval('section', (section) => section.id);
      assert.equal(first, 'verdict');
      const findings = await page.$$eval('#lesson p', (ps) => ps.map((p) => p.textContent));
      assert.ok(findings.some((p) => p.startsWith('Side by side: io-bound')), `findings: ${findings.join(' | ')}`);
      assert.ok(findings.some((p) => p.startsWith('Adding instances:')), `findings: ${findings.join(' | ')}`);
      const profiles = await page.$$eval('section[id^="profile-"] h2', (hs) => hs.map((h) => h.textContent));
      assert.deepEqual(profiles, ['Profile io-bound', 'Profile cpu-bound']);
    },
  });
});

// The checks above mean something only if the guard sees a page reach out: a page that loads its library from a
// CDN must be caught, not drawn from a cache or the network.
test('the offline guard catches and blocks a page that reaches for the network', async () => {
  const file = path.join(pages.work, 'cdn.html');
  fs.writeFileSync(
    file,
    '<!DOCTYPE html><script src="https://cdn.plot.ly/plotly-2.28.0.min.js"></script><img src="http://127.0.0.1:9/x.png">',
  );
  const { context, page, errors, remoteRequests } = await openOffline(browser, file);
  try {
    assert.deepEqual(remoteRequests.sort(), ['http://127.0.0.1:9/x.png', 'https://cdn.plot.ly/plotly-2.28.0.min.js']);
    assert.equal(await page.evaluate(() => typeof window.Plotly), 'undefined');
    assert.ok(errors.length > 0, 'the failed loads show as console errors');
  } finally {
    await context.close();
  }
});
