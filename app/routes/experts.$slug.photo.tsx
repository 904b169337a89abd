import type { LoaderFunctionArgs } from "@remix-run/node";
import { getExpertPhoto } from "~/core.server";

// A published expert's photo: part of their public profile, served from our origin only.
export async function loader({ params, context }: LoaderFunctionArgs) {
  const photo = await getExpertPhoto(context.services.db.prisma, params.slug ?? "");
  if (!photo) throw new Response("No photo", { status: 404 });
  return new Response(photo.data, {
    headers: {
      "Content-Type": "image/webp",
      "Cache-Control": "public, max-age=3600",
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
