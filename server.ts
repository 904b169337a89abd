// The process entry point. Production runs it compiled (scripts/build.mjs → build/node/server/index.js) with plain
// node: `npm start` and the Docker image; `npm run dev` runs it with tsx.
import { startServer } from "./server/main.ts";

startServer().catch((error: unknown) => {
  console.error("Mind Namo failed to start:", error);
  process.exit(1);
});
