// The import rules of docs/architecture.md, checked on every `npm run lint` (and so in CI). Paths are relative to
// the folder the checker runs in: the repository, or a fixture folder laid out the same way
// (tests/boundaries.test.ts proves that a violation fails).
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "domain-imports-no-edge",
      comment:
        "core/ (the domain and its platform adapters) is shared by the site and the back-office: it imports no " +
        "Remix, tRPC, React or React Query, and nothing from app/, admin/ or server/.",
      severity: "error",
      from: { path: "^core/" },
      to: {
        path: [
          "^(app|admin|server)/",
          "(^|/)node_modules/(@remix-run/[^/]+|@trpc/[^/]+|@tanstack/[^/]+|react|react-dom)/",
        ],
      },
    },
    {
      name: "console-never-imports-core",
      comment:
        "admin/ui runs in the browser and talks only tRPC: it imports nothing from core/ (types come from " +
        "admin/shared, or by `import type` from the router).",
      severity: "error",
      from: { path: "^admin/ui/" },
      to: { path: "^core/" },
    },
    {
      name: "console-imports-router-types-only",
      comment: "admin/ui may name the router's type (`import type { AppRouter }`), never load server code.",
      severity: "error",
      from: { path: "^admin/ui/" },
      to: { path: "^admin/server/", dependencyTypesNot: ["type-only"] },
    },
    {
      name: "edges-never-import-prisma",
      comment:
        "Routes and tRPC routers call core functions; the Prisma client and its generated types stay inside core/.",
      severity: "error",
      from: { path: "^(app/routes|admin/server/routers)/" },
      to: { path: ["^core/generated/", "(^|/)node_modules/@prisma/"] },
    },
    {
      name: "edges-never-open-the-database",
      comment:
        "Routes, their helpers and tRPC routers get the database handle from core's one deps builder " +
        "(core/platform/deps.ts) and pass it to core functions; they never import the database module " +
        "(core/platform/db) to reach the Prisma client and query it themselves. ESLint's no-restricted-syntax " +
        "(eslint.config.js) forbids the property access (`.prisma`, `db.<model>.<query>`) this check cannot see.",
      severity: "error",
      from: { path: "^(app/routes|app/utils|admin/server/routers)/" },
      to: { path: "^core/platform/db/" },
    },
    {
      name: "server-holds-no-demo-data",
      comment:
        "The demo seed (prisma/seed.ts, accounts with a published password) is passed into boot() by the entry " +
        "points (server.ts, e2e/server.ts, the tests); the server, the domain and the edges never import it.",
      severity: "error",
      from: { path: "^(server|core|app|admin)/" },
      to: { path: "^prisma/seed\\.ts$" },
    },
    {
      name: "site-reaches-core-through-core-server",
      comment:
        "The site reaches core only through app/core.server.ts (never bundled for the browser); the room's " +
        "browser code shares core/rooms/e2ee.ts (pure WebCrypto) with the tests, and core/time/format.ts (pure Intl) " +
        "so a time reads the same on the server, in the browser and in mail.",
      severity: "error",
      from: { path: "^app/", pathNot: ["^app/core\\.server\\.ts$", "^app/remix-env\\.d\\.ts$"] },
      to: { path: "^core/", pathNot: "^core/(rooms/e2ee|time/format)\\.ts$" },
    },
  ],
  options: {
    // The generated Prisma client is seen as a dependency (the edges rule needs it) but not cruised itself.
    doNotFollow: { path: ["node_modules", "^core/generated/"] },
    exclude: { path: ["^build/", "^public/", "^tests/fixtures/boundaries/"] },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".d.ts"],
    },
  },
};
