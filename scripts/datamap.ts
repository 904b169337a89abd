// `npm run datamap`: regenerate the files the data map drives (core/privacy/datamap-render.ts).
// `npm run datamap -- --check`: change nothing; exit 1 when an annotation is missing or a generated file drifted.
import fs from "node:fs/promises";
import path from "node:path";
import { driftedFiles, renderDataMap, ROOT, SCHEMA_PATH } from "../core/privacy/datamap-render.ts";

const check = process.argv.includes("--check");
const rendered = await renderDataMap(await fs.readFile(path.join(ROOT, SCHEMA_PATH), "utf8"));
if (rendered.problems.length > 0) {
  console.error(`The data map has ${rendered.problems.length} problem(s) in ${SCHEMA_PATH}:`);
  for (const p of rendered.problems) console.error(`  - ${p}`);
  process.exit(1);
}
if (check) {
  const drifted = await driftedFiles(rendered);
  if (drifted.length > 0) {
    console.error(`Generated from the data map but changed since: ${drifted.join(", ")}. Run \`npm run datamap\`.`);
    process.exit(1);
  }
  console.log("data map: annotations complete, generated files current");
} else {
  for (const [rel, content] of Object.entries(rendered.files)) await fs.writeFile(path.join(ROOT, rel), content);
  console.log(`data map: wrote ${Object.keys(rendered.files).join(", ")}`);
}
