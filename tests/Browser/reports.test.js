'use strict';
// loadgen's pages work for a person opening them from disk with no network: the tests build the pages from fixed
// results (pages.js), open them in headless Chromium offline, and check that nothing errs, nothing is fetched and
// every chart is drawn.
// A full-page screenshot of each page is left in artifacts/ for a person to look at.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { fileURLToPath } = require('node:url');
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
  await checkPage(pages.compare, 'compare', {
    act: async (page) => {
      await waitForCharts(page);
      for (const run of COMPARED) {
        const rates = await totalRates(page, 'chart-throughput', (name) => name.includes(` ${run}: `));
        assertNoCollapse(rates, `compare, ${run}`);
      }
    },
  });
});

// Runs in the page: the traces plotly drew in the chart ID, as [{ name, x, y }].
function traces(page, id) {
  return page.$eval(`#${id}`, (chart) => chart.data.map((t) => ({ name: t.name ?? '', x: [...t.x], y: [...t.y] })));
}

// Calls a second (succeeded + failed) at each x of the throughput chart ID, for the traces whose name PICK takes.
async function totalRates(page, id, pick = () => true) {
  const lines = (await traces(page, id)).filter((t) => /(succeeded|failed)\/s$/.test(t.name) && pick(t.name));
  assert.ok(lines.length >= 2, `throughput lines: ${lines.map((t) => t.name)}`);
  const byX = new Map();
  for (const line of lines) line.x.forEach((x, i) => byX.set(x, (byX.get(x) ?? 0) + line.y[i]));
  return [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([, rate]) => rate);
}

// A steady run's last second, as drawn, is no collapse: at least half the median of its seconds.
function assertNoCollapse(rates, what) {
  const sorted = [...rates].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)];
  assert.ok(rates.at(-1) >= median / 2, `${what}: the last second drawn is ${rates.at(-1)} calls/s against a median of ${median}: ${rates}`);
}

for (const run of ['unary-open', 'unary-closed', 'bidi']) {
  test(`report.html of ${run}: the histogram counts the run's calls, the throughput ends without a collapse, the links resolve`, async () => {
    const result = JSON.parse(fs.readFileSync(path.join(path.dirname(pages.report(run)), 'result.json'), 'utf8'));
    await checkPage(pages.report(run), `report-${run}-numbers`, {
      act: async (page) => {
        await waitForCharts(page);
        const [bars] = await traces(page, 'chart-histogram');
        assert.equal(bars.y.reduce((sum, calls) => sum + calls, 0), result.totals.latency.count);
        assertNoCollapse(await totalRates(page, 'chart-throughput'), run);
        // Written before the servers were followed: the page says so, and draws no server timeline.
        assert.match(await page.textContent('#server-timelines-absent'), /The servers were not followed in this run/);

        const links = await page.$$eval('#links a', (as) => as.map((a) => ({ text: a.textContent, url: a.href })));
        assert.deepEqual(links.map((l) => l.text), ['all runs (index)', 'result.json', 'summary.md', 'stats.csv']);
        for (const link of links) assert.ok(fs.existsSync(fileURLToPath(link.url)), `${link.text} → ${link.url}`);
      },
    });
  });
}

// A run that followed its servers: each server's timeline is drawn under the client's, and the numbers drawn and
// tabled are the ones result.json holds (the Little's law table recomputed here from the file's seconds).
test('report.html of a run that followed its servers: the per-server numbers read back equal result.json', async () => {
  const result = JSON.parse(fs.readFileSync(path.join(path.dirname(pages.extraReport('servers')), 'result.json'), 'utf8'));
  const followed = result.serverTimelines.filter((t) => t.seconds.length > 0);
  assert.ok(followed.length >= 2, `followed servers in the fixture: ${followed.length}`);
  const round3 = (x) => Math.round(x * 1000) / 1000;
  await checkPage(pages.extraReport('servers'), 'report-servers', {
    act: async (page) => {
      await waitForCharts(page);
      const inFlight = await traces(page, 'chart-server-in-flight');
      const latency = await traces(page, 'chart-server-latency');
      for (const t of followed) {
        const line = inFlight.find((l) => l.name === `${t.instanceId}: in flight`);
        assert.ok(line, `in-flight lines: ${inFlight.map((l) => l.name)}`);
        assert.deepEqual(line.x, t.seconds.map((s) => round3(s.startSeconds + s.lengthSeconds)));
        assert.deepEqual(line.y, t.seconds.map((s) => s.inFlight));
        for (const p of ['p50', 'p99']) {
          const drawn = latency.find((l) => l.name === `${t.instanceId}: ${p}`);
          assert.ok(drawn, `latency lines: ${latency.map((l) => l.name)}`);
          assert.deepEqual(drawn.y, t.seconds.filter((s) => s.callDuration).map((s) => s.callDuration[p] / 1000));
        }
      }
      assert.ok(inFlight.some((l) => l.name === 'generator: in flight'), 'the client\'s in flight beside the servers\'');

      const rows = await page.$$eval('#server-little-table tr', (trs) => trs.slice(1).map((tr) => [...tr.cells].map((td) => td.textContent)));
      const measured = result.phases.filter((p) => !p.warmup);
      const number = (text) => Number(text.replace(/,/g, ''));
      assert.equal(rows.length, followed.length);
      for (const t of followed) {
        const seconds = t.seconds.filter((s) => measured.some((p) => s.startSeconds + s.lengthSeconds / 2 >= p.startSeconds && s.startSeconds + s.lengthSeconds / 2 <= p.endSeconds));
        const length = seconds.reduce((sum, s) => sum + s.lengthSeconds, 0);
        const ended = seconds.reduce((sum, s) => sum + Object.values(s.calls).reduce((n, c) => n + c.completed + c.failed + c.cancelled, 0), 0);
        const durations = seconds.filter((s) => s.callDuration).map((s) => s.callDuration);
        const count = durations.reduce((n, d) => n + d.count, 0);
        const L = seconds.reduce((sum, s) => sum + s.inFlight, 0) / seconds.length;
        const X = ended / length;
        const W = durations.reduce((n, d) => n + d.totalMicros, 0) / count / 1000;
        const row = rows.find((r) => r[0] === t.instanceId);
        assert.ok(row, `rows: ${rows.map((r) => r[0])}`);
        assert.equal(number(row[1]), seconds.length);
        for (const [cell, expected, what] of [[row[2], L, 'L'], [row[3], X, 'X'], [row[4], W, 'W'], [row[5], X * W / 1000, 'X × W']]) {
          assert.ok(Math.abs(number(cell) - expected) <= 0.0006, `${t.instanceId} ${what}: the page says ${cell}, result.json gives ${expected}`);
        }
        assert.equal(number(row[8]), Math.max(...seconds.map((s) => s.queued)));
        assert.equal(number(row[10]), Math.max(...seconds.map((s) => s.queuedRequests)));
      }
    },
  });
});

