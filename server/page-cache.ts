// A short-lived cache of rendered public pages for anonymous visitors (docs/performance.md): the home page, the
// directory, expert profiles and the privacy policy look the same to every visitor without a session, so they
// are rendered once per URL and per TTL instead of per request. Never for a request that carries a session
// cookie, never a response that sets a cookie, and the CSP nonce is replaced with this response's own on every
// hit, so a nonce is never reused. Bookings re-validate on the server, so a slot list up to TTL old is harmless.
import type { RequestHandler } from "express";

const PLACEHOLDER = "__MN_NONCE__";

interface Entry {
  html: string;
  at: number;
}

export interface PageCache extends RequestHandler {
  clear(): void;
  readonly size: number;
}

export function pageCache(opts: { ttlMs: number; maxEntries: number; sessionCookies: string[]; paths: RegExp }): PageCache {
  const entries = new Map<string, Entry>();
  const hasSession = (cookie: string | undefined) => !!cookie && opts.sessionCookies.some((name) => new RegExp(`(^|;\\s*)${name}=`).test(cookie));

  const handler: RequestHandler = (req, res, next) => {
    if (req.method !== "GET" || !opts.paths.test(req.path) || hasSession(req.headers.cookie) || req.originalUrl.length > 300) return next();
    const key = req.originalUrl;
    const nonce = String(res.locals.cspNonce);
    const hit = entries.get(key);
    if (hit && Date.now() - hit.at < opts.ttlMs) {
      // Refresh its place in the LRU order.
      entries.delete(key);
      entries.set(key, hit);
      res.status(200).set({ "Content-Type": "text/html; charset=utf-8", "X-Cache": "HIT", "Cache-Control": "no-cache" });
      res.send(hit.html.split(PLACEHOLDER).join(nonce));
      return;
    }
    res.setHeader("X-Cache", "MISS");
    const chunks: Buffer[] = [];
    const write = res.write.bind(res) as (...args: unknown[]) => boolean;
    const end = res.end.bind(res) as (...args: unknown[]) => typeof res;
    const capture = (chunk: unknown, encoding?: unknown) => {
      if (chunk === undefined || chunk === null || typeof chunk === "function") return;
      chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string, typeof encoding === "string" ? (encoding as BufferEncoding) : "utf8"));
    };
    res.write = ((chunk: unknown, ...rest: unknown[]) => {
      capture(chunk, rest[0]);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: unknown, ...rest: unknown[]) => {
      capture(chunk, rest[0]);
      const type = String(res.getHeader("content-type") ?? "");
      if (res.statusCode === 200 && type.startsWith("text/html") && !res.getHeader("set-cookie")) {
        const html = Buffer.concat(chunks).toString("utf8");
        entries.set(key, { html: html.split(nonce).join(PLACEHOLDER), at: Date.now() });
        while (entries.size > opts.maxEntries) entries.delete(entries.keys().next().value as string);
      }
      return end(chunk, ...rest);
    }) as typeof res.end;
    next();
  };
  return Object.assign(handler, {
    clear: () => entries.clear(),
    get size() {
      return entries.size;
    },
  });
}
