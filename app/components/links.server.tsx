import {
  Link as RemixLink,
  NavLink as RemixNavLink,
  useLocation,
  type LinkProps,
  type NavLinkProps,
} from "@remix-run/react";
import { forwardRef } from "react";

// Server-only (a .server module is empty in the browser build, where ./Link gives Remix's own components).
//
// On the server a link is only markup: its href and attributes. Remix's <Link> gets there through React Router's
// hooks (the route matches serialised to JSON and parsed back to resolve the path, three times per link, plus a
// click handler and prefetch state that never run on the server): ~0.1 ms per link, 2 ms of the booking page's
// 17 ms of CPU under load (docs/performance.md). For the links that need none of it — a path from the root, no
// prefetch, no full reload — the server writes the same <a> directly. In the browser it is Remix's <Link>, which
// hydrates that markup and navigates in the page as before. tests/link.test.ts checks both give the same markup.

/**
 * React Router's href for a path from the root (its `parsePath` and `resolvePath`): the path as written, an empty
 * `?` or `#` dropped. Null for the paths it rewrites (`.` and `..` segments, doubled slashes): those take Remix's
 * own <Link>.
 */
export function rootPathHref(to: string): string | null {
  const hashAt = to.indexOf("#");
  let hash = hashAt >= 0 ? to.slice(hashAt) : "";
  const rest = hashAt >= 0 ? to.slice(0, hashAt) : to;
  const searchAt = rest.indexOf("?");
  let search = searchAt >= 0 ? rest.slice(searchAt) : "";
  const pathname = searchAt >= 0 ? rest.slice(0, searchAt) : rest;
  if (!pathname.startsWith("/") || pathname.includes("//") || DOT_SEGMENT.test(pathname)) return null;
  if (search === "?") search = "";
  if (hash === "#") hash = "";
  return pathname + search + hash;
}
const DOT_SEGMENT = /\/\.{1,2}(\/|$)/;

/** Remix's <Link>, written straight to markup on the server when nothing but the markup is needed. */
const Link = forwardRef<HTMLAnchorElement, LinkProps>(function Link(props, ref) {
  const href =
    typeof props.to === "string" && (props.prefetch ?? "none") === "none" && !props.reloadDocument
      ? rootPathHref(props.to)
      : null;
  if (href === null) return <RemixLink {...props} ref={ref} />;
  const {
    to: _to,
    children,
    discover = "render",
    // Navigation-only props: they change what a click does in the browser, not the markup.
    prefetch: _prefetch,
    reloadDocument: _reload,
    replace: _replace,
    // Typed `any` by React Router (whatever a navigation carries): dropped here, never read.
    // eslint-disable-next-line @typescript-eslint/no-unsafe-assignment
    state: _state,
    preventScrollReset: _keepScroll,
    relative: _relative,
    viewTransition: _viewTransition,
    onClick: _onClick,
    ...rest
  } = props;
  return (
    <a {...rest} ref={ref} href={href} data-discover={discover === "render" ? "true" : undefined}>
      {children}
    </a>
  );
});
Link.displayName = "Link";

const PLAIN_PATH = /^\/[\w\-.~/]*$/;

/**
 * Remix's <NavLink> (a link that knows when it leads to the page on screen), written straight to markup on the
 * server under the same conditions as <Link>, for a plain path and a class that is not a function. During a server
 * render nothing is pending or transitioning, so "active" is the only state: React Router's rule, case-insensitive,
 * `end` for an exact match.
 */
const NavLink = forwardRef<HTMLAnchorElement, NavLinkProps>(function NavLink(props, ref) {
  const location = useLocation();
  const { to, end = false, caseSensitive = false, className = "", style, children } = props;
  if (
    typeof to !== "string" ||
    !PLAIN_PATH.test(to) ||
    typeof className === "function" ||
    typeof style === "function" ||
    typeof children === "function" ||
    (props.prefetch ?? "none") !== "none" ||
    props.reloadDocument ||
    rootPathHref(to) === null
  )
    return <RemixNavLink {...props} ref={ref} />;
  const { end: _end, caseSensitive: _case, "aria-current": ariaCurrent = "page", ...rest } = props;
  const here = caseSensitive ? location.pathname : location.pathname.toLowerCase();
  const target = caseSensitive ? to : to.toLowerCase();
  const slashAt = target !== "/" && target.endsWith("/") ? target.length - 1 : target.length;
  const active = here === target || (!end && here.startsWith(target) && here.charAt(slashAt) === "/");
  return (
    <Link
      {...rest}
      ref={ref}
      to={to}
      style={style}
      aria-current={active ? ariaCurrent : undefined}
      className={[className, active ? "active" : null].filter(Boolean).join(" ")}
    >
      {children}
    </Link>
  );
});
NavLink.displayName = "NavLink";

/** Undefined in the browser build, where Remix empties every .server module: ./Link falls back to Remix's own. */
export const serverLinks: { Link: typeof Link; NavLink: typeof NavLink } | undefined = { Link, NavLink };
