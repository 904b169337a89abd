// No dependency runs code when the project is installed (ADR 0021): every installed package that has an install
// script — or a binding.gyp at its root, for which npm runs node-gyp by default — is named in package.json's
// `allowScripts`, denied, and every name there is still installed with such a script (a stale entry would hide
// what a new version of it adds). npm 11.16 and later read the field; npm 12 blocks unlisted scripts by default.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(import.meta.dirname, "..");
const INSTALL_HOOKS = ["preinstall", "install", "postinstall"] as const;

interface Manifest {
  name?: string;
  version?: string;
  scripts?: Record<string, string>;
  allowScripts?: Record<string, boolean>;
}

/** Every package directory under node_modules, nested ones included (scoped names too). */
function packageDirs(dir: string, found: string[] = []): string[] {
  const modules = path.join(dir, "node_modules");
  if (!fs.existsSync(modules)) return found;
  for (const entry of fs.readdirSync(modules, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    const full = path.join(modules, entry.name);
    const dirs = entry.name.startsWith("@")
      ? fs
          .readdirSync(full, { withFileTypes: true })
          .filter((e) => e.isDirectory())
          .map((e) => path.join(full, e.name))
      : [full];
    for (const d of dirs) {
      if (fs.existsSync(path.join(d, "package.json"))) found.push(d);
      packageDirs(d, found);
    }
  }
  return found;
}

/** Installed packages npm would run code for at install time, by name, with the hooks it would run. */
function packagesWithInstallCode(): Map<string, Set<string>> {
  const result = new Map<string, Set<string>>();
  for (const dir of packageDirs(root)) {
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")) as Manifest;
    if (!manifest.name) continue;
    const hooks = INSTALL_HOOKS.filter((hook) => manifest.scripts?.[hook]);
    if (hooks.length === 0 && fs.existsSync(path.join(dir, "binding.gyp"))) hooks.push("install");
    if (hooks.length === 0) continue;
    const seen = result.get(manifest.name) ?? new Set<string>();
    for (const hook of hooks) seen.add(hook);
    result.set(manifest.name, seen);
  }
  return result;
}

describe("install scripts of dependencies", () => {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as Manifest;
  const allowed = manifest.allowScripts ?? {};
  // Walked once for the file: node_modules does not change while it runs.
  const withCode = packagesWithInstallCode();

  it("are all named in allowScripts, and all denied", () => {
    // The walk must find what we know is there, or it proves nothing.
    expect(withCode.get("bcrypt")).toBeDefined();
    const unlisted = [...withCode.keys()].filter((name) => !(name in allowed));
    expect(unlisted, "packages whose install code nobody decided on").toEqual([]);
    const permitted = Object.entries(allowed).filter(([, allow]) => allow !== false);
    expect(permitted, "install scripts allowed to run").toEqual([]);
  });

  it("name no package that no longer has install code", () => {
    const stale = Object.keys(allowed).filter((name) => !withCode.has(name));
    expect(stale).toEqual([]);
  });

  it("stay off in the image build too, whose own postinstall runs once the sources are in", () => {
    // Each stage of the Dockerfile, by its FROM line.
    const stages = fs
      .readFileSync(path.join(root, "Dockerfile"), "utf8")
      .split(/^(?=FROM )/m)
      .filter((s) => s.startsWith("FROM "));
    const installs = stages.flatMap((stage) => stage.match(/^RUN .*npm ci.*$/gm) ?? []);
    expect(installs.length).toBeGreaterThan(0);
    for (const run of installs) expect(run).toContain("--ignore-scripts");
    // Where our postinstall runs, every source has been copied first: it needs scripts/, patches/ and prisma/.
    const build = stages.find((stage) => /npm run postinstall/.test(stage));
    expect(build).toBeDefined();
    const body = build!;
    expect(body.indexOf("COPY . .")).toBeGreaterThan(-1);
    expect(body.indexOf("COPY . .")).toBeLessThan(body.indexOf("npm run postinstall"));
    expect(body.indexOf("npm run postinstall")).toBeLessThan(body.indexOf("npm run build"));
  });
});
