// The outbound allow-list as the server installs it at boot (P28, ADR 0016): the real server, configured with a
// stand-in Resend on loopback, sends mail to it; a connection from the same process to any other host:port is
// refused and logged; the server's own port answers; after shutdown the process connects freely again.
import http from "node:http";
import type net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { welcomeEmail } from "../core/mail/templates.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

const listen = (server: http.Server) =>
  new Promise<number>((resolve) =>
    server.listen(0, "127.0.0.1", () => resolve((server.address() as net.AddressInfo).port)),
  );

let srv: TestServer;
let resend: http.Server;
let stranger: http.Server;
let resendPort: number;
let strangerPort: number;
const mailed: string[] = [];
let strangerConnections = 0;
beforeAll(async () => {
  resend = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      mailed.push((JSON.parse(body) as { to: string }).to);
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ id: "email_1" }));
    });
  });
  stranger = http.createServer((_req, res) => res.end("collected"));
  stranger.on("connection", () => strangerConnections++);
  resendPort = await listen(resend);
  strangerPort = await listen(stranger);
  srv = await startTestServer({
    MAIL_TRANSPORT: "resend",
    RESEND_API_KEY: "re_test_key",
    RESEND_BASE_URL: `http://127.0.0.1:${resendPort}`,
  });
}, 120_000);
afterAll(async () => {
  await srv?.stop();
  resend?.close();
  stranger?.close();
});

describe("outbound connections of the running server", () => {
  it("reach the configured mail processor and the server itself; any other host is refused and logged", async () => {
    expect(await srv.running.services.mailer.send(welcomeEmail("ada@example.com", "Ada"))).toEqual({
      id: "email_1",
      transport: "resend",
    });
    expect(mailed).toEqual(["ada@example.com"]);
    expect((await fetch(`${srv.url}/healthz`)).status).toBe(200);

    const refused = await fetch(`http://127.0.0.1:${strangerPort}/collect`, {
      method: "POST",
      body: JSON.stringify({ email: "ada@example.com" }),
    }).catch((e: unknown) => (e as { cause?: unknown }).cause);
    expect(refused).toMatchObject({ code: "EOUTBOUND" });
    expect(strangerConnections).toBe(0);
    expect(srv.logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: "outbound connection refused", host: "127.0.0.1", port: strangerPort }),
    );
  });

  it("is lifted when the server stops", async () => {
    await srv.stop();
    expect(await (await fetch(`http://127.0.0.1:${strangerPort}/`)).text()).toBe("collected");
    srv = undefined as unknown as TestServer;
  });
});
