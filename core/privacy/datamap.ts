// The data map: ONE source for what personal data we hold, why, for how long, what erasure does to it and whether
// the access export carries it. Tables are described where they are defined, by structured `///` annotations in
// prisma/schema.prisma; this file holds the vocabulary those annotations use (purposes, kinds, retention periods)
// and the stores that are not tables (job payloads, rate-limit keys, logs, processors, backups).
//
//   model line:  /// @datamap purpose=<purpose> retention=<period> erasure=delete|anonymize|keep export=<section>|no
//                ///   category="…" holds="…" how="…" [excluded="why it is not exported"]
//                /// @datamap personal=no reason="…" [retention=<period>]
//   field line:  /// @pd <kind> [export=no|own] [retention=<period>] [processors=<key>,<key>]
//                (export=own: exported only on the rows where the person is the actor, e.g. the IP of their own
//                calls, never another person's)
//                (every scalar field of a personal model; processors= names who receives the field)
//   processor:   /// @processor key=<key> name="…" role="…" purpose="…" data="item | item" location="…"
//                ///   transfer="…" source="…" [scope=all]     (anywhere in the schema, one line each)
//                A processor receives the fields marked processors=<key>, or everything (scope=all: hosting, the
//                database). /privacy/processors is rendered from these lines.
//
// `npm run datamap` parses the schema with this vocabulary and writes core/privacy/datamap.generated.ts and
// docs/records-of-processing.md; core/privacy/datamap.test.ts fails on a field without an annotation, an unknown
// key, and a generated file that no longer matches (`npm run datamap -- --check` does the same in CI).

import { PROCESSOR_MAP } from "./datamap.generated.ts";

/** What kind of personal data a field holds. */
export const PD_KINDS = {
  identifier: "An id that points at a person (their account, a booking of theirs, a record about them).",
  contact: "An email address.",
  name: "A person's name.",
  text: "Free text the person or staff wrote; it may name or describe the person.",
  network: "An IP address or a browser's user agent.",
  device: "Browser, operating system and device family.",
  credential: "A secret or its hash: never exported, never shown.",
  pseudonym: "A keyed hash, a random public key or a random handle that stands for the person.",
  content: "Content the person gave us (a picture).",
  record: "A fact about the person's use of the service: dates, status, settings, counts.",
  staff: "A reference to the staff member who acted (exported by role only, never by name).",
  none: "A technical row id that identifies nothing on its own.",
} as const;
export type PdKind = keyof typeof PD_KINDS;

export type ErasureAction = "delete" | "anonymize" | "keep";

/** Purposes of processing (GDPR Art. 30(1)(b)) with their legal basis (Art. 6) and the people concerned. */
export const PURPOSES = {
  account: {
    title: "Accounts and secure sign-in",
    basis: "Contract (Art. 6(1)(b)); security (6(1)(f))",
    people: "users, experts, staff",
  },
  sessions: {
    title: "Booking and holding 1:1 sessions; confirmations, changes and reminders",
    basis:
      "Contract (6(1)(b)); the booking's wellness topic is health data, processed on explicit consent (Art. 9(2)(a))",
    people: "users, experts",
  },
  recommendations: {
    title: "Recommendations from wellness preferences",
    basis:
      "Explicit consent to health data (Art. 9(2)(a), 6(1)(a)), withdrawable in the privacy center (withdrawal deletes the preferences)",
    people: "signed-in users",
  },
  support: {
    title: "Support",
    basis: "Contract / legitimate interest (6(1)(b), (f))",
    people: "users, visitors of the contact form",
  },
  feedback: {
    title: "Reviews and surveys",
    basis: "Consent by submitting (6(1)(a)); surveys are anonymous",
    people: "users",
  },
  newsletter: {
    title: "Newsletter and consent records",
    basis: "Consent, opt-in, withdrawable in one click (6(1)(a), 7(3)); proof of consent (7(1))",
    people: "users who opted in, visitors who chose on the banner",
  },
  analytics: {
    title: "Anonymous usage analytics",
    basis: "Consent from the banner (6(1)(a); ePrivacy Art. 5(3))",
    people: "visitors and users who allowed it",
  },
  security: {
    title: "Security: fraud and abuse prevention, error reports",
    basis: "Legitimate interest (6(1)(f)); security of processing (Art. 32)",
    people: "everyone using the site",
  },
  accountability: {
    title: "Accountability: staff access log, privacy requests, legal holds",
    basis: "Legal obligation (6(1)(c)); Art. 5(2), 12, 17, 30; legal claims (17(3)(e))",
    people: "users, staff",
  },
} as const;
export type PurposeKey = keyof typeof PURPOSES;

