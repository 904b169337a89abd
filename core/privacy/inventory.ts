// The deletion inventory (docs/privacy.md, "Deletion design"): ONE entry per Prisma model, saying whether it holds
// personal data, which fields identify a person, what erasure (privacy promise P23) does to it and under which
// section the access export (P21) carries it. core/privacy/inventory.test.ts reads prisma/schema.prisma and fails
// when a model is missing here, when a model that references a user is declared "not personal", or when a personal
// model is neither in an export section nor excluded with a reason.
//
// ADDING A MODEL: add one key below (keep alphabetical order within your area), e.g.
//   Review: {
//     category: "Reviews and surveys",
//     holds: "Rating and comment the user left on a session.",
//     identifierFields: ["userId", "comment"],
//     erasure: { action: "delete", how: "Deleted with the account." },
//     export: { section: "reviews" },
//   },
// then add (or extend) the section in core/privacy/export.ts, and if the erasure is not an ON DELETE CASCADE from
// User, a step in core/privacy/erase.ts. Models without personal data go into `notPersonalData` with a reason.

export type Erasure =
  /** The rows are deleted (by the erasure job or by ON DELETE CASCADE from User). */
  | { action: "delete"; how: string }
  /** The rows stay, with every identifier removed or replaced (e.g. bookings move to the "former client"). */
  | { action: "anonymize"; how: string }
  /** The rows stay as they are, for a documented legal basis and a bounded time. Shown on the user's receipt. */
  | { action: "keep"; legalBasis: string; retention: string; how?: string };

export type ExportPlacement =
  /** Key of a section in core/privacy/export.ts (exportSections) that lists this model. */
  | { section: string }
  /** Deliberately not exported, and why (e.g. only hashes of one-time codes). */
  | { excluded: string };

export interface InventoryEntry {
  /** Heading in the privacy center's "what we hold" summary. */
  category: string;
  /** What it holds, in plain words (shown to the user). */
  holds: string;
  /** Fields that hold a person's identifier (id, email, name, IP, free text that may name them). */
  identifierFields: readonly string[];
  erasure: Erasure;
  export: ExportPlacement;
}

