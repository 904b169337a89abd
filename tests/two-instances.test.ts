// Two instances of the server on one PostgreSQL database behave as one product: a session made through one is
// good on the other, and clearing the public page cache on one clears it on the other (LISTEN/NOTIFY), within a
// second. Needs the PostgreSQL server (CI sets TEST_DATABASE_URL); the embedded database is one process only.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase, type Database } from "../core/platform/db/client.ts";
import { parseConfig } from "../core/platform/env/index.ts";
import { listOutbox } from "../core/platform/mail/index.ts";
import { mailRecipientKeyOf } from "../core/platform/mail/sealed.ts";
import { eraseUser, erasureKeysFrom } from "../core/privacy/erase.ts";
import { createTestDatabase, serverTestUrl, type TestDatabase } from "../core/platform/testing/db.ts";
import { demoLogins, seedEmptyDatabase } from "../prisma/seed.ts";
import { boot, type Running } from "../server/boot.ts";
import { untilCache } from "./helpers/http.ts";

const onServer = Boolean(serverTestUrl());
let database: TestDatabase;
let secondDb: Database;
const instances: Running[] = [];
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-two-"));
let outboxDir = "";

beforeAll(async () => {
  if (!onServer) return;
  database = await createTestDatabase({ migrate: false });
  secondDb = await openDatabase({ kind: "server", url: database.url! });
  const build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
  const config = parseConfig({
    DATA_DIR: dataDir,
    SEED_DEMO_DATA: "auto",
    LOG_LEVEL: "warn",
    APP_URL: "http://localhost:3999",
  });
  outboxDir = config.mailOutboxDir;
  const logger = pino({ level: "silent" });
  // Both start at once on the empty database, as two machines of one deploy do: migrations and the seed run once.
  instances.push(
    ...(await Promise.all(
      [database.db, secondDb].map((db) =>
        boot({ config, logger, build, port: 0, host: "127.0.0.1", database: db, seed: seedEmptyDatabase }),
      ),
    )),
  );
}, 180_000);

afterAll(async () => {
  for (const i of instances) await i.shutdown();
  await database?.cleanup();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const url = (i: number, p: string) => `${instances[i]!.url.replace("localhost", "127.0.0.1")}${p}`;

describe.skipIf(!onServer)("two instances on one PostgreSQL database", () => {
  it("started together on an empty database, they migrated and seeded it once", async () => {
    const prisma = database.db.prisma;
    const migrations = await prisma.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM "_prisma_migrations" GROUP BY migration_name HAVING count(*) > 1`;
    expect(migrations).toEqual([]);
    // One account per demo login and per demo expert, each once: the second start found the seed in place.
    const emails = await prisma.user.findMany({
      where: { NOT: { email: { endsWith: ".invalid" } } },
      select: { email: true },
    });
    expect(emails.length).toBeGreaterThan(demoLogins.length);
    for (const login of demoLogins) expect(emails.filter((u) => u.email === login.email)).toHaveLength(1);
    const categories = await prisma.category.groupBy({ by: ["name"], _count: true });
    expect(categories.length).toBeGreaterThan(0);
    expect(categories.every((c) => c._count === 1)).toBe(true);
  });

  it("sign in through one, continue on the other", async () => {
    const res = await fetch(url(0, "/login"), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url(0, "/")).origin },
      body: new URLSearchParams({ email: "demo@mindnamo.test", password: "calm-harbour-morning-42", next: "/account" }),
    });
    expect(res.status).toBe(302);
    const cookie = res.headers.get("set-cookie")!.split(";")[0]!;
    const other = await fetch(url(1, "/account"), { headers: { cookie }, redirect: "manual" });
    expect(other.status).toBe(200);
    // React separates text pieces with <!-- --> in server HTML.
    expect((await other.text()).replaceAll("<!-- -->", "")).toContain("Account of </span>Dana");
    // Without the cookie the other instance sends the visitor to sign in.
    expect((await fetch(url(1, "/account"), { redirect: "manual" })).status).toBe(302);
  });

  it("public content changed through one is gone from the other's page cache within a second", async () => {
    const profile = () => fetch(url(1, "/experts/amara-okafor"));
    expect((await untilCache("HIT", profile)).headers.get("x-cache")).toBe("HIT");
    // Written through instance 0's own connection, by no route: the database tells every instance (a trigger).
    await instances[0]!.services.db.prisma.expertProfile.update({
      where: { slug: "amara-okafor" },
      data: { headline: "Written through the first instance" },
    });
    const res = await untilCache("MISS", profile, 1_000);
    expect(res.headers.get("x-cache")).toBe("MISS");
    expect(await res.text()).toContain("Written through the first instance");
  });

  it("account mail is a sealed job on the shared queue: sent once, its row holds neither code nor address", async () => {
    const email = "demo@mindnamo.test";
    const res = await fetch(url(0, "/login/code"), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url(0, "/")).origin },
      body: new URLSearchParams({ intent: "send", email }),
    });
    expect([200, 302]).toContain(res.status);
    expect(instances[0]!.services.mailQueue.isDurable).toBe(true);
    await instances[0]!.services.mailQueue.drain();
    const mails = (await listOutbox(outboxDir, 1000)).filter((m) => m.to === email && m.template === "login-code");
    expect(mails).toHaveLength(1);
    const [, a, b] = /Your code: (\d{4}) (\d{4})/.exec(mails[0]!.text)!;
    const { rows } = (await database.db.executeSql(
      `SELECT state::text, data::text FROM pgboss.job WHERE name = 'mail.account'
       UNION ALL SELECT state::text, data::text FROM pgboss.archive WHERE name = 'mail.account'`,
    )) as { rows: { state: string; data: string }[] };
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.state)).toContain("completed");
    for (const row of rows) {
      expect(row.data).toContain('"template": "login-code"');
      expect(row.data).not.toContain("demo@");
      expect(row.data).not.toContain("mindnamo.test");
      expect(row.data).not.toContain(`${a}${b}`);
      expect(row.data).not.toContain(`${a} ${b}`);
    }
  });

  it("an erasure deletes the person's sealed mail jobs, found by the keyed hash of their address", async () => {
    const services = instances[0]!.services;
    const email = "erase.me@example.com";
    const user = await services.db.prisma.user.create({
      data: { email, name: "Erase Me", emailVerifiedAt: new Date() },
    });
    const res = await fetch(url(0, "/login/code"), {
      method: "POST",
      redirect: "manual",
      headers: { "content-type": "application/x-www-form-urlencoded", origin: new URL(url(0, "/")).origin },
      body: new URLSearchParams({ intent: "send", email }),
    });
    expect([200, 302]).toContain(res.status);
    await services.mailQueue.drain();
    const jobsFor = async () =>
      (
        await database.db.executeSql(
          `SELECT id FROM pgboss.job WHERE name = 'mail.account' AND data->>'recipient' = $1
           UNION ALL SELECT id FROM pgboss.archive WHERE name = 'mail.account' AND data->>'recipient' = $1`,
          [mailRecipientKeyOf(services.secrets.codePepper, email)],
        )
      ).rows.length;
    expect(await jobsFor()).toBe(1);
    await eraseUser(services.db.prisma, user.id, { keys: erasureKeysFrom(services) });
    expect(await jobsFor()).toBe(0);
  });
});
