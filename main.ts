/**
 * The cdktf app: reads the pipeline config and synthesizes the one stack.
 *
 *   npx tsx main.ts [--config FILE] [--summary]     (also what `npx cdktf synth|deploy` runs)
 *
 * The config file is `--config`, else $PIPELINE_CONFIG, else pipeline.yaml. `--summary` prints the
 * resources by type, the outputs, the named resources, an estimated monthly cost and where the
 * synthesized JSON is. A config that still holds pipeline.example.yaml's placeholders gets one
 * warning line each on stderr. Bad input exits 1 with the problems, no stack trace.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from "./lib/config";
import { OutputsError } from "./lib/contract";
import { synthesizePipeline } from "./constructs/pipeline-stack";
import { isPolicyViolation } from "./constructs/policies";
import { placeholderWarnings } from "./lib/placeholders";
import { summarizeCost, summarizeNames, summarizeStack } from "./lib/stack-summary";

const USAGE = "usage: tsx main.ts [--config FILE] [--summary]";

function main(): void {
  const { values } = parseArgs({
    options: { config: { type: "string" }, summary: { type: "boolean", default: false }, help: { type: "boolean", short: "h", default: false } },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n  --config FILE  the pipeline config (default: $PIPELINE_CONFIG or pipeline.yaml)\n  --summary      print the resources, outputs and output path after synth\n`);
    return;
  }
  const configPath = values.config ?? process.env.PIPELINE_CONFIG ?? DEFAULT_CONFIG_FILE;
  const config = loadConfig(configPath);
  for (const warning of placeholderWarnings(config, exampleKeys())) process.stderr.write(`warning: ${configPath}: ${warning}\n`);
  const { stack, stackDir, terraform } = synthesizePipeline(config);
  if (values.summary) {
    const stackFile = join(stackDir, "cdk.tf.json");
    process.stdout.write(`${summarizeStack(terraform)}\n${summarizeNames(terraform)}\n${summarizeCost(terraform)}\nconnector plugin zip: ${stack.connector.pluginZipPresent ? "present" : "MISSING (synth works; plan and deploy need it)"} ${config.connector.pluginZipPath}\nsynthesized: ${relative(process.cwd(), stackFile) || stackFile}\n`);
  }
}

try {
  main();
} catch (err) {
  if (isUsageError(err)) {
    process.stderr.write(`${err.message} (${USAGE})\n`);
    process.exit(1);
  }
  if (err instanceof ConfigError || err instanceof OutputsError || isPolicyViolation(err)) {
    process.stderr.write(`${(err as Error).message}\n`);
    process.exit(1);
  }
  throw err;
}

/** The public keys under the repository's example-keys/, which a real config must not use. */
function exampleKeys(): string[] {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "example-keys");
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((name) => name.endsWith(".pub"))
    .map((name) => readFileSync(join(dir, name), "utf8"));
}

/** parseArgs' unknown-option and missing-value errors. */
function isUsageError(err: unknown): err is Error {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  return err instanceof Error && typeof code === "string" && code.startsWith("ERR_PARSE_ARGS");
}
