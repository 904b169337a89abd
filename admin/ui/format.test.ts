// The console's formatting layer: dates in the staff member's zone, times in words, failed calls as sentences
// and field messages (never the validator's JSON), and audit actions and purposes in words.
import { describe, expect, it } from "vitest";
import { AUDIT_ACTION_CHOICES, auditActionLabel, auditPurposeLabel, shortRef } from "../shared/labels.ts";
import { errorInfo, fmt, fmtDateKey, fmtDay, relative, setDisplayZone } from "./trpc.ts";

describe("dates", () => {
  it("shows a moment in the staff member's zone, named, and falls back to UTC for an unknown zone", () => {
    setDisplayZone("Europe/Berlin");
    expect(fmt("2026-07-01T10:00:00Z")).toBe("1 Jul 2026, 12:00 CEST");
    expect(fmt(new Date("2026-01-15T23:30:00Z"))).toBe("16 Jan 2026, 00:30 CET");
    expect(fmtDay("2026-03-02T00:00:00Z")).toBe("2 Mar 2026");
    setDisplayZone("America/New_York");
    expect(fmtDay("2026-03-02T00:00:00Z")).toBe("1 Mar 2026");
    setDisplayZone("Not/AZone");
    expect(fmt("2026-07-01T10:00:00Z")).toBe("1 Jul 2026, 10:00 UTC");
    expect(fmt(null)).toBe("—");
    expect(fmtDay(undefined)).toBe("—");
  });

  it("shows a calendar day (a week's Monday) as that day in every zone", () => {
    for (const z of ["America/Los_Angeles", "UTC", "Pacific/Kiritimati"]) {
      setDisplayZone(z);
      expect(fmtDateKey("2026-11-30")).toBe("30 Nov 2026");
    }
    setDisplayZone("America/Los_Angeles");
    expect(fmtDay("2026-11-30")).toBe("29 Nov 2026"); // why the dashboard's weeks do not use fmtDay
    expect(fmtDateKey("not a day")).toBe("—");
  });

  it("says how long until or since a moment", () => {
    const now = Date.parse("2026-07-01T10:00:00Z");
    expect(relative("2026-07-01T10:45:00Z", now)).toBe("in 45 min");
    expect(relative("2026-07-01T13:20:00Z", now)).toBe("in 3 h 20 min");
    expect(relative("2026-07-04T10:00:00Z", now)).toBe("in 3 d");
    expect(relative("2026-07-01T08:00:00Z", now)).toBe("2 h 0 min overdue");
    expect(relative("2026-06-28T10:00:00Z", now)).toBe("3 d overdue");
    expect(relative(null, now)).toBe("—");
  });
});

describe("errorInfo", () => {
  it("turns zod issues into field messages and never shows their JSON", () => {
    const info = errorInfo({
      message: '[{"origin":"string","code":"too_small"}]',
      data: {
        code: "BAD_REQUEST",
        zodIssues: [
          { path: ["slug"], message: "Use 2 to 60 lowercase letters." },
          { path: ["slug"], message: "A second message for the same field is not shown." },
          { path: ["data", "name"], message: "Write a name." },
          { path: [0], message: "The whole form." },
        ],
      },
    });
    expect(info.message).toBe("Some fields need another look.");
    expect(info.fields).toEqual({
      slug: "Use 2 to 60 lowercase letters.",
      "data.name": "Write a name.",
      form: "The whole form.",
    });
  });

  it("keeps a domain error's sentence and its field, a denial's reason, and hides anything else", () => {
    expect(errorInfo({ message: "That code is not right.", data: { field: "code", code: "BAD_REQUEST" } })).toEqual({
      message: "That code is not right.",
      code: "BAD_REQUEST",
      reason: undefined,
      fields: { code: "That code is not right." },
    });
    expect(
      errorInfo({ message: "Not part of your role.", data: { code: "FORBIDDEN", reason: "MISSING_PERMISSION" } }),
    ).toMatchObject({ message: "Not part of your role.", reason: "MISSING_PERMISSION" });
    expect(errorInfo({ message: "  [raw json]" }).message).toBe("Something went wrong. Please try again.");
    expect(errorInfo(null).message).toBe("Something went wrong. Please try again.");
  });
});

describe("audit words", () => {
  it("names every fixed action and each family, and never shows a dotted code", () => {
    const fixed = AUDIT_ACTION_CHOICES.filter((c) => !c.value.endsWith("."));
    expect(fixed.length).toBeGreaterThan(30);
    for (const c of fixed) expect(auditActionLabel(c.value)).toBe(c.label);
    expect(auditActionLabel("staff.role.SUPPORT->USER")).toBe("Changed a role: Support agent → Client");
    expect(auditActionLabel("staff.invite.DPO")).toBe("Invited as Data protection officer");
    expect(auditActionLabel("ticket.status.PENDING_USER")).toBe("Set a ticket to Waiting for requester");
    expect(auditActionLabel("ticket.priority.URGENT")).toBe("Set a ticket's priority to Urgent");
    expect(auditActionLabel("ticket.log.PHONE")).toMatch(/^Logged a ticket \(.+\)$/);
    expect(auditActionLabel("authz.denied.MFA_REQUIRED")).toBe("Refused: second factor missing");
    expect(auditActionLabel("something.new_in.a_later_version")).toBe("Something new in a later version");
  });

  it("offers every action in words in the filter, families by their prefix", () => {
    const values = AUDIT_ACTION_CHOICES.map((c) => c.value);
    expect(values).toContain("staff.account.lookup");
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual(expect.arrayContaining(["staff.role.", "ticket.status.", "authz.denied."]));
    expect(AUDIT_ACTION_CHOICES.every((c) => !/\w\.\w/.test(c.label))).toBe(true);
  });

  it("reads a purpose: a record's id as its kind and a short reference, written purposes as written", () => {
    const id = "0190f3a2-7b1c-7e44-9a21-3f9a2c5d8e10";
    expect(shortRef(id)).toBe("5D8E10");
    expect(auditPurposeLabel(id, `ticket:${id}`)).toBe("Ticket 5D8E10");
    expect(auditPurposeLabel(id, `privacy-request:${id}`)).toBe("Privacy request 5D8E10");
    expect(auditPurposeLabel(id, "audit-log")).toBe("Record 5D8E10");
    expect(auditPurposeLabel(`privacy-request:${id}`, `privacy-request:${id}`)).toBe("Privacy request 5D8E10");
    expect(auditPurposeLabel("staff invite", "user:x")).toBe("staff invite");
    expect(auditPurposeLabel(null, "ticket:x")).toBe("—");
  });
});
