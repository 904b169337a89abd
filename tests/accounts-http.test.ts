// Accounts at the HTTP edge: the real server, the production Remix build, forms submitted the way a browser
// submits them (same-origin headers, no redirect following, our own cookie jar). The core rules themselves are
// tested in core/identity/identity.test.ts; here we prove what the routes and the edges add: guards on every
// loader and action, cookie attributes, answers that do not enumerate accounts, the avatar upload, limits and
// redirects that never leave the site.
import crypto from "node:crypto";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Browser, lastCode, normalisePage, outbox, pageText } from "./helpers/http.ts";
import { nextIp, PASSWORD, person, signIn as signInWith } from "./helpers/people.ts";
import { startDevAndProdServers, type TestServer } from "./helpers/server.ts";

const TOKEN = "[a-z2-7]{32}\\.[a-z2-7]{52}";
const THIRTY_DAYS = 30 * 24 * 60 * 60;

let srv: TestServer; // development, behind one trusted proxy: X-Forwarded-For gives each test its own client IP
let prod: TestServer; // production settings
let stopServers: () => Promise<void>;

beforeAll(async () => {
  ({ dev: srv, prod, stop: stopServers } = await startDevAndProdServers());
});
afterAll(async () => {
  await stopServers?.();
});

/** A verified account, straight in the database (sign-up over HTTP is tested once, below). */
const createUser = (s: TestServer, email: string, name?: string) => person(s, email, { name });

/** A browser signed in with the password form, landing on /account. */
const signIn = (s: TestServer, email: string, opts: { origin?: string } = {}) =>
  signInWith(s, email, { ...(s === srv ? {} : { ip: undefined }), ...opts, landing: "/account" });

const sessionToken = (b: Browser) => b.cookies.get("mn_session") ?? b.cookies.get("__Host-mn_session") ?? "";
const sessionId = (b: Browser) => sessionToken(b).split(".")[0] ?? "";

// ----------------------------------------------------------------------------------------------------------