/**
 * Retention periods. `enforcedBy` names the job that ends the period; `rule` is the key of the rule in
 * core/privacy/retention.ts (retentionRules) for time-bound periods, and datamap.test.ts checks that every period
 * used in the map has its rule and that each rule has a test that ages data past it.
 */
export const RETENTION_PERIODS = {
  account: {
    words: "While the account exists; erased on a deletion request (P23) as the deletion inventory says.",
    enforcedBy: "privacy.erase (every 15 minutes)",
  },
  session: {
    words: "Until it expires (people: 7 days idle, 30 days at most; staff: 30 minutes idle, 12 hours at most).",
    enforcedBy: "privacy.retention (hourly)",
    rule: "Session",
  },
  code: {
    words: "One day after the code was used or expired (codes are valid 10 minutes to 1 hour).",
    enforcedBy: "privacy.retention (hourly)",
    rule: "EmailCode",
  },
  "rate-limit": {
    words: "Until the counter's window ends: a minute to an hour, and a day for the count of data downloads.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "RateLimiterFlexible",
  },
  "livekit-event": {
    words: "30 days after it was received (only to ignore repeated deliveries).",
    enforcedBy: "privacy.retention (hourly)",
    rule: "LiveKitWebhookEvent",
  },
  consent: {
    words:
      "A visitor's anonymous choice: 3 years. A person's choice: while it is their current choice, then 3 years after they changed it; deleted with the account.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "Consent",
  },
  "newsletter-delivery": {
    words: "2 years after sending; deleted with the account.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "NewsletterDelivery",
  },
  usage: { words: "90 days.", enforcedBy: "usage.purge (daily)", rule: "UsageEvent" },
  "error-report": {
    words: "30 days after it was recorded.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "ErrorReport",
  },
  "security-event": {
    words:
      "Failed sign-ins and code requests: 7 days. Security events (bursts, locks, alerts, reports): 90 days. Deleted with the account.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "SecurityEvent",
  },
  "account-lock": {
    words: "One day after the last lock ended; deleted with the account.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "AccountLock",
  },
  "device-alert": {
    words: "One day after the link expired (links work 7 days); deleted with the account.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "DeviceAlert",
  },
  "known-device": {
    words: "One year after the last sign-in from that kind of device; deleted with the account.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "KnownDevice",
  },
  booking: {
    words:
      "While the account exists. After an erasure the anonymized session (no name, no email) stays in the expert's history for 3 years after it ended, then it is deleted.",
    enforcedBy: "privacy.erase; privacy.retention (hourly) for former clients' sessions",
    rule: "Booking",
  },
  ticket: {
    words:
      "While the account exists. A ticket without an account (contact form, email, phone): 2 years after it was closed or last changed. A ticket under a legal hold: until the hold ends, then deleted.",
    enforcedBy: "privacy.erase; privacy.retention (hourly)",
    rule: "SupportTicket",
  },
  "privacy-request": {
    words:
      "3 years after it was closed (completed, rejected or cancelled), as proof that the request was honoured; a " +
      "request whose emailed identity code was never confirmed, 30 days after it was received.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "PrivacyRequest",
  },
  "legal-hold": {
    words: "Until the hold's end date (at most 6 years); the held records are deleted when it ends.",
    enforcedBy: "privacy.retention (hourly)",
    rule: "LegalHold",
  },
  audit: {
    words: "6 years from the event (append-only; deletable only by age, by the retention job).",
    enforcedBy: "privacy.retention (hourly)",
    rule: "AuditEvent",
  },
  "audit-ip": {
    words: "The IP address of an audit row is removed 30 days after the event (the row itself stays for its 6 years).",
    enforcedBy: "privacy.retention (hourly)",
    rule: "AuditEvent.ip",
  },
} as const satisfies Record<string, { words: string; enforcedBy: string; rule?: string }>;
export type RetentionKey = keyof typeof RETENTION_PERIODS;
export interface RetentionPeriod {
  words: string;
  enforcedBy: string;
  rule?: string;
}
export const retentionPeriod = (key: RetentionKey): RetentionPeriod => RETENTION_PERIODS[key];

