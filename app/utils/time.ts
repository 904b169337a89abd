// The time formatting module for the site, server and browser alike. core/time/format.ts is pure Intl (no
// Prisma, no node:*), the one piece of core that may be bundled for the browser; everything else goes through
// app/core.server.ts.
export * from "@core/time/format.ts";
