// The recorded result of the vulnerability-assessment routine (`npm run security`, docs/security.md). Every run
// writes what it checked and how it went to one JSON file (docs/security-last-result.json unless
// SECURITY_RESULT_FILE says otherwise), so "when was the last assessment, and did it pass?" has an answer that does
// not depend on someone's memory or a scrolled-away terminal. `--if-due` lets a daily schedule run the routine only
// when the recorded result is older than the interval (or missing, or unreadable).
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

/** How often the routine must run at least, besides every CI run and every release. */
export const SECURITY_INTERVAL_DAYS = 7;
export const DEFAULT_RESULT_FILE = "docs/security-last-result.json";
const DAY = 86_400_000;

export const securityRecordSchema = z.object({
  ranAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  commit: z.string().nullable(),
  node: z.string(),
  database: z.enum(["postgresql-server", "embedded-pglite"]),
  suite: z.object({
    ok: z.boolean(),
    files: z.number().int().nonnegative(),
    total: z.number().int().nonnegative(),
    passed: z.number().int().nonnegative(),
    failed: z.number().int().nonnegative(),
    skipped: z.number().int().nonnegative(),
    failures: z.array(z.string()),
  }),
  audit: z.object({ status: z.enum(["ok", "advisories", "unavailable"]), summary: z.string() }),
  /** The RESULT line's verdict. */
  result: z.enum(["PASSED", "FAILED", "SUITE_PASSED_ADVISORIES_UNAVAILABLE"]),
  exitCode: z.union([z.literal(0), z.literal(1)]),
});
export type SecurityRecord = z.infer<typeof securityRecordSchema>;

export function resultFile(env: NodeJS.ProcessEnv = process.env): string {
  return path.resolve(env.SECURITY_RESULT_FILE || DEFAULT_RESULT_FILE);
}

/** The verdict of a run: a failing suite or a high/critical advisory fails; an unreachable audit is never a pass. */
export function verdictOf(
  suiteOk: boolean,
  audit: SecurityRecord["audit"]["status"],
): Pick<SecurityRecord, "result" | "exitCode"> {
  if (!suiteOk || audit === "advisories") return { result: "FAILED", exitCode: 1 };
  if (audit === "unavailable") return { result: "SUITE_PASSED_ADVISORIES_UNAVAILABLE", exitCode: 0 };
  return { result: "PASSED", exitCode: 0 };
}

/** Writes the record (validated) atomically: a reader never sees half a file. */
export function writeSecurityRecord(file: string, record: SecurityRecord): void {
  const valid = securityRecordSchema.parse(record);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(valid, null, 2)}\n`);
  fs.renameSync(tmp, file);
}

/** The recorded last result, or null when there is none or it is not a valid record. */
export function readSecurityRecord(file: string): SecurityRecord | null {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch {
    return null;
  }
  try {
    const parsed = securityRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * Whether the routine is due: no valid record, a failed last run (it must be repeated until it passes), or a last
 * run older than the interval.
 */
export function isDue(
  record: SecurityRecord | null,
  now: Date,
  intervalDays = SECURITY_INTERVAL_DAYS,
): { due: boolean; why: string } {
  if (!record) return { due: true, why: "no recorded result" };
  if (record.exitCode !== 0) return { due: true, why: `the last run (${record.finishedAt}) failed` };
  const age = now.getTime() - new Date(record.finishedAt).getTime();
  if (age >= intervalDays * DAY)
    return { due: true, why: `the last run (${record.finishedAt}) is older than ${intervalDays} days` };
  return { due: false, why: `the last run (${record.finishedAt}) passed less than ${intervalDays} days ago` };
}
