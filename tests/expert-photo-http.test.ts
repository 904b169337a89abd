// An expert's photo, uploaded in their workspace: stored as a square WebP without metadata, shown on their public
// profile, replaceable and removable. Only an expert with a profile may upload there; nobody else changes anything.
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCategory, createExpert } from "../core/catalog/index.ts";
import { Browser, pageText } from "./helpers/http.ts";
import { PASSWORD, person, signIn as signInAs } from "./helpers/people.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
const prisma = () => srv.running.services.db.prisma;
let expertUserId: string;
const signIn = (email: string) => signInAs(srv, email);

async function pngUpload(): Promise<FormData> {
  const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: "#5a7d6a" } })
    .png()
    .withMetadata({ exif: { IFD0: { Artist: "Someone Private" } } })
    .toBuffer();
  const form = new FormData();
  form.set("avatar", new Blob([new Uint8Array(png)], { type: "image/png" }), "me.png");
  return form;
}

beforeAll(async () => {
  srv = await startTestServer({ TRUST_PROXY: "1" });
  await createCategory(prisma(), { slug: "anxiety", name: "Anxiety", description: "Support for anxiety." });
  const e = await createExpert(prisma(), {
    email: "photo.expert@experts.example.com",
    name: "Pia Photo",
    password: PASSWORD,
    slug: "pia-photo",
    headline: "Calm, practical support",
    bio: "Helps people through worry and change with practical steps.",
    languages: ["English"],
    timezone: "Europe/London",
    categorySlugs: ["anxiety"],
    availability: [{ weekday: 1, startMinute: 9 * 60, endMinute: 12 * 60 }],
    published: true,
  });
  expertUserId = (await prisma().expertProfile.findUniqueOrThrow({ where: { id: e.id }, select: { userId: true } }))
    .userId;
  await person(srv, "client@example.com", { name: "Cal Client" });
});
afterAll(async () => {
  await srv?.stop();
});

describe("the expert's photo", () => {
  it("is uploaded in the workspace, stored square without metadata, and served on the public profile", async () => {
    const b = await signIn("photo.expert@experts.example.com");
    expect(await pageText(await b.get("/expert/profile"))).toContain("No photo yet");
    expect((await b.get("/experts/pia-photo/photo")).status).toBe(404);

    const res = await b.postMultipart("/expert/profile", await pngUpload());
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("Your photo was updated.");

    const stored = await prisma().userAvatar.findUniqueOrThrow({ where: { userId: expertUserId } });
    const meta = await sharp(stored.data).metadata();
    expect(meta).toMatchObject({ format: "webp", width: 512, height: 512 });
    expect(meta.exif).toBeUndefined();

    const anon = new Browser(srv, { ip: "203.0.113.9" });
    const served = await anon.get("/experts/pia-photo/photo?s=256");
    expect(served.status).toBe(200);
    expect(served.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(Buffer.from(await served.arrayBuffer())).metadata()).width).toBe(256);
    expect(await pageText(await b.get("/expert/profile"))).toContain("Replace your photo");
  });

  it("a file that is not a picture gets a clear message and changes nothing", async () => {
    const b = await signIn("photo.expert@experts.example.com");
    const before = await prisma().userAvatar.findUnique({ where: { userId: expertUserId } });
    const form = new FormData();
    form.set("avatar", new Blob([new TextEncoder().encode("not an image")], { type: "image/png" }), "x.png");
    const res = await b.postMultipart("/expert/profile", form);
    expect(res.status).toBe(400);
    expect(await pageText(res)).toContain("Please upload a PNG, JPEG or WebP picture.");
    const empty = new FormData();
    empty.set("avatar", new Blob([], { type: "image/png" }), "");
    const noFile = await b.postMultipart("/expert/profile", empty);
    expect(noFile.status).toBe(400);
    expect(await pageText(noFile)).toContain("Choose a picture to upload.");
    expect(await prisma().userAvatar.findUnique({ where: { userId: expertUserId } })).toEqual(before);
  });

  it("a client, or nobody signed in, cannot upload or remove there, and nothing changes", async () => {
    const before = await prisma().userAvatar.findUnique({ where: { userId: expertUserId } });
    const client = await signIn("client@example.com");
    expect((await client.postMultipart("/expert/profile", await pngUpload())).status).toBe(403);
    expect((await client.post("/expert/profile", { intent: "remove-photo" })).status).toBe(403);
    expect(await prisma().userAvatar.findUnique({ where: { userId: (await clientId()).id } })).toBeNull();
    const anon = new Browser(srv, { ip: "203.0.113.10" });
    const res = await anon.postMultipart("/expert/profile", await pngUpload());
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/login?next=%2Fexpert%2Fprofile");
    expect(await prisma().userAvatar.findUnique({ where: { userId: expertUserId } })).toEqual(before);
  });

  it("is removed from the workspace: the public profile then has none", async () => {
    const b = await signIn("photo.expert@experts.example.com");
    const res = await b.post("/expert/profile", { intent: "remove-photo" });
    expect(res.status).toBe(200);
    expect(await pageText(res)).toContain("Your photo was removed.");
    expect(await prisma().userAvatar.findUnique({ where: { userId: expertUserId } })).toBeNull();
    expect((await b.get("/experts/pia-photo/photo")).status).toBe(404);
  });
});

const clientId = () =>
  prisma().user.findUniqueOrThrow({ where: { email: "client@example.com" }, select: { id: true } });
