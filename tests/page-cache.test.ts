import crypto from "node:crypto";
import http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { guardOutbound } from "../core/platform/outbound.ts";
import { dynamicCompression } from "../server/app.ts";
import { chooseEncoding, storedPage } from "../server/page-cache.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({}, { seed: true });
});
afterAll(async () => {
  await srv?.stop();
});

const sha256 = (text: string) => crypto.createHash("sha256").update(text, "utf8").digest("base64");
const nonceOf = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];

describe("the public page cache", () => {
  it("serves a repeat anonymous visit from the cache: no nonce, each inline script allowed by its hash", async () => {
    const first = await fetch(`${srv.url}/experts?category=grief`);
    expect(first.headers.get("x-cache")).toBe("MISS");
    const firstHtml = await first.text();
    const second = await fetch(`${srv.url}/experts?category=grief`);
    expect(second.headers.get("x-cache")).toBe("HIT");
    const html = await second.text();
    const csp = second.headers.get("content-security-policy")!;
    // The page as rendered, less the miss's nonce; the CSP names no nonce, only hashes.
    expect(html).toBe(firstHtml.replaceAll(` nonce="${nonceOf(first)!}"`, ""));
    expect(html).not.toContain("nonce=");
    expect(csp).not.toContain("'nonce-");
    const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter((m) => !/\ssrc=/.test(m[1]!));
    expect(inline.length).toBeGreaterThan(2);
    const allowed = /script-src ([^;]*)/.exec(csp)![1]!.split(" ");
    for (const [, , text] of inline) expect(allowed).toContain(`'sha256-${sha256(text!)}'`);
    // Exactly those: 'self' for the bundles, one hash per distinct inline script, nothing else.
    expect(allowed.filter((t) => t.startsWith("'sha256-"))).toHaveLength(new Set(inline.map((m) => m[2])).size);
    expect(allowed.filter((t) => !t.startsWith("'sha256-"))).toEqual(["'self'"]);
    // The rest of the policy is the miss's.
    expect(csp.replace(/ 'sha256-[^']+'/g, "")).toBe(
      first.headers.get("content-security-policy")!.replace(` 'nonce-${nonceOf(first)!}'`, ""),
    );
  });

  it("never serves or stores pages for someone with a session, and skips other paths", async () => {
    await fetch(`${srv.url}/privacy`);
    const withCookie = await fetch(`${srv.url}/privacy`, { headers: { cookie: "mn_session=abc.def" } });
    expect(withCookie.headers.get("x-cache")).toBeNull();
    const healthz = await fetch(`${srv.url}/healthz`);
    expect(healthz.headers.get("x-cache")).toBeNull();
    await fetch(`${srv.url}/login`);
    expect((await fetch(`${srv.url}/login`)).headers.get("x-cache")).toBeNull();
  });

  it("does not keep error pages", async () => {
    expect((await fetch(`${srv.url}/experts/nobody-at-all`)).status).toBe(404);
    const again = await fetch(`${srv.url}/experts/nobody-at-all`);
    expect(again.status).toBe(404);
    expect(again.headers.get("x-cache")).toBe("MISS");
  });
});

/** A raw GET (fetch would decompress and hide Content-Encoding). */
/**
 * Serves `app` on a free loopback port for one test. A server booted earlier in this file holds the outbound
 * allow-list: this test's own server is one more endpoint this process may reach, as a booted server registers its
 * own address. `close` releases both.
 */
async function listenOnLoopback(app: http.RequestListener): Promise<{ port: number; close: () => Promise<void> }> {
  const server = http.createServer(app).listen(0, "127.0.0.1");
  await new Promise((r) => server.once("listening", r));
  const port = (server.address() as { port: number }).port;
  const guard = guardOutbound([{ host: "127.0.0.1", port, why: "this test's server" }], () => {});
  return {
    port,
    close: async () => {
      guard.release();
      await new Promise((r) => server.close(r));
    },
  };
}

function rawGet(url: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: http.IncomingHttpHeaders; rawHeaders: string[]; body: Buffer }>(
    (resolve, reject) => {
      http
        .get(url, { headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              rawHeaders: res.rawHeaders,
              body: Buffer.concat(chunks),
            }),
          );
        })
        .on("error", reject);
    },
  );
}

