// The processors that receive personal data (GDPR Art. 28, 30(1)(d)-(e); privacy promise P28: only these named
// providers, each listed publicly). One typed list: the /privacy/processors page, the policy's section 4.1 and
// docs/records-of-processing.md are written from it, and the outbound allow-list names the same hosts. When the data
// map (prisma/schema.prisma annotations) lands, the "data" of each entry is to be generated from the fields the map
// marks with that processor; until then it is kept here by hand, next to the code that sends the data. Locations
// and transfer bases are what our contracts say; the DPO confirms them for each deployment before a release.

export interface Processor {
  /** Stable key, used in tests and anchors. */
  key: "hosting" | "database" | "email" | "video";
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
}

export const PROCESSORS: readonly Processor[] = [
  {
    key: "hosting",
    name: "Our hosting provider (application servers)",
    role: "Hosts and runs the application",
    purpose: "Running the site and its background jobs.",
    data: [
      "Everything the application processes while it runs, in memory and in its logs (no bodies or cookies are logged)",
    ],
    location: "The region of our hosting account (European Union)",
    transferBasis: "No transfer outside the EEA; a data-processing agreement under Art. 28.",
    source: "Dockerfile, server.ts",
  },
  {
    key: "database",
    name: "Our managed PostgreSQL database",
    role: "Stores the data",
    purpose: "Keeping accounts, bookings, support requests and the other records the privacy center lists.",
    data: ["Everything we store, as the privacy center's “What we hold about you” lists it"],
    location: "The same region as the application (European Union), encrypted at rest",
    transferBasis: "No transfer outside the EEA; a data-processing agreement under Art. 28; TLS required in transit.",
    source: "DATABASE_URL, core/platform/db",
  },
  {
    key: "email",
    name: "Resend",
    role: "Delivers our emails",
    purpose: "Sending sign-in codes, confirmations, reminders, privacy notices and newsletters you asked for.",
    data: [
      "Your email address",
      "The subject and text of each email we send you (your first name, session times, topics you booked)",
    ],
    location: "United States",
    transferBasis:
      "EU–US Data Privacy Framework certification where it applies, otherwise the European Commission's Standard Contractual Clauses (Art. 46(2)(c)), under Resend's data-processing agreement.",
    source: "core/platform/mail (RESEND_API_KEY)",
  },
  {
    key: "video",
    name: "LiveKit",
    role: "Relays the live sessions' encrypted audio and video",
    purpose: "Connecting you and your expert in a live session.",
    data: [
      "A pseudonym made for that one booking (never your account id or email)",
      "Your first name, shown to the other participant",
      "A random room name and your connection's IP address",
      "Encrypted audio and video it cannot decrypt (end-to-end encryption)",
    ],
    location: "The LiveKit region we configure (European Union), or our own LiveKit server",
    transferBasis:
      "No transfer outside the EEA for the configured region; Standard Contractual Clauses (Art. 46(2)(c)) under LiveKit's data-processing agreement for any support access from outside it.",
    source: "core/rooms (LIVEKIT_URL)",
  },
];
