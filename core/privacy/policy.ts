// The privacy policy's version and its dated changes. When the version changes, every account is told by email
// (core/privacy/policy-notice.ts): the server queues one fan-out job per version at start, which queues one
// delivery job per account (ids only in the jobs; the address is read when the mail is sent).

export interface PolicyChange {
  /** ISO date (YYYY-MM-DD) the change took effect; also the version. */
  date: string;
  summary: string[];
}

/** Newest first. The first entry's date is the policy's current version. */
export const POLICY_CHANGES: readonly PolicyChange[] = [
  {
    date: "2026-12-02",
    summary: [
      "We name the providers that receive personal data: our hosting and database provider, Resend for email (the policy said Nodemailer/SMTP) and LiveKit for the encrypted video of sessions, with where they are and the basis for any transfer.",
      "The topic of a session and the topics and experts you look at are health information: we now use them only with your explicit consent, which you can withdraw in your privacy center.",
      "Experts and our video provider receive your first name only; the video provider never receives your account id.",
    ],
  },
];

export const PRIVACY_POLICY_VERSION: string = POLICY_CHANGES[0]!.date;

/** A date as people read it: "2 December 2026". */
export function policyDate(iso: string): string {
  return new Date(`${iso}T00:00:00Z`).toLocaleDateString("en-GB", {
    day: "numeric",
    month: "long",
    year: "numeric",
    timeZone: "UTC",
  });
}
