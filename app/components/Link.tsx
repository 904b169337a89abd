// The app's links: import Link and NavLink from here, never from @remix-run/react (a lint rule keeps it so). On the
// server they write a plain link's markup directly (./links.server.tsx, measured there); in the browser, where a
// .server module is empty, they are Remix's own, so nothing extra is downloaded.
import { Link as RemixLink, NavLink as RemixNavLink } from "@remix-run/react";
import { serverLinks } from "./links.server";

export const { Link, NavLink } = serverLinks ?? {
  Link: RemixLink,
  NavLink: RemixNavLink,
};
