import { describe, expect, it } from "vitest";
import { firstName, initials, nameParts } from "./names.ts";

describe("display names", () => {
  it("never takes a title for a first name", () => {
    expect(firstName("Dr. Amara Okafor")).toBe("Amara");
    expect(firstName("Dr Amara Okafor")).toBe("Amara");
    expect(firstName("Prof. Dr. Lukas Brenner")).toBe("Lukas");
    expect(firstName("Ms Priyanka Sharma")).toBe("Priyanka");
    expect(nameParts("Dr. Amara Okafor")).toEqual({
      title: "Dr.",
      given: "Amara",
      family: "Okafor",
      full: "Dr. Amara Okafor",
    });
  });

  it("drops post-nominals from the family name", () => {
    expect(nameParts("Jane Doe, PhD").family).toBe("Doe");
    expect(nameParts("Anil Rao MD").family).toBe("Rao");
    expect(initials("Jane Doe, PhD")).toBe("JD");
  });

  it("keeps plain, single-word and accented names as they are", () => {
    expect(firstName("Dana Demo")).toBe("Dana");
    expect(firstName("  Mei   Lin Chen ")).toBe("Mei");
    expect(nameParts("  Mei   Lin Chen ").family).toBe("Lin Chen");
    expect(firstName("Madonna")).toBe("Madonna");
    // A title alone is the whole name, not an empty one.
    expect(firstName("Dr.")).toBe("Dr.");
    expect(initials("Élise Dubois")).toBe("ÉD");
    expect(initials("Dr. Amara Okafor")).toBe("AO");
    expect(initials("Madonna")).toBe("M");
  });
});
