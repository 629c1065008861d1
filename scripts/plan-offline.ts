/**
 * npm run plan:offline [-- --config FILE] [--keep]
 *
 * Synthesizes the pipeline stack into a temporary directory and runs the real `terraform init`,
 * `validate` and `plan` on a copy of it with the offline aws provider (see scripts/lib/offline-plan.ts).
 * Succeeds when the plan creates exactly the synthesized resources; otherwise exits 1 with the
 * reason (2 for bad flags or config, by lib/cli-run.ts).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { booleanFlag, parseFlags, stringFlag } from "../lib/cli-args";
import { EXIT, runCli } from "../lib/cli-run";
import { DEFAULT_CONFIG_FILE, loadConfig } from "../lib/config";
import { synthesizePipeline } from "../constructs/pipeline-stack";
import { DEFAULT_PLUGIN_MIRROR, OfflinePlanError, planStackOffline } from "./lib/offline-plan";
import { managedResourceCount } from "../lib/stack-summary";

const USAGE = `usage: npm run plan:offline -- [--config FILE] [--keep]
  --config FILE  the pipeline config (default: $PIPELINE_CONFIG or ${DEFAULT_CONFIG_FILE})
  --keep         keep the working copy terraform ran in, and print its path
  --help         this text
Runs terraform init, validate and plan on the synthesized stack with the offline aws provider
(TF_PLUGIN_MIRROR, default ${DEFAULT_PLUGIN_MIRROR}; TERRAFORM_BINARY_NAME, default terraform).
exit: 0 the plan creates exactly the synthesized resources, 1 it does not or terraform failed, 2 bad flags or config`;

const FLAGS = { config: stringFlag(), keep: booleanFlag(), help: booleanFlag({ short: "h" }) };

function main(): number {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const keep = flags.keep ?? false;
  const configPath = flags.config ?? process.env.PIPELINE_CONFIG ?? DEFAULT_CONFIG_FILE;
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
      keepWorkDir: keep,
    });
    process.stdout.write(`${plan.summary} (${((Date.now() - started) / 1000).toFixed(1)} s)${keep ? `\nworking copy kept in ${plan.workDir}` : ""}\n`);
    if (plan.add !== resources || plan.change !== 0 || plan.destroy !== 0) {
      throw new OfflinePlanError(`expected "Plan: ${resources} to add, 0 to change, 0 to destroy." for a fresh stack, got "${plan.summary}"`);
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return EXIT.ok;
}

await runCli("plan:offline", main);
