// Reads the JSON results of vitest and Playwright and prints the plain closing line "N passed, N failed".
// A stage that failed without producing results (a typecheck or build error, a crash) counts as one failure,
// so a red run can never print "0 failed".
import fs from "node:fs";
import path from "node:path";

const [dir, setupFailures, unitRc, e2eRc] = process.argv.slice(2);
let passed = 0;
let failed = Number(setupFailures) || 0;
let skipped = 0;

const read = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
  } catch {
    return undefined;
  }
};

const vitest = read("vitest.json");
if (vitest) {
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
  // Files that failed to load report no tests but fail the run.
  const brokenFiles = (vitest.testResults ?? []).filter(
    (f) => f.status === "failed" && f.assertionResults.length === 0,
  ).length;
  failed += brokenFiles;
  if (Number(unitRc) !== 0 && vitest.numFailedTests === 0 && brokenFiles === 0) failed += 1;
} else {
  console.log("vitest produced no results (typecheck or build failed?)");
  failed += 1;
}

const pw = read("playwright.json");
if (pw) {
  passed += pw.stats.expected + pw.stats.flaky;
  failed += pw.stats.unexpected;
  skipped += pw.stats.skipped;
  if (Number(e2eRc) !== 0 && pw.stats.unexpected === 0) failed += 1;
} else {
  console.log("Playwright produced no results (build or server start failed?)");
  failed += 1;
}

if (skipped > 0) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
