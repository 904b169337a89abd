// Surveys (privacy promise P4): a short optional survey after a session (offered with the review) and a general
// improvement survey. Every answer is optional. A response is stored with NO link to a person or a booking (no user
// id, no booking id, a random v4 id, the day only), so nobody — admins included — can tie answers to a name; the
// back-office sees aggregates per question and free text without names.
import { z } from "zod";
import type { PrismaClient } from "../generated/prisma/client.ts";
import type { SurveyKind } from "../generated/prisma/enums.ts";
import { DomainError } from "../errors/index.ts";

export interface SurveyQuestion {
  id: string;
  type: "scale" | "text";
  label: string;
  /** For scales: what 1 and 5 mean. */
  low?: string;
  high?: string;
}

export const SURVEYS: Record<SurveyKind, { title: string; questions: SurveyQuestion[] }> = {
  POST_SESSION: {
    title: "A few questions about this session",
    questions: [
      {
        id: "booking_ease",
        type: "scale",
        label: "How easy was it to book and join this session?",
        low: "Very hard",
        high: "Very easy",
      },
      { id: "helped", type: "scale", label: "How much did this session help you?", low: "Not at all", high: "A lot" },
      { id: "improve", type: "text", label: "What one thing would have made it better?" },
    ],
  },
  GENERAL: {
    title: "Help us improve Mind Namo",
    questions: [
      {
        id: "satisfaction",
        type: "scale",
        label: "Overall, how satisfied are you with Mind Namo?",
        low: "Not satisfied",
        high: "Very satisfied",
      },
      {
        id: "find_expert",
        type: "scale",
        label: "How easy is it to find the right expert?",
        low: "Very hard",
        high: "Very easy",
      },
      { id: "improve", type: "text", label: "What should we improve or add?" },
    ],
  },
};

const scale = z.coerce.number().int().min(1).max(5);
const text = z.string().trim().max(2000, "Keep each answer under 2,000 characters.");

/** Keeps the answered questions only; an unknown question is ignored, an out-of-range value refused. */
export function parseAnswers(kind: SurveyKind, raw: Record<string, unknown>): Record<string, number | string> {
  const out: Record<string, number | string> = {};
  for (const q of SURVEYS[kind].questions) {
    const value = raw[q.id];
    if (value === undefined || value === null || value === "") continue;
    const r = (q.type === "scale" ? scale : text).safeParse(value);
    if (!r.success)
      throw new DomainError(
        "VALIDATION",
        q.type === "scale" ? "Choose a value from 1 to 5." : (r.error.issues[0]?.message ?? "Check this answer."),
        { field: q.id },
      );
    if (r.data === "") continue;
    out[q.id] = r.data;
  }
  return out;
}

const dayOf = (d: Date) => new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));

/** Stores an answered survey without any link to its author; nothing is stored when nothing was answered. */
export async function submitSurvey(
  db: PrismaClient,
  kind: SurveyKind,
  raw: Record<string, unknown>,
  now = new Date(),
): Promise<{ stored: boolean }> {
  const answers = parseAnswers(kind, raw);
  if (Object.keys(answers).length === 0) return { stored: false };
  await db.surveyResponse.create({ data: { kind, day: dayOf(now), answers }, select: { id: true } });
  return { stored: true };
}

export const surveyReportSchema = z.object({
  days: z.number().int().min(1).max(3650).default(90),
  /** How many free-text answers per question (newest days first). */
  texts: z.number().int().min(0).max(200).default(50),
});

/**
 * Aggregates per survey and question: number of responses, and for scales the count, average and distribution; for
 * free text the count and the answers themselves, without names (there are none to show) and without dates.
 */
export async function surveyReport(db: PrismaClient, q: z.input<typeof surveyReportSchema> = {}, now = new Date()) {
  const { days, texts } = surveyReportSchema.parse(q);
  const since = dayOf(new Date(now.getTime() - days * 86_400_000));
  const rows = await db.surveyResponse.findMany({
    where: { day: { gte: since } },
    orderBy: { day: "desc" },
    take: 20_000,
    select: { kind: true, answers: true },
  });
  return (Object.keys(SURVEYS) as SurveyKind[]).map((kind) => {
    const mine = rows.filter((r) => r.kind === kind).map((r) => r.answers as Record<string, unknown>);
    return {
      kind,
      title: SURVEYS[kind].title,
      responses: mine.length,
      questions: SURVEYS[kind].questions.map((question) => {
        if (question.type === "scale") {
          const values = mine.map((a) => a[question.id]).filter((v): v is number => typeof v === "number");
          const distribution = [1, 2, 3, 4, 5].map((n) => values.filter((v) => v === n).length);
          return {
            id: question.id,
            label: question.label,
            type: question.type,
            count: values.length,
            average: values.length ? Math.round((values.reduce((s, v) => s + v, 0) / values.length) * 100) / 100 : null,
            distribution,
            texts: [] as string[],
          };
        }
        const answers = mine.map((a) => a[question.id]).filter((v): v is string => typeof v === "string");
        return {
          id: question.id,
          label: question.label,
          type: question.type,
          count: answers.length,
          average: null,
          distribution: [] as number[],
          texts: answers.slice(0, texts),
        };
      }),
    };
  });
}
