// The one door from routes to core. Remix replaces *.server modules with empty ones in the browser build, so
// nothing behind this file (Prisma, bcrypt, node:*) can reach a client bundle. Routes stay thin:
// guard -> parse -> core -> render.
export { listCategories, listPublishedExperts } from "@core/catalog/index.ts";
export { listOutbox } from "@core/mail/index.ts";
export { appRouter } from "@admin/server/root.ts";
export { createInnerContext } from "@admin/server/trpc.ts";