/** Header names sent more than once (node folds repeats into one value, so look at the raw list). */
function repeatedHeaders(rawHeaders: string[]): string[] {
  const names = rawHeaders.filter((_, i) => i % 2 === 0).map((n) => n.toLowerCase());
  return names.filter((n, i) => names.indexOf(n) !== i);
}

const PER_RESPONSE = [
  "x-request-id",
  "x-cache",
  "date",
  "content-length",
  "transfer-encoding",
  "content-encoding",
  "etag",
  "connection",
  "keep-alive",
];
const stable = (headers: http.IncomingHttpHeaders) =>
  Object.fromEntries(
    Object.entries(headers).filter(([name]) => !PER_RESPONSE.includes(name) && name !== "content-security-policy"),
  );
/** The policy without what allows the inline scripts (a nonce on a miss, their hashes on a hit). */
const policyBesidesScripts = (headers: http.IncomingHttpHeaders) =>
  String(headers["content-security-policy"]).replace(/ '(nonce|sha256)-[^']+'/g, "");
const headerNonce = (headers: http.IncomingHttpHeaders) =>
  /'nonce-([^']+)'/.exec(String(headers["content-security-policy"]))?.[1] ?? "";

describe("cache hits answered before the middleware (and before express itself)", () => {
  it("replay every header of the rendered page (security headers included), the CSP with hashes", async () => {
    const miss = await rawGet(`${srv.url}/experts?language=English`);
    expect(miss.headers["x-cache"]).toBe("MISS");
    const hit = await rawGet(`${srv.url}/experts?language=English`);
    expect(hit.headers["x-cache"]).toBe("HIT");
    expect(stable(hit.headers)).toEqual(stable(miss.headers));
    expect(policyBesidesScripts(hit.headers)).toBe(policyBesidesScripts(miss.headers));
    expect(hit.headers["content-security-policy"]).toContain("'sha256-");
    for (const name of [
      "content-security-policy",
      "x-frame-options",
      "x-content-type-options",
      "referrer-policy",
      "permissions-policy",
      "cross-origin-opener-policy",
    ]) {
      expect(hit.headers[name], name).toBeTruthy();
    }
    expect(hit.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    // Answered before express, and still logged like every request: one line, with the id, path (no query) and status.
    // The line is written when the response finishes: wait for it rather than for a fixed time.
    const line = await vi.waitFor(() => {
      const found = srv.logs.find((l) => l.msg === "request" && l.requestId === hit.headers["x-request-id"]);
      if (!found) throw new Error("no request log line yet");
      return found;
    });
    expect(line).toMatchObject({ method: "GET", path: "/experts", status: 200 });
    expect(JSON.stringify(line)).not.toContain("language=English");
    expect(hit.headers["x-powered-by"]).toBeUndefined();
    expect(hit.headers["cache-control"]).toBe("no-cache");
    expect(hit.headers.vary).toMatch(/Accept-Encoding/);
  });

  it("send the stored page compressed once: brotli when accepted, gzip otherwise, the same page each way", async () => {
    for (const url of ["/", "/experts", "/experts/amara-okafor"]) {
      await rawGet(`${srv.url}${url}`);
      const plain = await rawGet(`${srv.url}${url}`);
      expect(plain.headers["x-cache"]).toBe("HIT");
      expect(plain.headers["content-encoding"]).toBeUndefined();
      // Brotli is made on the thread pool after the miss: a browser's header gets it once it is there.
      const br = await vi.waitFor(async () => {
        const res = await rawGet(`${srv.url}${url}`, { "accept-encoding": "gzip, deflate, br" });
        if (res.headers["content-encoding"] !== "br") throw new Error("no brotli yet");
        return res;
      });
      expect(zlib.brotliDecompressSync(br.body).equals(plain.body), url).toBe(true);
      expect(Number(br.headers["content-length"])).toBe(br.body.length);
      const q11 = zlib.brotliCompressSync(plain.body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
      expect(br.body.length, url).toBeLessThanOrEqual(q11.length + 16);
      const gz = await rawGet(`${srv.url}${url}`, { "accept-encoding": "gzip" });
      expect(gz.headers["content-encoding"]).toBe("gzip");
      expect(zlib.gunzipSync(gz.body).equals(plain.body), url).toBe(true); // throws on a bad CRC or length
      // Quality 11 is what a page made once can afford: about a fifth smaller than gzip -9 on these pages.
      expect(br.body.length, url).toBeLessThan(gz.body.length * 0.9);
      for (const res of [br, gz]) expect(res.headers.etag).toBe(plain.headers.etag);
    }
    const refused = await rawGet(`${srv.url}/experts/amara-okafor`, {
      "accept-encoding": "gzip;q=0, br;q=0, identity",
    });
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });

  it("send every header once, the caller's well-formed request id included, on a 200 and on a 304", async () => {
    const url = `${srv.url}/experts/amara-okafor`;
    await rawGet(url);
    const hit = await rawGet(url, { "accept-encoding": "gzip", "x-request-id": "trace-from-the-edge-42" });
    expect(hit.headers["x-cache"]).toBe("HIT");
    expect(hit.headers["x-request-id"]).toBe("trace-from-the-edge-42");
    expect(hit.headers["content-encoding"]).toBe("gzip");
    expect(Number(hit.headers["content-length"])).toBe(hit.body.length);
    expect(repeatedHeaders(hit.rawHeaders)).toEqual([]);
    const revalidated = await rawGet(url, { "if-none-match": String(hit.headers.etag), "x-request-id": "no" });
    expect(revalidated.status).toBe(304);
    expect(revalidated.headers["x-request-id"]).toMatch(/^[0-9a-f-]{36}$/); // too short to trust: a fresh one
    expect(revalidated.headers["x-cache"]).toBe("HIT");
    expect(revalidated.headers["content-type"]).toBeUndefined();
    expect(revalidated.headers["x-frame-options"]).toBe("DENY");
    expect(repeatedHeaders(revalidated.rawHeaders)).toEqual([]);
  });

  it("answer If-None-Match with 304 and no CSP header (the browser keeps the one stored with its copy)", async () => {
    await rawGet(`${srv.url}/privacy`);
    const hit = await rawGet(`${srv.url}/privacy`);
    const etag = String(hit.headers.etag);
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await rawGet(`${srv.url}/privacy`);
    expect(again.headers.etag).toBe(etag);
    const revalidated = await rawGet(`${srv.url}/privacy`, { "if-none-match": etag });
    expect(revalidated.status).toBe(304);
    expect(revalidated.body.length).toBe(0);
    expect(revalidated.headers["content-security-policy"]).toBeUndefined();
    expect(revalidated.headers.etag).toBe(etag);
    const changed = await rawGet(`${srv.url}/privacy`, { "if-none-match": 'W/"something-else"' });
    expect(changed.status).toBe(200);
    // A signed-in visitor is never answered from the cache, not even with a 304.
    const signedIn = await rawGet(`${srv.url}/privacy`, { "if-none-match": etag, cookie: "mn_session=abc.def" });
    expect(signedIn.status).toBe(200);
    expect(signedIn.headers["x-cache"]).toBeUndefined();
  });

  it("pages rendered per request are marked private, no-store; built assets immutable, compressed at build", async () => {
    const signedIn = await rawGet(`${srv.url}/privacy`, { cookie: "mn_session=abc.def" });
    expect(signedIn.headers["cache-control"]).toBe("private, no-store");
    const login = await rawGet(`${srv.url}/login`);
    expect(login.headers["cache-control"]).toBe("private, no-store");
    const page = (await rawGet(`${srv.url}/login`)).body.toString("utf8");
    const asset = /\/build\/manifest-[^"]+\.js/.exec(page)![0]; // the route manifest: well over the 1 KB threshold
    const built = await rawGet(`${srv.url}${asset}`, { "accept-encoding": "gzip" });
    expect(built.status).toBe(200);
    expect(built.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(built.headers["content-encoding"]).toBe("gzip");
    // Sent as the build compressed it (scripts/build.mjs): brotli 11 when accepted, the same bytes unpacked.
    const brotli = await rawGet(`${srv.url}${asset}`, { "accept-encoding": "gzip, deflate, br" });
    expect(brotli.headers["content-encoding"]).toBe("br");
    expect(brotli.headers["cache-control"]).toBe("public, max-age=31536000, immutable");
    expect(brotli.headers.vary).toMatch(/Accept-Encoding/);
    const file = (await rawGet(`${srv.url}${asset}`)).body;
    expect(zlib.brotliDecompressSync(brotli.body).equals(file)).toBe(true);
    expect(zlib.gunzipSync(built.body).equals(file)).toBe(true);
    const q11 = zlib.brotliCompressSync(file, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    expect(brotli.body.length).toBeLessThanOrEqual(q11.length + 16);
    const favicon = await rawGet(`${srv.url}/favicon.svg`);
    expect(favicon.status).toBe(200);
  });
});

describe("the stored page", () => {
  const nonce = "r4nd0m-n0nce-0123456789";
  const policy = `default-src 'self';script-src 'self' 'nonce-${nonce}';style-src 'self'`;

  it("loses its nonce, and its CSP allows each inline script by hash and nothing else", () => {
    const html =
      `<p>hi</p><script nonce="${nonce}">window.a = 1;</script><script nonce="${nonce}" type="module" async="">` +
      `import "/build/x.js";</script><script nonce="${nonce}" src="/build/y.js"></script>` +
      `<script>injected()</script><script nonce="${nonce}">window.a = 1;</script>`;
    const page = storedPage(html, policy, nonce)!;
    expect(page.html).toBe(
      `<p>hi</p><script>window.a = 1;</script><script type="module" async="">import "/build/x.js";</script>` +
        `<script src="/build/y.js"></script><script>injected()</script><script>window.a = 1;</script>`,
    );
    // Two distinct inline texts, two hashes; the external one rides on 'self'; the one that had no nonce (which the
    // browser refused under the nonce) gets no hash either.
    expect(page.csp).toBe(
      `default-src 'self';script-src 'self' 'sha256-${sha256("window.a = 1;")}' ` +
        `'sha256-${sha256('import "/build/x.js";')}';style-src 'self'`,
    );
  });

  it("is not stored when the nonce appears anywhere it would be left stale", () => {
    expect(storedPage(`<link nonce="${nonce}" rel="preload"><script nonce="${nonce}"></script>`, policy, nonce)).toBe(
      null,
    );
    expect(storedPage(`<p>${nonce}</p>`, policy, nonce)).toBe(null);
    expect(storedPage("<p>hi</p>", `script-src 'nonce-other-nonce-abcdef'`, nonce)).toBe(null);
    expect(storedPage("<p>hi</p>", `${policy};style-src 'nonce-${nonce}'`, nonce)).toBe(null);
    expect(storedPage("<p>hi</p>", policy, "short")).toBe(null);
    // Without inline scripts the policy allows none.
    expect(storedPage("<p>hi</p>", policy, nonce)?.csp).toBe(`default-src 'self';script-src 'self';style-src 'self'`);
  });

  it("goes out as brotli, gzip or plain, as the request accepts", () => {
    expect(chooseEncoding("gzip, deflate, br", true)).toBe("br");
    expect(chooseEncoding("gzip, deflate, br", false)).toBe("gzip");
    expect(chooseEncoding("br;q=0.5, gzip", true)).toBe("gzip");
    expect(chooseEncoding("br;q=0, gzip;q=0", true)).toBe(undefined);
    expect(chooseEncoding("*", true)).toBe("br");
    expect(chooseEncoding("identity", true)).toBe(undefined);
    expect(chooseEncoding(undefined, true)).toBe(undefined);
    expect(chooseEncoding("x-gzip", false)).toBe("gzip");
    expect(chooseEncoding("br;q=nonsense, gzip", true)).toBe("gzip");
  });

  it("is compressed once however often it is rendered again the same", async () => {
    const express = (await import("express")).default;
    const { pageCache } = await import("../server/page-cache.ts");
    const cache = pageCache({
      ttlMs: 1_000,
      staleMs: 0,
      maxEntries: 10,
      sessionCookies: ["mn_session"],
      paths: /^\/p$/,
    });
    const app = express();
    app.use(cache.serve);
    app.use((_req, res, next) => {
      res.locals.cspNonce = crypto.randomBytes(16).toString("base64");
      res.setHeader("Content-Security-Policy", `script-src 'self' 'nonce-${res.locals.cspNonce as string}'`);
      next();
    });
    app.use(cache.capture);
    let renders = 0;
    app.get("/p", (_req, res) => {
      renders++;
      res
        .type("html")
        .send(`<p>${"the same page ".repeat(200)}</p><script nonce="${res.locals.cspNonce as string}">1</script>`);
    });
    const { port, close } = await listenOnLoopback(app);
    const brotli = vi.spyOn(zlib, "brotliCompress");
    try {
      const url = `http://127.0.0.1:${port}/p`;
      await rawGet(url);
      const first = await vi.waitFor(async () => {
        const res = await rawGet(url, { "accept-encoding": "br" });
        if (res.headers["content-encoding"] !== "br") throw new Error("no brotli yet");
        return res;
      });
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 1_100);
      expect((await rawGet(url)).headers["x-cache"]).toBe("MISS"); // rendered again: the same page
      const again = await rawGet(url, { "accept-encoding": "br" });
      expect(again.headers["x-cache"]).toBe("HIT");
      expect(again.headers["content-encoding"]).toBe("br"); // at once: the copy made for the first render
      expect(again.headers.etag).toBe(first.headers.etag);
      expect(renders).toBe(2);
      expect(brotli).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
      brotli.mockRestore();
      await close();
    }
  });
});

describe("an expired page", () => {
  it("is rendered again by one request while the others get the previous copy", async () => {
    const express = (await import("express")).default;
    const { pageCache } = await import("../server/page-cache.ts");
    let renders = 0;
    let counter = 0;
    const cache = pageCache({
      ttlMs: 1_000,
      staleMs: 10_000,
      maxEntries: 10,
      sessionCookies: ["mn_session"],
      paths: /^\/page$/,
    });
    const app = express();
    app.use(cache.serve);
    app.use((_req, res, next) => {
      res.locals.cspNonce = `nonce-${String(++counter).padStart(16, "0")}`;
      res.setHeader("Content-Security-Policy", `script-src 'nonce-${res.locals.cspNonce as string}'`);
      next();
    });
    app.use(cache.capture);
    app.get("/page", (_req, res) => {
      renders++;
      setTimeout(
        () =>
          res.type("html").send(`<p>render ${renders}</p><script nonce="${res.locals.cspNonce as string}"></script>`),
        1_000,
      );
    });
    const { port, close } = await listenOnLoopback(app);
    const url = `http://127.0.0.1:${port}/page`;
    try {
      expect((await fetch(url)).headers.get("x-cache")).toBe("MISS");
      expect((await fetch(url)).headers.get("x-cache")).toBe("HIT");
      // Past the TTL by the cache's clock (Date only: sockets and the slow render keep real timers).
      vi.useFakeTimers({ toFake: ["Date"] });
      vi.setSystemTime(Date.now() + 1_100);
      const answers = await Promise.all(
        Array.from({ length: 6 }, () =>
          fetch(url).then(async (r) => ({ cache: r.headers.get("x-cache"), html: await r.text() })),
        ),
      );
      expect(answers.filter((a) => a.cache === "MISS")).toHaveLength(1);
      expect(answers.filter((a) => a.cache === "STALE")).toHaveLength(5);
      expect(answers.filter((a) => a.cache === "STALE").every((a) => a.html.startsWith("<p>render 1</p>"))).toBe(true);
      expect(renders).toBe(2);
      const fresh = await fetch(url);
      expect(fresh.headers.get("x-cache")).toBe("HIT");
      expect(await fresh.text()).toContain("render 2");
    } finally {
      vi.useRealTimers();
      await close();
    }
  });
});

describe("a clear while a page is being rendered", () => {
  it("sends that page but does not store it: the render may predate what the clear was for", async () => {
    const express = (await import("express")).default;
    const { pageCache } = await import("../server/page-cache.ts");
    let renders = 0;
    let release: () => void = () => {};
    const cache = pageCache({ ttlMs: 60_000, maxEntries: 10, sessionCookies: ["mn_session"], paths: /^\/page$/ });
    const app = express();
    app.use(cache.serve);
    app.use((_req, res, next) => {
      res.locals.cspNonce = "nonce-000000000000000000";
      next();
    });
    app.use(cache.capture);
    app.get("/page", (_req, res) => {
      const n = ++renders;
      // The first render waits until the test lets it go; later ones answer at once.
      const send = () => res.type("html").send(`<p>render ${n}</p>`);
      if (n === 1) release = send;
      else send();
    });
    const { port, close } = await listenOnLoopback(app);
    const url = `http://127.0.0.1:${port}/page`;
    try {
      const inFlight = fetch(url);
      while (renders === 0) await new Promise((r) => setTimeout(r, 5));
      cache.clear();
      release();
      const first = await inFlight;
      expect(await first.text()).toBe("<p>render 1</p>");
      expect(first.headers.get("x-cache")).toBe("MISS");
      expect(cache.size).toBe(0);
      // The next request renders afresh, and that page is stored.
      const second = await fetch(url);
      expect([second.headers.get("x-cache"), await second.text()]).toEqual(["MISS", "<p>render 2</p>"]);
      const third = await fetch(url);
      expect([third.headers.get("x-cache"), await third.text()]).toEqual(["HIT", "<p>render 2</p>"]);
    } finally {
      await close();
    }
  });
});

describe("pages rendered per request", () => {
  it("are compressed per request at a cheap level: brotli quality ≤ 4 when accepted, gzip otherwise", async () => {
    expect(dynamicCompression.brotli.params[zlib.constants.BROTLI_PARAM_QUALITY]).toBeLessThanOrEqual(4);
    const plain = await rawGet(`${srv.url}/login`);
    expect(plain.headers["x-cache"]).toBeUndefined();
    const br = await rawGet(`${srv.url}/login`, { "accept-encoding": "gzip, deflate, br" });
    expect(br.headers["content-encoding"]).toBe("br");
    const html = zlib.brotliDecompressSync(br.body).toString("utf8");
    expect(html.replaceAll(headerNonce(br.headers), "N")).toBe(
      plain.body.toString("utf8").replaceAll(headerNonce(plain.headers), "N"),
    );
    // Quality 11 would be about a tenth smaller here; quality 4 is within a few percent of gzip's size.
    const q11 = zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } });
    expect(br.body.length).toBeGreaterThan(q11.length);
    const gz = await rawGet(`${srv.url}/login`, { "accept-encoding": "gzip" });
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(zlib.gunzipSync(gz.body).length).toBe(plain.body.length);
    const refused = await rawGet(`${srv.url}/login`, { "accept-encoding": "br;q=0, gzip;q=0, identity" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
    expect(refused.body.length).toBe(plain.body.length);
  });

  it("compress a document on the thread pool, not on the one JavaScript thread", async () => {
    const sync = [vi.spyOn(zlib, "brotliCompressSync"), vi.spyOn(zlib, "gzipSync")];
    try {
      const br = await rawGet(`${srv.url}/login`, { "accept-encoding": "gzip, deflate, br" });
      expect(zlib.brotliDecompressSync(br.body).toString("utf8")).toContain("</html>");
      const gz = await rawGet(`${srv.url}/login`, { "accept-encoding": "gzip" });
      expect(zlib.gunzipSync(gz.body).toString("utf8")).toContain("</html>");
      // Compressed, and not by the synchronous calls (which block the thread for the whole page).
      for (const spy of sync) expect(spy).not.toHaveBeenCalled();
    } finally {
      for (const spy of sync) spy.mockRestore();
    }
  });

  it("compress a document in one piece, not chunk by chunk as React writes it", async () => {
    const br = await rawGet(`${srv.url}/login`, { "accept-encoding": "gzip, deflate, br" });
    const html = zlib.brotliDecompressSync(br.body);
    // One piece: a length up front instead of chunked transfer, and the size of a single brotli call on the same
    // page. Flushed after every React chunk it was about 75% larger (no shared window across flushes).
    expect(br.headers["transfer-encoding"]).toBeUndefined();
    expect(Number(br.headers["content-length"])).toBe(br.body.length);
    const once = zlib.brotliCompressSync(html, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 4 } });
    expect(br.body.length).toBeLessThanOrEqual(Math.ceil(once.length * 1.03));
    const gz = await rawGet(`${srv.url}/login`, { "accept-encoding": "gzip" });
    expect(gz.body.length).toBeLessThanOrEqual(Math.ceil(zlib.gzipSync(zlib.gunzipSync(gz.body)).length * 1.03));
    // Caches see one Vary naming the encoding once.
    const vary = String(br.headers.vary ?? "")
      .split(",")
      .map((v) => v.trim().toLowerCase());
    expect(vary.filter((v) => v === "accept-encoding")).toHaveLength(1);
  });
});
