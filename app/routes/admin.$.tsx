// The back-office console: a client-side React app (admin/ui) that talks only tRPC. The loader lets in signed-in
// staff only (everyone else: sign in, or 404); the console then asks for the TOTP step, and the tRPC API checks
// every call again. Its JavaScript lives in this route's chunk only: public pages never load it.
import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useEffect, useState } from "react";
import { Console } from "@admin/ui/Console.tsx";
import { isStaff } from "~/core.server";
import { requireSession } from "~/utils/session.server";
import type { ChromeHandle } from "~/root";
import consoleStyles from "~/styles/console.css";

// The console draws its own shell: the root layout leaves out the consumer header, footer and banner.
export const handle: ChromeHandle = { chrome: "own" };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: consoleStyles }];

export const meta: MetaFunction = () => [{ title: "Back-office — Mind Namo" }, { name: "robots", content: "noindex" }];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const session = await requireSession(request, context);
  if (!isStaff(session.user.role)) throw new Response("Not found", { status: 404 });
  return { ok: true as const };
}

export default function Admin() {
  // Rendered in the browser only: the console's data all comes through tRPC.
  const [mounted, setMounted] = useState(false);
  useEffect(() => setMounted(true), []);
  return mounted ? (
    <Console />
  ) : (
    <p className="c-boot" role="status">
      Loading the back-office…
    </p>
  );
}
