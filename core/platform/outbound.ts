// The outbound allow-list (P28, ADR 0016): the server opens network connections only to the database and the
// configured mail (Resend or SMTP) and LiveKit hosts, plus its own listening address; any other host is refused
// before a byte (or a DNS query) leaves, and the refusal is logged. Our promise is that personal data goes to the
// named processors and nobody else; this makes a forgotten SDK, a dependency phoning home or an injected URL fail
// loudly instead of quietly sending data elsewhere.
//
// The mechanism is one choke point below every client: net.Socket.prototype.connect. fetch (Node's bundled
// undici: net.connect / tls.connect), node:http(s), pg and nodemailer all open their TCP connections through it,
// on Node 20 and 22 alike. Unix sockets never leave the machine and are allowed. What it cannot see: native
// addons with their own sockets and child processes (none in this product); UDP (not used).
import net from "node:net";

export interface OutboundRule {
  /** A host name or IP literal, compared case-insensitively; loopback names (localhost, 127.0.0.1, ::1) match each other. */
  host: string;
  port: number;
  /** Why the server may reach it (shown in the log on refusal and in the ADR's list). */
  why: string;
}

export interface OutboundRefusal {
  host: string;
  port: number;
}

export class OutboundRefusedError extends Error {
  readonly code = "EOUTBOUND";
  constructor(
    readonly host: string,
    readonly port: number,
  ) {
    super(`Outbound connection to ${host}:${port} refused: not a configured processor (outbound allow-list).`);
    this.name = "OutboundRefusedError";
  }
}

const LOOPBACK = new Set(["localhost", "127.0.0.1", "::1", "::ffff:127.0.0.1"]);
const normalHost = (host: string) => {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  return LOOPBACK.has(h) ? "loopback" : h;
};

const DEFAULT_PORTS: Record<string, number> = {
  "http:": 80,
  "https:": 443,
  "ws:": 80,
  "wss:": 443,
  "postgres:": 5432,
  "postgresql:": 5432,
};

/** host and port of a URL, with the scheme's default port; null for a URL without a host (a Unix socket). */
export function endpointOf(url: string): { host: string; port: number } | null {
  // postgres://user@/db?host=/var/run/postgresql: a Unix socket, nothing leaves the machine (the URL parser
  // refuses a user without a host; libpq accepts it).
  let u: URL;
  try {
    u = new URL(url);
  } catch (error) {
    if (/[?&]host=(\/|%2F)/i.test(url)) return null;
    throw error;
  }
  const socketHost = u.searchParams.get("host");
  if (socketHost?.startsWith("/")) return null;
  if (!u.hostname) return null;
  const port = u.port ? Number(u.port) : DEFAULT_PORTS[u.protocol];
  if (!port) throw new Error(`No port for ${u.protocol} URLs: give one explicitly.`);
  return { host: u.hostname.replace(/^\[|\]$/g, ""), port };
}

/** The hosts this configuration needs: the database, the mail transport in use, LiveKit. */
export function allowListFor(config: {
  databaseUrl?: string | undefined;
  mailTransport: "resend" | "smtp" | "outbox";
  RESEND_BASE_URL?: string | undefined;
  SMTP_HOST?: string | undefined;
  SMTP_PORT?: number | undefined;
  LIVEKIT_URL?: string | undefined;
}): OutboundRule[] {
  const rules: OutboundRule[] = [];
  const add = (url: string | undefined, why: string) => {
    const e = url ? endpointOf(url) : null;
    if (e) rules.push({ ...e, why });
  };
  add(config.databaseUrl, "database");
  if (config.mailTransport === "resend") add(config.RESEND_BASE_URL ?? "https://api.resend.com", "mail: Resend");
  if (config.mailTransport === "smtp" && config.SMTP_HOST && config.SMTP_PORT)
    rules.push({ host: config.SMTP_HOST, port: config.SMTP_PORT, why: "mail: SMTP relay" });
  add(config.LIVEKIT_URL, "video: LiveKit");
  return rules;
}

// ----------------------------------------------------------------------------------------------- the guard

interface Registration {
  rules: OutboundRule[];
  onRefused: (refusal: OutboundRefusal) => void;
}
const registrations = new Set<Registration>();
type Connect = (this: net.Socket, ...args: unknown[]) => net.Socket;
let original: Connect | null = null;

function isAllowed(host: string, port: number): boolean {
  const h = normalHost(host);
  for (const r of registrations)
    for (const rule of r.rules) if (normalHost(rule.host) === h && rule.port === port) return true;
  return false;
}

/** Where a connect call goes, from any of net.Socket#connect's call shapes (Node passes normalized arrays too). */
function targetOf(args: unknown[]): { path: string } | { host: string; port: number } | null {
  let first = args[0];
  if (Array.isArray(first)) first = first[0];
  if (first && typeof first === "object") {
    const o = first as { path?: unknown; host?: unknown; port?: unknown };
    if (typeof o.path === "string") return { path: o.path };
    return { host: typeof o.host === "string" && o.host ? o.host : "localhost", port: Number(o.port) };
  }
  if (typeof first === "string" && !/^\d+$/.test(first)) return { path: first };
  if (typeof first === "number" || typeof first === "string")
    return { host: typeof args[1] === "string" ? args[1] : "localhost", port: Number(first) };
  return null;
}

function install() {
  if (original) return;
  const proto = net.Socket.prototype as unknown as { connect: Connect };
  const connect = proto.connect;
  original = connect;
  proto.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const target = targetOf(args);
    if (target && "host" in target && !isAllowed(target.host, target.port)) {
      const error = new OutboundRefusedError(target.host, target.port);
      for (const r of registrations) r.onRefused({ host: target.host, port: target.port });
      // Fail like a refused connection: asynchronously, through the socket's 'error' event every client handles.
      process.nextTick(() => this.destroy(error));
      return this;
    }
    return connect.apply(this, args);
  };
}

function uninstall() {
  if (!original) return;
  (net.Socket.prototype as unknown as { connect: Connect }).connect = original;
  original = null;
}

export interface OutboundGuard {
  /** Allows one more endpoint for this registration (the server's own address once it listens). */
  allow(rule: OutboundRule): void;
  /** Ends this registration; the last one out restores plain connections. */
  release(): void;
}

/**
 * Installs the guard (once per process) and registers these rules. Several servers in one process (tests) each
 * register theirs: a host is allowed while any registration lists it. Every refusal is reported to every
 * registration (the server logs it).
 */
export function guardOutbound(rules: OutboundRule[], onRefused: (refusal: OutboundRefusal) => void): OutboundGuard {
  const registration: Registration = { rules: [...rules], onRefused };
  registrations.add(registration);
  install();
  return {
    allow: (rule) => void registration.rules.push(rule),
    release: () => {
      registrations.delete(registration);
      if (registrations.size === 0) uninstall();
    },
  };
}
