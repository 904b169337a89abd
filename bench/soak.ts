// `npm run soak`: a bounded soak on loopback. Starts the production build in this process on 127.0.0.1 with a
// fresh embedded database and the demo data, then 50 simulated people (SOAK_USERS) browse and book for 60 s
// (SOAK_SECONDS) and it stops by itself. Each person has a verified account with a session created directly in the
// database and their own address (the server trusts one proxy; X-Forwarded-For differs per person, so per-IP rate
// limits count per person as they would in production). Browsing: home, directory, a profile, the booking page;
// booking: the booker's steps (a topic, a time, the confirmation form) and its real form action (POST with the
// Origin header a browser sends, the health-data consent ticked); then the sessions page. People compete for the
// same slots on purpose.
// Reports: requests and their status codes, 5xx (must be 0), bookings made and refused, double bookings in the
// database (overlapping live bookings of one expert: must be 0) and memory at start, middle and end (must stay
// flat). Exit code 1 when any of these fails, or when nobody could book at all.
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import pino from "pino";
import { parseConfig } from "../core/platform/env/index.ts";
import { createSession } from "../core/identity/sessions.ts";
import { seedEmptyDatabase } from "../prisma/seed.ts";
import { boot } from "../server/boot.ts";
import { freePort } from "../scripts/free-port.ts";

const USERS = Number(process.env.SOAK_USERS ?? 50);
const SECONDS = Number(process.env.SOAK_SECONDS ?? 60);
const root = path.resolve(import.meta.dirname, "..");

interface Memory {
  at: string;
  rssMb: number;
  heapUsedMb: number;
  externalMb: number;
}

const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
function memory(at: string): Memory {
  (globalThis as { gc?: () => void }).gc?.();
  const m = process.memoryUsage();
  return { at, rssMb: mb(m.rss), heapUsedMb: mb(m.heapUsed), externalMb: mb(m.external + m.arrayBuffers) };
}

/** The values of the <input>s named `name` in a page (attributes in any order). */
function inputValues(html: string, name: string): string[] {
  return [...html.matchAll(/<input\b[^>]*>/g)]
    .map((m) => m[0])
    .filter((tag) => tag.includes(`name="${name}"`))
    .map((tag) => /\bvalue="([^"]*)"/.exec(tag)?.[1])
    .filter((v): v is string => v !== undefined);
}

