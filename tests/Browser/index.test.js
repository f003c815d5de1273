'use strict';
// reports/index.html as a person uses it, offline in headless Chromium: the runs listed (a damaged one as damaged),
// sorted by a header click, filtered, and compared against the run the person marks as the baseline, with the same
// numbers as `loadgen compare` writes for the same runs.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { launchBrowser, openOffline, waitForCharts } = require('./harness');
const { RUNS } = require('./pages');

const TEST_DATA = path.resolve(__dirname, '../LoadGen.Tests/Reports/TestData');
const ARTIFACTS = path.join(__dirname, 'artifacts');
const LOADGEN_TIMEOUT_MS = 120_000;
// A run whose result.json holds a histogram that is not one: it must be listed as damaged and harm no other run.
const DAMAGED = '20261101-120400-damaged';

let work;
let reports;
let browser;

function loadgen(...args) {
  if (!process.env.LOADGEN_DLL) throw new Error('set LOADGEN_DLL to the path of loadgen.dll (scripts/test.sh does)');
  return execFileSync('dotnet', [path.resolve(process.env.LOADGEN_DLL), ...args], {
    cwd: work,
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: LOADGEN_TIMEOUT_MS,
  });
}

const runDir = (folder) => path.join(reports, folder);
const resultOf = (folder) => JSON.parse(fs.readFileSync(path.join(runDir(folder), 'result.json'), 'utf8'));