/** Recipients within the service or by law; the processors come from the data map's @processor lines. */
const OTHER_RECIPIENTS = [
  {
    recipient: "Experts",
    role: "recipients within the service",
    receives:
      "the client's first name only, chosen topic and session details — never the surname, email address or account id",
  },
  {
    recipient: "Authorities",
    role: "only where the law obliges us",
    receives: "what the request lawfully covers",
  },
] as const;

export interface Recipient {
  recipient: string;
  role: string;
  receives: string;
}

/** Categories of recipients (Art. 30(1)(d), 15(1)(c)): each declared processor, then experts and authorities. */
export const recipientsOf = (processors: readonly MapProcessor[]): Recipient[] => [
  ...processors.map((p) => ({ recipient: p.name, role: `processor: ${p.role}`, receives: p.data.join("; ") })),
  ...OTHER_RECIPIENTS,
];

export const RECIPIENTS: readonly Recipient[] = recipientsOf(PROCESSOR_MAP);

/** Stores that are not tables of our schema. Each says what personal data can be there and how it ends. */
export interface OutsideStore {
  name: string;
  holds: string;
  retention: string;
  erasure: string;
  exported: string;
}

export const OUTSIDE_STORES: readonly OutsideStore[] = [
  {
    name: "Job queue payloads (pg-boss tables pgboss.job and pgboss.archive)",
    holds:
      "Ids only (booking id, request id, newsletter id, user id): such mail is rendered from the database when the job runs. Account mail (codes, links, notices) on the PostgreSQL server is queued sealed: the message encrypted (AES-256-GCM, key derived from the server secret) with the template's name and a keyed hash of the address, so no job holds a name, email address, code or text in clear.",
    retention: "Finished jobs are archived after 1 hour and deleted 7 days later (pg-boss maintenance).",
    erasure:
      "Every queued, finished or archived job that names the person's id, or carries the keyed hash of their address, is deleted by the erasure.",
    exported: "No: a job only points at records that are in the export, or carries mail already sent to the person.",
  },
  {
    name: "Rate-limit keys (RateLimiterFlexible.key)",
    holds:
      "A keyed hash (HMAC-SHA-256 under a server key) of the IP address, email address or account id a counter is about, never the value itself.",
    retention: "Until the counter's window ends: a minute to an hour, and a day for the count of data downloads.",
    erasure: "Counters keyed by the person's email or account id are deleted by the erasure.",
    exported: "No: short-lived counters under a keyed hash.",
  },
  {
    name: "Security-event and lock keys (SecurityEvent.accountKey, AccountLock.accountKey)",
    holds: "A keyed hash (HMAC) of an email address that was tried or sent a code, never the address.",
    retention: "7 days (raw signals) or 90 days (events); locks one day after they end.",
    erasure: "Every event and lock under the keyed hash of the person's email is deleted by the erasure.",
    exported: "Yes, the events themselves (security section), matched by user id and by the keyed hash.",
  },
  {
    name: "Mail outbox files (development and MAIL_TRANSPORT=outbox only; one JSON file per message)",
    holds: "Recipient address, subject and body of each email.",
    retention: "Until the account is erased (production sends through Resend and writes no outbox).",
    erasure: "Every outbox file addressed to the person or naming them is deleted by the erasure.",
    exported: "No: copies of emails the person received.",
  },
  {
    name: "Request logs (pino, stdout of the app process)",
    holds:
      "Method, path without query string (it may contain a record id, e.g. a booking's), status, duration and a request id; no IP, no user id, no name or email, no body.",
    retention: "14 days: the retention the hosting provider's log store must be configured with.",
    erasure: "Nothing to erase: the lines hold no personal data.",
    exported: "No.",
  },
  {
    name: "LiveKit (processor: media relay)",
    holds:
      "A random room name, a pseudonym made for that one booking and the participant's first name while the session runs; encrypted media it cannot decrypt.",
    retention: "Only while the room is open; LiveKit keeps no recording (none is ever started).",
    erasure: "Nothing stays at LiveKit after the room closes.",
    exported: "No: the presence rows we keep from its webhooks are in the export.",
  },
  {
    name: "Resend (processor: email delivery)",
    holds: "Recipient address, subject and body of each email.",
    retention: "Resend's sending logs, per its data processing agreement (30 days).",
    erasure: "Expires at Resend; not reachable by our erasure.",
    exported: "No: copies of emails the person received.",
  },
  {
    name: "Database backups (hosting provider)",
    holds: "A full copy of the database at the time of the backup.",
    retention: "35 days of daily backups, encrypted at rest, then overwritten.",
    erasure:
      "Erased data leaves the backups when the last backup taken before the erasure expires (at most 35 days). Nothing re-applies erasures after a restore (no erasure ledger is kept outside the database): a restored backup holds again the people erased after it was taken, so a restore is handled as an incident (docs/privacy.md, Restoring a backup); deletions approved but not yet run when it was taken are run by the 15-minute erasure sweep.",
    exported: "No.",
  },
];