/** The booking page's own links (to its next step), as a browser would follow them: entities decoded, no fragment. */
function bookLinks(html: string, slug: string): string[] {
  return [...html.matchAll(/href="(\/book\/[^"#]*)(?:#[^"]*)?"/g)]
    .map((m) => m[1]!.replaceAll("&amp;", "&"))
    .filter((href) => href.startsWith(`/book/${slug}?`));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const pick = <T>(items: T[]): T => items[Math.floor(Math.random() * items.length)]!;

async function main() {
  // Hard stop: whatever happens, this process ends.
  setTimeout(
    () => {
      console.error("soak: did not finish in time; stopping.");
      process.exit(1);
    },
    (SECONDS + 180) * 1000,
  ).unref();

  if (!process.argv.includes("--no-build"))
    execFileSync(path.join(root, "node_modules/.bin/remix"), ["build"], { cwd: root, stdio: "inherit" });
  const build = (await import(pathToFileURL(path.join(root, "build/server/index.js")).href)) as ServerBuild;
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "mn-soak-"));
  // The public address is where the server listens: production accepts a form only from its own origin (APP_URL).
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const config = parseConfig({
    NODE_ENV: "production",
    DATA_DIR: dataDir,
    APP_URL: origin,
    SESSION_SECRET: "soak-".repeat(10),
    MAIL_TRANSPORT: "outbox",
    SEED_DEMO_DATA: "auto",
    LOG_LEVEL: "silent",
    TRUST_PROXY: "1",
  });
  const running = await boot({
    config,
    logger: pino({ level: "silent" }),
    build,
    port,
    host: "127.0.0.1",
    seed: seedEmptyDatabase,
  });
  const prisma = running.services.db.prisma;

  try {
    // People with verified accounts and a session each (created directly: sign-in is not what is soaked here).
    const people: { cookie: string; ip: string }[] = [];
    for (let i = 0; i < USERS; i++) {
      const user = await prisma.user.create({
        data: {
          email: `soak-${i}-${Date.now()}@soak.mindnamo.test`,
          name: `Soak Person ${i}`,
          emailVerifiedAt: new Date(),
          timezone: "Europe/London",
        },
        select: { id: true },
      });
      const session = await createSession(prisma, {
        userId: user.id,
        role: "USER",
        device: { ip: null, userAgent: "soak", browser: null, os: null, device: null },
      });
      people.push({
        cookie: `__Host-mn_session=${session.token}`,
        ip: `10.77.${Math.floor(i / 250)}.${(i % 250) + 1}`,
      });
    }

    const statuses = new Map<number, number>();
    let requests = 0;
    let networkErrors = 0;
    let booked = 0;
    let refused = 0;
    let noSlot = 0;
    const serverErrors: string[] = [];
    const latencies: number[] = [];

    async function request(
      person: { cookie: string; ip: string },
      url: string,
      init: RequestInit = {},
    ): Promise<{ status: number; body: string; location: string | null }> {
      const started = performance.now();
      try {
        const res = await fetch(`${origin}${url}`, {
          ...init,
          redirect: "manual",
          headers: {
            cookie: person.cookie,
            "x-forwarded-for": person.ip,
            "accept-encoding": "gzip",
            ...(init.headers as Record<string, string> | undefined),
          },
        });
        const body = await res.text();
        requests++;
        latencies.push(performance.now() - started);
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status >= 500) serverErrors.push(`${init.method ?? "GET"} ${url} → ${res.status}`);
        return { status: res.status, body, location: res.headers.get("location") };
      } catch (error) {
        networkErrors++;
        serverErrors.push(`${init.method ?? "GET"} ${url} → ${error instanceof Error ? error.message : String(error)}`);
        return { status: 0, body: "", location: null };
      }
    }

    const deadline = Date.now() + SECONDS * 1000;
    const think = () => sleep(50 + Math.random() * 200);
    async function simulate(person: { cookie: string; ip: string }) {
      while (Date.now() < deadline) {
        await request(person, "/");
        await think();
        const directory = await request(person, "/experts");
        const slugs = [...new Set([...directory.body.matchAll(/href="\/experts\/([a-z0-9-]+)"/g)].map((m) => m[1]!))];
        if (slugs.length === 0) continue;
        const slug = pick(slugs);
        await think();
        await request(person, `/experts/${slug}`);
        await think();
        // The booker's steps, as links and a form on server-rendered pages: a topic, then a time, then the
        // confirmation form (its hidden fields carry the choice and an idempotency key).
        const page = await request(person, `/book/${slug}`);
        const topicLinks = bookLinks(page.body, slug).filter((href) => /[?&]topic=/.test(href) && !/start=/.test(href));
        if (topicLinks.length === 0) {
          noSlot++;
          continue;
        }
        await think();
        const times = await request(person, pick(topicLinks));
        // The first few times: people compete for them.
        const timeLinks = bookLinks(times.body, slug).filter((href) => /[?&]start=/.test(href));
        if (timeLinks.length === 0 || Date.now() >= deadline) {
          noSlot++;
          continue;
        }
        await think();
        const confirm = await request(person, pick(timeLinks.slice(0, 6)));
        const startsAt = inputValues(confirm.body, "startsAt")[0];
        const categorySlug = inputValues(confirm.body, "categorySlug")[0];
        const key = inputValues(confirm.body, "idempotencyKey")[0];
        if (!startsAt || !categorySlug || !key || Date.now() >= deadline) {
          noSlot++;
          continue;
        }
        await think();
        const result = await request(person, `/book/${slug}`, {
          method: "POST",
          headers: { "content-type": "application/x-www-form-urlencoded", origin, "sec-fetch-site": "same-origin" },
          // Ticking the separate health-data consent, as the form asks a first-time booker to.
          body: new URLSearchParams({
            startsAt,
            categorySlug,
            idempotencyKey: key,
            tz: "Europe/London",
            healthConsent: "yes",
          }),
        });
        if (result.status === 302 && /^\/sessions\/[^/]+\/booked$/.test(result.location ?? "")) booked++;
        else if (result.status > 0 && result.status < 500) refused++;
        await think();
        await request(person, "/sessions");
        await think();
      }
    }

    // Warm up, then memory at start, middle and end.
    await request(people[0]!, "/experts");
    const mem: Memory[] = [memory("start")];
    const middle = setTimeout(() => mem.push(memory("middle")), (SECONDS * 1000) / 2);
    const started = Date.now();
    await Promise.all(people.map((p) => simulate(p)));
    clearTimeout(middle);
    const elapsed = (Date.now() - started) / 1000;
    mem.push(memory("end"));

    // Double bookings: two live bookings of one expert whose blocked spans overlap (the database should refuse them).
    const [{ doubles }] = (await prisma.$queryRawUnsafe<{ doubles: bigint }[]>(`
      SELECT count(*) AS doubles FROM "Booking" a JOIN "Booking" b
        ON a."expertId" = b."expertId" AND a.id < b.id
       AND a.status <> 'CANCELLED' AND b.status <> 'CANCELLED'
       AND a."startsAt" < b."blockedUntil" AND b."startsAt" < a."blockedUntil"`)) as [{ doubles: bigint }];
    const sameSlotTwice = await prisma.booking.groupBy({
      by: ["expertId", "startsAt"],
      where: { status: { not: "CANCELLED" } },
      having: { id: { _count: { gt: 1 } } },
      _count: { id: true },
    });
    const doubleBookings = Number(doubles) + sameSlotTwice.length;
    const storedBookings = await prisma.booking.count({
      where: { user: { email: { endsWith: "@soak.mindnamo.test" } } },
    });

    latencies.sort((a, b) => a - b);
    const pct = (p: number) =>
      Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0);
    const fiveXX = [...statuses].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    const startMem = mem[0]!;
    const endMem = mem[mem.length - 1]!;
    const midMem = mem.find((m) => m.at === "middle") ?? startMem;
    // Flat: from the middle to the end (after a GC), the heap and the resident set grow by at most 15% (+ a little).
    const flat = endMem.heapUsedMb <= midMem.heapUsedMb * 1.15 + 8 && endMem.rssMb <= midMem.rssMb * 1.15 + 32;

    console.log(
      `\nSoak: ${USERS} people, ${elapsed.toFixed(0)} s, loopback ${origin}, ${os.cpus().length} cores, node ${process.version}`,
    );
    console.log(
      `requests: ${requests} (${Math.round(requests / elapsed)}/s), p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms, ` +
        `network errors ${networkErrors}`,
    );
    console.log(
      `status codes: ${[...statuses]
        .sort(([a], [b]) => a - b)
        .map(([s, c]) => `${s}×${c}`)
        .join(", ")}`,
    );
    console.log(`5xx: ${fiveXX}`);
    console.log(
      `bookings: ${booked} made (${storedBookings} stored), ${refused} refused (slot taken or not ` +
        `bookable), ${noSlot} booking-page visits without an attempt (no slot shown, or time up)`,
    );
    console.log(`double bookings in the database: ${doubleBookings}`);
    console.log("memory (after GC):");
    for (const m of mem)
      console.log(
        `  ${m.at.padEnd(7)} rss ${m.rssMb} MB, heap ${m.heapUsedMb} MB, external+buffers ${m.externalMb} MB`,
      );
    console.log(
      `memory ${flat ? "flat" : "NOT flat"} (middle → end: heap ${midMem.heapUsedMb} → ${endMem.heapUsedMb} MB, ` +
        `rss ${midMem.rssMb} → ${endMem.rssMb} MB)`,
    );
    if (serverErrors.length > 0) console.log(`first failures:\n  ${serverErrors.slice(0, 10).join("\n  ")}`);
    // A soak in which nobody booked measured browsing only: the booker's pages or its form's checks changed under
    // it (a refused form is a 4xx, not a 5xx). With people competing for a handful of times, some always win.
    if (booked === 0) console.log("no booking was made: the soak could not book through the booking pages");
    const ok =
      fiveXX === 0 && networkErrors === 0 && doubleBookings === 0 && flat && booked === storedBookings && booked > 0;
    console.log(ok ? "\nSOAK PASSED" : "\nSOAK FAILED");
    process.exitCode = ok ? 0 : 1;
  } finally {
    await running.shutdown();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
