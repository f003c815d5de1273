'use strict';
// node bench/report-open.js PAGE LOADS: opens PAGE from disk LOADS times, each in a fresh offline context of one
// headless Chromium, and prints one line a load: "load=K ms=T" with T the milliseconds from the start of the
// navigation to the first frame in which every chart is drawn. Exits non-zero if a chart stays undrawn, the page
// reaches for the network or logs an error. bench/report-open.sh runs it (with tests/Browser's packages installed).
const { launchBrowser, openOffline, undrawnCharts } = require('../tests/Browser/harness');

const DRAW_TIMEOUT_MS = 60_000;

async function main() {
  const [page, loads] = process.argv.slice(2);
  if (!page || !(Number(loads) >= 1)) throw new Error('usage: node bench/report-open.js PAGE LOADS');
  const browser = await launchBrowser();
  try {
    for (let load = 1; load <= Number(loads); load++) {
      const opened = await openOffline(browser, page, 'commit');
      try {
        // Polled from the navigation's commit on animation frames: performance.now() (counted from the navigation's
        // start) of the first frame that shows every chart.
        const drawnAt = await opened.page.waitForFunction(`(${undrawnCharts})().length === 0 && performance.now()`, null, {
          timeout: DRAW_TIMEOUT_MS,
          polling: 'raf',
        });
        const problems = [...opened.errors, ...opened.remoteRequests.map((url) => `request left the disk: ${url}`)];
        if (problems.length > 0) throw new Error(problems.join('\n'));
        console.log(`load=${load} ms=${(await drawnAt.jsonValue()).toFixed(0)}`);
      } finally {
        await opened.context.close();
      }
    }
  } finally {
    await browser.close();
  }
}

main().catch((error) => {
  console.error(`report-open.js: ${error.message}`);
  process.exit(1);
});
