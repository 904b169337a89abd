// A short-lived cache of rendered public pages for anonymous visitors (docs/performance.md, ADRs
// docs/decisions/0011-page-cache-fast-path.md and 0020-cached-pages-csp-hashes.md): the home page, the directory,
// expert profiles and the privacy policy look the same to every visitor without a session, so they are rendered
// once per URL and per TTL instead of per request. Never for a request that carries a session cookie, never a
// response that sets a cookie or is not a 200 HTML page.
//
// Two middlewares: `capture` sits where the page would be rendered (after the security headers) and stores a
// rendered page with the headers the real middleware set; `serve` sits first in the chain (after request logging)
// and answers a hit on its own, so a hit pays for no header middleware, static-file lookup or compression:
// - every header of the stored response is replayed (helmet's, Permissions-Policy, …);
// - a stored page carries no nonce: its inline scripts lose their nonce attribute and its CSP allows each of them
//   by its SHA-256 hash instead (a nonce is for one response; a hash allows exactly that script's text, whichever
//   response carries it, and nothing injected beside it). The body is then the same bytes for every visitor, so it
//   is compressed once — gzip at once, brotli at quality 11 on the thread pool — and a hit only writes it;
// - a weak ETag (a hash of the stored page) answers If-None-Match with 304, and stays the same across re-renders
//   that produce the same page, which also reuse the compressed copies;
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

/**
 * Brotli for a stored page: made once per distinct page, so the densest setting is affordable (12–35 ms of the
 * thread pool for a 13–30 KB page here; ~20% smaller than gzip -9, which is what the bytes on the wire cost).
 */
const STORED_BROTLI: zlib.BrotliOptions = {
  params: {
    [zlib.constants.BROTLI_PARAM_QUALITY]: 11,
    [zlib.constants.BROTLI_PARAM_MODE]: zlib.constants.BROTLI_MODE_TEXT,
  },
};

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
  /** The page as stored (UTF-8), and compressed. */
  body: Buffer;
  gzip: Buffer;
  /** Null until the thread pool has made it (gzip is sent meanwhile). */
  br: Buffer | null;
}

export interface PageCache {
  /** First in the chain: answers a fresh hit entirely (headers, 304, compressed body) or passes on. */
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
  const staleMs = opts.staleMs ?? opts.ttlMs;
  /** URLs whose expired page one request is rendering again right now. */
  const refreshing = new Set<string>();
  /**
   * Counts `clear()`s. A page whose rendering started before a clear may show what the clear was for (its loader
   * read the database before the change): it is sent, but not stored, so a clear is never undone by a render that
   * was already in flight.
   */
  let generation = 0;

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
    const headers = [...hit.flat200, "x-cache", cacheState];
    if (requestId) headers.push("x-request-id", requestId);
    const encoding = chooseEncoding(req.headers["accept-encoding"], hit.br !== null);
    const body = encoding === "br" ? hit.br! : encoding === "gzip" ? hit.gzip : hit.body;
    if (encoding) headers.push("content-encoding", encoding);
    headers.push("content-length", body.length);
    res.writeHead(200, headers);
    res.end(body);
  };

  const capture: RequestHandler = (req, res, next) => {
    if (!cacheable(req.method, req.path, req.originalUrl, req.headers)) return next();
    const key = keyOf(req.originalUrl, req.headers);
    const startedIn = generation;
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
      const storable =
        res.statusCode === 200 &&
        type.startsWith("text/html") &&
        !res.getHeader("set-cookie") &&
        startedIn === generation;
      const headers = storable ? res.getHeaders() : undefined;
      const result = end(chunk, ...rest);
      if (headers) {
        const entry = makeEntry(Buffer.concat(chunks).toString("utf8"), headers, nonceOf(res), entries.get(key));
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
    clear: () => {
      generation++;
      entries.clear();
    },
    get size() {
      return entries.size;
    },
  };
}

/** An inline or external script element: its opening tag's attributes and its text. */
const SCRIPT = /<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi;

/**
 * The page as it is stored: without this response's nonce, its CSP allowing each inline script by hash. Null when
 * that cannot be done safely (the nonce anywhere else in the page or the header): such a page is not stored.
 */
