import { auditRouter, categoriesRouter, expertsRouter, staffRouter } from "./routers/admin.ts";
import { meRouter, mfaRouter } from "./routers/me.ts";
import { consoleRouter, dashboardRouter } from "./routers/console.ts";
import { ticketsRouter } from "./routers/tickets.ts";
import { analyticsRouter, reviewsRouter } from "./routers/feedback.ts";
import { newsletterRouter } from "./routers/newsletter.ts";
import { incidentsRouter } from "./routers/incidents.ts";
import { privacyRouter } from "./routers/privacy.ts";
import { errorsRouter, securityRouter } from "./routers/security.ts";
import { publicProcedure, router } from "./trpc.ts";
import { z } from "zod";

export const appRouter = router({
  system: router({
    /** Liveness of the back-office API itself; touches no personal data. */
    ping: publicProcedure.input(z.void()).query(() => ({ ok: true as const })),
  }),
  me: meRouter,
  console: consoleRouter,
  dashboard: dashboardRouter,
  mfa: mfaRouter,
  tickets: ticketsRouter,
  audit: auditRouter,
  staff: staffRouter,
  categories: categoriesRouter,
  experts: expertsRouter,
  newsletter: newsletterRouter,
  privacy: privacyRouter,
  incidents: incidentsRouter,
  errors: errorsRouter,
  security: securityRouter,
  reviews: reviewsRouter,
  analytics: analyticsRouter,
});

export type AppRouter = typeof appRouter;
