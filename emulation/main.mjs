#!/usr/bin/env node
/**
 * `npm run emulate` starts here: it bundles `emulation/entry.ts` (which runs cli.ts) with esbuild and runs the bundle.
 *
 * Why not `node --import tsx emulation/entry.ts`: tsx's loader stays resident for the whole run and
 * costs about 35 MB of the emulator's 150 MB memory budget (bench/emulate). A bundle is plain
 * JavaScript; building it takes a fraction of a second, so it is rebuilt on every start and can
 * never be stale. The file name is the content's hash, written to a temp file and renamed, so
 * concurrent starts never see a half-written bundle.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build } from "esbuild";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const result = await build({
  entryPoints: [join(root, "emulation", "entry.ts")],
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  packages: "external",
  write: false,
  logLevel: "error",
});
const code = result.outputFiles[0].contents;
// under node_modules so the bundle's bare imports (mysql2, yaml, zod) resolve to the project's packages
const cacheDir = join(root, "node_modules", ".cache", "pipeline-emulate");
const bundle = join(cacheDir, `cli-${createHash("sha256").update(code).digest("hex").slice(0, 16)}.mjs`);
if (!existsSync(bundle)) {
  mkdirSync(cacheDir, { recursive: true });
  const temp = `${bundle}.${process.pid}.tmp`;
  writeFileSync(temp, code);
  renameSync(temp, bundle);
}
await import(pathToFileURL(bundle).href);
