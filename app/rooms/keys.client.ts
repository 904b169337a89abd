// The browser half of the live room's key agreement (docs/decisions/0007-live-rooms-e2ee.md). Runs only in the
// browser (`.client` modules are empty on the server). The ECDH private key is made NON-extractable and kept in
// IndexedDB (structured clone keeps a CryptoKey without ever exposing its bytes), so a reload reuses the same
// key pair; only the public key leaves the browser. The media key and the safety code are derived here from the
// two public keys (core/rooms/e2ee.ts, the same code the tests run).
import { deriveSessionKeys, generateKeyPair, type SessionKeys } from "../../core/rooms/e2ee";

const DB_NAME = "mindnamo-rooms";
const STORE = "keypairs";

interface StoredPair {
  privateKey: CryptoKey;
  publicKey: string;
}

function openDb(): Promise<IDBDatabase> {
  return new Promise((resolve, reject) => {
    const req = indexedDB.open(DB_NAME, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB is not available"));
  });
}

function tx<T>(db: IDBDatabase, mode: IDBTransactionMode, run: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = run(db.transaction(STORE, mode).objectStore(STORE));
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
  });
}

const readPair = (db: IDBDatabase, slot: string) =>
  tx<StoredPair | undefined>(db, "readonly", (s) => s.get(slot) as IDBRequest<StoredPair | undefined>);

async function loadOrCreate(slot: string): Promise<StoredPair> {
  const db = await openDb();
  try {
    const existing = await readPair(db, slot);
    if (existing?.privateKey && existing.publicKey) return existing;
    const { keyPair, publicKey } = await generateKeyPair();
    const pair = { privateKey: keyPair.privateKey, publicKey };
    try {
      // `add`, not `put`: when another tab made a pair meanwhile, its pair wins and is the one used here too.
      await tx(db, "readwrite", (s) => s.add(pair, slot));
      return pair;
    } catch (error) {
      if (!(error instanceof DOMException && error.name === "ConstraintError")) throw error;
      const winner = await readPair(db, slot);
      if (!winner) throw error;
      return winner;
    }
  } finally {
    db.close();
  }
}

// One lookup per slot at a time in this page: the room's effect can start twice (React re-runs effects in
// development, and on a change of its inputs) and two lookups racing would make two pairs, whose second public key
// the server refuses once the session has started — "set from another browser", in the very same browser.
const pending = new Map<string, Promise<StoredPair>>();

/** This browser's key pair for one participant of one booking: the stored one, or a new one (then stored). */
export function loadOrCreateKeyPair(slot: string): Promise<StoredPair> {
  let found = pending.get(slot);
  if (!found) {
    found = loadOrCreate(slot).finally(() => pending.delete(slot));
    pending.set(slot, found);
  }
  return found;
}

export type KeyExchange =
  | { state: "waiting"; publicKey: string }
  | { state: "ready"; publicKey: string; keys: SessionKeys }
  | { state: "error"; message: string };

async function callJson(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await fetch(url, {
    credentials: "same-origin",
    ...init,
    headers: { accept: "application/json", ...(init?.headers ?? {}) },
  });
  let body: Record<string, unknown> = {};
  try {
    body = (await res.json()) as Record<string, unknown>;
  } catch {
    body = {};
  }
  return { status: res.status, body };
}

const errorOf = (body: Record<string, unknown>, fallback: string) =>
  typeof body.error === "string" ? body.error : fallback;

/**
 * One step of the exchange: make sure the server holds this browser's public key for the booking, then read the
 * peer's. "waiting" until the other person has opened the room; "ready" with the derived keys once both exist.
 */
export async function exchangeKeys(bookingId: string, slot: string): Promise<KeyExchange> {
  const pair = await loadOrCreateKeyPair(slot);
  const base = `/sessions/${encodeURIComponent(bookingId)}/room`;
  let keys = await callJson(`${base}/keys`);
  if (keys.status !== 200)
    return { state: "error", message: errorOf(keys.body, "We could not reach the room. Please reload the page.") };
  if (keys.body.own !== pair.publicKey) {
    const posted = await callJson(`${base}/key`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ publicKey: pair.publicKey }),
    });
    if (posted.status === 409) {
      return {
        state: "error",
        message:
          "This session's encryption key was set from another browser or device, and it cannot change " +
          "once the session has started. Please join from that browser.",
      };
    }
    if (posted.status !== 200)
      return {
        state: "error",
        message: errorOf(posted.body, "We could not set up encryption. Please reload the page."),
      };
    keys = await callJson(`${base}/keys`);
    if (keys.status !== 200)
      return { state: "error", message: errorOf(keys.body, "We could not reach the room. Please reload the page.") };
  }
  const peer = typeof keys.body.peer === "string" ? keys.body.peer : null;
  if (!peer) return { state: "waiting", publicKey: pair.publicKey };
  const derived = await deriveSessionKeys({
    privateKey: pair.privateKey,
    ownPublicKey: pair.publicKey,
    peerPublicKey: peer,
    bookingId,
  });
  return { state: "ready", publicKey: pair.publicKey, keys: derived };
}
