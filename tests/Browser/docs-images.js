'use strict';
// node tests/Browser/docs-images.js: the screenshots of docs/reports.md, taken from the pages that the browser tests
// check (pages.js; LOADGEN_DLL names the loadgen DLL), and of docs/study.md when STUDY_PAGE names a demo's study.html.
// Run it again when the pages change; each image is one section
// of a page, at most one screen high, so that it stays small in git.
const fs = require('node:fs');
const path = require('node:path');
const { launchBrowser, openOffline, waitForCharts, undrawnCharts, VIEWPORT } = require('./harness');
const { RUNS, COMPARED, buildPages } = require('./pages');

const IMAGES = path.resolve(__dirname, '../../docs/images');
// The unary open-model run shows the open-model chart; the bidi run the streaming one; the closed-model run, against
// servers with a capacity, its fleet's settings in the summary.
const REPORT_SECTIONS = {
  'unary-closed': ['summary'],
  'unary-open': ['throughput', 'latency-over-time', 'spectrum', 'histogram', 'open-model', 'servers', 'status-codes', 'generator'],
  bidi: ['streaming'],
};

async function shoot(page, selector, name) {
  const box = await page.locator(selector).boundingBox();
  if (!box) throw new Error(`${selector} is not on the page`);
  const clip = { x: box.x, y: box.y, width: box.width, height: Math.min(box.height, VIEWPORT.height) };
  await page.screenshot({ path: path.join(IMAGES, `${name}.png`), clip, fullPage: true });
}

// Opens FILE offline and runs ACT (which waits for the charts and shoots); then warns of anything that the browser
// tests fail on, which the screenshots show too.
async function withPage(browser, file, act) {
  const { context, page, errors, remoteRequests } = await openOffline(browser, file);
  try {
    await act(page);
    const undrawn = await page.evaluate(undrawnCharts);
    if (undrawn.length + errors.length + remoteRequests.length > 0) {
      console.warn(`${file}: undrawn ${undrawn}; errors ${errors}; requests ${remoteRequests}`);
    }
  } finally {
    await context.close();
  }
}

async function main() {
  const pages = buildPages();
  const browser = await launchBrowser();
  try {
    fs.mkdirSync(IMAGES, { recursive: true });
    for (const [run, sections] of Object.entries(REPORT_SECTIONS)) {
      await withPage(browser, pages.report(run), async (page) => {
        await waitForCharts(page);
        for (const section of sections) await shoot(page, `#${section}`, `report-${section}`);
      });
    }
    await withPage(browser, pages.compare, async (page) => {
      await waitForCharts(page);
      for (const section of ['key-figures', 'throughput', 'spectrum']) await shoot(page, `#${section}`, `compare-${section}`);
    });
    await withPage(browser, pages.index, async (page) => {
      // The first compared run is the baseline the person marks; marking it ticks it too.
      await page.check(`input.baseline[value="${RUNS[COMPARED[0]]}"]`);
      for (const run of COMPARED) await page.check(`input.pick[value="${RUNS[run]}"]`);
      await page.click('#compare-button');
      await waitForCharts(page);
      await page.screenshot({ path: path.join(IMAGES, 'index.png') });
    });
    // docs/study.md: from a demo's study.html, when STUDY_PAGE names one (the demo takes minutes, so it is not run here).
    if (process.env.STUDY_PAGE) {
      await withPage(browser, process.env.STUDY_PAGE, async (page) => {
        await waitForCharts(page);
        await shoot(page, '#verdict', 'study-verdict');
        await shoot(page, '#chart-scaling-2', 'study-scaling');
        await shoot(page, '#chart-load-1', 'study-load');
      });
    }
  } finally {
    await browser.close();
    fs.rmSync(pages.work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(`docs-images.js: ${error.message}`);
  process.exit(1);
});
