import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createExpert } from "../core/catalog/index.ts";
import { avatarVersion, setAvatar } from "../core/identity/avatar.ts";
import { startTestServer, type TestServer } from "./helpers/server.ts";

let srv: TestServer;
beforeAll(async () => {
  srv = await startTestServer({}, { seed: true });
});
afterAll(async () => {
  await srv?.stop();
});

const page = async (path: string) => {
  const res = await fetch(`${srv.url}${path}`);
  return { status: res.status, html: await res.text(), headers: res.headers };
};

describe("expert directory", () => {
  it("searches names and keywords, case-insensitively", async () => {
    const byName = await page("/experts?q=okafor");
    expect(byName.html).toContain("Dr. Amara Okafor");
    expect(byName.html).toContain("1 expert");
    const byKeyword = await page("/experts?q=INSOMNIA");
    expect(byKeyword.html).toContain("Jonas Lindqvist");
    expect(byKeyword.html).not.toContain("Dr. Amara Okafor");
  });

  it("filters by language and topic together", async () => {
    const { html } = await page("/experts?language=Spanish&category=relationships");
    expect(html).toContain("Sofía Martínez");
    expect(html).not.toContain("Ana Souza"); // speaks Spanish, but not relationships
    expect(html).toContain("1 expert");
  });

  it("shows a clear empty state, and shrugs off nonsense parameters", async () => {
    const none = await page("/experts?q=zzzzzzzz");
    expect(none.html).toContain("No experts match these filters");
    const junk = await page(`/experts?page=-4&category=${"%00".repeat(3)}&language=${"x".repeat(500)}`);
    expect(junk.status).toBe(200);
    expect(junk.html).toContain("All experts");
  });

  it("filters experts with a free time this week", async () => {
    const prisma = srv.running.services.db.prisma;
    const mei = await prisma.expertProfile.findUniqueOrThrow({ where: { slug: "mei-lin-chen" }, select: { id: true } });
    const rules = await prisma.availabilityRule.findMany({ where: { expertId: mei.id } });
    await prisma.availabilityRule.deleteMany({ where: { expertId: mei.id } });
    const { html } = await page("/experts?category=parenting&available=week");
    expect(html).not.toContain("Mei Lin Chen");
    expect(html).toContain("Sofía Martínez");
    await prisma.availabilityRule.createMany({ data: rules });
    expect((await page("/experts?category=parenting&available=week&x=1")).html).toContain("Mei Lin Chen");
  });

  it("paginates", async () => {
    // 12 seeded experts fill one page; a 13th makes a second.
    await createExpert(srv.running.services.db.prisma, {
      email: "thirteenth@experts.example",
      name: "Theo Thirteen",
      slug: "theo-thirteen",
      headline: "Counsellor for exam stress",
      bio: "I help students and their families through exam seasons with practical, calm routines.",
      languages: ["English"],
      timezone: "Asia/Kolkata",
      categorySlugs: ["anxiety"],
      published: true,
    });
    const first = await page("/experts");
    expect(first.html).toContain("Page 1 of 2");
    expect(first.html).toContain("13 experts");
    const { html } = await page("/experts?page=2");
    expect(html).toContain("Page 2 of 2");
    expect(html).toContain("Theo Thirteen");
  });
});

describe("expert profile", () => {
  it("shows the public profile and links to it from the directory", async () => {
    const dir = await page("/experts?category=sleep");
    expect(dir.html).toContain('href="/experts/jonas-lindqvist"');
    const { status, html } = await page("/experts/jonas-lindqvist");
    expect(status).toBe(200);
    expect(html).toContain("Sleep therapist (CBT-I)");
    expect(html).toContain("cognitive behavioural therapy for insomnia");
    // A cached public page cannot know the visitor's region: it links to /help-now instead of naming lines.
    expect(html).toContain('href="/help-now"');
    expect(html).not.toContain("Tele-MANAS");
    // Public profile only: no email of the expert.
    expect(html).not.toContain("@experts.mindnamo.test");
  });

  it("is 404 for unknown and unpublished experts", async () => {
    expect((await page("/experts/nobody-here")).status).toBe(404);
    await srv.running.services.db.prisma.expertProfile.update({
      where: { slug: "noah-williams" },
      data: { published: false },
    });
    expect((await page("/experts/noah-williams")).status).toBe(404);
    expect((await page("/experts?q=noah")).html).toContain("No experts match");
    await srv.running.services.db.prisma.expertProfile.update({
      where: { slug: "noah-williams" },
      data: { published: true },
    });
  });

  it("serves a published expert's photo from our origin", async () => {
    expect((await page("/experts/ana-souza/photo")).status).toBe(404);
    const prisma = srv.running.services.db.prisma;
    const expert = await prisma.expertProfile.findUniqueOrThrow({
      where: { slug: "ana-souza" },
      select: { userId: true },
    });
    const png = await sharp({ create: { width: 40, height: 40, channels: 3, background: "#884422" } })
      .png()
      .toBuffer();
    expect(await avatarVersion(prisma, expert.userId)).toBeNull();
    await setAvatar(prisma, expert.userId, new Uint8Array(png));
    // The version pages put in the photo's URL is the stored photo's last change, read without the image.
    const stored = await prisma.userAvatar.findUniqueOrThrow({
      where: { userId: expert.userId },
      select: { updatedAt: true },
    });
    expect(await avatarVersion(prisma, expert.userId)).toBe(stored.updatedAt.getTime());
    const profile = await page("/experts/ana-souza");
    expect(profile.html).toMatch(/src="\/experts\/ana-souza\/photo\?v=\d+&amp;s=256"/);
    expect(profile.html).toMatch(/srcSet="[^"]*s=256 1x, [^"]*s=512 2x"/i);
    const res = await fetch(`${srv.url}/experts/ana-souza/photo`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/webp");
    expect((await sharp(Buffer.from(await res.arrayBuffer())).metadata()).width).toBe(512);
    const small = await fetch(`${srv.url}/experts/ana-souza/photo?s=256`);
    const meta = await sharp(Buffer.from(await small.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.exif, meta.icc]).toEqual(["webp", 256, undefined, undefined]);
    // The directory card shows the face too; experts without a photo get a monogram, never an empty box.
    const list = await page("/experts?q=ana");
    expect(list.html).toMatch(/src="\/experts\/ana-souza\/photo\?v=\d+&amp;s=256"/);
    const others = await page("/experts?q=amara");
    expect(others.html).toContain("avatar-monogram");
    expect(others.html).toMatch(/<text[^>]*>AO<\/text>/);
  });
});
