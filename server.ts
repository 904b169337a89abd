// The process entry point. Production runs it compiled (scripts/build.mjs → build/node/server/index.js) with plain
// node: `npm start` and the Docker image; `npm run dev` runs it with tsx.
import { seedDemoDatabase } from "./prisma/seed.ts";
import { startServer } from "./server/main.ts";

// The demo data and its story fill an empty database when SEED_DEMO_DATA is auto (the default); boot() itself
// holds no data.
startServer({ seed: seedDemoDatabase }).catch((error: unknown) => {
  console.error("Mind Namo failed to start:", error);
  process.exit(1);
});
