// A short-lived cache of rendered public pages for anonymous visitors (docs/performance.md, ADR
// docs/decisions/0011-page-cache-fast-path.md): the home page, the directory, expert profiles and the privacy
// policy look the same to every visitor without a session, so they are rendered once per URL and per TTL instead
// of per request. Never for a request that carries a session
// cookie, never a response that sets a cookie or is not a 200 HTML page.
//
// Two middlewares: `capture` sits where the page would be rendered (after the security headers) and stores a
// rendered page with the headers the real middleware set; `serve` sits first in the chain (after request logging)
// and answers a hit on its own, so a hit pays for no header middleware, static-file lookup or compression:
// - every header of the stored response is replayed (helmet's, Permissions-Policy, …); the CSP nonce in the header
//   and in the body is replaced with a fresh one per response, so a nonce is never reused;
// - the body is stored split at the nonce and each piece pre-compressed once (raw deflate, sync-flushed), so a
//   gzip answer is the stored pieces with the fresh nonce spliced in as a stored (uncompressed) deflate block and
//   a CRC-32 combined from the pieces' — no compression per request;
// - a weak ETag (the page without its nonce) answers If-None-Match with 304. A 304 carries no CSP header: the
//   browser keeps the one stored with its copy, which matches that copy's nonce.
// - when a page expires, one request renders it again while the others still get the previous copy (up to another
//   TTL), so concurrent visitors never all render the same page at once.
// Bookings re-validate on the server, so a slot list up to 2 × TTL old is harmless.
import crypto from "node:crypto";
import type { IncomingHttpHeaders, OutgoingHttpHeaders } from "node:http";
import zlib from "node:zlib";
import type { RequestHandler, Response } from "express";

/** Headers that belong to one response, not to the page: never replayed from the store. */
const PER_RESPONSE_HEADERS = new Set([
  "x-request-id",
  "x-cache",
  "content-length",
  "content-encoding",
  "transfer-encoding",
  "vary",
  "etag",
  "date",
  "connection",
  "keep-alive",
  "cache-control",
  "set-cookie",
  "last-modified",
  "content-security-policy",
]);

/** Anonymous public pages: every visitor may keep a copy, but must ask us (ETag) before using it. */
export const PUBLIC_PAGE_CACHE_CONTROL = "no-cache";
/** A stored page differs by encoding, and is only ever served to a request without a session cookie. */
const PUBLIC_PAGE_VARY = "Accept-Encoding, Cookie";

interface Entry {
  at: number;
  etag: string;
  /**
   * The replayed headers (security headers, Content-Type…: lower-case names) with the cache's own, i.e. what every
   * 200 (and every 304) from this entry sends besides its per-response headers, as the flat
   * [name, value, …] list `writeHead` takes. Built once: a hit then hands node one list and no `setHeader` calls,
   * which halved the CPU of a hit (objects spread and set header by header allocated ~10 KB per response).
   */
  flat200: Array<string | number | string[]>;
  flat304: Array<string | number | string[]>;
  /** The CSP header split at its nonce ([before, after]); null when the page had none. */
  csp: [string, string] | null;
  /** The body split at each occurrence of the nonce (n occurrences → n + 1 pieces), UTF-8. */
  pieces: Buffer[];
  /**
   * Each piece raw-deflated, all but the last sync-flushed (no final block), the last finished. Each is compressed
   * with everything before it as its window (the nonces masked), so it may refer back across a nonce: the stream
   * is as small as one made in one go. Only valid for a nonce of the stored one's length (`nonceBytes`).
   */
  deflated: Buffer[];
  nonceBytes: number;
  /** CRC-32 of each piece, and x^(8·length) mod the CRC polynomial for each piece (to combine CRCs). */
  crcs: number[];
  shifts: number[];
  bodyLength: number;
}

export interface PageCache {
  /** First in the chain: answers a fresh hit entirely (headers, 304, gzip) or passes on. */
  serve: RequestHandler;
  /** Whether `serve` would answer this request now (no side effects): the fast path in front of express asks. */
  wouldServe(method: string, path: string, originalUrl: string, headers: IncomingHttpHeaders): boolean;
  /** Where the page is rendered: stores a cacheable response on its way out. */
  capture: RequestHandler;
  clear(): void;
  readonly size: number;
}

