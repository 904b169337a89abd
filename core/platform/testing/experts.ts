// A published expert for core tests: the profile fields no test looks at, once; each test names what it does.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { createExpert } from "../../catalog/index.ts";

type ExpertInput = Parameters<typeof createExpert>[1];

/** Creates a published expert `slug` (address and name made from it) with `overrides` over plain defaults. */
export function createTestExpert(db: PrismaClient, slug: string, overrides: Partial<ExpertInput> = {}) {
  return createExpert(db, {
    email: `${slug}@example.com`,
    name: `Expert ${slug}`,
    slug,
    headline: "Listens well and helps",
    bio: "A calm, experienced practitioner who has helped many people.",
    languages: ["English"],
    timezone: "Europe/London",
    categorySlugs: ["calm"],
    published: true,
    ...overrides,
  });
}
