// Production's process settings (scripts/production-runtime.mjs) are the same wherever the server is started for
// real: the Docker image, `npm start`, `npm run serve`. The bench and the production tests import them.
import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { PRODUCTION_ENV, PRODUCTION_NODE_FLAGS } from "../scripts/production-runtime.mjs";

const pkg = JSON.parse(fs.readFileSync("package.json", "utf8")) as { scripts: Record<string, string> };
const dockerfile = fs.readFileSync("Dockerfile", "utf8");
const runtimeStage = dockerfile.slice(dockerfile.lastIndexOf("\nFROM "));

describe("production process settings", () => {
  it("cap the old generation and the malloc arenas", () => {
    expect(PRODUCTION_NODE_FLAGS.some((f) => /^--max-old-space-size=\d+$/.test(f))).toBe(true);
    expect(PRODUCTION_NODE_FLAGS.some((f) => /^--max-semi-space-size=\d+$/.test(f))).toBe(true);
    expect(Number(PRODUCTION_ENV.MALLOC_ARENA_MAX)).toBeGreaterThan(0);
  });

  it.each(["start", "serve"])(
    "`npm %s` runs node with the flags (and no shell syntax, so it runs anywhere)",
    (name) => {
      const script = pkg.scripts[name] ?? "";
      const args = script.split(/\s+/);
      expect(args[0]).toBe("node");
      expect(args.slice(1, 1 + PRODUCTION_NODE_FLAGS.length)).toEqual(PRODUCTION_NODE_FLAGS);
    },
  );

  it("the Docker image runs node with them", () => {
    for (const [key, value] of Object.entries(PRODUCTION_ENV))
      expect(runtimeStage).toMatch(new RegExp(`^ENV ${key}=${value}$`, "m"));
    const cmd = /^CMD (\[.*\])$/m.exec(runtimeStage)?.[1];
    expect(JSON.parse(cmd ?? "[]")).toEqual(["node", ...PRODUCTION_NODE_FLAGS, "build/node/server/index.js"]);
  });
});