export function storedPage(
  html: string,
  csp: string | undefined,
  nonce: string,
): { html: string; csp: string | undefined } | null {
  if (nonce.length < 16) return null;
  const attribute = ` nonce="${nonce}"`;
  const hashes = new Set<string>();
  const stored = html.replace(SCRIPT, (element, attributes: string, text: string) => {
    if (!attributes.includes(attribute)) return element;
    const rest = attributes.replace(attribute, "");
    // An external script is allowed by 'self' (and its hash would not allow it); an inline one only by its hash.
    if (!/\ssrc\s*=/i.test(rest))
      hashes.add(`'sha256-${crypto.createHash("sha256").update(text, "utf8").digest("base64")}'`);
    return `<script${rest}>${text}</script>`;
  });
  // Anywhere else (another element, an attribute of a kind we do not rewrite), the nonce would go out stale.
  if (stored.includes(nonce)) return null;
  if (csp === undefined) return { html: stored, csp };
  const token = `'nonce-${nonce}'`;
  const at = csp.indexOf(token);
  if (at < 0 || csp.indexOf(nonce, at + token.length) >= 0 || csp.slice(0, at).includes(nonce)) return null;
  const allowed = [...hashes].join(" ");
  const replaced = (csp.slice(0, at) + allowed + csp.slice(at + token.length)).replace(/ +(;|$)/g, "$1");
  return { html: stored, csp: replaced };
}

function makeEntry(html: string, responseHeaders: OutgoingHttpHeaders, nonce: string, previous?: Entry): Entry | null {
  const cspHeader = responseHeaders["content-security-policy"];
  if (cspHeader !== undefined && typeof cspHeader !== "string") return null;
  const page = storedPage(html, cspHeader, nonce);
  if (!page) return null;
  // The page's own headers in lower case, then the cache's; a 304 carries no body type and no CSP (it describes
  // the copy the browser already holds, which is this one).
  const flat200: Entry["flat200"] = [];
  const flat304: Entry["flat304"] = [];
  for (const [given, value] of Object.entries(responseHeaders)) {
    const name = given.toLowerCase();
    if (value === undefined || PER_RESPONSE_HEADERS.has(name)) continue;
    flat200.push(name, value);
    if (name !== "content-type") flat304.push(name, value);
  }
  if (page.csp !== undefined) flat200.push("content-security-policy", page.csp);
  const body = Buffer.from(page.html, "utf8");
  const digest = crypto.createHash("sha256").update(body);
  if (page.csp !== undefined) digest.update("\n").update(page.csp);
  const etag = `W/"${digest.digest("base64url").slice(0, 27)}"`;
  const common = ["cache-control", PUBLIC_PAGE_CACHE_CONTROL, "etag", etag, "vary", PUBLIC_PAGE_VARY];
  flat200.push(...common);
  flat304.push(...common);
  // The same page rendered again (most re-renders after the TTL): its compressed copies are still good.
  const same = previous?.etag === etag ? previous : undefined;
  const entry: Entry = {
    at: Date.now(),
    etag,
    flat200,
    flat304,
    body,
    gzip: same?.gzip ?? zlib.gzipSync(body, { level: 9 }),
    br: same?.br ?? null,
  };
  if (!entry.br)
    zlib.brotliCompress(
      body,
      { ...STORED_BROTLI, params: { ...STORED_BROTLI.params, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: body.length } },
      (error, result) => {
        if (!error) entry.br = result;
      },
    );
  return entry;
}

/** Parses Accept-Encoding: br when accepted and ready, else gzip when accepted, else none (identity). */
export function chooseEncoding(header: string | undefined, brotliReady: boolean): "br" | "gzip" | undefined {
  if (!header) return undefined;
  let br = -1;
  let gzip = -1;
  let star = -1;
  for (const part of header.split(",")) {
    const [coding, ...params] = part.trim().toLowerCase().split(";");
    const q = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const weight = q === undefined ? 1 : Number(q.slice(2));
    const value = Number.isFinite(weight) ? weight : 0;
    if (coding === "br") br = value;
    else if (coding === "gzip" || coding === "x-gzip") gzip = value;
    else if (coding === "*") star = value;
  }
  if (br < 0) br = star;
  if (gzip < 0) gzip = star;
  if (brotliReady && br > 0 && br >= gzip) return "br";
  if (gzip > 0) return "gzip";
  return undefined;
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
