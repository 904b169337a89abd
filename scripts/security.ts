// `npm run security`: the regular vulnerability assessment our privacy policy promises (docs/security.md).
// 1. builds the site (the HTTP tests run the production Remix build; `--no-build` reuses the current one),
// 2. runs the project's own security suite (vitest files below) on fresh databases,
// 3. asks the npm advisory service about production dependencies (`npm audit --omit=dev --json`).
// It says plainly what was and was not checked. Exit code: 1 when the suite fails or the audit reports high or
// critical advisories; 0 otherwise — including when the advisory service cannot be reached, which is printed as
// "advisories unavailable: <reason>" and never reported as a pass.
// Every run records its result (date, commit, tests passed/failed/skipped, the audit's outcome, the verdict) in
// docs/security-last-result.json (SECURITY_RESULT_FILE overrides; scripts/security-record.ts). `--if-due` runs only
// when that record is missing, failed or older than 7 days: the daily schedule in docs/security.md uses it.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  isDue,
  readSecurityRecord,
  resultFile,
  verdictOf,
  writeSecurityRecord,
  type SecurityRecord,
} from "./security-record.ts";

/** The security suite: each file with what it proves. Keep docs/security.md in step. */
const SUITE: { file: string; checks: string }[] = [
  {
    file: "tests/accounts-http.test.ts",
    checks:
      "authorization of every account page and action, session cookie flags, no account enumeration, sign-in rate limit, on-site redirects",
  },
  {
    file: "admin/server/backoffice.test.ts",
    checks: "back-office authorization matrix (every procedure × role), staff TOTP, audit trail append-only",
  },
  {
    file: "tests/expert-workspace-http.test.ts",
    checks: "expert workspace: sign-in required, 403 for other roles, other experts' ids change nothing",
  },
  { file: "tests/support-http.test.ts", checks: "help tickets are owner-scoped; contact form rate limits" },
  {
    file: "core/rooms/rooms.test.ts",
    checks: "live-room tokens only in the join window with exact grants; E2EE key agreement",
  },
  {
    file: "tests/http-edges.test.ts",
    checks: "CSP with nonce and security headers, cross-site POST refused (origin check), logs without secrets",
  },
  {
    file: "tests/http-production.test.ts",
    checks: "production: HSTS, no outbox page, POST only from APP_URL's origin",
  },
  { file: "tests/rate-limit.test.ts", checks: "rate limits counted exactly in PostgreSQL, HTTP 429 with Retry-After" },
  {
    file: "core/identity/identity.test.ts",
    checks:
      "password hashing, codes (expiry, single use, lockout), session expiry and tampering, re-authentication, roles",
  },
  {
    file: "core/security/security.test.ts",
    checks:
      'new-device alerts once per device, "this wasn\'t me" (single use, forged refused), expiring ' +
      "account lock with code sign-in during it, security feed",
  },
  {
    file: "tests/security-http.test.ts",
    checks:
      'error reports stored scrubbed without user/IP/cookie, size and rate limits; "this wasn\'t me" route authorization',
  },
  {
    file: "tests/page-cache.test.ts",
    checks: "the public page cache never serves or stores pages of signed-in people; fresh CSP nonce per hit",
  },
  {
    file: "tests/attack-http.test.ts",
    checks:
      "the outside attack's nine findings stay closed: pre-hijacking, next, the owner's door, body limits, export limit, reserved addresses, tRPC GET origin, deferred work, production origin, security.txt, CSP reports",
  },
];

const bin = (name: string) => path.resolve("node_modules/.bin", name);

interface VitestJson {
  numTotalTests: number;
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests?: number;
  success: boolean;
  testResults: { name: string; status: string; assertionResults: { fullName: string; status: string }[] }[];
}

interface SuiteResult {
  ok: boolean;
  summary: string;
  counts: Omit<SecurityRecord["suite"], "ok">;
}

