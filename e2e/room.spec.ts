// The live room, as two people would use it: the client and the expert each open the room of a session
// that is running now, pass the device check with Chromium's fake camera and microphone, and see the SAME safety
// code, derived in each browser from the two public keys. The private key stays in IndexedDB, non-extractable.
// Pressing Join loads livekit-client and its E2EE worker (only now, only here), switches encryption on, and —
// with no LiveKit server on this machine — ends in a clear "could not connect" message, never a call without
// encryption. The order is proven in the page (key and "enable" reach the worker and it answers before the first
// WebSocket), and a worker that fails to load ends the attempt before any connection. A third person gets 403;
// a session two days away has a disabled Join and its token is refused.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { ROOM_WORLD } from "./fixtures/world.ts";
import { network, open, signIn } from "./helpers.ts";

test.use({
  ...network(60),
  permissions: ["camera", "microphone"],
  launchOptions: {
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-quic",
      // A synthetic camera (a test pattern) and microphone (a beep), and no permission prompt.
      "--use-fake-device-for-media-stream",
      "--use-fake-ui-for-media-stream",
    ],
  },
});

async function person(browser: Browser, octet: number) {
  const context = await browser.newContext({ ...network(octet), permissions: ["camera", "microphone"] });
  return { context, page: await context.newPage() };
}

async function checkDevices(page: Page) {
  await page.getByRole("button", { name: "Check camera and microphone" }).click();
  await expect(page.getByTestId("devices-ok")).toContainText("Your camera and microphone work");
  // The preview really plays frames from the (fake) camera.
  await expect
    .poll(() => page.getByLabel("Your camera preview").evaluate((v: HTMLVideoElement) => v.videoWidth))
    .toBeGreaterThan(0);
}