/**
 * Where the erasure scan may find a trace, and which: `store` is a table ("public.AuditEvent"), a schema with every
 * table in it ("pgboss"), "outbox.to" (the recipient of an outbox file) or "outbox" (the rest of the file);
 * `traces` are the scan's needle labels ("*": any of them); `template` narrows it to one email's files or jobs.
 */
export interface ScanAllowance {
  store: string;
  traces: readonly string[];
  template?: string;
}

export interface ErasureException {
  where: string;
  what: string;
  reason: string;
  /** What core/privacy/erasure-scan.test.ts may find because of this exception (empty: nothing it searches for). */
  scan: readonly ScanAllowance[];
  /** Gone when the legal hold ends: the scan after the hold allows it no more. */
  untilHoldEnds?: true;
}

/**
 * What may still hold a trace of an erased person, and why. The erasure scan (core/privacy/erasure-scan.test.ts)
 * reads its allowances from here and allows exactly these and nothing else.
 */
export const ERASURE_EXCEPTIONS: readonly ErasureException[] = [
  {
    where: "AuditEvent.subjectUserId, AuditEvent.actorId, AuditEvent.target",
    what: "the random account id",
    reason:
      "The append-only staff-access trail proves who accessed personal data and that the erasure was done (Art. 5(2), 32); 6 years, never a name or email.",
    scan: [{ store: "public.AuditEvent", traces: ["id"] }],
  },
  {
    where: "PrivacyRequest.receipt, PrivacyRequest.id",
    what: "the request's own id on the receipt of the erasure (no account id, name or email)",
    reason: "Proof that the request was honoured (Art. 12, 17); 3 years after it was closed.",
    scan: [],
  },
  {
    where: "SupportTicket and TicketMessage under an active legal hold; LegalHold",
    what: "the name and email the held ticket needs",
    reason: "Establishment, exercise or defence of legal claims (Art. 17(3)(e)); deleted when the hold ends.",
    scan: [
      { store: "public.SupportTicket", traces: ["*"] },
      { store: "public.TicketMessage", traces: ["*"] },
    ],
    untilHoldEnds: true,
  },
  {
    where:
      "The erasure receipt email: its recipient (an outbox file, with MAIL_TRANSPORT=outbox only) and, on the PostgreSQL server, its sealed mail.account job",
    what: "the address the receipt is sent to (the job carries only the keyed hash of it); the receipt's text names nobody",
    reason:
      "The person is told that their request was carried out (Art. 12(3), 17), at the address the account had. The job goes with pg-boss's finished jobs (archived after 1 hour, deleted 7 days later); outbox files exist only where no mail leaves the machine.",
    scan: [
      { store: "outbox.to", traces: ["email"], template: "privacy-erasure-receipt" },
      { store: "pgboss", traces: ["mail recipient key"], template: "privacy-erasure-receipt" },
    ],
  },
];