export interface PageCacheOptions {
  ttlMs: number;
  maxEntries: number;
  sessionCookies: string[];
  paths: RegExp;
  /** The nonce of this response (set by the CSP middleware on a miss). */
  nonceOf?: (res: Response) => string;
  /** A fresh nonce for a hit. */
  newNonce?: () => string;
  /** After the TTL, how long the previous copy may still be served while one request renders it again (default: TTL). */
  staleMs?: number;
  /**
   * What else a page depends on besides its URL (the visitor's time zone cookie and locale: times are written in
   * them). Part of the key, so a visitor never gets a page written for another zone. Keep it low-cardinality.
   */
  variant?: (headers: IncomingHttpHeaders) => string;
}

export function pageCache(opts: PageCacheOptions): PageCache {
  const entries = new Map<string, Entry>();
  const sessionPattern = new RegExp(`(^|;\\s*)(${opts.sessionCookies.map(escapeRegExp).join("|")})=`);
  const nonceOf = opts.nonceOf ?? ((res: Response) => String(res.locals.cspNonce));
  const newNonce = opts.newNonce ?? (() => crypto.randomBytes(16).toString("base64"));
  const staleMs = opts.staleMs ?? opts.ttlMs;
  /** URLs whose expired page one request is rendering again right now. */
  const refreshing = new Set<string>();

  const cacheable = (method: string, path: string, originalUrl: string, headers: IncomingHttpHeaders) =>
    method === "GET" &&
    originalUrl.length <= 300 &&
    opts.paths.test(path) &&
    !(headers.cookie !== undefined && sessionPattern.test(headers.cookie));

  /** Whether `serve` would answer this request from the cache (fresh, or stale while another renders it). */
  const keyOf = (originalUrl: string, headers: IncomingHttpHeaders) =>
    opts.variant ? `${originalUrl}\n${opts.variant(headers)}` : originalUrl;

  const wouldServe = (method: string, path: string, originalUrl: string, headers: IncomingHttpHeaders): boolean => {
    if (!cacheable(method, path, originalUrl, headers)) return false;
    const key = keyOf(originalUrl, headers);
    const hit = entries.get(key);
    if (!hit) return false;
    const age = Date.now() - hit.at;
    return age < opts.ttlMs || (refreshing.has(key) && age < opts.ttlMs + staleMs);
  };

  const serve: RequestHandler = (req, res, next) => {
    if (!cacheable(req.method, req.path, req.originalUrl, req.headers)) return next();
    const key = keyOf(req.originalUrl, req.headers);
    const hit = entries.get(key);
    if (!hit) return next();
    const age = Date.now() - hit.at;
    if (age >= opts.ttlMs) {
      // Expired: one request renders the page again; while it does, the others get the previous copy (for at most
      // `staleMs` more), instead of every concurrent request rendering it at once.
      if (!refreshing.has(key)) {
        refreshing.add(key);
        res.once("close", () => refreshing.delete(key));
        return next();
      }
      if (age >= opts.ttlMs + staleMs) return next();
    }
    // Refresh its place in the LRU order.
    entries.delete(key);
    entries.set(key, hit);

    // Headers as one flat list (see Entry.flat200); the request id goes in it when nothing has set it yet (the
    // fast path in front of express leaves it to us).
    const requestId = res.hasHeader("x-request-id") ? undefined : (res.locals.requestId as string | undefined);
    const cacheState = age >= opts.ttlMs ? "STALE" : "HIT";
    if (matchesEtag(req.headers["if-none-match"], hit.etag)) {
      const headers = [...hit.flat304, "x-cache", cacheState];
      if (requestId) headers.push("x-request-id", requestId);
      res.writeHead(304, headers);
      res.end();
      return;
    }
    const nonce = newNonce();
    res.locals.cspNonce = nonce;
    const headers = [...hit.flat200, "x-cache", cacheState];
    if (requestId) headers.push("x-request-id", requestId);
    if (hit.csp) headers.push("content-security-policy", hit.csp[0] + nonce + hit.csp[1]);
    const gzip = acceptsGzip(req.headers["accept-encoding"]);
    const body = gzip ? gzipBody(hit, nonce) : plainBody(hit, nonce);
    if (gzip) headers.push("content-encoding", "gzip");
    headers.push("content-length", body.length);
    res.writeHead(200, headers);
    res.end(body);
  };

  const capture: RequestHandler = (req, res, next) => {
    if (!cacheable(req.method, req.path, req.originalUrl, req.headers)) return next();
    const key = keyOf(req.originalUrl, req.headers);
    res.setHeader("X-Cache", "MISS");
    // Rendered uncompressed: the cache compresses what it stores once (server/app.ts reads this).
    res.locals.pageCacheCapture = true;
    res.setHeader("Cache-Control", PUBLIC_PAGE_CACHE_CONTROL);
    res.setHeader("Vary", PUBLIC_PAGE_VARY);
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    const collect = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(
        Buffer.isBuffer(chunk)
          ? chunk
          : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"),
      );
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      collect(chunk, rest[0]);
      const type = String(res.getHeader("content-type") ?? "");
      const storable = res.statusCode === 200 && type.startsWith("text/html") && !res.getHeader("set-cookie");
      const headers = storable ? res.getHeaders() : undefined;
      const result = end(chunk, ...rest);
      if (headers) {
        const entry = makeEntry(Buffer.concat(chunks).toString("utf8"), headers, nonceOf(res));
        if (entry) {
          entries.delete(key);
          entries.set(key, entry);
          while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value as string);
        }
      }
      return result;
    }) as typeof res.end;
    next();
  };

  return {
    serve,
    wouldServe,
    capture,
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  };
}

