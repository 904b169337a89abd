// The expert workspace's dates and clocks are written in the expert's zone. The formatters are kept per zone
// (building one costs far more than using one), so a page for an expert in one zone must never be written with a
// formatter made for another: these interleave zones on the same instants.
import { describe, expect, it } from "vitest";
import { formatSessionTime, formatTimeOff, todayIn } from "./expert.server.ts";

const start = new Date("2027-06-07T09:00:00Z");
const end = new Date("2027-06-07T09:50:00Z");

describe("the expert workspace's times", () => {
  it("write the same session in each expert's own zone, whichever zone came first", () => {
    for (let round = 0; round < 2; round++) {
      expect(formatSessionTime(start, end, "Europe/London")).toBe("Mon, 7 Jun 2027, 10:00–10:50");
      expect(formatSessionTime(start, end, "Asia/Tokyo")).toBe("Mon, 7 Jun 2027, 18:00–18:50");
      expect(formatSessionTime(start, end, "America/Los_Angeles")).toBe("Mon, 7 Jun 2027, 02:00–02:50");
      expect(formatSessionTime(start, end, "Africa/Lagos")).toBe("Mon, 7 Jun 2027, 10:00–10:50");
    }
  });

  it("show time off as whole days only at midnight in the expert's zone", () => {
    const tokyoDay = [new Date("2027-06-09T15:00:00Z"), new Date("2027-06-10T15:00:00Z")] as const;
    expect(formatTimeOff(...tokyoDay, "Asia/Tokyo")).toBe("Thu, 10 Jun 2027 (whole day)");
    expect(formatTimeOff(...tokyoDay, "Europe/London")).toBe("Wed, 9 Jun 2027, 16:00 – Thu, 10 Jun 2027, 16:00");
  });

  it("know today's date in the expert's zone", () => {
    const at = new Date("2027-06-07T23:30:00Z");
    expect(todayIn("Europe/London", at)).toBe("2027-06-08");
    expect(todayIn("America/New_York", at)).toBe("2027-06-07");
    expect(todayIn("Asia/Tokyo", at)).toBe("2027-06-08");
  });
});
