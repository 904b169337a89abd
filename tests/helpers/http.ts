// A tiny "browser" for HTTP tests: submits forms the way a page does (same-origin headers, no redirect following)
// and keeps its own cookie jar. Also: reading codes from the outbox and normalising per-response noise.
import { listOutbox } from "../../core/platform/mail/index.ts";
import type { TestServer } from "./server.ts";

export interface BrowserOptions {
  /** Sent as X-Forwarded-For (the server must trust one proxy: TRUST_PROXY=1) so rate limits see distinct clients. */
  ip?: string;
  /** The Origin a page of this site sends; defaults to the server's own URL. */
  origin?: string;
  userAgent?: string;
  /** Sent with every request (e.g. the X-Forwarded-Host a proxy in front adds). */
  headers?: Record<string, string>;
}

export class Browser {
  readonly cookies = new Map<string, string>();
  constructor(
    readonly srv: TestServer,
    readonly opts: BrowserOptions = {},
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    const h: Record<string, string> = {
      "user-agent":
        this.opts.userAgent ??
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36",
      ...this.opts.headers,
      ...extra,
    };
    if (this.opts.ip) h["x-forwarded-for"] = this.opts.ip;
    if (this.cookies.size > 0) h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    return h;
  }

  private remember(res: Response): Response {
    for (const line of res.headers.getSetCookie()) {
      const [pair = "", ...attrs] = line.split(";").map((s) => s.trim());
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      const maxAge = attrs.find((a) => /^max-age=/i.test(a));
      if (value === "" || maxAge === "Max-Age=0") this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async get(path: string, headers: Record<string, string> = {}): Promise<Response> {
    return this.remember(await fetch(`${this.srv.url}${path}`, { redirect: "manual", headers: this.headers(headers) }));
  }

  /** A form POST as a browser sends it from one of our pages. */
  async post(path: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<Response> {
    return this.remember(
      await fetch(`${this.srv.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: this.headers({
          "content-type": "application/x-www-form-urlencoded",
          origin: this.opts.origin ?? this.srv.url,
          "sec-fetch-site": "same-origin",
          ...headers,
        }),
        body: new URLSearchParams(fields).toString(),
      }),
    );
  }

  /** A multipart/form-data POST (fetch sets the boundary). */
  async postMultipart(path: string, form: FormData): Promise<Response> {
    return this.remember(
      await fetch(`${this.srv.url}${path}`, {
        method: "POST",
        redirect: "manual",
        headers: this.headers({ origin: this.opts.origin ?? this.srv.url, "sec-fetch-site": "same-origin" }),
        body: form,
      }),
    );
  }
}

/** The 8-digit code in the newest mail to an address, after pending sends finish. */
export async function lastCode(srv: TestServer, to: string): Promise<string> {
  await srv.running.services.mailQueue.drain();
  const mail = (await listOutbox(srv.config.mailOutboxDir, 1000)).find((m) => m.to === to);
  const match = mail && /Your code: (\d{4}) (\d{4})|this code on the reset page: (\d{4}) (\d{4})/.exec(mail.text);
  if (!match) throw new Error(`No code in the last mail to ${to}`);
  return match[1] ? `${match[1]}${match[2]}` : `${match[3]}${match[4]}`;
}

/** Every mail in the outbox, newest first, after pending sends finish. */
export async function outbox(srv: TestServer) {
  await srv.running.services.mailQueue.drain();
  return listOutbox(srv.config.mailOutboxDir, 1000);
}

/** A page's text as a person reads it: React's markers between adjacent text parts removed. */
export async function pageText(res: Response): Promise<string> {
  return (await res.text()).replaceAll("<!-- -->", "");
}

/** A page with its per-response noise (CSP nonces) and the given strings (e.g. the email typed) replaced. */
export function normalisePage(html: string, replace: Record<string, string> = {}): string {
  let out = html.replace(/nonce="[^"]*"/g, 'nonce="NONCE"');
  for (const [from, to] of Object.entries(replace)) {
    for (const variant of new Set([from, encodeURIComponent(from), JSON.stringify(from).slice(1, -1)]))
      out = out.split(variant).join(to);
  }
  return out;
}

/**
 * Asks `get` until the public page cache answers it the way `wanted` says (`X-Cache: HIT`, a stored copy; `MISS`,
 * rendered afresh), for at most `withinMs`, and returns that answer (or the last one). Writes made just before
 * (fixtures, a review) reach the cache as database notifications a moment after their commit and may clear a copy
 * stored in between: a test that needs "this page is cached now", or "the change has reached the cache", waits for
 * it rather than racing them.
 */
export async function untilCache(
  wanted: "HIT" | "MISS",
  get: () => Promise<Response>,
  withinMs = 2_000,
): Promise<Response> {
  const until = Date.now() + withinMs;
  for (;;) {
    const res = await get();
    if (res.headers.get("x-cache") === wanted || Date.now() > until) return res;
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 20));
  }
}