function makeEntry(html: string, responseHeaders: OutgoingHttpHeaders, nonce: string): Entry | null {
  if (nonce.length < 16) return null; // no usable nonce: splitting at it would be meaningless
  // The page's own headers in lower case, then the cache's; a 304 carries no body type.
  const flat200: Entry["flat200"] = [];
  const flat304: Entry["flat304"] = [];
  for (const [given, value] of Object.entries(responseHeaders)) {
    const name = given.toLowerCase();
    if (value === undefined || PER_RESPONSE_HEADERS.has(name)) continue;
    flat200.push(name, value);
    if (name !== "content-type") flat304.push(name, value);
  }
  let csp: [string, string] | null = null;
  const cspHeader = responseHeaders["content-security-policy"];
  if (typeof cspHeader === "string") {
    const at = cspHeader.indexOf(nonce);
    // A CSP without this response's nonce cannot be replayed with a fresh one: do not store the page.
    if (at < 0 || cspHeader.indexOf(nonce, at + 1) >= 0) return null;
    csp = [cspHeader.slice(0, at), cspHeader.slice(at + nonce.length)];
  }
  const pieces = html.split(nonce).map((s) => Buffer.from(s, "utf8"));
  const last = pieces.length - 1;
  const nonceBytes = Buffer.byteLength(nonce, "latin1");
  // Each piece is compressed with what precedes it as a preset window, each nonce replaced by 0xFF bytes. A
  // back-reference can only copy bytes equal to the piece's own; UTF-8 never contains 0xFF, so no reference can
  // reach into a nonce, and what it copies is the same whichever nonce a response carries (of the same length).
  const mask = Buffer.alloc(nonceBytes, 0xff);
  const deflated: Buffer[] = [];
  let before = Buffer.alloc(0);
  for (const [i, piece] of pieces.entries()) {
    const window = before.subarray(Math.max(0, before.length - DEFLATE_WINDOW));
    deflated.push(
      zlib.deflateRawSync(piece, {
        level: 9,
        finishFlush: i === last ? zlib.constants.Z_FINISH : zlib.constants.Z_SYNC_FLUSH,
        ...(window.length > 0 ? { dictionary: window } : {}),
      }),
    );
    if (i < last) before = Buffer.concat([before.subarray(-DEFLATE_WINDOW), piece, mask]);
  }
  const template = pieces.map((p) => p.toString("base64")).join(".");
  const etag = `W/"${crypto.createHash("sha256").update(template).digest("base64url").slice(0, 27)}"`;
  const common = ["cache-control", PUBLIC_PAGE_CACHE_CONTROL, "etag", etag, "vary", PUBLIC_PAGE_VARY];
  flat200.push(...common);
  flat304.push(...common);
  return {
    at: Date.now(),
    etag,
    flat200,
    flat304,
    csp,
    pieces,
    deflated,
    nonceBytes,
    crcs: pieces.map((p) => zlib.crc32(p)),
    shifts: pieces.map((p) => x2nmodp(p.length)),
    bodyLength: pieces.reduce((n, p) => n + p.length, 0),
  };
}