export const deletionInventory = {
  // ------------------------------------------------------------------ identity
  User: {
    category: "Account",
    holds: "Your name, email address, time zone, role, account status and email settings (reminders, newsletter).",
    identifierFields: ["id", "email", "name"],
    erasure: {
      action: "delete",
      how: "The account row is deleted; everything below that is tied to it by ON DELETE CASCADE goes with it.",
    },
    export: { section: "account" },
  },
  Session: {
    category: "Devices and sign-ins",
    holds: "Signed-in browsers: when, IP address, browser, operating system and device type.",
    identifierFields: ["userId", "ip", "userAgent"],
    erasure: { action: "delete", how: "Every session ends and is deleted." },
    export: { section: "sessions" },
  },
  EmailCode: {
    category: "Devices and sign-ins",
    holds: "One-time sign-in and verification codes (stored only as keyed hashes, valid for minutes).",
    identifierFields: ["userId", "email"],
    erasure: { action: "delete", how: "Deleted, including codes sent to your email address without an account link." },
    export: {
      excluded:
        "Only keyed hashes of short-lived one-time codes; they reveal nothing about you beyond the email address already in the account section.",
    },
  },
  UserAvatar: {
    category: "Account",
    holds: "Your profile picture (re-encoded, without metadata).",
    identifierFields: ["userId", "data"],
    erasure: { action: "delete", how: "Deleted with the account." },
    export: { section: "account" },
  },
  StaffTotp: {
    category: "Devices and sign-ins",
    holds: "Staff only: the encrypted second-factor secret.",
    identifierFields: ["userId"],
    erasure: { action: "delete", how: "Deleted with the account." },
    export: {
      excluded:
        "A secret credential (encrypted); exporting it would weaken the account's security. Its existence and confirmation date are in the account section.",
    },
  },
  // ------------------------------------------------------------------ catalog (experts)
  ExpertProfile: {
    category: "Expert profile",
    holds: "Experts only: public profile (headline, bio, languages, time zone) and booking settings.",
    identifierFields: ["userId", "slug", "bio"],
    erasure: {
      action: "delete",
      how: 'Deleted with the account, with availability and time off. Sessions booked by clients (and their reviews) are their history: they move to an anonymous, unpublished "Former expert" profile; upcoming ones are cancelled.',
    },
    export: { section: "expertProfile" },
  },
  AvailabilityRule: {
    category: "Expert profile",
    holds: "Experts only: weekly working hours.",
    identifierFields: ["expertId"],
    erasure: { action: "delete", how: "Deleted with the expert profile." },
    export: { section: "expertProfile" },
  },
  TimeOff: {
    category: "Expert profile",
    holds: "Experts only: periods away, with an optional reason.",
    identifierFields: ["expertId", "reason"],
    erasure: { action: "delete", how: "Deleted with the expert profile." },
    export: { section: "expertProfile" },
  },
  ExpertCategory: {
    category: "Expert profile",
    holds: "Experts only: the categories the expert works in.",
    identifierFields: ["expertId"],
    erasure: { action: "delete", how: "Deleted with the expert profile." },
    export: { section: "expertProfile" },
  },
  // ------------------------------------------------------------------ scheduling
  Booking: {
    category: "Bookings and sessions",
    holds: "Your sessions: expert, category, time, status, cancellations.",
    identifierFields: ["userId", "cancelReason", "idempotencyKey"],
    erasure: {
      action: "anonymize",
      how: 'Upcoming sessions are cancelled (the expert\'s time is freed). Every booking moves to an anonymous "Former client" with no email or password; cancellation texts are removed. Experts keep a count of held sessions, never your name.',
    },
    export: { section: "bookings" },
  },
  BookingNotification: {
    category: "Bookings and sessions",
    holds: "Which reminders were sent for a booking.",
    identifierFields: ["bookingId"],
    erasure: { action: "anonymize", how: "Stays with the anonymized booking (it names no one)." },
    export: { section: "bookings" },
  },
  WellnessPreference: {
    category: "Wellness preferences",
    holds: "Categories you browsed and experts you engaged with, used for recommendations.",
    identifierFields: ["userId"],
    erasure: { action: "delete", how: "Deleted with the account." },
    export: { section: "preferences" },
  },
  // ------------------------------------------------------------------ live rooms
  RoomParticipantKey: {
    category: "Bookings and sessions",
    holds: "The public half of your browser's encryption key for each session (never the private key).",
    identifierFields: ["userId", "publicKey"],
    erasure: { action: "delete", how: "Deleted with the account." },
    export: { section: "bookings" },
  },
  SessionPresence: {
    category: "Bookings and sessions",
    holds: "When you joined and left a session's room.",
    identifierFields: ["userId", "participantSid"],
    erasure: {
      action: "delete",
      how: "Deleted with the account (the session's duration stays with the anonymized booking).",
    },
    export: { section: "bookings" },
  },
  SessionMetadata: {
    category: "Bookings and sessions",
    holds: "How long a held session lasted.",
    identifierFields: ["bookingId"],
    erasure: { action: "anonymize", how: "Stays with the anonymized booking (it names no one)." },
    export: { section: "bookings" },
  },
  // ------------------------------------------------------------------ support
  SupportTicket: {
    category: "Support requests",
    holds: "Your support requests: subject, category, status, contact details and satisfaction rating.",
    identifierFields: ["requesterId", "contactEmail", "contactName", "subject", "satisfactionComment", "assigneeId"],
    erasure: {
      action: "delete",
      how: "Deleted with their messages, including requests sent through the contact form from your email address — unless a legal hold names the ticket (then it is kept until the hold ends and listed on your receipt).",
    },
    export: { section: "tickets" },
  },
  TicketMessage: {
    category: "Support requests",
    holds: "Messages in your support requests (staff-internal notes are not part of your data and are not exported).",
    identifierFields: ["authorId", "body"],
    erasure: { action: "delete", how: "Deleted with the ticket." },
    export: { section: "tickets" },
  },
  // ------------------------------------------------------------------ feedback
  Review: {
    category: "Reviews and surveys",
    holds:
      "Ratings (1 to 5) and comments you left on your completed sessions, and whether support hid one (with the reason).",
    identifierFields: ["authorId", "comment", "hiddenById"],
    erasure: {
      action: "delete",
      how: "Deleted with the account (ON DELETE CASCADE); the expert's public rating is recomputed without them.",
    },
    export: { section: "reviews" },
  },
  // ------------------------------------------------------------------ audit and privacy
  AuditEvent: {
    category: "Staff access to your data",
    holds: "The append-only record of every staff access to your data and of staff actions (who by role, when, why).",
    identifierFields: ["actorId", "subjectUserId", "target", "ip"],
    erasure: {
      action: "keep",
      legalBasis:
        "Accountability and security of processing (GDPR Art. 5(2), 6(1)(c) and 32): proof of who accessed personal data and that your request was honoured. The table is append-only; nothing in it can be changed.",
      retention: "6 years from the event",
      how: "Kept; the rows contain your account id (a random identifier) but not your name or email.",
    },
    export: { section: "staffAccess" },
  },
  PrivacyRequest: {
    category: "Your privacy requests",
    holds:
      "Your access, correction, deletion and opt-out requests: dates, deadlines, identity check, decision and reason.",
    identifierFields: ["userId", "details", "identityCheck", "decisionReason", "extensionReason", "reviewerId"],
    erasure: {
      action: "keep",
      legalBasis:
        "Proof that your rights were honoured within the legal deadlines (GDPR Art. 5(2), 12 and 17; legal obligation, Art. 6(1)(c)).",
      retention: "3 years after completion",
      how: "Kept without your account link (the user id is removed) and without the free text of corrections; your name and email are removed from notes; the receipt names categories, never you.",
    },
    export: { section: "requests" },
  },
  LegalHold: {
    category: "Your privacy requests",
    holds:
      "A documented legal reason that defers the erasure of specific records (for example a complaint under dispute).",
    identifierFields: ["userId", "recordId", "basis", "createdById", "releasedById"],
    erasure: {
      action: "keep",
      legalBasis:
        "Establishment, exercise or defence of legal claims (GDPR Art. 17(3)(e)); the hold states its own basis.",
      retention: "until the hold's end date (at most 6 years)",
      how: "Kept without your account link; the held records are listed on your receipt.",
    },
    export: { section: "requests" },
  },
  // ------------------------------------------------------------------ opt-out, newsletter and consent
  Consent: {
    category: "Your choices",
    holds:
      "Your consent choices (anonymous analytics, the newsletter): what you chose, when, and where (banner, settings or an unsubscribe link).",
    identifierFields: ["userId"],
    erasure: {
      action: "delete",
      how: "Deleted with the account (ON DELETE CASCADE). A visitor's anonymous choices hold no identifier and are not affected.",
    },
    export: { section: "choices" },
  },
  NewsletterDelivery: {
    category: "Your choices",
    holds: "Which newsletters were sent to you, and when.",
    identifierFields: ["userId"],
    erasure: { action: "delete", how: "Deleted with the account (ON DELETE CASCADE)." },
    export: { section: "choices" },
  },
  // ------------------------------------------------------------------ fraud and unauthorized access (P14)
  KnownDevice: {
    category: "Devices and sign-ins",
    holds:
      "The kinds of device you have signed in from (browser, operating system, device type; no versions, no IP), to alert you about a new one.",
    identifierFields: ["userId"],
    erasure: { action: "delete", how: "Deleted with the account (ON DELETE CASCADE)." },
    export: { section: "security" },
  },
  DeviceAlert: {
    category: "Devices and sign-ins",
    holds:
      "New-device alerts we emailed you: when, until when the \"this wasn't me\" link worked, and whether it was used (only a keyed hash of the link's secret).",
    identifierFields: ["userId"],
    erasure: {
      action: "delete",
      how: "Deleted with the account (ON DELETE CASCADE); otherwise one day after the link expired.",
    },
    export: { section: "security" },
  },
  AccountLock: {
    category: "Devices and sign-ins",
    holds:
      "A temporary pause of password sign-in after repeated wrong passwords: until when, how many times in a day, when we emailed you. Keyed by a keyed hash of the email, not the address.",
    identifierFields: ["userId", "accountKey"],
    erasure: {
      action: "delete",
      how: "Deleted with the account (ON DELETE CASCADE); otherwise a day after the last lock ended. A lock for an email without an account holds no user id.",
    },
    export: { section: "security" },
  },
  SecurityEvent: {
    category: "Devices and sign-ins",
    holds:
      'Security events about your account: failed sign-ins, locks, new-device alerts, "this wasn\'t me" reports, with the IP address (kept for security only).',
    identifierFields: ["userId", "accountKey", "ip"],
    erasure: {
      action: "delete",
      how: "Deleted with the account (ON DELETE CASCADE). Events without an account (attempts on an email, keyed by a keyed hash) are deleted after 7 days (raw signals) or 90 days (events).",
    },
    export: { section: "security" },
  },
} satisfies Record<string, InventoryEntry>;

