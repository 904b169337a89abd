import { TokenVerifier } from "livekit-server-sdk";
import { describe, expect, it } from "vitest";
import { deriveSessionKeys, generateKeyPair, isValidPublicKey } from "./e2ee.ts";
import { isJoinOpen, mintRoomToken } from "./tokens.ts";

const settings = {
  url: "wss://livekit.example",
  apiKey: "APItestkey",
  apiSecret: "a-test-secret-that-is-long-enough-for-hs256",
};
const booking = { startsAt: new Date("2027-06-03T09:00:00Z"), endsAt: new Date("2027-06-03T09:50:00Z") };

describe("room tokens", () => {
  it("are minted only in the join window: 10 minutes before the start until the end", async () => {
    expect(isJoinOpen(booking, new Date("2027-06-03T08:49:59Z"))).toBe(false);
    expect(isJoinOpen(booking, new Date("2027-06-03T08:50:00Z"))).toBe(true);
    expect(isJoinOpen(booking, new Date("2027-06-03T09:49:59Z"))).toBe(true);
    expect(isJoinOpen(booking, new Date("2027-06-03T09:50:00Z"))).toBe(false);
    await expect(
      mintRoomToken(
        settings,
        { roomName: "r", identity: "u", displayName: "U", booking },
        new Date("2027-06-03T08:40:00Z"),
      ),
    ).rejects.toMatchObject({
      code: "PRECONDITION",
    });
  });

  it("grant exactly: join this room, publish camera and microphone, subscribe — and expire at the end plus 5 minutes", async () => {
    const now = new Date("2027-06-03T08:55:00Z");
    const { token, expiresAt } = await mintRoomToken(
      settings,
      { roomName: "room-abc", identity: "user-1", displayName: "Ada", booking },
      now,
    );
    expect(expiresAt.toISOString()).toBe("2027-06-03T09:55:00.000Z");
    const claims = await new TokenVerifier(settings.apiKey, settings.apiSecret).verify(token, 3600 * 24 * 365 * 5);
    expect(claims.sub).toBe("user-1");
    expect(claims.name).toBe("Ada");
    expect(claims.video).toMatchObject({
      room: "room-abc",
      roomJoin: true,
      canPublish: true,
      canSubscribe: true,
      canPublishData: false,
    });
    expect(claims.video?.canPublishSources?.map(String).sort()).toEqual(["camera", "microphone"]);
    for (const forbidden of ["roomAdmin", "roomCreate", "roomList", "roomRecord", "recorder", "hidden"] as const) {
      expect(claims.video?.[forbidden] ?? false).toBe(false);
    }
    // The JWT clock is the real one: its lifetime is what is left until the end plus margin (60 minutes here).
    const exp = (claims as { exp?: number }).exp!;
    const lifetimeMs = exp * 1000 - Date.now();
    expect(Math.abs(lifetimeMs - 60 * 60_000)).toBeLessThan(10_000);
    await expect(
      new TokenVerifier(settings.apiKey, "another-secret-of-sufficient-length-xx").verify(token),
    ).rejects.toBeTruthy();
  });
});

describe("end-to-end encryption keys", () => {
  it("both people derive the same media key and safety code; the server only ever sees public keys", async () => {
    const alice = await generateKeyPair();
    const bob = await generateKeyPair();
    expect(alice.keyPair.privateKey.extractable).toBe(false);
    expect(await isValidPublicKey(alice.publicKey)).toBe(true);
    const a = await deriveSessionKeys({
      privateKey: alice.keyPair.privateKey,
      ownPublicKey: alice.publicKey,
      peerPublicKey: bob.publicKey,
      bookingId: "b-1",
    });
    const b = await deriveSessionKeys({
      privateKey: bob.keyPair.privateKey,
      ownPublicKey: bob.publicKey,
      peerPublicKey: alice.publicKey,
      bookingId: "b-1",
    });
    expect(a.mediaKey.byteLength).toBe(32);
    expect(Buffer.from(a.mediaKey).equals(Buffer.from(b.mediaKey))).toBe(true);
    expect(a.safetyCode).toMatch(/^\d{6}$/);
    expect(a.safetyCode).toBe(b.safetyCode);
    // Another booking gives other keys.
    const other = await deriveSessionKeys({
      privateKey: alice.keyPair.privateKey,
      ownPublicKey: alice.publicKey,
      peerPublicKey: bob.publicKey,
      bookingId: "b-2",
    });
    expect(Buffer.from(other.mediaKey).equals(Buffer.from(a.mediaKey))).toBe(false);
  });

  it("a server that swaps public keys (man in the middle) makes the two safety codes differ", async () => {
    const alice = await generateKeyPair();
    const bob = await generateKeyPair();
    const mallory = await generateKeyPair();
    // Alice gets Mallory's key instead of Bob's, Bob gets Mallory's instead of Alice's.
    const a = await deriveSessionKeys({
      privateKey: alice.keyPair.privateKey,
      ownPublicKey: alice.publicKey,
      peerPublicKey: mallory.publicKey,
      bookingId: "b-1",
    });
    const b = await deriveSessionKeys({
      privateKey: bob.keyPair.privateKey,
      ownPublicKey: bob.publicKey,
      peerPublicKey: mallory.publicKey,
      bookingId: "b-1",
    });
    expect(a.safetyCode).not.toBe(b.safetyCode);
    expect(Buffer.from(a.mediaKey).equals(Buffer.from(b.mediaKey))).toBe(false);
  });

  it("refuses malformed public keys", async () => {
    for (const bad of ["", "abc", "A".repeat(87), "x".repeat(300), "BAAA"])
      expect(await isValidPublicKey(bad)).toBe(false);
  });
});