// A C# scenario's run: its step's named sub-steps are tabled with the counts and latency result.json holds.
test('report.html of a C# run with sub-steps: the sub-step table read back equals result.json', async () => {
  const result = JSON.parse(fs.readFileSync(path.join(path.dirname(pages.extraReport('substeps')), 'result.json'), 'utf8'));
  assert.ok(result.subSteps.length >= 2 && result.subSteps.some((s) => s.failed > 0), `sub-steps in the fixture: ${JSON.stringify(result.subSteps.map((s) => s.name))}`);
  await checkPage(pages.extraReport('substeps'), 'report-substeps', {
    act: async (page) => {
      const headings = await page.$$eval('#sub-steps-table th', (ths) => ths.map((th) => th.textContent));
      assert.deepEqual(headings, ['sub-step', 'count', 'failed', 'p50 ms', 'p90 ms', 'p99 ms', 'max ms']);
      const rows = await page.$$eval('#sub-steps-table tr', (trs) => trs.slice(1).map((tr) => [...tr.cells].map((td) => td.textContent)));
      assert.deepEqual(rows.map((r) => r[0]), result.subSteps.map((s) => s.name));
      const number = (text) => Number(text.replace(/,/g, ''));
      for (const [row, step] of rows.map((r, i) => [r, result.subSteps[i]])) {
        assert.equal(number(row[1]), step.succeeded + step.failed, `${step.name} count`);
        assert.equal(number(row[2]), step.failed, `${step.name} failed`);
        // Each latency as shown, to its own last digit, against result.json's microseconds.
        for (const [cell, micros, what] of [[row[3], step.latency.p50, 'p50'], [row[4], step.latency.p90, 'p90'], [row[5], step.latency.p99, 'p99'], [row[6], step.latency.max, 'max']]) {
          const digits = cell.split('.')[1]?.length ?? 0;
          assert.ok(Math.abs(number(cell) - micros / 1000) <= 0.5 * 10 ** -digits + 1e-9, `${step.name} ${what}: the page says ${cell} ms, result.json gives ${micros} µs`);
        }
      }
    },
  });
});

// The pages share one plotly.js in the reports folder; a page copied away from it says what to do instead of
// showing empty charts or erring.
test('report.html opened away from the shared plotly.js says so and errs only on the missing file', async () => {
  // Two folders down in a folder of its own, where no ../plotly-*.min.js is.
  const alone = path.join(pages.work, 'mailed', 'run');
  fs.mkdirSync(alone, { recursive: true });
  const file = path.join(alone, 'report.html');
  fs.copyFileSync(pages.report('unary-open'), file);
  const { context, page, errors, remoteRequests } = await openOffline(browser, file);
  try {
    assert.equal(await page.isVisible('#plotly-missing'), true);
    assert.match(await page.textContent('#plotly-missing'), /plotly-.*\.min\.js, which is not there/);
    assert.equal(await page.isVisible('#summary'), true);
    assert.deepEqual(remoteRequests, []);
    assert.deepEqual(errors.filter((e) => !e.includes('ERR_FILE_NOT_FOUND')), []);
  } finally {
    await context.close();
  }
});

test('report.html in its reports folder hides the notice', async () => {
  const { context, page } = await openOffline(browser, pages.report('unary-open'));
  try {
    assert.equal(await page.isVisible('#plotly-missing'), false);
  } finally {
    await context.close();
  }
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
