// A change of the privacy policy is emailed to every active account, once per version, through jobs that carry
// only ids (core/privacy/policy-notice.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "../identity/users.ts";
import type { Mailer, MailMessage } from "../platform/mail/index.ts";
import { createTestDatabase, type TestDatabase } from "../platform/testing/db.ts";
import { PRIVACY_POLICY_VERSION } from "./policy.ts";
import {
  announcePolicyVersion,
  deliverPolicyNotice,
  fanOutPolicyNotice,
  type PolicyNoticeDeliveryJob,
} from "./policy-notice.ts";

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

function fakeJobs() {
  const sent: { name: string; data: object; key?: string }[] = [];
  return {
    sent,
    send: <T extends object>(name: string, data: T, opts?: { singletonKey?: string }) => {
      sent.push({ name, data, key: opts?.singletonKey });
      return Promise.resolve("job");
    },
  };
}

describe("policy-change notice", () => {
  it("is announced once per version, to every active verified account that existed then, with ids only in the jobs", async () => {
    const db = t.db.prisma;
    const ada = await createUser(db, { email: "ada.policy@example.com", name: "Ada Lovelace", emailVerified: true });
    const bo = await createUser(db, { email: "bo.policy@example.com", name: "Bo", emailVerified: true });
    await createUser(db, { email: "unverified.policy@example.com", name: "Una", emailVerified: false });
    const gone = await createUser(db, { email: "gone.policy@example.com", name: "Gone", emailVerified: true });
    await db.user.update({ where: { id: gone.id }, data: { status: "SUSPENDED" } });
    // The audience is the accounts created strictly before the announcement: a clock tick between them.
    await new Promise((r) => setTimeout(r, 5));

    const jobs = fakeJobs();
    expect(await announcePolicyVersion(db, jobs)).toBe(true);
    expect(await announcePolicyVersion(db, jobs)).toBe(false);
    // Joined after the announcement (the fan-out job had not run yet): they read this version when they signed up.
    const late = await createUser(db, { email: "late.policy@example.com", name: "Lee", emailVerified: true });
    expect(jobs.sent).toEqual([
      {
        name: "privacy.policy-notice",
        data: { version: PRIVACY_POLICY_VERSION },
        key: `policy:${PRIVACY_POLICY_VERSION}`,
      },
    ]);

    const fan = fakeJobs();
    expect(await fanOutPolicyNotice({ db, jobs: fan }, { version: PRIVACY_POLICY_VERSION })).toBe(2);
    // A retry of the fan-out queues nothing new.
    expect(await fanOutPolicyNotice({ db, jobs: fan }, { version: PRIVACY_POLICY_VERSION })).toBe(0);
    expect(fan.sent.map((j) => j.data).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual(
      [
        { version: PRIVACY_POLICY_VERSION, userId: ada.id },
        { version: PRIVACY_POLICY_VERSION, userId: bo.id },
      ].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
    );
    expect(fan.sent.map((j) => j.data)).not.toContainEqual(expect.objectContaining({ userId: late.id }));
    expect(JSON.stringify(fan.sent)).not.toContain("@");
    expect(await db.policyNotice.findUniqueOrThrow({ where: { version: PRIVACY_POLICY_VERSION } })).toMatchObject({
      recipientCount: 2,
      fannedOutAt: expect.any(Date),
    });

    const mails: MailMessage[] = [];
    const mailer: Mailer = {
      transport: "outbox",
      send: (m) => {
        mails.push(m);
        return Promise.resolve({ id: String(mails.length), transport: "outbox" as const });
      },
    };
    const deliver = (job: PolicyNoticeDeliveryJob) =>
      deliverPolicyNotice({ db, appUrl: "https://mindnamo.example" }, mailer, job);
    expect(await deliver({ version: PRIVACY_POLICY_VERSION, userId: ada.id })).toBe("sent");
    // Suspended between the fan-out and the delivery: nothing is sent.
    expect(await deliver({ version: PRIVACY_POLICY_VERSION, userId: gone.id })).toBe("not-in-audience");
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail).toMatchObject({ to: "ada.policy@example.com", template: "privacy-policy-changed" });
    expect(mail.text).toContain("Hello Ada,");
    expect(mail.text).toContain("Resend");
    expect(mail.text).toContain("LiveKit");
    expect(mail.text).toContain("https://mindnamo.example/privacy/processors");
    expect(mail.text).toContain("privacy@mindnamo.com");
  });
});
