// The access export (privacy promise P21): every personal-data model of ONE user, as JSON. Built from sections,
// one per area; each section declares the Prisma models it carries (core/privacy/inventory.test.ts checks that
// every personal model of the deletion inventory is in a section or excluded with a reason).
//
// ADDING A SECTION: add one key to `exportSections` with `models` and `collect(db, userId)`. Rules: scope every
// query by the user's id in `where`, explicit `select`, never another person's personal data (experts appear by
// their public profile only: name, slug, headline), never secrets (hashes, keys, tokens), never staff-internal notes.
import type { PrismaClient } from "../generated/prisma/client.ts";
import { DomainError } from "../errors/index.ts";
import { accountKeyOf } from "../security/events.ts";
import { PURPOSES, RETENTION_PERIODS, OUTSIDE_STORES, RECIPIENTS } from "./datamap.ts";
import { DPO_CONTACT } from "./dpo.ts";
import { dataMap, modelsInSection } from "./inventory.ts";

export interface ExportContext {
  /** The key of the keyed hash under which security events about the person's email are stored. */
  accountKeyPepper?: Uint8Array;
}

export interface ExportSection {
  /** Prisma models this section carries. */
  models: readonly string[];
  /** Plain-words title for the JSON reader. */
  title: string;
  collect(db: PrismaClient, userId: string, ctx: ExportContext): Promise<unknown>;
}

/** Reads every row a query finds, a page at a time: no row cap, and never one huge result in memory at once. */
async function allPages<T extends { id: string }>(page: (cursor: string | undefined, take: number) => Promise<T[]>) {
  const out: T[] = [];
  let cursor: string | undefined;
  for (;;) {
    const rows = await page(cursor, 1_000);
    out.push(...rows);
    if (rows.length < 1_000) return out;
    cursor = rows[rows.length - 1]!.id;
  }
}

const publicExpert = { select: { slug: true, headline: true, user: { select: { name: true } } } } as const;