// ------------------------------------------------------------------------------------------------ parser

export interface MapField {
  name: string;
  kind: PdKind;
  exported: boolean;
  /** Exported only on the rows where the person is the actor (export=own); on other rows it is someone else's. */
  ownRowsOnly?: boolean;
  retention?: RetentionKey;
  /** Processors that receive this field (keys of @processor lines). */
  processors?: string[];
}

/** A processor that receives personal data (GDPR Art. 28, 30(1)(d)-(e); P28), declared by a @processor line. */
export interface MapProcessor {
  /** Stable key, used in tests, anchors and the fields' processors=. */
  key: string;
  name: string;
  role: string;
  purpose: string;
  /** The personal data it receives, in plain words. */
  data: string[];
  location: string;
  /** The basis for a transfer outside the EEA, or why there is none. */
  transferBasis: string;
  /** Where in the code the data leaves us. */
  source: string;
  /** "all": everything we hold (hosting, database); "fields": the fields listed. */
  scope: "all" | "fields";
  /** Model.field of every field marked processors=<key>. */
  fields: string[];
}

export interface MapModel {
  name: string;
  personal: boolean;
  /** personal=no: why not. */
  reason?: string;
  purpose?: PurposeKey;
  retention?: RetentionKey;
  erasure?: ErasureAction;
  /** The export section, or null when not exported (then `excluded` says why). */
  exportSection?: string | null;
  excluded?: string;
  category?: string;
  holds?: string;
  how?: string;
  /** erasure=keep: the legal basis for keeping the rows after an erasure. */
  basis?: string;
  fields: MapField[];
}

/** key=value and key="quoted value" pairs; a bare word is returned under its own name with value "". */
function parsePairs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /(\w[\w-]*)(?:=(?:"([^"]*)"|(\S+)))?/g;
  for (const m of text.matchAll(re)) out.set(m[1]!, m[2] ?? m[3] ?? "");
  return out;
}

const MODEL_KEYS = new Set([
  "personal",
  "reason",
  "purpose",
  "retention",
  "erasure",
  "export",
  "excluded",
  "category",
  "holds",
  "how",
  "basis",
]);
const FIELD_KEYS = new Set(["export", "retention", "processors"]);
const PROCESSOR_KEYS = ["key", "name", "role", "purpose", "data", "location", "transfer", "source"] as const;

/**
 * Parses the annotations of prisma/schema.prisma. `problems` lists every missing or malformed annotation; a
 * schema with problems must not produce generated files.
 */