test("client and expert open the room, pass the device check and see the same safety code; encryption comes first", async ({
  browser,
}) => {
  test.setTimeout(90_000);
  const client = await person(browser, 61);
  const expert = await person(browser, 62);

  // The client: the running session has an active Join; the one two days away a disabled one.
  await signIn(client.page, ROOM_WORLD.user.email, "/sessions");
  const sessions = client.page.getByTestId("upcoming-booking").filter({ hasText: ROOM_WORLD.expert.name });
  await expect(sessions).toHaveCount(2);
  await expect(sessions.nth(1).getByRole("button", { name: "Join the session" })).toBeDisabled();
  await expect(
    sessions.nth(1).getByText(/^The room opens at \d{1,2}:\d{2}(\s[ap]m)?, 10 minutes before the start\.$/i),
  ).toBeVisible();
  const livekitLoads: string[] = [];
  client.page.on("request", (r) => {
    if (/livekit/i.test(r.url())) livekitLoads.push(new URL(r.url()).pathname);
  });
  await sessions.nth(0).getByRole("link", { name: "Join the session" }).click();
  await expect(
    client.page.getByRole("heading", { level: 1, name: `Session with ${ROOM_WORLD.expert.name}` }),
  ).toBeVisible();
  await expect(client.page.locator("html[data-hydrated]")).toHaveCount(1);
  const roomUrl = new URL(client.page.url()).pathname;
  const bookingId = roomUrl.split("/")[2]!;
  await expect(client.page.getByTestId("key-state")).toContainText(
    `Waiting for ${ROOM_WORLD.expert.name} to open the room`,
  );
  await checkDevices(client.page);
  // Not before the keys are agreed.
  await expect(client.page.getByRole("button", { name: "Join the session" })).toBeDisabled();

  // The pre-join page passes axe with no serious or critical violation.
  const axe = await new AxeBuilder({ page: client.page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id)).toEqual([]);

  // The expert joins from their workspace, where the client is named by first name only (P17).
  const clientFirstName = ROOM_WORLD.user.name.split(" ")[0]!;
  await signIn(expert.page, ROOM_WORLD.expert.email, "/expert");
  await expert.page
    .getByTestId("upcoming-session")
    .filter({ hasText: clientFirstName })
    .first()
    .getByRole("link", { name: "Join the session" })
    .click();
  await expect(expert.page.getByRole("heading", { level: 1, name: `Session with ${clientFirstName}` })).toBeVisible();
  await expect(expert.page.locator("main")).not.toContainText(ROOM_WORLD.user.name);
  await checkDevices(expert.page);

  // Both see the same six-digit code.
  const expertCode = (await expert.page.getByTestId("safety-code").textContent({ timeout: 15_000 }))!.replace(
    /\s/g,
    "",
  );
  await expect(client.page.getByTestId("safety-code")).toBeVisible({ timeout: 15_000 });
  const clientCode = (await client.page.getByTestId("safety-code").textContent())!.replace(/\s/g, "");
  expect(expertCode).toMatch(/^\d{6}$/);
  expect(clientCode).toBe(expertCode);

  // The private key is in IndexedDB as a non-extractable CryptoKey: its bytes cannot be read, even by our own page.
  const stored = await client.page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const req = indexedDB.open("mindnamo-rooms");
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
    });
    const pairs = await new Promise<{ privateKey: CryptoKey; publicKey: string }[]>((resolve, reject) => {
      const req = db.transaction("keypairs").objectStore("keypairs").getAll();
      req.onsuccess = () => resolve(req.result as { privateKey: CryptoKey; publicKey: string }[]);
      req.onerror = () => reject(req.error ?? new Error("IndexedDB request failed"));
    });
    const pair = pairs[0]!;
    const exported = await crypto.subtle.exportKey("pkcs8", pair.privateKey).then(
      () => "exported",
      (e: Error) => e.name,
    );
    return { count: pairs.length, type: pair.privateKey.type, extractable: pair.privateKey.extractable, exported };
  });
  expect(stored).toEqual({ count: 1, type: "private", extractable: false, exported: "InvalidAccessError" });

  // Nothing of livekit-client was downloaded before Join.
  expect(livekitLoads).toEqual([]);

  // P9 in the browser, with livekit-client's real Room: everything the page tells the E2EE worker, and what the
  // worker answers, is written in order into an in-page log; the media server's address is intercepted, so each
  // connection attempt is seen (and refused) here, together with the log as it was at that moment.
  await client.page.evaluate(() => {
    const log: string[] = [];
    (window as unknown as { __p9: string[] }).__p9 = log;
    const proto = Worker.prototype as unknown as { postMessage: (this: Worker, ...a: unknown[]) => void };
    const post = proto.postMessage;
    proto.postMessage = function (this: Worker, ...args: unknown[]) {
      const kind = (args[0] as { kind?: string } | null)?.kind;
      if (kind) log.push(`to-worker:${kind}`);
      post.apply(this, args);
    };
    const NativeWorker = window.Worker;
    window.Worker = class extends NativeWorker {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        this.addEventListener("message", (e: MessageEvent<{ kind?: string }>) => {
          if (e.data?.kind) log.push(`from-worker:${e.data.kind}`);
        });
        this.addEventListener("error", () => log.push("worker-error"));
      }
    };
  });
  const p9 = () => client.page.evaluate(() => (window as unknown as { __p9: string[] }).__p9.slice());
  // Each attempt, with what the page had told the worker by then (the page waits for this socket meanwhile).
  const attempts: { path: string; logSoFar: string[] }[] = [];
  await client.page.routeWebSocket(/:7880\//, async (ws) => {
    attempts.push({ path: new URL(ws.url()).pathname, logSoFar: await p9() });
    await ws.close({ code: 1011, reason: "no media server in tests" });
  });

  await client.page.getByRole("button", { name: "Join the session" }).click();
  // livekit-client (lazily) and its E2EE worker load now, encryption is switched on, and the connection to the
  // (absent) media server fails with a clear message: no call, no fall-back.
  await expect(client.page.getByRole("alert")).toContainText("We could not connect to the video service", {
    timeout: 30_000,
  });
  expect(livekitLoads.some((p) => p.startsWith("/build/_shared/livekit-client"))).toBe(true);
  expect(livekitLoads).toContain("/vendor/livekit-e2ee-worker.js");
  await expect(client.page.getByRole("heading", { name: "In the call" })).toHaveCount(0);
  // The key reached the worker, encryption was switched on there and the worker answered — all before the first
  // connection attempt, which the intercepted media server saw.
  expect(attempts.length).toBeGreaterThan(0);
  expect(attempts[0]!.path).toMatch(/\/rtc/);
  // By the first attempt the worker was set up for this room ("init"), held the media key ("setKey") and had
  // answered that it runs ("initAck"): a connection is never tried with encryption only half switched on. (The
  // per-track "enable" follows when media is published, which needs the connection.)
  const atFirstAttempt = attempts[0]!.logSoFar;
  for (const step of ["to-worker:init", "to-worker:setKey", "from-worker:initAck"])
    expect(atFirstAttempt, `${step} before the first connection attempt: ${atFirstAttempt.join(", ")}`).toContain(step);

  // A failing E2EE worker (a broken deploy, a blocked file): the attempt ends with the person-facing message and
  // no connection is even tried.
  await client.page.route("**/vendor/livekit-e2ee-worker.js", (route) =>
    route.fulfill({ status: 500, contentType: "text/plain", body: "broken" }),
  );
  const before = { attempts: attempts.length, log: (await p9()).length };
  await client.page.getByRole("button", { name: "Join the session" }).click();
  await expect(client.page.getByRole("alert")).toContainText(
    "End-to-end encryption could not be switched on, so we did not start the call.",
    { timeout: 30_000 },
  );
  expect((await p9()).slice(before.log)).toContain("worker-error");
  expect(attempts.length).toBe(before.attempts);
  await expect(client.page.getByRole("heading", { name: "In the call" })).toHaveCount(0);

  // A third person: 403, with a page that says so.
  const stranger = await person(browser, 63);
  await signIn(stranger.page, ROOM_WORLD.stranger.email, "/sessions");
  const refused = await stranger.page.goto(roomUrl);
  expect(refused?.status()).toBe(403);
  await expect(stranger.page.getByRole("heading", { level: 1, name: "This room is not yours" })).toBeVisible();
  const strangerToken = await stranger.page.request.post(`/sessions/${bookingId}/room/token`, {
    headers: { "content-type": "application/json", origin: new URL(stranger.page.url()).origin },
    data: {},
  });
  expect(strangerToken.status()).toBe(403);

  await Promise.all([client.context.close(), expert.context.close(), stranger.context.close()]);
});

test("before the join window the room says when it opens, and the token endpoint refuses", async ({ page }) => {
  await signIn(page, ROOM_WORLD.user.email, "/sessions");
  const later = page.getByTestId("upcoming-booking").filter({ hasText: ROOM_WORLD.expert.name }).nth(1);
  const bookingId = await later.getByRole("button", { name: "Join the session" }).getAttribute("data-booking");
  expect(bookingId).toBeTruthy();
  await open(page, `/sessions/${bookingId}/room`);
  await expect(page.getByRole("button", { name: "Join the session" })).toBeDisabled();
  // The opening time is spelled out with its date and clock time ("on Friday, December 4, 2026, 3:47 AM UTC").
  await expect(page.getByText(/The room opens on .+ \d{1,2}:\d{2}\b.*, 10 minutes before the start\./)).toBeVisible();
  const token = await page.request.post(`/sessions/${bookingId}/room/token`, {
    headers: { "content-type": "application/json", origin: new URL(page.url()).origin },
    data: {},
  });
  expect(token.status()).toBe(412);
  expect(((await token.json()) as { error: string }).error).toMatch(/opens|window|not open/i);
});
