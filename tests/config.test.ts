import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../core/platform/env/index.ts";

describe("configuration", () => {
  it("defaults to the embedded database under DATA_DIR and the local outbox", () => {
    const cfg = parseConfig({ DATA_DIR: "/tmp/mn-data" });
    expect(cfg.database).toEqual({ kind: "embedded", dir: "/tmp/mn-data/pglite" });
    expect(cfg.mailTransport).toBe("outbox");
    expect(cfg.mailOutboxDir).toBe("/tmp/mn-data/outbox");
    expect(cfg.PORT).toBe(3000);
  });

  it("uses the PostgreSQL server when DATABASE_URL is set", () => {
    const cfg = parseConfig({ DATABASE_URL: "postgres://u@db:5432/mn" });
    expect(cfg.database).toEqual({ kind: "server", url: "postgres://u@db:5432/mn" });
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ DATABASE_URL: "mysql://x" }, "DATABASE_URL"],
    [{ APP_URL: "not a url" }, "APP_URL"],
    [{ LOG_LEVEL: "loud" }, "LOG_LEVEL"],
    [{ SESSION_SECRET: "short" }, "SESSION_SECRET"],
    [{ LIVEKIT_URL: "wss://lk.example" }, "LIVEKIT_URL"],
  ])("refuses %j naming %s", (env, name) => {
    expect(() => parseConfig(env)).toThrow(ConfigError);
    expect(() => parseConfig(env)).toThrow(new RegExp(`^Invalid configuration:[\\s\\S]*${name}`));
  });

  it("refuses production without a mail provider, unless the outbox is chosen explicitly", () => {
    const prod = { NODE_ENV: "production", APP_URL: "https://mindnamo.example", SESSION_SECRET: "x".repeat(40) };
    expect(() => parseConfig(prod)).toThrow(/RESEND_API_KEY: is required in production/);
    expect(parseConfig({ ...prod, MAIL_TRANSPORT: "outbox" }).mailTransport).toBe("outbox");
    expect(parseConfig({ ...prod, RESEND_API_KEY: "re_123" }).mailTransport).toBe("resend");
  });

  it("in production, refuses a database across the network without TLS; loopback and Unix sockets need none", () => {
    const prod = {
      NODE_ENV: "production",
      APP_URL: "https://mindnamo.example",
      SESSION_SECRET: "x".repeat(40),
      MAIL_TRANSPORT: "outbox",
    };
    for (const url of [
      "postgres://u:p@db.example.com:5432/mn",
      "postgres://u:p@db.example.com:5432/mn?sslmode=disable",
      "postgres://u:p@db.example.com:5432/mn?sslmode=prefer",
      "postgres://u:p@10.0.0.5/mn?sslmode=allow",
      // node-postgres reads the host parameter over the URL's host: this one crosses the network.
      "postgres://u:p@127.0.0.1:5432/mn?host=db.example.com",
    ]) {
      expect(() => parseConfig({ ...prod, DATABASE_URL: url }), url).toThrow(
        /DATABASE_URL: must use TLS in production/,
      );
    }
    for (const url of [
      "postgres://u:p@db.example.com:5432/mn?sslmode=verify-full",
      "postgres://u:p@db.example.com:5432/mn?sslmode=require",
      "postgres://u@127.0.0.1:5432/mn",
      "postgres://u@localhost/mn",
      "postgres://u@[::1]:5432/mn",
      "postgresql://u@/mn?host=/var/run/postgresql",
    ]) {
      expect(parseConfig({ ...prod, DATABASE_URL: url }).database, url).toEqual({ kind: "server", url });
    }
    // A repeated parameter: node-postgres takes the last one, so `require` then `disable` would run without TLS.
    for (const url of [
      "postgres://u:p@db.example.com:5432/mn?sslmode=require&sslmode=disable",
      "postgres://u:p@db.example.com:5432/mn?sslmode=disable&sslmode=require",
      "postgresql://u@/mn?host=/var/run/postgresql&host=db.example.com",
    ]) {
      expect(() => parseConfig({ ...prod, DATABASE_URL: url }), url).toThrow(/DATABASE_URL: repeats (sslmode|host)/);
    }
    expect(
      parseConfig({ ...prod, DATABASE_URL: "postgres://u:p@db.example.com/mn?host=127.0.0.1" }).database.kind,
    ).toBe("server");
    // Development is not held to it (a local test server without certificates).
    expect(parseConfig({ DATABASE_URL: "postgres://u@db.example.com/mn" }).database.kind).toBe("server");
  });

  it("a bad value stops the real start with its name in the message", () => {
    const result = spawnSync(process.execPath, ["--import", "tsx", "server.ts"], {
      env: { ...process.env, PORT: "not-a-port", DATABASE_URL: "", NODE_ENV: "development" },
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(result.status).toBe(78);
    expect(result.stderr).toContain("Mind Namo cannot start");
    expect(result.stderr).toMatch(/PORT: /);
  });
});
