// Demo data for an empty database, created through core's own functions (the same rules as the product).
// `npm start` runs it when the database has no users; `npm run db:seed` runs it on demand.
import type { PrismaClient } from "../core/generated/prisma/client.ts";
import { createCategory, createExpert } from "../core/catalog/index.ts";
import { createUser } from "../core/identity/users.ts";
import { PRIVACY_POLICY_VERSION } from "../core/privacy/policy.ts";
import { seedDemoStory } from "./demo-story.ts";

/** Printed at start so a person trying the product can sign in. Never used outside demo data. */
export const DEMO_PASSWORD = "calm-harbour-morning-42";

export const demoLogins = [
  { role: "USER", email: "demo@mindnamo.test", name: "Dana Demo" },
  { role: "SUPPORT", email: "support@mindnamo.test", name: "Sam Support" },
  { role: "DPO", email: "dpo@mindnamo.test", name: "Priya Protection" },
  { role: "ADMIN", email: "admin@mindnamo.test", name: "Alex Admin" },
] as const;

const categories = [
  ["anxiety", "Anxiety & Stress", "Calm racing thoughts, understand your triggers and build steadier days."],
  ["depression", "Low Mood & Depression", "Gentle, structured support when motivation and joy feel far away."],
  ["relationships", "Relationships", "Communication, conflict, attachment and the people who matter to you."],
  ["sleep", "Sleep", "Practical help for insomnia, restless nights and tired mornings."],
  ["mindfulness", "Mindfulness & Meditation", "Learn to notice, breathe and stay with the present moment."],
  ["grief", "Grief & Loss", "Space to mourn, remember and slowly find your footing again."],
  ["work-life", "Work & Burnout", "Boundaries, career stress and recovering from exhaustion."],
  ["self-esteem", "Self-Esteem & Confidence", "Quiet the inner critic and grow a kinder view of yourself."],
  ["parenting", "Parenting & Family", "Support for parents, caregivers and family transitions."],
  ["trauma", "Trauma Recovery", "Trauma-informed care at a pace that feels safe for you."],
] as const;

// Weekly availability helpers, in the expert's own time zone (minutes from local midnight).
const hours = (from: number, to: number) => ({ startMinute: from * 60, endMinute: to * 60 });
const weekdays = (from: number, to: number, days = [1, 2, 3, 4, 5]) =>
  days.map((weekday) => ({ weekday, ...hours(from, to) }));

const experts = [
  {
    name: "Dr. Amara Okafor",
    slug: "amara-okafor",
    timezone: "Africa/Lagos",
    languages: ["English", "Yoruba"],
    categorySlugs: ["anxiety", "trauma"],
    availability: weekdays(9, 15),
    headline: "Clinical psychologist for anxiety and trauma recovery",
    bio:
      "I have spent twelve years helping people untangle anxiety and the long shadow of difficult " +
      "experiences. Sessions are calm, paced by you, and grounded in CBT and EMDR-informed practice.",
  },
  {
    name: "Lukas Brenner",
    slug: "lukas-brenner",
    timezone: "Europe/Berlin",
    languages: ["German", "English"],
    categorySlugs: ["work-life", "anxiety"],
    availability: weekdays(8, 12).concat(weekdays(17, 20, [2, 4])),
    headline: "Burnout and workplace stress counsellor",
    bio:
      "Former engineering manager turned counsellor. I help people in demanding jobs rebuild boundaries, " +
      "rest without guilt and rediscover what they want from work.",
  },
  {
    name: "Sofía Martínez",
    slug: "sofia-martinez",
    timezone: "America/Mexico_City",
    languages: ["Spanish", "English"],
    categorySlugs: ["relationships", "parenting"],
    availability: weekdays(10, 18, [1, 3, 5]),
    headline: "Couples and family therapist",
    bio:
      "I work with couples and families through conflict, change and reconnection. My approach is " +
      "warm, practical and rooted in emotionally focused therapy.",
  },
  {
    name: "Hiroshi Tanaka",
    slug: "hiroshi-tanaka",
    timezone: "Asia/Tokyo",
    languages: ["Japanese", "English"],
    categorySlugs: ["mindfulness", "sleep"],
    availability: weekdays(7, 11).concat([{ weekday: 6, ...hours(9, 12) }]),
    headline: "Mindfulness teacher and sleep coach",
    bio:
      "Twenty years of meditation practice and a background in sleep science. Together we build small, " +
      "sustainable habits that help your mind settle at night.",
  },
  {
    name: "Priyanka Sharma",
    slug: "priyanka-sharma",
    timezone: "Asia/Kolkata",
    languages: ["Hindi", "English", "Marathi"],
    categorySlugs: ["depression", "self-esteem"],
    availability: weekdays(11, 19),
    headline: "Counselling psychologist for low mood and self-worth",
    bio:
      "I offer a compassionate, non-judgemental space to explore low mood and self-criticism, drawing " +
      "on acceptance and commitment therapy and compassion-focused work.",
  },
  {
    name: "Noah Williams",
    slug: "noah-williams",
    timezone: "America/New_York",
    languages: ["English"],
    categorySlugs: ["grief", "depression"],
    availability: weekdays(9, 17, [1, 2, 3, 4]),
    headline: "Grief counsellor and hospice volunteer",
    bio: "Loss changes us. I walk alongside people through bereavement, anticipatory grief and the quieter losses that rarely get named.",
  },
  {
    name: "Élise Dubois",
    slug: "elise-dubois",
    timezone: "Europe/Paris",
    languages: ["French", "English"],
    categorySlugs: ["anxiety", "mindfulness"],
    availability: weekdays(9, 13).concat(weekdays(14, 17, [2, 4])),
    headline: "Psychotherapist for anxiety, panic and perfectionism",
    bio:
      "I help people who feel they must hold everything together. We work on panic, worry and perfectionism " +
      "with curiosity rather than pressure.",
  },
  {
    name: "Kwame Mensah",
    slug: "kwame-mensah",
    timezone: "Africa/Accra",
    languages: ["English", "Twi"],
    categorySlugs: ["work-life", "self-esteem"],
    availability: weekdays(8, 16),
    headline: "Coach for confidence and career transitions",
    bio:
      "Whether you are stepping into leadership or leaving a job that wore you down, I help you find " +
      "your voice and trust your own judgement again.",
  },
  {
    name: "Mei Lin Chen",
    slug: "mei-lin-chen",
    timezone: "Asia/Singapore",
    languages: ["Mandarin", "English", "Cantonese"],
    categorySlugs: ["parenting", "relationships", "sleep"],
    availability: weekdays(9, 17, [1, 2, 4, 5]),
    headline: "Family counsellor for new parents",
    bio:
      "Becoming a parent is beautiful and exhausting. I support new parents with sleep deprivation, " +
      "shifting relationships and the pressure to get everything right.",
  },
  {
    name: "Oliver Hughes",
    slug: "oliver-hughes",
    timezone: "Europe/London",
    languages: ["English", "Welsh"],
    categorySlugs: ["trauma", "grief", "anxiety"],
    availability: weekdays(10, 18, [1, 3, 4]),
    headline: "Trauma-informed therapist",
    bio:
      "I specialise in helping adults recover from trauma and complex grief, using a phased, body-aware " +
      "approach that always puts your sense of safety first.",
  },
  {
    name: "Ana Souza",
    slug: "ana-souza",
    timezone: "America/Sao_Paulo",
    languages: ["Portuguese", "Spanish", "English"],
    categorySlugs: ["depression", "mindfulness", "self-esteem"],
    availability: weekdays(13, 21),
    headline: "Psychologist blending CBT and mindfulness",
    bio:
      "I combine cognitive behavioural therapy with mindfulness practice to help you notice unhelpful " +
      "patterns and respond to yourself with more kindness.",
  },
  {
    name: "Jonas Lindqvist",
    slug: "jonas-lindqvist",
    timezone: "Europe/Stockholm",
    languages: ["Swedish", "English"],
    categorySlugs: ["sleep", "work-life"],
    availability: weekdays(7, 12),
    headline: "Sleep therapist (CBT-I)",
    bio:
      "Insomnia is treatable. I use cognitive behavioural therapy for insomnia to help you sleep " +
      "better without relying on medication, step by careful step.",
  },
];

