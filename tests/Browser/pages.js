'use strict';
// Builds loadgen's pages from the fixed results of real runs in tests/LoadGen.Tests/Reports/TestData, as a person
// gets them: a reports/ folder of TIME-NAME run folders, each with its report.html, their index.html, and a
// compare.html of two runs of one call kind. Shared by the browser tests and docs-images.js.
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const TEST_DATA = path.resolve(__dirname, '../LoadGen.Tests/Reports/TestData');
// Folder names as loadgen run writes them (TIME-NAME); "hostile" has markup and quotes in its run name.
const RUNS = {
  'unary-open': '20261101-120000-unary-open',
  'unary-closed': '20261101-120100-unary-closed',
  bidi: '20261101-120200-bidi',
  hostile: '20261101-120300-hostile',
};
// Runs built beside the others but not among RUNS (the index tests count RUNS): one that followed its two servers
// (serverTimelines in result.json), and a C# scenario's whose step has named sub-steps (subSteps).
const EXTRA_RUNS = { servers: '20261101-120400-servers', substeps: '20261101-120500-substeps' };
// Two runs of the same call kind (unary), as a person would compare them.
const COMPARED = ['unary-open', 'unary-closed'];
const LOADGEN_TIMEOUT_MS = 120_000;

// Builds the pages with the loadgen DLL named by LOADGEN_DLL in a new temporary folder, which the caller removes.
function buildPages() {
  if (!process.env.LOADGEN_DLL) throw new Error('set LOADGEN_DLL to the path of loadgen.dll (scripts/test.sh does)');
  // loadgen runs in the temporary folder, so that nothing it writes lands elsewhere.
  const dll = path.resolve(process.env.LOADGEN_DLL);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'lab-browser-'));
  const reports = path.join(work, 'reports');
  const runDir = (run) => path.join(reports, RUNS[run]);
  const loadgen = (...args) =>
    execFileSync('dotnet', [dll, ...args], { cwd: work, stdio: ['ignore', 'pipe', 'pipe'], timeout: LOADGEN_TIMEOUT_MS });

  for (const run of Object.keys(RUNS)) fs.cpSync(path.join(TEST_DATA, run), runDir(run), { recursive: true });
  const extraDir = (run) => path.join(reports, EXTRA_RUNS[run]);
  for (const run of Object.keys(EXTRA_RUNS)) {
    fs.cpSync(path.join(TEST_DATA, run), extraDir(run), { recursive: true });
    loadgen('report', extraDir(run));
  }
  // Each report also rewrites reports/index.html beside the run folders.
  for (const run of Object.keys(RUNS)) loadgen('report', runDir(run));
  const compare = path.join(work, 'compare.html');
  loadgen('compare', ...COMPARED.map(runDir), '-o', compare);
  return {
    work,
    report: (run) => path.join(runDir(run), 'report.html'),
    extraReport: (run) => path.join(extraDir(run), 'report.html'),
    compare,
    index: path.join(reports, 'index.html'),
  };
}

module.exports = { RUNS, EXTRA_RUNS, COMPARED, buildPages };
