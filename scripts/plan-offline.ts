/**
 * npm run plan:offline [-- --config FILE] [--keep]
 *
 * Synthesizes the pipeline stack into a temporary directory and runs the real `terraform init`,
 * `validate` and `plan` on a copy of it with the offline aws provider (see scripts/lib/offline-plan.ts).
 * Succeeds when the plan creates exactly the synthesized resources; otherwise exits 1 with the reason.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from "../lib/config";
import { synthesizePipeline } from "../constructs/pipeline-stack";
import { isPolicyViolation } from "../constructs/policies";
import { DEFAULT_PLUGIN_MIRROR, OfflinePlanError, planStackOffline } from "./lib/offline-plan";
import { managedResourceCount } from "../lib/stack-summary";

function main(): void {
  const { values } = parseArgs({ options: { config: { type: "string" }, keep: { type: "boolean", default: false } }, strict: true });
  const configPath = values.config ?? process.env.PIPELINE_CONFIG ?? DEFAULT_CONFIG_FILE;
  const config = loadConfig(configPath);

  const outdir = mkdtempSync(join(tmpdir(), "pipeline-synth-"));
  try {
    const { stackDir, terraform } = synthesizePipeline(config, outdir);
    const resources = managedResourceCount(terraform);
    process.stdout.write(`synthesized ${resources} resources from ${configPath}; terraform init, validate, plan (offline)...\n`);
    const started = Date.now();
    const plan = planStackOffline(stackDir, {
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      terraform: process.env.TERRAFORM_BINARY_NAME ?? "terraform",
      pluginMirror: process.env.TF_PLUGIN_MIRROR ?? DEFAULT_PLUGIN_MIRROR,
      keepWorkDir: values.keep,
    });
    process.stdout.write(`${plan.summary} (${((Date.now() - started) / 1000).toFixed(1)} s)${values.keep ? `\nworking copy kept in ${plan.workDir}` : ""}\n`);
    if (plan.add !== resources || plan.change !== 0 || plan.destroy !== 0) {
      throw new OfflinePlanError(`expected "Plan: ${resources} to add, 0 to change, 0 to destroy." for a fresh stack, got "${plan.summary}"`);
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (err) {
  if (err instanceof ConfigError || err instanceof OfflinePlanError || isPolicyViolation(err)) {
    process.stderr.write(`plan:offline: ${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