function runSuite(): SuiteResult {
  const none = { files: SUITE.length, total: 0, passed: 0, failed: 0, skipped: 0 };
  const missing = SUITE.filter((s) => !fs.existsSync(s.file)).map((s) => s.file);
  if (missing.length > 0)
    return {
      ok: false,
      summary: `suite files missing: ${missing.join(", ")}`,
      counts: { ...none, failures: missing.map((f) => `missing ${f}`) },
    };
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mn-security-")), "vitest.json");
  const run = spawnSync(
    bin("vitest"),
    ["run", ...SUITE.map((s) => s.file), "--reporter=default", "--reporter=json", `--outputFile.json=${out}`],
    {
      stdio: "inherit",
      env: process.env,
    },
  );
  if (!fs.existsSync(out)) {
    const summary = `vitest did not finish (exit ${run.status ?? run.signal})`;
    return { ok: false, summary, counts: { ...none, failures: [summary] } };
  }
  const result = JSON.parse(fs.readFileSync(out, "utf8")) as VitestJson;
  const failed = result.testResults.flatMap((f) =>
    f.assertionResults
      .filter((a) => a.status === "failed")
      .map((a) => `${path.relative(process.cwd(), f.name)}: ${a.fullName}`),
  );
  const failedFiles = result.testResults
    .filter((f) => f.status === "failed" && f.assertionResults.every((a) => a.status !== "failed"))
    .map((f) => path.relative(process.cwd(), f.name));
  const skipped = result.numPendingTests + (result.numTodoTests ?? 0);
  const skippedNames = result.testResults.flatMap((f) =>
    f.assertionResults
      .filter((a) => a.status === "skipped" || a.status === "pending" || a.status === "todo")
      .map((a) => `${path.relative(process.cwd(), f.name)}: ${a.fullName}`),
  );
  const ok = run.status === 0 && result.success && result.numFailedTests === 0 && failedFiles.length === 0;
  const lines = [
    `${result.numPassedTests} passed, ${result.numFailedTests} failed, ${skipped} skipped of ${result.numTotalTests} tests ` +
      `in ${SUITE.length} files`,
    ...failed.map((f) => `  FAILED ${f}`),
    ...failedFiles.map((f) => `  FAILED to run ${f}`),
  ];
  lines.push(...skippedNames.map((n) => `  skipped ${n}`));
  if (skipped > 0 && !process.env.TEST_DATABASE_URL)
    lines.push("  (TEST_DATABASE_URL is not set: tests that need a PostgreSQL server are skipped; CI sets it)");
  return {
    ok,
    summary: lines.join("\n"),
    counts: {
      files: SUITE.length,
      total: result.numTotalTests,
      passed: result.numPassedTests,
      failed: result.numFailedTests,
      skipped,
      failures: [
        ...failed,
        ...failedFiles.map((f) => `failed to run ${f}`),
        // Vitest fails a run on an unhandled error even when every test passed: say so, or the record reads as a
        // failure without a reason.
        ...(!ok && failed.length === 0 && failedFiles.length === 0
          ? [`vitest exited with ${run.status ?? run.signal}: an error outside the tests (see the run's output)`]
          : []),
      ],
    },
  };
}

type Severity = "info" | "low" | "moderate" | "high" | "critical";
interface AuditJson {
  metadata?: {
    vulnerabilities?: Partial<Record<Severity | "total", number>>;
    dependencies?: { prod?: number; total?: number };
  };
  vulnerabilities?: Record<string, { name: string; severity: Severity; via: unknown[]; fixAvailable: unknown }>;
  message?: string;
  error?: { summary?: string; detail?: string } | string;
  statusCode?: number;
}