export type InventoryModel = keyof typeof deletionInventory;

/** Models that hold no personal data at all, and why. A model with a user reference may never be listed here. */
export const notPersonalData: Record<string, string> = {
  ErrorReport:
    "Error reports (P7): scrubbed of emails, tokens, codes, ids and query strings before storage; no user id, IP, cookie or user agent column exists. Deleted after 30 days.",
  Category: "Wellness categories of the catalogue.",
  RateLimiterFlexible: "Rate-limit counters keyed by hashed or coarse keys, expiring within hours.",
  CannedReply: "Prepared answer texts written by staff.",
  Newsletter:
    "Newsletter texts written by staff for all subscribers; who sent one is in the audit trail, who received it in NewsletterDelivery.",
  PolicyNotice:
    "Which privacy-policy versions were announced by email, when, and to how many accounts (a count, no recipients).",
  LiveKitWebhookEvent: "Ids of processed LiveKit events and room names (random); no participant identity.",
  SurveyResponse:
    "Survey answers stored with no link to any person or booking (no user id, no session, the day only, not the time), so they cannot be attributed to anyone, exported or erased per person.",
  UsageEvent:
    "Anonymous usage metrics, only with analytics consent: a random per-visit id (sessionStorage), path without query string, event kind; never a user id, IP, email or cookie. Deleted after 90 days.",
};

export const inventoryEntries = (): Array<[string, InventoryEntry]> => Object.entries(deletionInventory);

/** What erasure will do, grouped for the privacy center and the receipt. */
export function erasurePlan() {
  const plan = {
    deleted: [] as Array<{ model: string; category: string; how: string }>,
    anonymized: [] as Array<{ model: string; category: string; how: string }>,
    kept: [] as Array<{ model: string; category: string; legalBasis: string; retention: string; how?: string }>,
  };
  for (const [model, e] of inventoryEntries()) {
    const erasure: Erasure = e.erasure;
    if (erasure.action === "delete") plan.deleted.push({ model, category: e.category, how: erasure.how });
    else if (erasure.action === "anonymize") plan.anonymized.push({ model, category: e.category, how: erasure.how });
    else
      plan.kept.push({
        model,
        category: e.category,
        legalBasis: erasure.legalBasis,
        retention: erasure.retention,
        how: erasure.how,
      });
  }
  return plan;
}
