// End-to-end encryption key agreement for live rooms (docs/architecture.md "Live rooms"). Runs in the browser
// (WebCrypto) and in tests (Node's WebCrypto). Each participant makes an ECDH P-256 key pair per booking; the
// private key is non-extractable and never leaves the browser; only the raw public key is posted to the server.
// Both sides derive the same 32-byte media key (for livekit-client's ExternalE2EEKeyProvider.setKey) and a 6-digit
// safety code with HKDF-SHA-256 (salt: the booking id). The code binds both public keys: if the server swapped a
// key (a man in the middle), the two people would see different codes when they compare them aloud.

const MEDIA_INFO = "mindnamo/e2ee/media-key/v1";
const CODE_INFO = "mindnamo/e2ee/safety-code/v1";
const encoder = new TextEncoder();

export async function generateKeyPair(): Promise<{ keyPair: CryptoKeyPair; publicKey: string }> {
  const keyPair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, false, ["deriveBits"]);
  const raw = new Uint8Array(await crypto.subtle.exportKey("raw", keyPair.publicKey));
  return { keyPair, publicKey: toBase64Url(raw) };
}

/** A posted public key must be an uncompressed P-256 point (65 bytes, 0x04 prefix) that WebCrypto accepts. */
export async function importPublicKey(publicKey: string): Promise<CryptoKey> {
  const raw = fromBase64Url(publicKey);
  if (raw.length !== 65 || raw[0] !== 0x04) throw new Error("Not a P-256 public key");
  return crypto.subtle.importKey("raw", raw, { name: "ECDH", namedCurve: "P-256" }, true, []);
}

export async function isValidPublicKey(publicKey: string): Promise<boolean> {
  try {
    await importPublicKey(publicKey);
    return true;
  } catch {
    return false;
  }
}

export interface SessionKeys {
  /** 32 bytes for ExternalE2EEKeyProvider.setKey(ArrayBuffer). */
  mediaKey: ArrayBuffer;
  /** 6 digits both people compare. */
  safetyCode: string;
}

export async function deriveSessionKeys(input: {
  privateKey: CryptoKey;
  ownPublicKey: string;
  peerPublicKey: string;
  bookingId: string;
}): Promise<SessionKeys> {
  const peer = await importPublicKey(input.peerPublicKey);
  const shared = await crypto.subtle.deriveBits({ name: "ECDH", public: peer }, input.privateKey, 256);
  const hkdfKey = await crypto.subtle.importKey("raw", shared, "HKDF", false, ["deriveBits"]);
  const salt = encoder.encode(input.bookingId);
  // Both public keys, in a fixed order, bind the code to this exact pair of keys.
  const [a, b] = [input.ownPublicKey, input.peerPublicKey].sort();
  const mediaKey = await crypto.subtle.deriveBits(
    { name: "HKDF", hash: "SHA-256", salt, info: encoder.encode(`${MEDIA_INFO}|${a}|${b}`) },
    hkdfKey,
    256,
  );
  const codeBits = new Uint8Array(
    await crypto.subtle.deriveBits(
      { name: "HKDF", hash: "SHA-256", salt, info: encoder.encode(`${CODE_INFO}|${a}|${b}`) },
      hkdfKey,
      64,
    ),
  );
  const n = new DataView(codeBits.buffer).getBigUint64(0) % 1_000_000n;
  return { mediaKey, safetyCode: n.toString().padStart(6, "0") };
}

function toBase64Url(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(value: string): Uint8Array<ArrayBuffer> {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(value)) throw new Error("Not base64url");
  const s = atob(value.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((value.length + 3) % 4));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}