function runAudit(): { status: "ok" | "advisories" | "unavailable"; summary: string } {
  const run = spawnSync("npm", ["audit", "--omit=dev", "--json"], {
    encoding: "utf8",
    timeout: 120_000,
    env: process.env,
  });
  let parsed: AuditJson | undefined;
  try {
    parsed = JSON.parse(run.stdout) as AuditJson;
  } catch {
    parsed = undefined;
  }
  const counts = parsed?.metadata?.vulnerabilities;
  if (!parsed || !counts) {
    // npm prints an error object (or nothing) when the advisory service does not answer.
    const detail = typeof parsed?.error === "object" ? parsed.error.summary || parsed.error.detail : parsed?.error;
    const reason =
      parsed?.message ||
      detail ||
      run.error?.message ||
      run.stderr
        .split("\n")
        .map((l) => l.trim())
        .find((l) => l.length > 0) ||
      `npm audit exited with ${run.status ?? run.signal} and no report`;
    return { status: "unavailable", summary: `advisories unavailable: ${reason}` };
  }
  const n = (s: Severity) => counts[s] ?? 0;
  const severe = Object.values(parsed.vulnerabilities ?? {}).filter(
    (v) => v.severity === "high" || v.severity === "critical",
  );
  const summary = [
    `${counts.total ?? 0} advisories in production dependencies (critical ${n("critical")}, high ${n("high")}, ` +
      `moderate ${n("moderate")}, low ${n("low")}, info ${n("info")})`,
    ...severe.map((v) => `  ${v.severity.toUpperCase()} ${v.name}${v.fixAvailable ? " (fix available)" : ""}`),
  ].join("\n");
  return { status: n("high") + n("critical") > 0 ? "advisories" : "ok", summary };
}

function gitCommit(): string | null {
  const git = spawnSync("git", ["rev-parse", "HEAD"], { encoding: "utf8" });
  return git.status === 0 ? git.stdout.trim() : null;
}

function main() {
  const started = new Date();
  const file = resultFile();
  if (process.argv.includes("--if-due")) {
    const due = isDue(readSecurityRecord(file), started);
    if (!due.due) {
      console.log(`Mind Namo security check — not due: ${due.why} (${path.relative(process.cwd(), file)}).`);
      process.exit(0);
    }
    console.log(`Mind Namo security check is due: ${due.why}.`);
  }
  const build = !process.argv.includes("--no-build");
  console.log(`Mind Namo security check — ${started.toISOString()}\n`);
  const record = (suite: SuiteResult, audit: SecurityRecord["audit"]) => {
    const rec: SecurityRecord = {
      ranAt: started.toISOString(),
      finishedAt: new Date().toISOString(),
      commit: gitCommit(),
      node: process.version,
      database: process.env.TEST_DATABASE_URL ? "postgresql-server" : "embedded-pglite",
      suite: { ok: suite.ok, ...suite.counts },
      audit,
      ...verdictOf(suite.ok, audit.status),
    };
    writeSecurityRecord(file, rec);
    console.log(`recorded in ${path.relative(process.cwd(), file)}`);
  };
  if (build) {
    console.log("▶ building the site (the HTTP tests run the production build)");
    const b = spawnSync(bin("remix"), ["build"], { stdio: "inherit", env: process.env });
    if (b.status !== 0) {
      const summary = "the site does not build, so the security suite could not run";
      record(
        {
          ok: false,
          summary,
          counts: { files: SUITE.length, total: 0, passed: 0, failed: 0, skipped: 0, failures: [summary] },
        },
        { status: "unavailable", summary: "not run: the build failed" },
      );
      console.log("\nRESULT: FAILED — the site does not build, so the security suite could not run.");
      process.exit(1);
    }
  }
  console.log("\n▶ security suite");
  for (const s of SUITE) console.log(`  ${s.file} — ${s.checks}`);
  const suite = runSuite();
  console.log("\n▶ dependency advisories (npm audit --omit=dev)");
  const audit = runAudit();
  console.log(audit.summary);

  console.log(`\n── summary (${new Date().toISOString()}, ${((Date.now() - started.getTime()) / 1000).toFixed(0)} s)`);
  console.log(`security suite: ${suite.ok ? "PASSED" : "FAILED"} — ${suite.summary}`);
  console.log(
    "dependency audit: " +
      (audit.status === "ok"
        ? "no high or critical advisories"
        : audit.status === "advisories"
          ? "HIGH OR CRITICAL ADVISORIES"
          : "NOT DONE — " + audit.summary),
  );
  record(suite, { status: audit.status, summary: audit.summary });
  const failed = !suite.ok || audit.status === "advisories";
  const verdict = failed
    ? "FAILED"
    : audit.status === "unavailable"
      ? "suite passed; dependency advisories could not be checked (not a pass for dependencies)"
      : "PASSED";
  console.log(`RESULT: ${verdict}`);
  process.exit(failed ? 1 : 0);
}

main();
