import { describe, expect, it } from "vitest";
import { statementNamer } from "./statement-names.ts";

describe("prepared statement names", () => {
  it("gives one text one name, and different texts different names", () => {
    const nameOf = statementNamer();
    const a = nameOf('SELECT "id" FROM "User" WHERE "id" = $1');
    expect(a).toMatch(/^mn_[0-9a-f]{24}$/);
    expect(nameOf('SELECT "id" FROM "User" WHERE "id" = $1')).toBe(a);
    expect(nameOf('SELECT "id" FROM "User" WHERE "email" = $1')).not.toBe(a);
    // PostgreSQL truncates identifiers past 63 bytes: two names must never meet there.
    expect(a!.length).toBeLessThanOrEqual(63);
  });

  it("stops naming new texts at its cap, and keeps the names it gave", () => {
    const nameOf = statementNamer(3);
    const named = ["SELECT 1", "SELECT 2", "SELECT 3"].map(nameOf);
    expect(named.every(Boolean)).toBe(true);
    expect(nameOf("SELECT 4")).toBeUndefined();
    expect(nameOf("SELECT 2")).toBe(named[1]);
  });
});
