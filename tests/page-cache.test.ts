import http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { guardOutbound } from "../core/platform/outbound.ts";
import { dynamicCompression } from "../server/app.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({}, { seed: true });
});
afterAll(async () => {
  await srv?.stop();
});

const nonceOf = (res: Response) => /'nonce-([^']+)'/.exec(res.headers.get("content-security-policy") ?? "")?.[1];

describe("the public page cache", () => {
  it("serves a repeat anonymous visit from the cache, with a fresh nonce that matches its own CSP", async () => {
    const first = await fetch(`${srv.url}/experts?category=grief`);
    expect(first.headers.get("x-cache")).toBe("MISS");
    const firstHtml = await first.text();
    const second = await fetch(`${srv.url}/experts?category=grief`);
    expect(second.headers.get("x-cache")).toBe("HIT");
    const html = await second.text();
    const nonce = nonceOf(second)!;
    expect(nonce).not.toBe(nonceOf(first));
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html).not.toContain(nonceOf(first)!);
    expect(html).not.toContain("__MN_NONCE__");
    expect(html.replaceAll(nonce, "N")).toBe(firstHtml.replaceAll(nonceOf(first)!, "N"));
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
const stable = (headers: http.IncomingHttpHeaders, nonce: string) =>
  Object.fromEntries(
    Object.entries(headers)
      .filter(([name]) => !PER_RESPONSE.includes(name))
      .map(([name, value]) => [name, String(value).replaceAll(nonce, "NONCE")]),
  );
const headerNonce = (headers: http.IncomingHttpHeaders) =>
  /'nonce-([^']+)'/.exec(String(headers["content-security-policy"]))?.[1] ?? "";

describe("cache hits answered before the middleware (and before express itself)", () => {
  it("replay every header of the rendered page (security headers included), with the nonce swapped", async () => {
    const miss = await rawGet(`${srv.url}/experts?language=English`);
    expect(miss.headers["x-cache"]).toBe("MISS");
    const hit = await rawGet(`${srv.url}/experts?language=English`);
    expect(hit.headers["x-cache"]).toBe("HIT");
    expect(headerNonce(hit.headers)).not.toBe(headerNonce(miss.headers));
    expect(stable(hit.headers, headerNonce(hit.headers))).toEqual(stable(miss.headers, headerNonce(miss.headers)));
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

  it("send gzip from the pre-compressed pieces: a valid stream (CRC checked) with this response's nonce", async () => {
    await rawGet(`${srv.url}/experts/amara-okafor`);
    const plain = await rawGet(`${srv.url}/experts/amara-okafor`);
    const gz = await rawGet(`${srv.url}/experts/amara-okafor`, { "accept-encoding": "gzip, deflate, br" });
    expect(gz.headers["x-cache"]).toBe("HIT");
    expect(gz.headers["content-encoding"]).toBe("gzip");
    expect(Number(gz.headers["content-length"])).toBe(gz.body.length);
    expect(gz.body.length).toBeLessThan(plain.body.length / 2);
    const html = zlib.gunzipSync(gz.body).toString("utf8"); // throws on a bad CRC or length
    const nonce = headerNonce(gz.headers);
    expect(html).toContain(`nonce="${nonce}"`);
    expect(html.replaceAll(nonce, "N")).toBe(plain.body.toString("utf8").replaceAll(headerNonce(plain.headers), "N"));
    expect(plain.headers["content-encoding"]).toBeUndefined();
    const refused = await rawGet(`${srv.url}/experts/amara-okafor`, { "accept-encoding": "gzip;q=0, identity" });
    expect(refused.headers["content-encoding"]).toBeUndefined();
  });

  it("send gzip as small as one compression of the whole page, though it is spliced at every nonce", async () => {
    for (const url of ["/", "/experts", "/experts/amara-okafor"]) {
      await rawGet(`${srv.url}${url}`);
      const gz = await rawGet(`${srv.url}${url}`, { "accept-encoding": "gzip" });
      expect(gz.headers["x-cache"]).toBe("HIT");
      const html = zlib.gunzipSync(gz.body);
      const nonce = headerNonce(gz.headers);
      expect(html.toString("utf8").split(nonce).length).toBeGreaterThan(2); // more than one splice
      // Pieces compressed apart were 16–21% larger than one call; each piece now refers back across the nonces,
      // and what is left is a new deflate block and a stored block per nonce (a few percent on a small page).
      const once = zlib.gzipSync(html, { level: 9 });
      expect(gz.body.length, url).toBeLessThanOrEqual(Math.ceil(once.length * 1.08));
    }
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

  it("answer If-None-Match with 304 and no CSP header (the browser keeps the one matching its copy)", async () => {
    await rawGet(`${srv.url}/privacy`);
    const hit = await rawGet(`${srv.url}/privacy`);
    const etag = String(hit.headers.etag);
    expect(etag).toMatch(/^W\/"[A-Za-z0-9_-]+"$/);
    const again = await rawGet(`${srv.url}/privacy`);
    expect(again.headers.etag).toBe(etag); // the nonce is not part of the ETag
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

  it("pages rendered per request are marked private, no-store; built assets immutable", async () => {
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
    const favicon = await rawGet(`${srv.url}/favicon.svg`);
    expect(favicon.status).toBe(200);
  });
});

describe("the stored gzip", () => {
  it.each([
    ["a fresh nonce of the stored length", 16],
    ["a fresh nonce of another length (compressed afresh)", 24],
  ])("decodes to the page with %s, though the pieces refer back across nonces", async (_what, freshLength) => {
    const express = (await import("express")).default;
    const { pageCache } = await import("../server/page-cache.ts");
    let fresh = 0;
    const cache = pageCache({
      ttlMs: 60_000,
      maxEntries: 10,
      sessionCookies: ["mn_session"],
      paths: /^\/page$/,
      newNonce: () => String(++fresh).padStart(freshLength, "n"),
    });
    const app = express();
    app.use(cache.serve);
    app.use((_req, res, next) => {
      res.locals.cspNonce = "stored-nonce-abc"; // 16 characters
      res.setHeader("Content-Security-Policy", "script-src 'nonce-stored-nonce-abc'");
      next();
    });
    app.use(cache.capture);
    // The same text on both sides of each nonce, and text that nearly is the nonce, tempt back-references across it.
    const chunk = '<p class="card">Sleep, stress and anxiety: Amara Okafor, 12 years</p>';
    app.get("/page", (_req, res) => {
      const n = res.locals.cspNonce as string;
      res
        .type("html")
        .send(
          `${chunk.repeat(40)}<script nonce="${n}">stored-nonce-ab</script>${chunk.repeat(40)}` +
            `<script nonce="${n}"></script>${chunk.repeat(3)}<p>${n.slice(0, 8)}</p>`,
        );
    });
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as { port: number }).port;
    const guard = guardOutbound([{ host: "127.0.0.1", port, why: "this test's server" }], () => {});
    try {
      const url = `http://127.0.0.1:${port}/page`;
      await rawGet(url);
      for (let i = 0; i < 3; i++) {
        const hit = await rawGet(url, { "accept-encoding": "gzip" });
        expect(hit.headers["x-cache"]).toBe("HIT");
        const nonce = String(fresh).padStart(freshLength, "n");
        const expected =
          `${chunk.repeat(40)}<script nonce="${nonce}">stored-nonce-ab</script>${chunk.repeat(40)}` +
          `<script nonce="${nonce}"></script>${chunk.repeat(3)}<p>stored-n</p>`;
        expect(zlib.gunzipSync(hit.body).toString("utf8")).toBe(expected);
      }
    } finally {
      guard.release();
      await new Promise((r) => server.close(r));
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
    const server = app.listen(0, "127.0.0.1");
    await new Promise((r) => server.once("listening", r));
    const port = (server.address() as { port: number }).port;
    const url = `http://127.0.0.1:${port}/page`;
    // A server booted earlier in this file holds the outbound allow-list: this test's own server is one more
    // endpoint this process may reach, as a booted server registers its own address.
    const guard = guardOutbound([{ host: "127.0.0.1", port, why: "this test's server" }], () => {});
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
      guard.release();
      await new Promise((r) => server.close(r));
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
