/**
 * The cdktf app: reads the pipeline config and synthesizes the one stack.
 *
 *   npx tsx main.ts [--config FILE] [--summary]     (also what `npx cdktf synth|deploy` runs)
 *
 * The config file is `--config`, else $PIPELINE_CONFIG, else pipeline.yaml. `--summary` prints the
 * resources by type, the outputs, the named resources, an estimated monthly cost and where the
 * synthesized JSON is. A config that still holds pipeline.example.yaml's placeholders gets one
 * warning line each on stderr. Exit codes and error lines follow lib/cli-run.ts: bad flags or
 * config exit 2, a policy finding exits 1, never a stack trace.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { booleanFlag, parseFlags, stringFlag } from "./lib/cli-args";
import { EXIT, runCli } from "./lib/cli-run";
import { DEFAULT_CONFIG_FILE, loadConfig } from "./lib/config";
import { synthesizePipeline } from "./constructs/pipeline-stack";
import { placeholderWarnings } from "./lib/placeholders";
import { summarizeCost, summarizeNames, summarizeStack } from "./lib/stack-summary";

const USAGE = `usage: npm run synth -- [--config FILE] [--summary]   (npx cdktf synth|deploy run it without flags)
  --config FILE  the pipeline config (default: $PIPELINE_CONFIG or ${DEFAULT_CONFIG_FILE})
  --summary      print the resources, outputs, named resources, estimated cost and output path after synth
  --help         this text
exit: 0 synthesized, 1 a policy finding stopped synth, 2 bad flags or config`;

const FLAGS = { config: stringFlag(), summary: booleanFlag(), help: booleanFlag({ short: "h" }) };

function main(): number {
  const flags = parseFlags(process.argv.slice(2), FLAGS);
  if (flags.help) {
    process.stdout.write(`${USAGE}\n`);
    return EXIT.ok;
  }
  const configPath = flags.config ?? process.env.PIPELINE_CONFIG ?? DEFAULT_CONFIG_FILE;
  const config = loadConfig(configPath);
  for (const warning of placeholderWarnings(config, exampleKeys())) process.stderr.write(`warning: ${configPath}: ${warning}\n`);
  const { stack, stackDir, terraform } = synthesizePipeline(config);
  if (flags.summary) {
    const stackFile = join(stackDir, "cdk.tf.json");
    process.stdout.write(`${summarizeStack(terraform)}\n${summarizeNames(terraform)}\n${summarizeCost(terraform)}\nconnector plugin zip: ${stack.connector.pluginZipPresent ? "present" : "MISSING (synth works; plan and deploy need it)"} ${config.connector.pluginZipPath}\nsynthesized: ${relative(process.cwd(), stackFile) || stackFile}\n`);
  }
  return EXIT.ok;
}

/** The public keys under the repository's example-keys/, which a real config must not use. */
function exampleKeys(): string[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "example-keys");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".pub"))
    .map((name) => readFileSync(join(dir, name), "utf8"));
}

await runCli("synth", main);
