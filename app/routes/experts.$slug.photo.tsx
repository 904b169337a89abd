import type { LoaderFunctionArgs } from "@remix-run/node";
import { AVATAR_RENDITIONS, avatarRendition, getExpertPhoto, deps } from "~/core.server";

// A published expert's photo: part of their public profile, served from our origin only. `?s=256` gives the
// smaller rendition for lists and 1× screens; any other size gets the stored 512 px one.
export async function loader({ request, params, context }: LoaderFunctionArgs) {
  const photo = await getExpertPhoto(deps(context).db, params.slug ?? "");
  if (!photo) throw new Response("No photo", { status: 404 });
  const asked = Number(new URL(request.url).searchParams.get("s"));
  const size = AVATAR_RENDITIONS.find((s) => s === asked) ?? AVATAR_RENDITIONS[AVATAR_RENDITIONS.length - 1]!;
  const body = await avatarRendition(photo.data, size);
  return new Response(body, {
    headers: {
      "Content-Type": "image/webp",
      // The URL carries the upload's version, so a copy may be kept for long.
      "Cache-Control": "public, max-age=86400",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
