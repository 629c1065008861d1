/**
 * One cold synthesis, in its own process: loads the stack's modules from `<tree>/constructs` and
 * `<tree>/lib`, synthesizes pipeline.example.yaml into a temporary directory and prints one JSON
 * line with the resource count and this process's peak RSS.
 *
 *   node --import <tsx loader> bench/synth/child.ts <tree>
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const tree = process.argv[2];
const repo = new URL("../..", import.meta.url).pathname;
const load = (path: string) => import(pathToFileURL(join(tree, path)).href);

const { loadConfig } = await load("lib/config.ts");
const { synthesizePipeline } = await load("constructs/pipeline-stack.ts");

const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
try {
  const { terraform } = synthesizePipeline(loadConfig(join(repo, "pipeline.example.yaml")), outdir);
  const resources = Object.values(terraform.resource as Record<string, object>).reduce((n, byName) => n + Object.keys(byName).length, 0);
  // maxRSS is in kilobytes
  process.stdout.write(`${JSON.stringify({ resources, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