describe("authorization on every account loader and action", () => {
  const guarded = [
    "/account",
    "/account/email",
    "/account/password",
    "/account/sessions",
    "/account/avatar",
    "/reauth",
  ];

  /** Everything an account action could change, to compare before and after. */
  async function snapshot() {
    const prisma = srv.running.services.db.prisma;
    return {
      users: await prisma.user.findMany({
        select: { id: true, email: true, name: true, passwordHash: true, emailVerifiedAt: true },
        orderBy: { id: "asc" },
      }),
      sessions: await prisma.session.findMany({
        select: { id: true, userId: true, reauthenticatedAt: true },
        orderBy: { id: "asc" },
      }),
      codes: await prisma.emailCode.count(),
      avatars: await prisma.userAvatar.findMany({ select: { userId: true, data: true, updatedAt: true } }),
      mails: (await outbox(srv)).length,
    };
  }

  it("without a session, GET of each redirects to /login?next=…", async () => {
    for (const cookie of [undefined, "mn_session=forged", `mn_session=${"a".repeat(32)}.${"b".repeat(52)}`]) {
      const b = new Browser(srv, { ip: nextIp() });
      for (const path of [...guarded, "/account/sessions?tab=all"]) {
        const res = await b.get(path, cookie ? { cookie } : {});
        expect(res.status, `GET ${path}`).toBe(302);
        expect(res.headers.get("location"), `GET ${path}`).toBe(`/login?next=${encodeURIComponent(path)}`);
      }
    }
  });

  it("without a session, POSTs redirect to /login?next=… and change nothing", async () => {
    // A victim with a session, a name and a picture: none of it may move.
    const victim = await createUser(srv, "victim.one@example.com", "Victim One");
    const vb = await signIn(srv, "victim.one@example.com");
    const png = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#3366aa" } })
      .png()
      .toBuffer();
    const upload = new FormData();
    upload.set("avatar", new Blob([new Uint8Array(png)], { type: "image/png" }), "me.png");
    expect((await vb.postMultipart("/account", upload)).status).toBe(200);
    const before = await snapshot();

    const anon = new Browser(srv, { ip: nextIp() });
    const attempts: [string, Record<string, string>][] = [
      ["/account", { intent: "name", name: "Mallory" }],
      ["/account", { intent: "remove-avatar" }],
      ["/account/email", { intent: "request", email: "mallory@example.com" }],
      ["/account/email", { intent: "confirm", email: "mallory@example.com", code: "12345678" }],
      ["/account/password", { password: "a brand new passphrase" }],
      ["/account/sessions", { intent: "revoke", sessionId: sessionId(vb) }],
      ["/account/sessions", { intent: "revoke-others" }],
      ["/reauth", { intent: "password", password: PASSWORD, next: "/account/password" }],
      ["/reauth", { intent: "send-code" }],
    ];
    for (const [path, fields] of attempts) {
      const res = await anon.post(path, fields);
      expect(res.status, `POST ${path} ${fields.intent ?? ""}`).toBe(302);
      expect(res.headers.get("location"), `POST ${path}`).toBe(`/login?next=${encodeURIComponent(path)}`);
      expect(res.headers.get("set-cookie")).toBeNull();
    }
    // /account/avatar only serves the picture: it has no action at all, so a POST is refused as a method.
    const avatarPost = await anon.post("/account/avatar", { intent: "remove-avatar" });
    expect(avatarPost.status).toBe(405);
    expect(avatarPost.headers.get("set-cookie")).toBeNull();
    const multi = new FormData();
    multi.set("avatar", new Blob([new Uint8Array(png)], { type: "image/png" }), "other.png");
    const up = await anon.postMultipart("/account", multi);
    expect(up.status).toBe(302);
    expect(up.headers.get("location")).toBe("/login?next=%2Faccount");

    expect(await snapshot()).toEqual(before);
    // The victim is still signed in, name and picture as they were.
    const page = await vb.get("/account");
    expect(page.status).toBe(200);
    expect(await pageText(page)).toContain("Victim One");
    expect(
      (await srv.running.services.db.prisma.userAvatar.findUnique({ where: { userId: victim.id } }))?.data,
    ).toBeTruthy();
  });

  it("with a stale session (re-authenticated over 10 minutes ago), email and password redirect to /reauth and a POST changes nothing", async () => {
    const prisma = srv.running.services.db.prisma;
    const user = await createUser(srv, "stale.user@example.com");
    const b = await signIn(srv, "stale.user@example.com");
    const other = await signIn(srv, "stale.user@example.com"); // a password change would end this one
    await prisma.session.update({
      where: { id: sessionId(b) },
      data: { reauthenticatedAt: new Date(Date.now() - 11 * 60_000) },
    });
    const before = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    const mailsBefore = (await outbox(srv)).length;

    for (const path of ["/account/email", "/account/password"]) {
      const res = await b.get(path);
      expect(res.status, `GET ${path}`).toBe(302);
      expect(res.headers.get("location")).toBe(`/reauth?next=${encodeURIComponent(path)}`);
    }
    const posts: [string, Record<string, string>][] = [
      ["/account/email", { intent: "request", email: "stale.new@example.com" }],
      ["/account/email", { intent: "confirm", email: "stale.new@example.com", code: "12345678" }],
      ["/account/password", { password: "a brand new passphrase" }],
    ];
    for (const [path, fields] of posts) {
      const res = await b.post(path, fields);
      expect(res.status, `POST ${path}`).toBe(302);
      expect(res.headers.get("location")).toBe(`/reauth?next=${encodeURIComponent(path)}`);
    }
    const after = await prisma.user.findUniqueOrThrow({ where: { id: user.id } });
    expect(after).toEqual(before);
    expect(await prisma.emailCode.count({ where: { email: "stale.new@example.com" } })).toBe(0);
    expect((await outbox(srv)).length).toBe(mailsBefore);
    expect(await prisma.session.count({ where: { id: sessionId(other) } })).toBe(1);
    // Not-sensitive pages still work with a stale session.
    expect((await b.get("/account")).status).toBe(200);

    // The way out: the password on /reauth, back to where the person was going, and the page opens.
    const reauth = await b.post("/reauth", { intent: "password", password: PASSWORD, next: "/account/password" });
    expect(reauth.status).toBe(302);
    expect(reauth.headers.get("location")).toBe("/account/password");
    expect((await b.get("/account/password")).status).toBe(200);
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("unknown form intents", () => {
  it("an intent an action does not offer is a 400 that changes nothing, on every multi-intent account page", async () => {
    const { id } = await createUser(srv, "intents@example.com", "Original Name");
    const b = await signIn(srv, "intents@example.com");
    for (const path of ["/account", "/account/sessions", "/account/communications", "/account/privacy", "/reauth"]) {
      const res = await b.post(path, {
        intent: "made-up",
        name: "Mallory",
        sessionId: sessionId(b),
        password: PASSWORD,
      });
      expect(res.status, path).toBe(400);
    }
    const prisma = srv.running.services.db.prisma;
    // The name form's fields with another intent never reach the name update.
    expect((await prisma.user.findUniqueOrThrow({ where: { id } })).name).toBe("Original Name");
    expect(await prisma.session.count({ where: { userId: id } })).toBe(1);
  });
});

describe("sessions of other people", () => {
  it("user A revoking user B's session id does not end it", async () => {
    const prisma = srv.running.services.db.prisma;
    await createUser(srv, "alice.a@example.com", "Alice A");
    await createUser(srv, "bob.b@example.com", "Bob B");
    const a = await signIn(srv, "alice.a@example.com");
    const a2 = await signIn(srv, "alice.a@example.com");
    const b = await signIn(srv, "bob.b@example.com");
    const bid = sessionId(b);

    // A's list does not show B's session.
    const list = await a.get("/account/sessions");
    expect(list.status).toBe(200);
    const html = await list.text();
    expect(html).toContain(sessionId(a2));
    expect(html).not.toContain(bid);

    const res = await a.post("/account/sessions", { intent: "revoke", sessionId: bid });
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("That session had already ended.");
    expect(await prisma.session.count({ where: { id: bid } })).toBe(1);
    const bPage = await b.get("/account");
    expect(bPage.status).toBe(200);
    expect(await pageText(bPage)).toContain("Bob B");

    // "Sign out all other sessions" ends A's other session only.
    const others = await a.post("/account/sessions", { intent: "revoke-others" });
    expect(await pageText(others)).toContain("Signed out 1 other session.");
    expect(await prisma.session.count({ where: { id: sessionId(a2) } })).toBe(0);
    expect(await prisma.session.count({ where: { id: bid } })).toBe(1);
    expect((await b.get("/account")).status).toBe(200);
    expect((await a2.get("/account")).status).toBe(302);
  });

  it("a user can revoke their own other session by id", async () => {
    await createUser(srv, "carol.c@example.com");
    const c = await signIn(srv, "carol.c@example.com");
    const c2 = await signIn(srv, "carol.c@example.com");
    const res = await c.post("/account/sessions", { intent: "revoke", sessionId: sessionId(c2) });
    expect(await pageText(res)).toContain("That session was signed out.");
    const gone = await c2.get("/account");
    expect(gone.status).toBe(302);
    expect(gone.headers.get("location")).toBe("/login?next=%2Faccount");
  });
});

describe("one session lookup per page", () => {
  it("the page after an action shows what the action changed (loaders do not reuse a lookup from before it)", async () => {
    await createUser(srv, "dora.d@example.com", "Dora Before");
    const d = await signIn(srv, "dora.d@example.com");
    expect(await pageText(await d.get("/account"))).toContain("Account of </span>Dora");
    const renamed = await d.post("/account", { intent: "name", name: "Zelda After" });
    expect(renamed.status).toBe(200);
    const text = await pageText(renamed);
    expect(text).toContain("Account of </span>Zelda");
    expect(text).not.toContain("Account of </span>Dora");
  });

  it("another person's request never gets this person's session", async () => {
    await createUser(srv, "erin.e@example.com", "Erin E");
    await createUser(srv, "finn.f@example.com", "Finn F");
    const e = await signIn(srv, "erin.e@example.com");
    const f = await signIn(srv, "finn.f@example.com");
    const pages = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? e : f).get("/account").then((r) => pageText(r))),
    );
    pages.forEach((text, i) => {
      expect(text).toContain(i % 2 === 0 ? "Account of </span>Erin" : "Account of </span>Finn");
      expect(text).not.toContain(i % 2 === 0 ? "Finn" : "Erin");
    });
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("the session cookie", () => {
  it("in development: mn_session, HttpOnly, SameSite=Lax, Path=/, Max-Age, no Secure — set after sign-up and verification", async () => {
    const email = "new.signup@example.com";
    const b = new Browser(srv, { ip: nextIp() });
    const signup = await b.post("/signup", { name: "New Signup", email, password: PASSWORD });
    expect(signup.status).toBe(302);
    expect(signup.headers.get("location")).toBe(`/verify?email=${encodeURIComponent(email)}`);
    // No session yet: only the sign-up's browser binding (its confirmation here keeps the password).
    expect(signup.headers.getSetCookie()).toEqual([
      expect.stringMatching(/^mn_signup=[a-z2-7]{52}; Max-Age=3600; Path=\/; HttpOnly; SameSite=Lax$/),
    ]);

    const res = await b.post("/verify", { email, code: await lastCode(srv, email) });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account?welcome=1");
    const cookies = res.headers.getSetCookie();
    // The session, and the owner-device mark of this browser (docs/security.md, the owner's door).
    expect(cookies).toHaveLength(2);
    expect(cookies[1]).toMatch(/^mn_device=[^;]+; Max-Age=31536000; Path=\/; HttpOnly; SameSite=Lax$/);
    const cookie = cookies[0]!;
    expect(cookie).toMatch(new RegExp(`^mn_session=${TOKEN}; Max-Age=(\\d+); Path=/; HttpOnly; SameSite=Lax$`));
    const maxAge = Number(/Max-Age=(\d+)/.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(THIRTY_DAYS - 120);
    expect(maxAge).toBeLessThanOrEqual(THIRTY_DAYS);
    expect(cookie).not.toMatch(/secure|domain/i);
    const page = await b.get("/account?welcome=1");
    expect(page.status).toBe(200);
    expect(await pageText(page)).toContain("Welcome to Mind Namo, New Signup.");
  });

  it("in production: __Host-mn_session with Secure, no Domain; the development name is not accepted", async () => {
    const origin = "https://mindnamo.example";
    await createUser(prod, "prod.user@example.com", "Prod User");
    // As behind the TLS proxy in front of production: the public host arrives as X-Forwarded-Host.
    const b = new Browser(prod, { origin, headers: { "x-forwarded-host": "mindnamo.example" } });
    const res = await b.post("/login", { email: "prod.user@example.com", password: PASSWORD });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");
    const [cookie = ""] = res.headers.getSetCookie();
    expect(cookie).toMatch(
      new RegExp(`^__Host-mn_session=${TOKEN}; Max-Age=\\d+; Path=/; HttpOnly; SameSite=Lax; Secure$`),
    );
    expect(cookie).not.toMatch(/domain/i);
    expect((await b.get("/account")).status).toBe(200);

    const token = sessionToken(b);
    const wrongName = await fetch(`${prod.url}/account`, {
      redirect: "manual",
      headers: { cookie: `mn_session=${token}` },
    });
    expect(wrongName.status).toBe(302);
    expect(wrongName.headers.get("location")).toBe("/login?next=%2Faccount");

    // Sign out clears the __Host- cookie (with the same attributes) and ends the session.
    const out = await b.post("/logout", {});
    expect(out.status).toBe(302);
    expect(out.headers.get("location")).toBe("/");
    expect(out.headers.getSetCookie()).toEqual([
      "__Host-mn_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax; Secure",
    ]);
    expect(await prod.running.services.db.prisma.session.count({ where: { id: token.split(".")[0] } })).toBe(0);
  });

  it("POST /logout clears the cookie and ends the session in the database; GET /logout signs nobody out", async () => {
    const prisma = srv.running.services.db.prisma;
    await createUser(srv, "leaving.user@example.com");
    const b = await signIn(srv, "leaving.user@example.com");
    const token = sessionToken(b);
    const id = sessionId(b);

    const get = await b.get("/logout");
    expect(get.status).toBe(302);
    expect(get.headers.get("location")).toBe("/");
    expect(get.headers.get("set-cookie")).toBeNull();
    expect(await prisma.session.count({ where: { id } })).toBe(1);
    expect((await b.get("/account")).status).toBe(200);

    const post = await b.post("/logout", {});
    expect(post.status).toBe(302);
    expect(post.headers.get("location")).toBe("/");
    expect(post.headers.getSetCookie()).toEqual(["mn_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Lax"]);
    expect(await prisma.session.count({ where: { id } })).toBe(0);
    // The old token, replayed, opens nothing.
    const replay = await fetch(`${srv.url}/account`, {
      redirect: "manual",
      headers: { cookie: `mn_session=${token}` },
    });
    expect(replay.status).toBe(302);
    expect(replay.headers.get("location")).toBe("/login?next=%2Faccount");
  });

  it("a cross-site sign-out is refused by the origin check", async () => {
    const prisma = srv.running.services.db.prisma;
    await createUser(srv, "csrf.target@example.com");
    const b = await signIn(srv, "csrf.target@example.com");
    const res = await b.post("/logout", {}, { origin: "https://evil.example", "sec-fetch-site": "cross-site" });
    expect(res.status).toBe(403);
    expect(await prisma.session.count({ where: { id: sessionId(b) } })).toBe(1);
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("no account enumeration at the HTTP edge", () => {
  const known = "known.person@example.com";

  /** Submits the same form for a known and an unknown email, each from its own client, and compares the answers. */
  async function compare(path: string, fields: (email: string) => Record<string, string>, unknown: string) {
    const answers = [];
    for (const email of [known, unknown]) {
      const res = await new Browser(srv, { ip: nextIp() }).post(path, fields(email));
      answers.push({
        status: res.status,
        location: res.headers.get("location")?.split(encodeURIComponent(email)).join("EMAIL") ?? null,
        // The sign-up's browser binding is random per answer.
        setCookie: res.headers.get("set-cookie")?.replace(/=[a-z2-7]{52};/, "=SECRET;") ?? null,
        retryAfter: res.headers.get("retry-after"),
        contentType: res.headers.get("content-type"),
        body: normalisePage(await res.text(), { [email]: "EMAIL" }),
      });
    }
    expect(answers[0]!.status).toBeLessThan(500);
    expect(answers[1]).toEqual(answers[0]);
    return answers[0]!;
  }

  beforeAll(async () => {
    await createUser(srv, known, "Known Person");
  });

  it("sign-up answers the same for a taken and a new email", async () => {
    const a = await compare(
      "/signup",
      (email) => ({ name: "Someone", email, password: "another calm sentence" }),
      "brand.new.person@example.com",
    );
    expect(a.status).toBe(302);
    expect(a.location).toBe("/verify?email=EMAIL");
  });

  it("sign-in with a wrong password answers the same as an unknown email", async () => {
    const a = await compare(
      "/login",
      (email) => ({ email, password: "not the right one at all" }),
      "nobody.here@example.com",
    );
    expect(a.status).toBe(400);
    expect(a.body).toContain("The email or password is not right.");
  });

  it("asking for a sign-in code answers the same", async () => {
    const a = await compare("/login/code", (email) => ({ intent: "send", email }), "nobody.code@example.com");
    expect(a.status).toBe(200);
    expect(a.body).toContain("has an account, we sent it an 8-digit sign-in code");
  });

  it("asking for a password reset answers the same", async () => {
    const a = await compare("/forgot-password", (email) => ({ email }), "nobody.reset@example.com");
    expect(a.status).toBe(200);
    expect(a.body).toContain("has an account, we sent it a link and a code");
  });

  it("and only the mailboxes tell the difference", async () => {
    const mails = await outbox(srv);
    const templatesTo = (to: string) =>
      mails
        .filter((m) => m.to === to)
        .map((m) => m.template)
        .sort();
    expect(templatesTo(known)).toEqual(["login-code", "password-reset", "signup-existing"]);
    expect(templatesTo("nobody.code@example.com")).toEqual([]);
    expect(templatesTo("nobody.reset@example.com")).toEqual([]);
    expect(templatesTo("brand.new.person@example.com")).toEqual(["verify-email"]);
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("profile pictures", () => {
  const MARKER = "secret-marker-7f3a";
  let owner: Browser;
  let ownerId: string;

  beforeAll(async () => {
    ownerId = (await createUser(srv, "picture.owner@example.com", "Picture Owner")).id;
    owner = await signIn(srv, "picture.owner@example.com");
  });

  const fileForm = (bytes: Uint8Array, name: string, type: string) => {
    const form = new FormData();
    form.set("avatar", new Blob([new Uint8Array(bytes)], { type }), name);
    return form;
  };
  const stored = () => srv.running.services.db.prisma.userAvatar.findUnique({ where: { userId: ownerId } });

  it("stores a PNG with EXIF as a 512×512 WebP without any metadata, served to its owner only", async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 3, background: "#88aa33" } })
      .png()
      .withExif({ IFD0: { Copyright: MARKER, Artist: MARKER } })
      .withXmp(
        `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description ` +
          `xmlns:dc="http://purl.org/dc/elements/1.1/" dc:rights="${MARKER}"/></rdf:RDF></x:xmpmeta>`,
      )
      .toBuffer();
    // The upload really carries the metadata.
    const inMeta = await sharp(png).metadata();
    expect(inMeta.exif).toBeTruthy();
    expect(png.includes(MARKER)).toBe(true);

    const res = await owner.postMultipart("/account", fileForm(png, "holiday.png", "image/png"));
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("Your picture was updated.");

    const row = await stored();
    expect(row).toBeTruthy();
    const served = await owner.get(`/account/avatar?v=${row!.updatedAt.getTime()}`);
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect(served.headers.get("cache-control")).toContain("private");
    const bytes = Buffer.from(await served.arrayBuffer());
    expect(bytes.equals(Buffer.from(row!.data))).toBe(true);
    const meta = await sharp(bytes).metadata();
    expect(meta.format).toBe("webp");
    expect([meta.width, meta.height]).toEqual([512, 512]);
    expect(meta.exif).toBeUndefined();
    expect(meta.icc).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    expect(bytes.includes(MARKER)).toBe(false);
    expect(bytes.includes("Exif")).toBe(false);

    // Nobody else reaches it: another account gets its own (none), no session gets the sign-in page.
    await createUser(srv, "picture.viewer@example.com");
    const viewer = await signIn(srv, "picture.viewer@example.com");
    const other = await viewer.get(`/account/avatar?v=${row!.updatedAt.getTime()}&userId=${ownerId}`);
    expect(other.status).toBe(404);
    expect(other.headers.get("content-type")).not.toBe("image/webp");
    const anon = await new Browser(srv).get("/account/avatar");
    expect(anon.status).toBe(302);
    expect(anon.headers.get("location")).toBe("/login?next=%2Faccount%2Favatar");
  });

  it("refuses a malformed file, a GIF and a file over 5 MB with a 400 and a clear message; the stored picture stays", async () => {
    const before = await stored();
    expect(before).toBeTruthy();
    const gif = await sharp({ create: { width: 16, height: 16, channels: 3, background: "#ff0000" } })
      .gif()
      .toBuffer();
    const pngHeaderThenGarbage = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      crypto.randomBytes(2048),
    ]);
    const big = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } })
      .png()
      .toBuffer();
    const over5MB = Buffer.concat([big, crypto.randomBytes(5 * 1024 * 1024 + 4096)]);
    const cases: [string, Uint8Array, string, string, string][] = [
      [
        "random bytes",
        crypto.randomBytes(4096),
        "photo.png",
        "image/png",
        "Please upload a PNG, JPEG or WebP picture.",
      ],
      [
        "a damaged PNG",
        pngHeaderThenGarbage,
        "photo.png",
        "image/png",
        "We could not read that picture. It may be damaged; please try another.",
      ],
      ["a GIF", gif, "funny.gif", "image/gif", "Please upload a PNG, JPEG or WebP picture."],
      ["a GIF named .png", gif, "funny.png", "image/png", "Please upload a PNG, JPEG or WebP picture."],
      ["over 5 MB", over5MB, "huge.png", "image/png", "That picture is larger than 5 MB. Please choose a smaller one."],
    ];
    for (const [label, bytes, name, type, message] of cases) {
      const res = await owner.postMultipart("/account", fileForm(bytes, name, type));
      expect(res.status, label).toBe(400);
      const html = await res.text();
      expect(html, label).toContain(message);
      expect(html, label).toContain('aria-invalid="true"');
      const after = await stored();
      expect(after?.updatedAt, label).toEqual(before!.updatedAt);
      expect(Buffer.from(after!.data).equals(Buffer.from(before!.data)), label).toBe(true);
    }
    const served = await owner.get("/account/avatar");
    expect(Buffer.from(await served.arrayBuffer()).equals(Buffer.from(before!.data))).toBe(true);
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("rate limits on sign-in", () => {
  it("rapid failed sign-ins for one account end in 429 with the limit message, even for the right password afterwards", async () => {
    await createUser(srv, "guessed.user@example.com");
    const b = new Browser(srv, { ip: nextIp() });
    let res: Response | undefined;
    let attempts = 0;
    while (attempts < 15) {
      attempts++;
      res = await b.post("/login", { email: "guessed.user@example.com", password: `wrong guess number ${attempts}` });
      if (res.status !== 400) break;
    }
    expect(res!.status).toBe(429);
    expect(attempts).toBe(11); // secret:account allows 10 per 15 minutes
    expect(Number(res!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(await pageText(res!)).toContain("Too many attempts for this account. Please wait 15 minutes and try again.");
    expect(res!.headers.get("set-cookie")).toBeNull();

    // The limit is on the account: another network with the right password is held back too.
    const other = await new Browser(srv, { ip: nextIp() }).post("/login", {
      email: "guessed.user@example.com",
      password: PASSWORD,
    });
    expect(other.status).toBe(429);
    expect(other.headers.get("set-cookie")).toBeNull();
  });
});

// ----------------------------------------------------------------------------------------------------------

describe("redirects after sign-in stay on the site", () => {
  const email = "redirect.user@example.com";
  beforeAll(async () => {
    await createUser(srv, email);
  });

  const offsite = [
    "//evil.example",
    "https://evil.example",
    "http://evil.example/account",
    "/\\evil.example",
    "/\t/evil.example",
    "/\t\\evil.example",
    "javascript:alert(1)",
  ];

  it("the password form ignores an off-site next and goes to /account", async () => {
    for (const next of offsite) {
      const res = await new Browser(srv, { ip: nextIp() }).post("/login", { email, password: PASSWORD, next });
      expect(res.status, JSON.stringify(next)).toBe(302);
      const location = res.headers.get("location") ?? "";
      expect(location, JSON.stringify(next)).toBe("/account");
      expect(new URL(location, srv.url).origin).toBe(new URL(srv.url).origin);
    }
    // A path on our site is kept.
    const ok = await new Browser(srv, { ip: nextIp() }).post("/login", {
      email,
      password: PASSWORD,
      next: "/account/sessions",
    });
    expect(ok.headers.get("location")).toBe("/account/sessions");
  });

  it("a signed-in visit to /login?next=… and the code form follow the same rule", async () => {
    const b = await signIn(srv, email);
    for (const next of offsite) {
      const res = await b.get(`/login?next=${encodeURIComponent(next)}`);
      expect(res.status, JSON.stringify(next)).toBe(302);
      expect(res.headers.get("location"), JSON.stringify(next)).toBe("/account");
    }
    const c = new Browser(srv, { ip: nextIp() });
    expect((await c.post("/login/code", { intent: "send", email })).status).toBe(200);
    const res = await c.post("/login/code", { email, code: await lastCode(srv, email), next: "//evil.example" });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/account");
  });
});
