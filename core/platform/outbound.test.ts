// The outbound allow-list (P28, ADR 0016) with real sockets on loopback (no internet here): a fetch, a raw TCP and
// a TLS connection to a host:port that is not listed are refused before they connect, and logged; the listed ones
// pass. The "processors" are local servers on listed ports; the "stranger" is another local server whose port is
// not listed.
import http from "node:http";
import net from "node:net";
import tls from "node:tls";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "./env/index.ts";
import { allowListFor, endpointOf, guardOutbound, type OutboundGuard, type OutboundRefusal } from "./outbound.ts";

function listen(server: net.Server, host = "127.0.0.1"): Promise<number> {
  return new Promise((resolve) => server.listen(0, host, () => resolve((server.address() as net.AddressInfo).port)));
}
const close = (server: net.Server) => new Promise<void>((resolve) => server.close(() => resolve()));

let resend: http.Server;
let stranger: http.Server;
let resendPort: number;
let strangerPort: number;
let strangerConnections = 0;
beforeAll(async () => {
  resend = http.createServer((_req, res) => res.end(JSON.stringify({ id: "email-1" })));
  stranger = http.createServer((_req, res) => res.end("you should never see this"));
  stranger.on("connection", () => strangerConnections++);
  resendPort = await listen(resend);
  strangerPort = await listen(stranger);
});
afterAll(async () => {
  await close(resend);
  await close(stranger);
});

let guard: OutboundGuard | undefined;
afterEach(() => {
  guard?.release();
  guard = undefined;
});

async function refusedCause(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  return (error as { cause?: { code?: string; message?: string } } | null)?.cause;
}

describe("the outbound allow-list", () => {
  it("lists the database, the mail transport in use and LiveKit from the configuration, nothing else", () => {
    const config = parseConfig({
      DATABASE_URL: "postgres://app@db.internal:6543/mindnamo",
      RESEND_API_KEY: "re_test",
      LIVEKIT_URL: "wss://video.example.net",
      LIVEKIT_API_KEY: "k",
      LIVEKIT_API_SECRET: "s",
      SMTP_HOST: "smtp.unused.example",
      SMTP_PORT: "587",
    });
    const databaseUrl = config.database.kind === "server" ? config.database.url : undefined;
    expect(allowListFor({ ...config, databaseUrl }).map(({ host, port }) => `${host}:${port}`)).toEqual([
      "db.internal:6543",
      "api.resend.com:443",
      "video.example.net:443",
    ]);
    const smtp = parseConfig({ MAIL_TRANSPORT: "smtp", SMTP_HOST: "relay.example", SMTP_PORT: "465" });
    expect(allowListFor(smtp).map(({ host, port }) => `${host}:${port}`)).toEqual(["relay.example:465"]);
    expect(allowListFor(parseConfig({})).length).toBe(0);
    expect(endpointOf("postgres://app@/mindnamo?host=/var/run/postgresql")).toBeNull();
    expect(endpointOf("http://[::1]:8080/")).toEqual({ host: "::1", port: 8080 });
  });

  it("refuses a fetch, a TCP and a TLS connection to a host that is not listed, and logs it; listed hosts pass", async () => {
    const refusals: OutboundRefusal[] = [];
    guard = guardOutbound(
      allowListFor({ mailTransport: "resend", RESEND_BASE_URL: `http://127.0.0.1:${resendPort}` }),
      (r) => refusals.push(r),
    );

    // The configured processor (a stand-in Resend on loopback) is reached, also by the name "localhost".
    expect(await (await fetch(`http://127.0.0.1:${resendPort}/emails`, { method: "POST" })).json()).toEqual({
      id: "email-1",
    });
    expect((await fetch(`http://localhost:${resendPort}/emails`)).status).toBe(200);

    // Anything else is refused before it connects.
    const cause = await refusedCause(fetch(`http://127.0.0.1:${strangerPort}/collect`));
    expect(cause).toMatchObject({ code: "EOUTBOUND" });
    expect(cause?.message).toBe(
      `Outbound connection to 127.0.0.1:${strangerPort} refused: not a configured processor (outbound allow-list).`,
    );
    expect(await refusedCause(fetch(`https://127.0.0.1:${strangerPort}/`))).toMatchObject({ code: "EOUTBOUND" });
    const tcp = await new Promise<unknown>((resolve) => {
      net
        .connect(strangerPort, "127.0.0.1")
        .once("error", resolve)
        .once("connect", () => resolve("connected"));
    });
    expect(tcp).toMatchObject({ code: "EOUTBOUND" });
    const tlsError = await new Promise<unknown>((resolve) => {
      tls
        .connect({ host: "localhost", port: strangerPort })
        .once("error", resolve)
        .once("secureConnect", () => resolve("connected"));
    });
    expect(tlsError).toMatchObject({ code: "EOUTBOUND" });
    // A name we have not configured is refused before it is even looked up.
    expect(await refusedCause(fetch("http://collector.invalid/"))).toMatchObject({ code: "EOUTBOUND" });

    await new Promise((r) => setTimeout(r, 50));
    expect(strangerConnections).toBe(0);
    expect(refusals).toEqual([
      { host: "127.0.0.1", port: strangerPort },
      { host: "127.0.0.1", port: strangerPort },
      { host: "127.0.0.1", port: strangerPort },
      { host: "localhost", port: strangerPort },
      { host: "collector.invalid", port: 80 },
    ]);
  });

  it("a server's own port is allowed once it registers it; releasing the last registration restores connections", async () => {
    guard = guardOutbound([], () => {});
    expect(await refusedCause(fetch(`http://127.0.0.1:${strangerPort}/`))).toMatchObject({ code: "EOUTBOUND" });
    guard.allow({ host: "localhost", port: strangerPort, why: "this server" });
    expect((await fetch(`http://127.0.0.1:${strangerPort}/`)).status).toBe(200);
    guard.release();
    guard = undefined;
    expect((await fetch(`http://127.0.0.1:${resendPort}/`)).status).toBe(200);
  });
});
