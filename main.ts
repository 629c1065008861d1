/**
 * The cdktf app: reads the pipeline config and synthesizes the one stack.
 *
 *   npx tsx main.ts [--config FILE] [--summary]     (also what `npx cdktf synth|deploy` runs)
 *
 * The config file is `--config`, else $PIPELINE_CONFIG, else pipeline.yaml. `--summary` prints the
 * resources by type, the outputs and where the synthesized JSON is. Exit codes and error lines
 * follow lib/cli-run.ts: bad flags or config exit 2, a policy finding exits 1, never a stack trace.
 */
import { join, relative } from "node:path";
import { booleanFlag, parseFlags, stringFlag } from "./lib/cli-args";
import { EXIT, runCli } from "./lib/cli-run";
import { DEFAULT_CONFIG_FILE, loadConfig } from "./lib/config";
import { synthesizePipeline } from "./constructs/pipeline-stack";
import { summarizeStack } from "./lib/stack-summary";

const USAGE = `usage: npm run synth -- [--config FILE] [--summary]   (npx cdktf synth|deploy run it without flags)
  --config FILE  the pipeline config (default: $PIPELINE_CONFIG or ${DEFAULT_CONFIG_FILE})
  --summary      print the resources, outputs and output path after synth
  --help         this text
exit: 0 synthesized, 1 a policy finding stopped synth, 2 bad flags or config`;

const FLAGS = { config: stringFlag(), summary: booleanFlag(), help: booleanFlag({ short: "h" }) };

function main(): number {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const config = loadConfig(flags.config ?? process.env.PIPELINE_CONFIG ?? DEFAULT_CONFIG_FILE);
  const { stack, stackDir, terraform } = synthesizePipeline(config);
  if (flags.summary) {
    const stackFile = join(stackDir, "cdk.tf.json");
    process.stdout.write(`${summarizeStack(terraform)}\nconnector plugin zip: ${stack.connector.pluginZipPresent ? "present" : "MISSING (synth works; plan and deploy need it)"} ${config.connector.pluginZipPath}\nsynthesized: ${relative(process.cwd(), stackFile) || stackFile}\n`);
  }
  return EXIT.ok;
}

await runCli("synth", main);