export const exportSections = {
  account: {
    title: "Your account",
    models: modelsInSection("account"),
    async collect(db, userId) {
      const user = await db.user.findUnique({
        where: { id: userId },
        select: {
          id: true,
          email: true,
          name: true,
          emailVerifiedAt: true,
          role: true,
          status: true,
          timezone: true,
          remindersEnabled: true,
          newsletterEnabled: true,
          emailDetails: true,
          createdAt: true,
          updatedAt: true,
          deletedAt: true,
          avatar: { select: { data: true, updatedAt: true } },
          staffTotp: { select: { confirmedAt: true, createdAt: true } },
        },
      });
      if (!user) throw new DomainError("NOT_FOUND", "No such account.");
      const { avatar, staffTotp, ...rest } = user;
      return {
        ...rest,
        avatar: avatar
          ? { format: "image/webp", base64: Buffer.from(avatar.data).toString("base64"), updatedAt: avatar.updatedAt }
          : null,
        secondFactor: staffTotp ? { confirmedAt: staffTotp.confirmedAt, createdAt: staffTotp.createdAt } : null,
      };
    },
  },
  sessions: {
    title: "Devices and sign-ins (secrets are never exported)",
    models: modelsInSection("sessions"),
    collect: (db, userId) =>
      db.session.findMany({
        where: { userId },
        orderBy: { createdAt: "desc" },
        select: {
          createdAt: true,
          lastSeenAt: true,
          expiresAt: true,
          absoluteExpiresAt: true,
          reauthenticatedAt: true,
          mfaVerifiedAt: true,
          ip: true,
          userAgent: true,
          browser: true,
          os: true,
          device: true,
        },
      }),
  },
  preferences: {
    title: "Wellness preferences used for recommendations",
    models: modelsInSection("preferences"),
    collect: (db, userId) =>
      db.wellnessPreference.findMany({
        where: { userId },
        orderBy: { lastAt: "desc" },
        select: {
          kind: true,
          count: true,
          lastAt: true,
          category: { select: { slug: true, name: true } },
          expert: publicExpert,
        },
      }),
  },
  bookings: {
    title: "Bookings and session metadata (experts by public profile only)",
    models: modelsInSection("bookings"),
    collect: (db, userId) =>
      db.booking.findMany({
        where: { userId },
        orderBy: { startsAt: "desc" },
        select: {
          id: true,
          startsAt: true,
          endsAt: true,
          status: true,
          cancelledBy: true,
          cancelledAt: true,
          cancelReason: true,
          rescheduleCount: true,
          createdAt: true,
          updatedAt: true,
          category: { select: { slug: true, name: true } },
          expert: publicExpert,
          notifications: { select: { kind: true, startsAt: true, sentAt: true }, orderBy: { sentAt: "asc" } },
          // Only this user's own key and presences; the expert's are the expert's data.
          roomKeys: { where: { userId }, select: { publicKey: true, createdAt: true, updatedAt: true } },
          presences: { where: { userId }, select: { joinedAt: true, leftAt: true }, orderBy: { joinedAt: "asc" } },
          metadata: { select: { durationSeconds: true, settledAt: true } },
        },
      }),
  },
  expertProfile: {
    title: "Your expert profile (experts only)",
    models: modelsInSection("expertProfile"),
    collect: (db, userId) =>
      db.expertProfile.findUnique({
        where: { userId },
        select: {
          slug: true,
          headline: true,
          bio: true,
          languages: true,
          timezone: true,
          sessionMinutes: true,
          bufferMinutes: true,
          minNoticeHours: true,
          cancelWindowHours: true,
          published: true,
          createdAt: true,
          updatedAt: true,
          categories: { select: { category: { select: { slug: true, name: true } } } },
          availability: {
            select: { weekday: true, startMinute: true, endMinute: true },
            orderBy: [{ weekday: "asc" }, { startMinute: "asc" }],
          },
          timeOff: {
            select: { startsAt: true, endsAt: true, reason: true, createdAt: true },
            orderBy: { startsAt: "asc" },
          },
          // The expert's clients are other people: only counts.
          _count: { select: { bookings: true } },
        },
      }),
  },
  tickets: {
    title: "Support requests and their messages (staff-internal notes are not included)",
    models: modelsInSection("tickets"),
    async collect(db, userId) {
      // Also tickets sent from the account's address through the contact form, email or phone, once the address
      // is verified (so nobody reads another person's tickets by typing their address into a sign-up form).
      const owner = await db.user.findUnique({ where: { id: userId }, select: { email: true, emailVerifiedAt: true } });
      const byAddress = owner?.emailVerifiedAt
        ? [{ requesterId: null, contactEmail: { equals: owner.email, mode: "insensitive" as const } }]
        : [];
      const tickets = await db.supportTicket.findMany({
        where: { OR: [{ requesterId: userId }, ...byAddress] },
        orderBy: { createdAt: "desc" },
        select: {
          id: true,
          subject: true,
          category: true,
          channel: true,
          status: true,
          priority: true,
          contactEmail: true,
          contactName: true,
          satisfaction: true,
          satisfactionComment: true,
          createdAt: true,
          updatedAt: true,
          resolvedAt: true,
          closedAt: true,
          messages: {
            where: { internal: false },
            orderBy: { createdAt: "asc" },
            // Staff appear as "staff", never by name or email.
            select: { fromStaff: true, body: true, createdAt: true },
          },
        },
      });
      return tickets.map((t) => ({
        ...t,
        messages: t.messages.map((m) => ({ from: m.fromStaff ? "staff" : "you", body: m.body, at: m.createdAt })),
      }));
    },
  },
  reviews: {
    title: "Your reviews of sessions (rating, comment, and whether support hid one)",
    models: modelsInSection("reviews"),
    collect: (db, userId) =>
      db.review.findMany({
        where: { authorId: userId },
        orderBy: { createdAt: "desc" },
        select: {
          rating: true,
          comment: true,
          createdAt: true,
          updatedAt: true,
          hiddenAt: true,
          hiddenReason: true,
          booking: { select: { startsAt: true } },
          expert: publicExpert,
        },
      }),
  },
  staffAccess: {
    title:
      "Staff access to your data, and your own requests that staff tools refused (the audit ledger: role, when, why)",
    models: modelsInSection("staffAccess"),
    async collect(db, userId) {
      const rows = await allPages((cursor, take) =>
        db.auditEvent.findMany({
          where: { OR: [{ subjectUserId: userId }, { actorId: userId }] },
          orderBy: { id: "asc" },
          take,
          ...(cursor ? { cursor: { id: cursor }, skip: 1 } : {}),
          select: {
            id: true,
            at: true,
            actorId: true,
            actorRole: true,
            action: true,
            target: true,
            purpose: true,
            ip: true,
          },
        }),
      );
      // Staff by role only; the IP only on the person's own calls (a staff member's IP is theirs: the map's
      // export=own on AuditEvent.ip).
      return rows.map((r) =>
        r.actorId === userId
          ? {
              at: r.at,
              by: "you",
              byRole: r.actorRole,
              action: r.action,
              target: r.target,
              purpose: r.purpose,
              ip: r.ip,
            }
          : {
              at: r.at,
              by: "staff",
              byRole: r.actorRole ?? "system",
              action: r.action,
              target: r.target,
              purpose: r.purpose,
            },
      );
    },
  },
  requests: {
    title: "Your privacy requests and legal holds on your records",
    models: modelsInSection("requests"),
    async collect(db, userId) {
      const [requests, legalHolds] = await Promise.all([
        db.privacyRequest.findMany({
          where: { userId },
          orderBy: { receivedAt: "desc" },
          // The reviewer is staff: by role only, never by name.
          select: {
            id: true,
            type: true,
            status: true,
            details: true,
            receivedAt: true,
            dueAt: true,
            extendedUntil: true,
            extensionReason: true,
            graceEndsAt: true,
            identityCheck: true,
            decision: true,
            decisionReason: true,
            decidedAt: true,
            cancelledAt: true,
            completedAt: true,
            source: true,
            requesterEmail: true,
          },
        }),
        db.legalHold.findMany({
          where: { userId },
          orderBy: { createdAt: "desc" },
          select: { recordType: true, recordId: true, basis: true, until: true, createdAt: true, releasedAt: true },
        }),
      ]);
      return { requests, legalHolds };
    },
  },
  choices: {
    title: "Your email and consent choices, and the newsletters sent to you",
    models: modelsInSection("choices"),
    async collect(db, userId) {
      const [consents, newsletters] = await Promise.all([
        db.consent.findMany({
          where: { userId },
          orderBy: { at: "desc" },
          select: { kind: true, given: true, source: true, at: true, textVersion: true },
        }),
        db.newsletterDelivery.findMany({
          where: { userId },
          orderBy: { sentAt: "desc" },
          select: { sentAt: true, newsletter: { select: { subject: true } } },
        }),
      ]);
      return {
        consents,
        newslettersReceived: newsletters.map((n) => ({ subject: n.newsletter.subject, sentAt: n.sentAt })),
      };
    },
  },
  security: {
    title: "Security: the devices you sign in from, alerts, locks and security events about your account",
    models: modelsInSection("security"),
    async collect(db, userId, ctx) {
      const email = (await db.user.findUnique({ where: { id: userId }, select: { email: true } }))?.email;
      const [devices, alerts, locks, events] = await Promise.all([
        db.knownDevice.findMany({
          where: { userId },
          orderBy: { firstSeenAt: "asc" },
          select: { browser: true, os: true, device: true, firstSeenAt: true, lastSeenAt: true },
        }),
        db.deviceAlert.findMany({
          where: { userId },
          orderBy: { createdAt: "desc" },
          select: { createdAt: true, expiresAt: true, usedAt: true },
        }),
        db.accountLock.findMany({
          where: { userId },
          select: { lockCount: true, lockedUntil: true, lastLockedAt: true, lastEmailAt: true },
        }),
        db.securityEvent.findMany({
          // Also events recorded under the keyed hash of the address (code requests, attempts without an account).
          where: {
            OR: [
              { userId },
              ...(ctx.accountKeyPepper && email ? [{ accountKey: accountKeyOf(ctx.accountKeyPepper, email) }] : []),
            ],
          },
          orderBy: { createdAt: "desc" },
          select: { kind: true, createdAt: true, ip: true, detail: true },
        }),
      ]);
      return { knownDevices: devices, newDeviceAlerts: alerts, passwordLocks: locks, securityEvents: events };
    },
  },
  aboutProcessing: {
    title: "About this processing (GDPR Art. 15(1)): purposes, recipients, retention, source and your rights",
    models: [],
    // Written from the data map, no query: async only to fit the sections' shape.
    // eslint-disable-next-line @typescript-eslint/require-await
    async collect() {
      const personal = dataMap.filter((m) => m.personal);
      return {
        controller: "Mind Namo",
        dataProtectionOfficer: DPO_CONTACT,
        purposes: Object.values(PURPOSES).map((p) => ({
          purpose: p.title,
          legalBasis: p.basis,
          categories: [
            ...new Set(
              personal.filter((m) => m.purpose && PURPOSES[m.purpose].title === p.title).map((m) => m.category ?? ""),
            ),
          ],
        })),
        recipients: RECIPIENTS.map((r) => ({ recipient: r.recipient, role: r.role, receives: r.receives })),
        retention: [...new Set(personal.map((m) => m.category ?? ""))].map((category) => ({
          category,
          periods: [
            ...new Set(
              personal
                .filter((m) => m.category === category && m.retention)
                .map((m) => RETENTION_PERIODS[m.retention!].words),
            ),
          ],
        })),
        otherStores: OUTSIDE_STORES.map((o) => ({ store: o.name, retention: o.retention })),
        source:
          "From you (what you entered, booked and wrote), from your browser and device when you use the service (IP address, browser and device type, times), and from our staff and experts about your sessions and requests (status, replies). We buy or receive no data about you from anyone else.",
        automatedDecisionMaking: "None: no decision about you is made by automated means alone, and no profiling.",
        transfers:
          "Our processors (hosting, Resend, LiveKit) act under data processing agreements; any transfer outside your country is covered by the safeguards those agreements name.",
        rights: [
          "Access: this file (Art. 15).",
          "Correction: name, email and picture on your account page; anything else through a correction request (Art. 16).",
          "Erasure: a deletion request in the privacy center (Art. 17).",
          "Restriction and objection: write to the Data Protection Officer (Art. 18, 21).",
          "Portability: this file is machine-readable JSON; its format is published as docs/export-schema.json (Art. 20).",
          "Withdraw consent at any time, without affecting what was done before (Art. 7(3)): the privacy center and every newsletter.",
          "Complain to a data protection supervisory authority (Art. 77).",
        ],
      };
    },
  },
} satisfies Record<string, ExportSection>;

