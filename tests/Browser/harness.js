'use strict';
// Opens pages from disk in Debian's headless Chromium with the network off, and tells what went wrong on them.
// Shared by the browser tests and bench/report-open.sh, which measure and check the same pages the same way.
const { chromium } = require('playwright-core');
const { pathToFileURL } = require('node:url');

// Debian's package: a test tool's own browser download cannot reach its host here.
const CHROMIUM = '/usr/bin/chromium';
// Without the background-networking flags Chromium keeps trying to reach its own services, which this machine's
// closed network refuses; Playwright gives every launch a fresh, empty profile.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
// Wider than the pages' 1280 px column, so charts get their full width; one screen high for viewport screenshots.
const VIEWPORT = { width: 1400, height: 900 };

function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

// A context that cannot reach any network: offline, and every request that is not for a file is aborted and
// recorded, so that a page that reached for a CDN fails its test instead of quietly drawing nothing.
async function offlineContext(browser) {
  const context = await browser.newContext({ offline: true, viewport: VIEWPORT });
  const remoteRequests = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (new URL(url).protocol === 'file:') return route.continue();
    remoteRequests.push(url);
    return route.abort('internetdisconnected');
  });
  return { context, remoteRequests };
}

// Collects the page's console errors, uncaught exceptions and dialogs (a run name that reached the page as markup
// could open one) from now on.
function collectErrors(page) {
  const errors = [];
  page.on('dialog', (dialog) => {
    errors.push(`dialog: ${dialog.message()}`);
    return dialog.dismiss();
  });
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => errors.push(`page error: ${error.message}`));
  return errors;
}

// Opens FILE in a fresh offline context, waiting for the navigation's WAIT_UNTIL event; the caller closes the
// returned context.
async function openOffline(browser, file, waitUntil = 'load') {
  const { context, remoteRequests } = await offlineContext(browser);
  const page = await context.newPage();
  const errors = collectErrors(page);
  await page.goto(pathToFileURL(file).href, { waitUntil });
  return { context, page, errors, remoteRequests };
}

// Runs in the page: the ids of the div.chart elements that plotly has not drawn (no SVG, or an SVG without a single
// trace, as when the data failed to reach it); a page without charts counts as not drawn.
function undrawnCharts() {
  const charts = [...document.querySelectorAll('div.chart')];
  if (charts.length === 0) return ['(no div.chart on the page)'];
  const traced = (chart) =>
    [...chart.querySelectorAll('.main-svg .trace path, .main-svg .slice path')].some((path) => {
      const d = path.getAttribute('d');
      return d && d !== 'M0,0Z';
    });
  return charts.filter((chart) => !chart.querySelector('.main-svg') || !traced(chart)).map((chart) => chart.id || '(no id)');
}

// Waits until every chart on the page is drawn, and returns the ones still undrawn when TIMEOUT_MS ran out.
async function waitForCharts(page, timeoutMs = 30_000) {
  try {
    await page.waitForFunction(`(${undrawnCharts})().length === 0`, null, { timeout: timeoutMs, polling: 50 });
    return [];
  } catch (error) {
    if (error.name !== 'TimeoutError') throw error;
    return page.evaluate(undrawnCharts);
  }
}

module.exports = { launchBrowser, openOffline, collectErrors, waitForCharts, undrawnCharts, VIEWPORT };
