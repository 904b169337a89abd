// Profile pictures (privacy promise P1): PNG, JPEG or WebP only, at most 5 MB, re-encoded to a 512×512 WebP so no
// metadata (EXIF, GPS, ICC, XMP) survives; stored in the database and served only from our origin.
// sharp (libvips, ~150 ms to load) is imported on the first picture, not at start: most processes never need it.
const loadSharp = () => import("sharp").then((m) => m.default);
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError } from "../errors/index.ts";

export const AVATAR_MAX_BYTES = 5 * 1024 * 1024;
export const AVATAR_SIZE = 512;

function sniff(bytes: Uint8Array): "png" | "jpeg" | "webp" | null {
  const b = bytes;
  if (b.length > 8 && b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return "png";
  if (b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return "jpeg";
  if (
    b.length > 12 &&
    String.fromCharCode(b[0]!, b[1]!, b[2]!, b[3]!) === "RIFF" &&
    String.fromCharCode(b[8]!, b[9]!, b[10]!, b[11]!) === "WEBP"
  ) {
    return "webp";
  }
  return null;
}

/** Validates and re-encodes an upload. Throws a DomainError with a message a person can act on. */
export async function processAvatar(bytes: Uint8Array): Promise<Uint8Array<ArrayBuffer>> {
  if (bytes.length === 0) throw new DomainError("VALIDATION", "Choose a picture to upload.", { field: "avatar" });
  if (bytes.length > AVATAR_MAX_BYTES)
    throw new DomainError("VALIDATION", "That picture is larger than 5 MB. Please choose a smaller one.", {
      field: "avatar",
    });
  const kind = sniff(bytes);
  if (!kind) throw new DomainError("VALIDATION", "Please upload a PNG, JPEG or WebP picture.", { field: "avatar" });
  try {
    const sharp = await loadSharp();
    const image = sharp(bytes, { limitInputPixels: 40_000_000, failOn: "error", animated: false });
    const meta = await image.metadata();
    if (meta.format !== kind && !(kind === "jpeg" && meta.format === "jpeg")) throw new Error("format mismatch");
    // rotate() applies the EXIF orientation before the metadata is dropped; sharp keeps no metadata by default.
    const out = await image
      .rotate()
      .resize(AVATAR_SIZE, AVATAR_SIZE, { fit: "cover" })
      .webp({ quality: 82 })
      .toBuffer();
    return new Uint8Array(out);
  } catch {
    throw new DomainError("VALIDATION", "We could not read that picture. It may be damaged; please try another.", {
      field: "avatar",
    });
  }
}

export async function setAvatar(db: PrismaClient, userId: string, bytes: Uint8Array): Promise<void> {
  const data = await processAvatar(bytes);
  await db.userAvatar.upsert({
    where: { userId },
    create: { userId, data, updatedAt: new Date() },
    update: { data, updatedAt: new Date() },
  });
}

export async function removeAvatar(db: PrismaClient, userId: string): Promise<void> {
  await db.userAvatar.deleteMany({ where: { userId } });
}

export function getAvatar(db: PrismaClient, userId: string) {
  return db.userAvatar.findUnique({ where: { userId }, select: { data: true, updatedAt: true } });
}

/**
 * When the person's photo last changed (for its URL's cache-busting version), or null without one: pages that
 * show the photo by URL need this, not the image itself (up to a few hundred KB read on every render).
 */
export async function avatarVersion(db: PrismaClient, userId: string): Promise<number | null> {
  const row = await db.userAvatar.findUnique({ where: { userId }, select: { updatedAt: true } });
  return row ? row.updatedAt.getTime() : null;
}

/** The sizes a photo is served at (`srcset`): 256 px for 1× screens and lists, the stored 512 px for 2×. */
export const AVATAR_RENDITIONS = [256, AVATAR_SIZE] as const;

/** A smaller copy of a stored (already clean) WebP; metadata stays out, as sharp writes none by default. */
export async function avatarRendition(data: Uint8Array, size: number): Promise<Uint8Array<ArrayBuffer>> {
  if (size >= AVATAR_SIZE) return new Uint8Array(data);
  const sharp = await loadSharp();
  const out = await sharp(data).resize(size, size, { fit: "cover" }).webp({ quality: 80 }).toBuffer();
  return new Uint8Array(out);
}