export type ExportSectionKey = keyof typeof exportSections;

export interface UserDataExport {
  format: "mindnamo-export/1";
  generatedAt: string;
  userId: string;
  sections: Record<string, { title: string; data: unknown }>;
}

/**
 * The export as JSON text (indented, as the download has always been), one section at a time: each section is read,
 * written out and let go before the next is read, so the whole file is never held at once. `beforeEnd` runs after
 * the last section and before the closing brace: a file that arrives whole was recorded (the ACCESS request).
 */
export async function* exportUserDataJson(
  db: PrismaClient,
  userId: string,
  now = new Date(),
  ctx: ExportContext = {},
  opts: { beforeEnd?: () => Promise<void> } = {},
): AsyncGenerator<string, void, undefined> {
  const head: Omit<UserDataExport, "sections"> = {
    format: "mindnamo-export/1",
    generatedAt: now.toISOString(),
    userId,
  };
  // The head object without its closing "\n}", then the sections object opened.
  yield `${JSON.stringify(head, null, 2).slice(0, -2)},\n  "sections": {`;
  let first = true;
  for (const [key, section] of Object.entries(exportSections) as Array<[string, ExportSection]>) {
    const data = await section.collect(db, userId, ctx);
    // JSON.stringify escapes newlines inside strings, so every newline here is indentation, nested two levels.
    const body = JSON.stringify({ title: section.title, data }, null, 2).replaceAll("\n", "\n    ");
    yield `${first ? "" : ","}\n    ${JSON.stringify(key)}: ${body}`;
    first = false;
  }
  await opts.beforeEnd?.();
  yield "\n  }\n}\n";
}

/** Everything we hold about one user, section by section. */
export async function exportUserData(
  db: PrismaClient,
  userId: string,
  now = new Date(),
  ctx: ExportContext = {},
): Promise<UserDataExport> {
  const sections: UserDataExport["sections"] = {};
  for (const [key, section] of Object.entries(exportSections) as Array<[string, ExportSection]>) {
    sections[key] = { title: section.title, data: await section.collect(db, userId, ctx) };
  }
  return { format: "mindnamo-export/1", generatedAt: now.toISOString(), userId, sections };
}