export async function isEmpty(db: PrismaClient): Promise<boolean> {
  // The reserved placeholder accounts (created by a migration, under the .invalid domain) do not count.
  const [users, cats] = await Promise.all([
    db.user.count({ where: { NOT: { email: { endsWith: ".invalid" } } } }),
    db.category.count(),
  ]);
  return users === 0 && cats === 0;
}

export async function seedDemoData(db: PrismaClient, log: (msg: string) => void = console.log): Promise<void> {
  for (const [i, [slug, name, description]] of categories.entries()) {
    await createCategory(db, { slug, name, description, sortOrder: i });
  }
  for (const login of demoLogins) {
    await createUser(db, { ...login, password: DEMO_PASSWORD, emailVerified: true });
  }
  for (const [i, expert] of experts.entries()) {
    await createExpert(db, {
      ...expert,
      email: `${expert.slug}@experts.mindnamo.test`,
      password: i === 0 ? DEMO_PASSWORD : undefined,
      published: true,
    });
  }
  // The demo accounts join under the policy in force: the start has no change of it to announce to them.
  await db.policyNotice.upsert({
    where: { version: PRIVACY_POLICY_VERSION },
    create: { version: PRIVACY_POLICY_VERSION, fannedOutAt: new Date(), recipientCount: 0 },
    update: {},
  });
  log(`Seeded demo data: ${categories.length} categories, ${experts.length} experts, ${demoLogins.length} accounts.`);
}

/**
 * The seed the entry points pass to boot(): the demo data and its logins, only into an empty database (a database
 * with anything in it is never touched).
 */
export async function seedEmptyDatabase(db: PrismaClient, log: (msg: string) => void = console.log): Promise<void> {
  if (!(await isEmpty(db))) return;
  await seedDemoData(db, log);
  printDemoLogins((msg) => console.log(msg));
}

/**
 * What the product's own start passes to boot() (server.ts): the demo data and, on top, its story (past and
 * upcoming sessions, a review, a support queue, a privacy request: prisma/demo-story.ts), so a person trying the
 * product finds it in use. Tests and browser journeys seed the bare demo data and their own worlds instead.
 */
export async function seedDemoDatabase(db: PrismaClient, log: (msg: string) => void = console.log): Promise<void> {
  if (!(await isEmpty(db))) return;
  await seedDemoData(db, log);
  await seedDemoStory(db);
  log("Seeded the demo story: Dana Demo's sessions and review, a support queue, a privacy request.");
  printDemoLogins((msg) => console.log(msg));
}

export function printDemoLogins(log: (msg: string) => void = console.log): void {
  log("Demo logins (password for all: " + DEMO_PASSWORD + "):");
  for (const l of demoLogins) log(`  ${l.role.padEnd(8)} ${l.email}`);
  log(`  EXPERT   ${experts[0]!.slug}@experts.mindnamo.test`);
}