before(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-index-'));
  reports = path.join(work, 'reports');
  for (const [name, folder] of Object.entries(RUNS)) fs.cpSync(path.join(TEST_DATA, name), runDir(folder), { recursive: true });
  const damaged = JSON.parse(fs.readFileSync(path.join(TEST_DATA, 'unary-closed', 'result.json'), 'utf8'));
  damaged.totals.latency.encoded = 'HISTFAAAAAAAAAAAAAAA';
  fs.mkdirSync(runDir(DAMAGED));
  fs.writeFileSync(path.join(runDir(DAMAGED), 'result.json'), JSON.stringify(damaged));
  // Writing one run's report writes the index beside the runs.
  loadgen('report', runDir(RUNS['unary-open']));
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

// Opens the index offline, runs ACT, keeps a screenshot and fails on anything that erred or left the disk.
async function onIndex(shot, act) {
  const { context, page, errors, remoteRequests } = await openOffline(browser, path.join(reports, 'index.html'));
  try {
    await act(page);
    await page.screenshot({ path: path.join(ARTIFACTS, `${shot}.png`), fullPage: true });
    assert.deepEqual(remoteRequests, [], 'requests that left the disk');
    assert.deepEqual(errors, [], 'errors on the page');
  } finally {
    await context.close();
  }
}

// A header by its whole text ("calls/s", not "load (callers or calls/s)").
const escaped = (text) => text.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&');
const header = (page, text) => page.locator('#runs-table thead th', { hasText: new RegExp(`^${escaped(text)}$`) });

const listedRuns = (page) =>
  page.$$eval('#runs-table tbody tr', (rows) => rows.filter((row) => !row.hidden).map((row) => row.dataset.run));

test('the index lists every run, and the damaged one as damaged with what is wrong', async () => {
  await onIndex('index', async (page) => {
    assert.deepEqual((await listedRuns(page)).sort(), Object.values(RUNS).sort());
    const damaged = await page.$$eval('#damaged-table tr.damaged', (rows) => rows.map((row) => [row.dataset.run, row.cells[1].textContent]));
    assert.equal(damaged.length, 1);
    assert.equal(damaged[0][0], DAMAGED);
    assert.match(damaged[0][1], /^DAMAGED: .*result\.json is damaged: totals\.latency\.encoded is not an encoded HdrHistogram/);
  });
});

test('a click on a header sorts the runs by that column, a second click the other way', async () => {
  // The order is checked against the runs' own result.json (hostile is a copy of unary-closed: ties may fall either way).
  const rates = (folders) => folders.map((folder) => resultOf(folder).totals.callsPerSecond);
  const ascending = (values) => values.every((v, i) => i === 0 || values[i - 1] <= v);
  await onIndex('index-sorted', async (page) => {
    await header(page, 'calls/s').click();
    const up = await listedRuns(page);
    assert.deepEqual([...up].sort(), Object.values(RUNS).sort());
    assert.ok(ascending(rates(up)), `calls/s after one click: ${rates(up)}`);
    assert.ok(rates(up)[0] < rates(up)[up.length - 1], 'the fixtures differ in calls/s');
    await header(page, 'calls/s').click();
    const down = await listedRuns(page);
    assert.ok(ascending(rates(down).reverse()), `calls/s after two clicks: ${rates(down)}`);
    await header(page, 'run').click();
    const names = await page.$$eval('#runs-table tbody tr td:nth-child(4)', (cells) => cells.map((c) => c.textContent.toLowerCase()));
    assert.deepEqual(names, [...names].sort());
  });
});

test('the filter keeps the runs that hold every word typed', async () => {
  await onIndex('index-filtered', async (page) => {
    await page.fill('#runs-filter', 'bidi');
    assert.deepEqual(await listedRuns(page), [RUNS.bidi]);
    await page.fill('#runs-filter', 'Unary  closed');
    assert.deepEqual(await listedRuns(page), [RUNS['unary-closed']]);
    await page.fill('#runs-filter', 'unary');
    assert.deepEqual((await listedRuns(page)).sort(), [RUNS['unary-open'], RUNS['unary-closed'], RUNS.hostile].sort());
    assert.equal(await page.textContent('#runs-shown'), '3 of 4 runs shown');
    await page.fill('#runs-filter', '');
    assert.equal((await listedRuns(page)).length, 4);
  });
});

// Reads a delta table's rows: figure id → the texts of its cells.
const deltaRows = (page, table) =>
  page.$$eval(`${table} tr[data-figure]`, (rows) => Object.fromEntries(rows.map((row) => [row.dataset.figure, [...row.cells].map((c) => c.textContent)])));

test('Compare compares against the marked baseline, with the same numbers as loadgen compare', async () => {
  // The baseline is the run lower in the table, so that the newest ticked run cannot pass for it.
  const [other, baseline] = [RUNS['unary-open'], RUNS['unary-closed']].sort((a, b) => resultOf(b).startedAt.localeCompare(resultOf(a).startedAt));
  const comparePage = path.join(work, 'compare.html');
  loadgen('compare', runDir(baseline), runDir(other), '-o', comparePage);
  let expected;
  const opened = await openOffline(browser, comparePage);
  try {
    expected = await deltaRows(opened.page, '#delta-table');
  } finally {
    await opened.context.close();
  }
  assert.ok(Object.keys(expected).length >= 8, `compare.html's delta table: ${JSON.stringify(expected)}`);

  await onIndex('index-compare', async (page) => {
    await page.check(`input.baseline[value="${baseline}"]`);
    await page.check(`input.pick[value="${other}"]`);
    assert.equal(await page.textContent('#compare-baseline'), `Baseline: ${baseline}`);
    await page.click('#compare-button');
    assert.equal(await page.textContent('#compare-error'), '');
    const columns = await page.$$eval('#compare-delta-table tr:first-child th', (cells) => cells.map((c) => c.textContent));
    assert.deepEqual(columns, ['figure', `${baseline} (baseline)`, other, 'vs baseline']);
    assert.deepEqual(await deltaRows(page, '#compare-delta-table'), expected);
    // The overlays' traces come from each run's own charts file, loaded from disk only now.
    assert.deepEqual(await waitForCharts(page), [], 'overlay charts not drawn');
    const names = await page.$$eval('#chart-compare-throughput', (charts) => charts[0].data.map((t) => t.name));
    assert.ok(names.some((n) => n.startsWith(baseline)) && names.some((n) => n.startsWith(other)), `traces: ${names}`);
  });
});

test('Compare without a marked baseline says so', async () => {
  await onIndex('index-no-baseline', async (page) => {
    await page.check(`input.pick[value="${RUNS['unary-open']}"]`);
    await page.check(`input.pick[value="${RUNS['unary-closed']}"]`);
    await page.click('#compare-button');
    assert.equal(await page.textContent('#compare-error'), 'Mark one run as the baseline.');
    assert.equal(await page.isHidden('#compare-result'), true);
  });
});
