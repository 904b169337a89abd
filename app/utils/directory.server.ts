import { z } from "zod";

/**
 * The directory's query string, each value bounded; a bad value falls back to "no filter". Kept on the server:
 * a schema built at the top of a route module stays in that route's browser bundle, and zod with it (~90 KB gzip).
 */
export const directoryQuery = z.object({
  q: z.string().trim().max(100).catch(""),
  category: z
    .string()
    .regex(/^[a-z0-9-]{1,60}$/)
    .optional()
    .catch(undefined),
  language: z.string().trim().min(2).max(40).optional().catch(undefined),
  available: z.enum(["week"]).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(1000).catch(1),
});
