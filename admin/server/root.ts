import { publicProcedure, router } from "./trpc.ts";

export const appRouter = router({
  system: router({
    /** Liveness of the back-office API itself; touches no personal data. */
    ping: publicProcedure.query(() => ({ ok: true as const })),
  }),
});

export type AppRouter = typeof appRouter;
