// The vulnerability-assessment routine records its last result and runs on a schedule (P26): every run of
// `npm run security` writes a validated record (date, commit, tests passed/failed/skipped, the audit's outcome, the
// verdict); `--if-due`, which the daily schedule calls, runs only when that record is missing, failed or older than
// 7 days; the committed record is a valid one.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  DEFAULT_RESULT_FILE,
  isDue,
  readSecurityRecord,
  SECURITY_INTERVAL_DAYS,
  verdictOf,
  writeSecurityRecord,
  type SecurityRecord,
} from "../scripts/security-record.ts";

const DAY = 86_400_000;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-security-record-"));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function record(finishedAt: Date, over: Partial<SecurityRecord> = {}): SecurityRecord {
  return {
    ranAt: new Date(finishedAt.getTime() - 300_000).toISOString(),
    finishedAt: finishedAt.toISOString(),
    commit: "0123456789abcdef0123456789abcdef01234567",
    node: "v22.0.0",
    database: "postgresql-server",
    suite: { ok: true, files: 13, total: 120, passed: 120, failed: 0, skipped: 0, failures: [] },
    audit: { status: "ok", summary: "0 advisories in production dependencies" },
    result: "PASSED",
    exitCode: 0,
    ...over,
  };
}

describe("the recorded result", () => {
  it("the verdict: a failing suite or a high advisory fails; an unreachable audit is never a pass", () => {
    expect(verdictOf(true, "ok")).toEqual({ result: "PASSED", exitCode: 0 });
    expect(verdictOf(false, "ok")).toEqual({ result: "FAILED", exitCode: 1 });
    expect(verdictOf(true, "advisories")).toEqual({ result: "FAILED", exitCode: 1 });
    expect(verdictOf(true, "unavailable")).toEqual({ result: "SUITE_PASSED_ADVISORIES_UNAVAILABLE", exitCode: 0 });
  });

  it("is written validated and read back; a missing, broken or malformed file is no record", () => {
    const file = path.join(dir, "nested", "last.json");
    expect(readSecurityRecord(file)).toBeNull();
    const rec = record(new Date("2026-12-01T03:00:00Z"));
    writeSecurityRecord(file, rec);
    expect(readSecurityRecord(file)).toEqual(rec);
    expect(fs.readdirSync(path.dirname(file))).toEqual(["last.json"]);
    expect(() => writeSecurityRecord(file, { ...rec, suite: { ...rec.suite, passed: -1 } })).toThrow();
    expect(readSecurityRecord(file)).toEqual(rec);
    fs.writeFileSync(file, "{ not json");
    expect(readSecurityRecord(file)).toBeNull();
    fs.writeFileSync(file, JSON.stringify({ ...rec, result: "FINE" }));
    expect(readSecurityRecord(file)).toBeNull();
  });

  it("is due with no record, after a failed run, and once the last pass is 7 days old", () => {
    const now = new Date("2026-12-10T03:00:00Z");
    expect(isDue(null, now)).toMatchObject({ due: true, why: "no recorded result" });
    expect(isDue(record(new Date(now.getTime() - DAY), { result: "FAILED", exitCode: 1 }), now).due).toBe(true);
    expect(isDue(record(new Date(now.getTime() - (SECURITY_INTERVAL_DAYS * DAY - 60_000))), now).due).toBe(false);
    expect(isDue(record(new Date(now.getTime() - SECURITY_INTERVAL_DAYS * DAY)), now).due).toBe(true);
    // A pass whose audit could not be done still counts as a run (the record says what was not checked).
    const partial = record(new Date(now.getTime() - DAY), {
      audit: { status: "unavailable", summary: "advisories unavailable: 405" },
      result: "SUITE_PASSED_ADVISORIES_UNAVAILABLE",
    });
    expect(isDue(partial, now).due).toBe(false);
  });
});

describe("npm run security -- --if-due (the scheduled call)", () => {
  const run = (file: string) =>
    spawnSync(path.resolve("node_modules/.bin/tsx"), ["scripts/security.ts", "--if-due", "--no-build"], {
      encoding: "utf8",
      env: { ...process.env, SECURITY_RESULT_FILE: file },
      timeout: 60_000,
    });

  it("does nothing while the recorded pass is recent, and says why", () => {
    const file = path.join(dir, "recent.json");
    const rec = record(new Date(Date.now() - DAY));
    writeSecurityRecord(file, rec);
    const res = run(file);
    expect(res.status).toBe(0);
    expect(res.stdout).toContain("not due: the last run");
    expect(res.stdout).not.toContain("security suite");
    expect(readSecurityRecord(file)).toEqual(rec);
  });
});

describe("the committed record", () => {
  it(`${DEFAULT_RESULT_FILE} is a valid record of a run of the whole suite`, () => {
    const rec = readSecurityRecord(path.resolve(DEFAULT_RESULT_FILE));
    expect(rec, `${DEFAULT_RESULT_FILE} is missing or invalid: run \`npm run security\``).not.toBeNull();
    const suiteFiles = /const SUITE[\s\S]*?\n\];/.exec(fs.readFileSync("scripts/security.ts", "utf8"))?.[0] ?? "";
    expect(rec!.suite.files).toBe([...suiteFiles.matchAll(/file: "/g)].length);
    expect(rec!.suite.total).toBeGreaterThan(0);
    expect(rec!.suite.passed + rec!.suite.failed + rec!.suite.skipped).toBe(rec!.suite.total);
  });
});
