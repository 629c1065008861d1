/**
 * One cold synthesis, in its own process: loads the stack's modules from `<tree>/constructs` and
 * `<tree>/lib`, synthesizes pipeline.example.yaml into a temporary directory and prints one JSON
 * line with the resource count and this process's peak RSS.
 *
 *   node --import <tsx loader> bench/synth/child.ts <tree>
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const tree = process.argv[2];
const repo = new URL("../..", import.meta.url).pathname;
const load = (path: string) => import(pathToFileURL(join(tree, path)).href);

const { App } = await load("lib/cdktf.ts");
const { loadConfig } = await load("lib/config.ts");
const { STACK_ID } = await load("lib/outputs.ts");
const { PipelineStack } = await load("constructs/pipeline-stack.ts");

const outdir = mkdtempSync(join(tmpdir(), "bench-synth-"));
try {
  const app = new App({ outdir });
  new PipelineStack(app, STACK_ID, loadConfig(join(repo, "pipeline.example.yaml")));
  app.synth();
  const stack = JSON.parse(readFileSync(join(outdir, "stacks", STACK_ID, "cdk.tf.json"), "utf8")) as { resource: Record<string, object> };
  const resources = Object.values(stack.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
  // maxRSS is in kilobytes
  process.stdout.write(`${JSON.stringify({ resources, peakRssMiB: process.resourceUsage().maxRSS / 1024 })}\n`);
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
