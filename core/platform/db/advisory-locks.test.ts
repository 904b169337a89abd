import { describe, expect, it } from "vitest";
import { ADVISORY_LOCKS } from "./advisory-locks.ts";

describe("advisory lock keys", () => {
  it("are distinct integers PostgreSQL accepts as a lock key", () => {
    const keys = Object.values(ADVISORY_LOCKS);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(Number.isSafeInteger(key)).toBe(true);
  });
});
