// The owner-device mark: signed, bound to its account and its issue time, and void once older than the account's
// last "end everywhere".
import crypto from "node:crypto";
import { describe, expect, it } from "vitest";
import { ownerDeviceCurrent, ownerDeviceToken, readOwnerDevice } from "./owner-device.ts";

const pepper = crypto.randomBytes(32);
const userId = crypto.randomUUID();

describe("the owner-device mark", () => {
  it("reads back as its account and issue time; any change to a part voids it", () => {
    const issuedAt = new Date("2026-12-02T10:00:00.123Z");
    const token = ownerDeviceToken(pepper, userId, issuedAt);
    expect(readOwnerDevice(pepper, token)).toEqual({ userId, issuedAt });
    const [id, issued, nonce, mac] = token.split(".") as [string, string, string, string];
    // A later issue time (to outlive a revocation), another account, another nonce, another key: all refused.
    expect(readOwnerDevice(pepper, [id, (issuedAt.getTime() + 1).toString(36), nonce, mac].join("."))).toBeNull();
    expect(readOwnerDevice(pepper, [crypto.randomUUID(), issued, nonce, mac].join("."))).toBeNull();
    expect(readOwnerDevice(pepper, [id, issued, "a".repeat(26), mac].join("."))).toBeNull();
    expect(readOwnerDevice(crypto.randomBytes(32), token)).toBeNull();
    for (const junk of [null, undefined, "", "x", `${id}.${nonce}.${mac}`, token + ".x", "a".repeat(201)])
      expect(readOwnerDevice(pepper, junk)).toBeNull();
  });

  it("counts only when issued after the account's marks were last revoked", () => {
    const at = new Date("2026-12-02T10:00:00Z");
    expect(ownerDeviceCurrent(at, null)).toBe(true);
    expect(ownerDeviceCurrent(at, new Date(at.getTime() - 1))).toBe(true);
    expect(ownerDeviceCurrent(at, at)).toBe(false);
    expect(ownerDeviceCurrent(at, new Date(at.getTime() + 1))).toBe(false);
  });
});
