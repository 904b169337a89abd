import { afterAll, beforeAll, describe, expect, it } from "vitest";
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
