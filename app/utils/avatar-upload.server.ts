// The one way a picture upload is read: a multipart form with an "avatar" file, at most AVATAR_MAX_BYTES. Used by
// the account page (anyone's picture) and the expert workspace (the same picture, shown on the public profile).
import {
  unstable_createMemoryUploadHandler as memoryUpload,
  unstable_parseMultipartFormData as parseMultipart,
} from "@remix-run/node";
import { AVATAR_MAX_BYTES, DomainError } from "~/core.server";

export const isMultipart = (request: Request) =>
  (request.headers.get("content-type") ?? "").startsWith("multipart/form-data");

/** The uploaded picture's bytes, or a field error a person can act on. */
export async function readAvatarUpload(request: Request): Promise<Uint8Array> {
  let form: FormData;
  try {
    // Reads at most the cap (plus a little); a larger file is refused without being kept in memory.
    form = await parseMultipart(request, memoryUpload({ maxPartSize: AVATAR_MAX_BYTES + 1024 }));
  } catch {
    throw new DomainError("VALIDATION", "That picture is larger than 5 MB. Please choose a smaller one.", {
      field: "avatar",
    });
  }
  const file = form.get("avatar");
  if (!(file instanceof Blob) || file.size === 0)
    throw new DomainError("VALIDATION", "Choose a picture to upload.", { field: "avatar" });
  return new Uint8Array(await file.arrayBuffer());
}