function plainBody(entry: Pick<Entry, "pieces" | "bodyLength">, nonce: string): Buffer {
  const parts: Buffer[] = [entry.pieces[0]!];
  const n = Buffer.from(nonce, "latin1");
  for (let i = 1; i < entry.pieces.length; i++) parts.push(n, entry.pieces[i]!);
  return Buffer.concat(parts, entry.bodyLength + n.length * (entry.pieces.length - 1));
}

const GZIP_HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]);

/** Deflate's window: how far back a piece's compression may refer. */
const DEFLATE_WINDOW = 32 * 1024;

/** One gzip member: the stored deflate pieces with the nonce spliced in as stored blocks, then CRC-32 and size. */
export function gzipBody(
  entry: Pick<Entry, "pieces" | "deflated" | "nonceBytes" | "crcs" | "shifts" | "bodyLength">,
  nonce: string,
): Buffer {
  const n = Buffer.from(nonce, "latin1");
  // The pieces' back-references assume a nonce of the stored length; another length is compressed afresh.
  if (n.length !== entry.nonceBytes) return zlib.gzipSync(plainBody(entry, nonce));
  // A stored block: BFINAL=0, BTYPE=00 (the stream is byte-aligned after a sync flush), LEN, NLEN, the bytes.
  const stored = Buffer.allocUnsafe(5 + n.length);
  stored[0] = 0;
  stored.writeUInt16LE(n.length, 1);
  stored.writeUInt16LE(~n.length & 0xffff, 3);
  n.copy(stored, 5);
  const nonceCrc = zlib.crc32(n);
  const nonceShift = x2nmodp(n.length);
  let crc = entry.crcs[0]!;
  const parts: Buffer[] = [GZIP_HEADER, entry.deflated[0]!];
  for (let i = 1; i < entry.deflated.length; i++) {
    parts.push(stored, entry.deflated[i]!);
    crc = (multmodp(nonceShift, crc) ^ nonceCrc) >>> 0;
    crc = (multmodp(entry.shifts[i]!, crc) ^ entry.crcs[i]!) >>> 0;
  }
  const trailer = Buffer.allocUnsafe(8);
  trailer.writeUInt32LE(crc, 0);
  trailer.writeUInt32LE((entry.bodyLength + n.length * (entry.deflated.length - 1)) >>> 0, 4);
  parts.push(trailer);
  return Buffer.concat(parts);
}

// CRC-32 combination as in zlib's crc32_combine: crc(A‖B) = (x^(8·|B|) mod P) · crc(A) ⊕ crc(B), in GF(2)
// with reflected bit order.
const POLY = 0xedb88320;
function multmodp(a: number, b: number): number {
  let m = 0x80000000;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}
const X2N_TABLE: number[] = (() => {
  const table = [0x40000000]; // x^1
  for (let i = 1; i < 32; i++) table.push(multmodp(table[i - 1]!, table[i - 1]!));
  return table;
})();
/** x^(8·bytes) mod P. */
function x2nmodp(bytes: number): number {
  let p = 0x80000000; // x^0
  let k = 3;
  let n = bytes;
  while (n) {
    if (n & 1) p = multmodp(X2N_TABLE[k & 31]!, p);
    n = Math.floor(n / 2);
    k++;
  }
  return p;
}

function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    if (coding !== "gzip" && coding !== "x-gzip" && coding !== "*") continue;
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  const bare = etag.replace(/^W\//, "");
  return header.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t.replace(/^W\//, "") === bare; // weak comparison (RFC 9110 13.1.2)
  });
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
