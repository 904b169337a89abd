// Reads the JSON results of vitest and Playwright and prints the plain closing line "N passed, N failed".
// A stage that failed without producing results (a typecheck or build error, a crash) counts as one failure,
// so a red run can never print "0 failed".
import fs from "node:fs";
import path from "node:path";

const [dir, setupFailures, unitRc, e2eRc, node22Rc, pgliteRc] = process.argv.slice(2);
let passed = 0;
let failed = Number(setupFailures) || 0;
let skipped = 0;
/** Names of the tests that failed, printed above the closing line: a red run says what to look at. */
const failedNames = [];

const read = (name) => {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
  } catch {
    return undefined;
  }
};

/** One vitest run's JSON results (Node 20: vitest.json; Node 22: node22/vitest.json; PGlite: pglite/vitest.json). */
function addVitest(file, rc, label) {
  const vitest = read(file);
  if (!vitest) {
    console.log(`vitest${label} produced no results (typecheck or build failed?)`);
    failed += 1;
    return;
  }
  passed += vitest.numPassedTests;
  failed += vitest.numFailedTests;
  skipped += vitest.numPendingTests + (vitest.numTodoTests ?? 0);
  // Files that failed to load report no tests but fail the run.
  const brokenFiles = (vitest.testResults ?? []).filter(
    (f) => f.status === "failed" && f.assertionResults.length === 0,
  ).length;
  failed += brokenFiles;
  for (const f of vitest.testResults ?? []) {
    const where = path.relative(process.cwd(), f.name);
    if (f.status === "failed" && f.assertionResults.length === 0)
      failedNames.push(`vitest${label}: ${where} (did not load)`);
    for (const t of f.assertionResults ?? [])
      if (t.status === "failed") failedNames.push(`vitest${label}: ${where} › ${t.fullName ?? t.title}`);
  }
  if (Number(rc) !== 0 && vitest.numFailedTests === 0 && brokenFiles === 0) failed += 1;
}
addVitest("vitest.json", unitRc, "");
// CI also runs `npm test` on Node 22 (production's Node); its tests count too, as tests of their own.
if (node22Rc !== undefined) addVitest("node22/vitest.json", node22Rc, " on Node 22");
// The privacy proofs again on embedded PGlite (TEST_DATABASE_URL unset): their tests count too.
if (pgliteRc !== undefined) addVitest("pglite/vitest.json", pgliteRc, " on PGlite");

const pw = read("playwright.json");
if (pw) {
  passed += pw.stats.expected + pw.stats.flaky;
  failed += pw.stats.unexpected;
  skipped += pw.stats.skipped;
  if (Number(e2eRc) !== 0 && pw.stats.unexpected === 0) failed += 1;
  /** Walks Playwright's suites (files, describe blocks) to the specs whose outcome was unexpected. */
  const walk = (suite, trail) => {
    for (const spec of suite.specs ?? [])
      for (const t of spec.tests ?? [])
        if (t.status === "unexpected") failedNames.push(`playwright: ${[...trail, spec.title].join(" › ")}`);
    for (const child of suite.suites ?? []) walk(child, [...trail, child.title]);
  };
  for (const suite of pw.suites ?? []) walk(suite, [suite.title]);
} else {
  console.log("Playwright produced no results (build or server start failed?)");
  failed += 1;
}

for (const name of failedNames) console.log(`failed: ${name}`);
if (skipped > 0) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
