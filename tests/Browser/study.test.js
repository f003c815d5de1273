'use strict';
// The study page of a real sweep: scripts/test.sh runs the demo and names its study.html in STUDY_PAGE. The verdict
// cards come first, and the reference lines the lesson needs are drawn with the values that the sweep's own work
// implies: read back from the figures plotly drew, and checked against the sweep shown on the same page.
const { test, before, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const { launchBrowser, openOffline, waitForCharts, VIEWPORT } = require('./harness');

const STUDY = process.env.STUDY_PAGE;
const skip = STUDY ? false : 'STUDY_PAGE is not set: scripts/test.sh runs the demo and sets it';

let browser;
let opened;
let sweep;
let cores;
let profiles;

before(async () => {
  if (!STUDY) return;
  assert.ok(fs.existsSync(STUDY), `the demo wrote no study page at ${STUDY}`);
  browser = await launchBrowser();
  opened = await openOffline(browser, STUDY);
  assert.deepEqual(await waitForCharts(opened.page), [], 'charts not drawn');
  const { page } = opened;
  sweep = JSON.parse(await page.$eval('#sweep-json', (pre) => pre.textContent));
  cores = Number(await page.$eval('#environment', (s) => s.textContent.match(/cores\s*(\d+)/)[1]));
  // Section profile-I, in the page's order, with the sweep's profile of the same name.
  const names = await page.$$eval('section[id^="profile-"] h2', (hs) => hs.map((h) => h.textContent.replace(/^Profile /, '')));
  profiles = names.map((name, i) => ({ number: i + 1, name, work: sweep.profiles.find((p) => p.name === name) }));
});

after(async () => {
  await opened?.context.close();
  await browser?.close();
});

// "20ms", "1.5s", "500us" as milliseconds: the durations a sweep file writes.
function millis(duration) {
  const [, value, unit] = String(duration).match(/^([\d.]+)\s*(us|µs|ms|s|m)$/);
  return Number(value) * { us: 0.001, µs: 0.001, ms: 1, s: 1000, m: 60000 }[unit];
}

// The traces of chart ID as plotly holds them: name, points, line and tooltip.
function traces(id) {
  return opened.page.evaluate((chartId) => {
    // Names and tooltips reach plotly HTML-encoded (a run name is the user's text); read them as a person does.
    const decode = (html) => {
      const area = document.createElement('textarea');
      area.innerHTML = html;
      return area.value;
    };
    const chart = document.getElementById(chartId);
    return chart.data.map((t) => ({
      name: decode(t.name ?? ''),
      mode: t.mode,
      x: Array.from(t.x ?? []),
      y: Array.from(t.y ?? []),
      width: t.line?.width ?? 2,
      text: t.text ? Array.from(t.text, decode) : null,
      hovertemplate: t.hovertemplate ?? null,
    }));
  }, id);
}

function layout(id) {
  return opened.page.evaluate((chartId) => JSON.parse(JSON.stringify(document.getElementById(chartId).layout)), id);
}

function close(actual, expected, what) {
  assert.ok(Math.abs(actual - expected) <= 1e-6 * Math.max(1, Math.abs(expected)), `${what}: ${actual}, expected ${expected}`);
}

// What N instances of WORK can serve at most by construction: slots k over the service time, or the cores the
// calls may burn (a pinned instance gets one, up to the machine's) over the CPU per call; the lower binds.
function bound(work, instances) {
  const cpu = millis(work.cpu ?? '0ms');
  const service = millis(work.delay ?? '0ms') + cpu;
  const capacity = work.capacity > 0 && service > 0 ? (instances * work.capacity) / (service / 1000) : Infinity;
  const usable = work.pin ? Math.min(instances, cores) : cores;
  const onCores = cpu > 0 ? usable / (cpu / 1000) : Infinity;
  return { value: Math.min(capacity, onCores), kind: capacity <= onCores ? 'capacity' : 'cores' };
}

test('the verdict cards come first, one per profile, with the contents after them', { skip }, async () => {
  const { page } = opened;
  assert.equal(await page.$eval('section', (s) => s.id), 'verdict');
  const cards = await page.$$eval('#verdict .verdict', (ds) => ds.map((d) => ({ text: d.textContent, top: d.getBoundingClientRect().top })));
  assert.equal(cards.length, profiles.length);
  cards.forEach((card, i) => {
    assert.ok(card.text.startsWith(`${profiles[i].name}: `), card.text);
    assert.ok(card.top < VIEWPORT.height, `card ${i + 1} is below the first screen (${card.top} px)`);
  });
  // Each card is the lesson in a line, over the instances the sweep ran; σ, κ and λ come later, in the findings.
  assert.ok(cards.every((c) => /\d+ instances/.test(c.text) && !/[σκλ]/.test(c.text)), cards.map((c) => c.text).join(' | '));
  const contents = await page.$$eval('#contents a', (as) => as.map((a) => a.getAttribute('href')));
  assert.deepEqual(contents.slice(0, 2), ['#lesson', '#speedup']);
  for (const profile of profiles) assert.ok(contents.includes(`#profile-${profile.number}`));
  assert.ok(await page.$eval('#verdict', (v) => v.nextElementSibling.id === 'contents'));
});

test('each scaling chart draws its bound N·k/S or cores × 1/cpu, the core count and the ideal line above the fit', { skip }, async () => {
  for (const { number, name, work } of profiles) {
    const chart = await traces(`chart-scaling-${number}`);
    const measured = chart.find((t) => t.name.startsWith('measured'));
    const [first, last] = [measured.x[0], measured.x[measured.x.length - 1]];

    const expected = bound(work, first).kind;
    const line = chart.find((t) => t.name.startsWith(`${expected} bound`));
    assert.ok(line, `${name}: no ${expected} bound line among ${chart.map((t) => t.name).join(', ')}`);
    assert.deepEqual(line.x, Array.from({ length: last - first + 1 }, (_, i) => first + i));
    line.x.forEach((n, i) => close(line.y[i], bound(work, n).value, `${name}: ${expected} bound at ${n} instances`));

    const marker = chart.find((t) => t.name === `${cores} cores (this machine)`);
    assert.ok(marker, `${name}: no marker at the core count`);
    assert.deepEqual(marker.x, [cores, cores]);

    const ideal = chart.findIndex((t) => t.name.startsWith('ideal'));
    close(chart[ideal].y[1], (last / first) * measured.y[0], `${name}: ideal at ${last} instances`);
    const fit = chart.findIndex((t) => t.name === 'USL fit');
    assert.ok(fit >= 0, `${name}: no USL fit`);
    assert.ok(ideal > fit, `${name}: the ideal line is drawn under the fit`);
    assert.ok(chart[ideal].width > chart[fit].width, `${name}: the ideal line is no wider than the fit`);
  }
});

test('the speedup chart keeps the ideal line above every fit and marks the core count', { skip }, async () => {
  const chart = await traces('chart-speedup');
  const ideal = chart.findIndex((t) => t.name.startsWith('ideal'));
  const fits = chart.map((t, i) => (t.name.endsWith('USL fit') ? i : -1)).filter((i) => i >= 0);
  assert.equal(fits.length, profiles.length);
  assert.ok(fits.every((i) => i < ideal), 'a fit is drawn over the ideal line');
  assert.deepEqual(chart[ideal].y, chart[ideal].x.map((n) => n / chart[ideal].x[0]));
  assert.ok(chart.some((t) => t.name === `${cores} cores (this machine)` && t.x[0] === cores && t.x[1] === cores));
});

test("each load curve draws its bound and Little's law L/W visibly, with the table's values", { skip }, async () => {
  for (const { number, name, work } of profiles) {
    const chart = await traces(`chart-load-${number}`);
    const throughput = chart.findIndex((t) => t.name === 'throughput (calls/s)');
    const little = chart.findIndex((t) => t.name.startsWith("Little's law"));
    assert.ok(little > throughput, `${name}: L/W is drawn under the throughput`);
    assert.equal(chart[little].mode, 'markers', `${name}: L/W should be its own markers, not a line under the throughput`);

    // The table beside the chart: L/W per level (calls/s, rounded to a tenth).
    const rows = await opened.page.$$eval(`#table-little-${number} tr`, (trs) => trs.slice(1).map((tr) => [...tr.cells].map((c) => c.textContent)));
    assert.equal(rows.length, chart[little].y.length);
    rows.forEach((row, i) => assert.equal(chart[little].y[i].toFixed(1), row[5], `${name}: L/W at ${row[0]}`));

    const instances = Number((await opened.page.$eval(`#profile-${number}`, (s) => s.textContent)).match(/over (?:concurrency|offered load) on (\d+) instance/)[1]);
    const line = chart.find((t) => / bound /.test(t.name));
    assert.ok(line, `${name}: no bound on the load curve`);
    line.y.forEach((y) => close(y, bound(work, instances).value, `${name}: bound on ${instances} instance(s)`));
    assert.equal((await layout(`chart-load-${number}`)).xaxis.type, 'log');
  }
});

test('the hockey stick puts every fleet on one scale of load per instance, on a log axis', { skip }, async () => {
  const levels = sweep.concurrency ?? sweep.rate;
  for (const { number, name } of profiles) {
    const chart = await traces(`chart-hockey-${number}`);
    const fleets = chart.filter((t) => /^\d+ instances?: p99$/.test(t.name));
    assert.equal(fleets.length, sweep.instances.length, `${name}: one line per instance count`);
    for (const fleet of fleets) {
      const instances = Number(fleet.name.match(/^\d+/)[0]);
      const expected = sweep.perInstance ? levels : levels.map((l) => l / instances);
      assert.deepEqual(fleet.x, expected, `${name}: ${fleet.name} over load per instance`);
    }
    assert.equal((await layout(`chart-hockey-${number}`)).xaxis.type, 'log');
  }
});

test("every measured point's tooltip names its run, its load and the value with its unit", { skip }, async () => {
  const runs = await opened.page.$$eval('#cells-table tr td:first-child a', (as) => as.map((a) => a.textContent));
  const charts = ['chart-speedup', ...profiles.flatMap(({ number }) => [`chart-scaling-${number}`, `chart-load-${number}`, `chart-hockey-${number}`])];
  for (const id of charts) {
    for (const trace of await traces(id)) {
      assert.ok(trace.hovertemplate, `${id}: ${trace.name} has no tooltip`);
      if (!trace.text) continue;
      assert.equal(trace.text.length, trace.x.length, `${id}: ${trace.name}`);
      for (const text of trace.text) {
        if (/ bound: /.test(text)) {
          assert.match(text, /calls\/s$/);
          continue;
        }
        assert.ok(runs.some((run) => text.startsWith(`${run}<br>`)), `${id}: ${trace.name}: ${text} names no run of the study`);
        assert.match(text, /<br>\d+ instances?, [\d.]+( concurrent|\/s)<br>/);
        assert.match(text.split('<br>')[2], /\d (calls\/s|ms)\b|\d×/);
      }
    }
  }
});