export function parseDataMap(schema: string): {
  models: MapModel[];
  processors: MapProcessor[];
  problems: string[];
} {
  const problems: string[] = [];
  const models: MapModel[] = [];
  const processors: MapProcessor[] = [];
  const lines = schema.split("\n");
  const modelNames = new Set([...schema.matchAll(/^model\s+(\w+)\s*\{/gm)].map((m) => m[1]!));
  const enumNames = new Set([...schema.matchAll(/^enum\s+(\w+)\s*\{/gm)].map((m) => m[1]!));
  let pending: string[] = [];
  let current: MapModel | undefined;
  const isKey = <T extends object>(obj: T, k: string | undefined): k is Extract<keyof T, string> =>
    k !== undefined && Object.prototype.hasOwnProperty.call(obj, k);

  for (const raw of lines) {
    const line = raw.trim();
    if (line.startsWith("/// @processor")) {
      const pairs = parsePairs(line.slice("/// @processor".length));
      const missing = PROCESSOR_KEYS.filter((k) => !pairs.get(k));
      const key = pairs.get("key") ?? "?";
      if (missing.length > 0) problems.push(`processor ${key}: ${missing.join(", ")} missing`);
      for (const k of pairs.keys())
        if (!(PROCESSOR_KEYS as readonly string[]).includes(k) && k !== "scope")
          problems.push(`processor ${key}: unknown key "${k}"`);
      if (processors.some((p) => p.key === key)) problems.push(`processor ${key}: declared twice`);
      processors.push({
        key,
        name: pairs.get("name") ?? "",
        role: pairs.get("role") ?? "",
        purpose: pairs.get("purpose") ?? "",
        data: (pairs.get("data") ?? "")
          .split("|")
          .map((d) => d.trim())
          .filter(Boolean),
        location: pairs.get("location") ?? "",
        transferBasis: pairs.get("transfer") ?? "",
        source: pairs.get("source") ?? "",
        scope: pairs.get("scope") === "all" ? "all" : "fields",
        fields: [],
      });
      continue;
    }
    if (line.startsWith("///")) {
      pending.push(line.slice(3).trim());
      continue;
    }
    const modelStart = /^model\s+(\w+)\s*\{/.exec(line);
    if (modelStart) {
      const name = modelStart[1]!;
      const ann = pending.filter((p) => p.startsWith("@datamap"));
      pending = [];
      current = { name, personal: true, fields: [] };
      models.push(current);
      if (ann.length !== 1) {
        problems.push(`${name}: needs exactly one "/// @datamap …" line above the model (found ${ann.length})`);
        continue;
      }
      const pairs = parsePairs(ann[0]!.slice("@datamap".length));
      for (const k of pairs.keys()) if (!MODEL_KEYS.has(k)) problems.push(`${name}: unknown @datamap key "${k}"`);
      const retention = pairs.get("retention");
      if (retention !== undefined) {
        if (isKey(RETENTION_PERIODS, retention)) current.retention = retention;
        else problems.push(`${name}: unknown retention "${retention}" (add it to RETENTION_PERIODS)`);
      }
      if (pairs.get("personal") === "no") {
        current.personal = false;
        current.reason = pairs.get("reason");
        if (!current.reason || current.reason.length < 20) problems.push(`${name}: personal=no needs a reason`);
        continue;
      }
      const purpose = pairs.get("purpose");
      if (isKey(PURPOSES, purpose)) current.purpose = purpose;
      else problems.push(`${name}: purpose must be one of ${Object.keys(PURPOSES).join(", ")}`);
      if (retention === undefined) problems.push(`${name}: retention is missing`);
      const erasure = pairs.get("erasure");
      if (erasure === "delete" || erasure === "anonymize" || erasure === "keep") current.erasure = erasure;
      else problems.push(`${name}: erasure must be delete, anonymize or keep`);
      const exp = pairs.get("export");
      if (!exp) problems.push(`${name}: export is missing (a section name, or no with excluded="why")`);
      else if (exp === "no") {
        current.exportSection = null;
        current.excluded = pairs.get("excluded");
        if (!current.excluded || current.excluded.length < 20)
          problems.push(`${name}: export=no needs excluded="a real reason"`);
      } else current.exportSection = exp;
      if (current.erasure === "keep") {
        current.basis = pairs.get("basis");
        if (!current.basis || current.basis.length < 20) problems.push(`${name}: erasure=keep needs basis="…"`);
        if (current.retention === "account") problems.push(`${name}: erasure=keep needs a bounded retention period`);
      }
      for (const k of ["category", "holds", "how"] as const) {
        const v = pairs.get(k);
        if (!v) problems.push(`${name}: ${k}="…" is missing`);
        else current[k] = v;
      }
      continue;
    }
    if (current && line.startsWith("}")) {
      current = undefined;
      pending = [];
      continue;
    }
    if (!current) {
      if (line !== "") pending = [];
      continue;
    }
    const field = /^(\w+)\s+(\w+)(\[\])?\??/.exec(line);
    if (!field || line.startsWith("@@") || line.startsWith("//")) {
      if (line !== "" && !line.startsWith("//")) pending = [];
      continue;
    }
    const [, fname, ftype] = field;
    const ann = pending.filter((p) => p.startsWith("@pd"));
    pending = [];
    if (modelNames.has(ftype!)) continue; // a relation field: its scalar foreign key carries the annotation
    if (!current.personal) {
      if (ann.length > 0) problems.push(`${current.name}.${fname}: @pd on a model declared personal=no`);
      continue;
    }
    if (ann.length !== 1) {
      problems.push(`${current.name}.${fname}: needs exactly one "/// @pd <kind>" line (found ${ann.length})`);
      continue;
    }
    const words = ann[0]!.slice(3).trim();
    const kind = words.split(/\s+/)[0];
    const pairs = parsePairs(words.slice(kind?.length ?? 0));
    for (const k of pairs.keys()) if (!FIELD_KEYS.has(k)) problems.push(`${current.name}.${fname}: unknown key "${k}"`);
    if (!isKey(PD_KINDS, kind)) {
      problems.push(
        `${current.name}.${fname}: unknown kind "${kind ?? ""}" (one of ${Object.keys(PD_KINDS).join(", ")})`,
      );
      continue;
    }
    const f: MapField = {
      name: fname!,
      kind,
      exported: current.exportSection !== null && pairs.get("export") !== "no" && kind !== "credential",
    };
    const exp = pairs.get("export");
    if (exp !== undefined && exp !== "no" && exp !== "own")
      problems.push(`${current.name}.${fname}: export must be no or own (found "${exp}")`);
    if (exp === "own" && f.exported) f.ownRowsOnly = true;
    const retention = pairs.get("retention");
    if (retention !== undefined) {
      if (isKey(RETENTION_PERIODS, retention)) f.retention = retention;
      else problems.push(`${current.name}.${fname}: unknown retention "${retention}"`);
    }
    const receivers = pairs.get("processors");
    if (receivers !== undefined) f.processors = receivers.split(",").filter(Boolean);
    if (enumNames.has(ftype!) && (kind === "text" || kind === "contact" || kind === "name"))
      problems.push(`${current.name}.${fname}: an enum cannot hold ${kind}`);
    current.fields.push(f);
  }
  // A model declared not personal may not hold a field that looks like a person's identifier.
  const IDENTIFIER_FIELD =
    /^(userId|\w*UserId|email|\w*Email|requesterId|authorId|assigneeId|actorId|reviewerId|\w*ById|ip|ipAddress)$/;
  for (const m of models) {
    if (m.personal) continue;
    const block = new RegExp(`^model\\s+${m.name}\\s*\\{([\\s\\S]*?)^\\}`, "m").exec(schema)?.[1] ?? "";
    for (const l of block.split("\n")) {
      const f = /^\s*(\w+)\s+(\w+)/.exec(l);
      if (!f || l.trim().startsWith("/")) continue;
      if (f[2] === "User" || IDENTIFIER_FIELD.test(f[1]!))
        problems.push(`${m.name}.${f[1]}: looks like personal data, but the model is declared personal=no`);
    }
  }
  // Each processor's fields, from the fields that name it; a name nobody declared is a problem, and so is a
  // processor that receives nothing (it would be listed publicly without a reason).
  for (const m of models)
    for (const f of m.fields)
      for (const key of f.processors ?? []) {
        const p = processors.find((x) => x.key === key);
        if (p) p.fields.push(`${m.name}.${f.name}`);
        else problems.push(`${m.name}.${f.name}: unknown processor "${key}" (declare it with /// @processor)`);
      }
  for (const p of processors)
    if (p.scope === "fields" && p.fields.length === 0)
      problems.push(`processor ${p.key}: no field is marked processors=${p.key}, and it is not scope=all`);
  return { models, processors, problems };
}
