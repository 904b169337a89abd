// The process entry point: `npm start` (after `remix build`) and the Docker image run this file with tsx.
import { startServer } from "./server/main.ts";

startServer().catch((error: unknown) => {
  console.error("Mind Namo failed to start:", error);
  process.exit(1);
});
