/**
 * `npm run doctor`: the preflight. Reads argv, the environment and the files; every check itself
 * is a pure function over what is read here, or takes its AWS client.
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { UsageError, booleanFlag, parseFlags, stringFlag } from "../lib/cli-args";
import { exitCodeOf } from "../lib/cli-run";
import { ConfigError, DEFAULT_CONFIG_FILE, type PipelineConfig, bucketName, loadConfig } from "../lib/config";
import { OutputsError, loadStackOutputs } from "../lib/contract";
import { s3SinkPluginUrl } from "../constructs/s3-sink-connector";
import { DEFAULT_PLUGIN_MIRROR } from "../scripts/lib/offline-plan";
import { type CheckInfo, type CheckResult, fail, ok } from "./check";
import { AWS_CREDENTIALS, type CredentialProvider, resolveCredentials } from "./aws/credentials";
import type { DeployedStack } from "./aws/existing-resources";
import { type AwsClients, createAwsClients, runAwsChecks } from "./aws/run";
import { checkNodeVersion } from "./local/node-version";
import { type ExampleKey, checkSshCidrPlaceholders, checkSshKeyPlaceholder, checkUserIdPlaceholder } from "./local/placeholders";
import { checkPluginZip } from "./local/plugin-zip";
import { checkProviderMirror, providerMirrorDir } from "./local/provider-mirror";
import { checkSshIdentity } from "./local/ssh-identity";
import { type TerraformProbe, checkTerraformVersion } from "./local/terraform-version";
import { withFileAccess } from "./local/zip";
import { exitCode, formatLine, jsonReport, summaryLine } from "./report";

export const USAGE = `Usage: npm run doctor -- [options]

Checks, before a 15-40 minute deploy, what otherwise fails during or after it: the toolchain, the
config's placeholders, the plugin zip, the SSH key and, with AWS credentials, the account (zones,
instance types, bucket name, API Gateway logging role, existing roles and connectors, log policy).

Options:
  --config FILE     pipeline config (default: $PIPELINE_CONFIG, else ${DEFAULT_CONFIG_FILE})
  --outputs FILE    stack outputs (cdktf deploy --outputs-file) when the stack is deployed: existing
                    resources it names count as this stack's
  --identity FILE   SSH private key provision will use (default: ~/.ssh/id_ed25519)
  --json            one JSON document instead of lines
  --help            this text

Output: one "ok|warn|fail|skip  <check id>  <finding> -- fix: <what to do>" line per check, then a summary.
Exit: 0 nothing failed; 1 a check failed; 2 bad usage (unknown flag, unreadable --outputs).`;

export interface DoctorEnvironment {
  readonly cwd: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  readonly now: Date;
  readonly stdout: (text: string) => void;
  readonly stderr: (line: string) => void;
  /** The standard chain; tests pass their own. */
  readonly credentials: CredentialProvider;
  /** Builds the AWS clients once credentials resolved; tests pass mocked ones. */
  readonly awsClients?: (region: string, credentials: Awaited<ReturnType<CredentialProvider>>) => AwsClients;
}

const CONFIG: CheckInfo = { id: "config", title: "config file is valid" };
const OUTPUTS: CheckInfo = { id: "outputs", title: "--outputs describe this config's stack" };
/** The repository, for the example config and keys the placeholder checks compare with. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const FLAGS = { config: stringFlag(), outputs: stringFlag(), identity: stringFlag(), json: booleanFlag(), help: booleanFlag({ short: "h" }) };

/** Runs doctor; returns the exit code. Bad usage is one line on stderr, never a stack trace. */
export async function main(args: readonly string[], environment: DoctorEnvironment): Promise<number> {
  try {
    return await doctor(args, environment);
  } catch (err) {
    // one line, no stack trace: 2 for bad usage or input, 1 otherwise (lib/cli-run.ts)
    environment.stderr(`doctor: ${err instanceof Error ? err.message.split("\n")[0] : String(err)}`);
    return exitCodeOf(err);
  }
}

async function doctor(args: readonly string[], environment: DoctorEnvironment): Promise<number> {
  const options = parseFlags(args, FLAGS);
  if (options.help) {
    environment.stdout(`${USAGE}\n`);
    return 0;
  }
  const { cwd, env } = environment;
  const configPath = resolve(cwd, options.config ?? env.PIPELINE_CONFIG ?? DEFAULT_CONFIG_FILE);
  const identityPath = options.identity ? resolve(cwd, options.identity) : join(environment.home, ".ssh", "id_ed25519");
  const outputsPath = options.outputs === undefined ? undefined : resolve(cwd, options.outputs);

  const results: CheckResult[] = [...toolchainChecks(environment)];
  let config: PipelineConfig | undefined;
  try {
    config = loadConfig(configPath);
    results.push(ok(CONFIG, `${relative(cwd, configPath) || configPath} is valid`));
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    results.push(fail(CONFIG, `${err.source}: ${err.problems.join("; ")}`, "correct those settings (pipeline.example.yaml documents each); the checks that need the config did not run"));
  }
  if (config) {
    const deployed = outputsPath === undefined ? undefined : readDeployedStack(outputsPath, config, results);
    results.push(...configChecks(config), pluginZipCheck(config), sshIdentityCheck(config, identityPath, env));
    results.push(...(await awsChecks(config, deployed, environment)));
  }
  if (options.json) {
    environment.stdout(`${jsonReport(results)}\n`);
  } else {
    environment.stdout(`${[...results.map(formatLine), summaryLine(results)].join("\n")}\n`);
  }
  return exitCode(results);
}

function toolchainChecks(environment: DoctorEnvironment): CheckResult[] {
  const { env } = environment;
  // the same discovery as scripts/plan-offline.ts
  const terraform = env.TERRAFORM_BINARY_NAME ?? "terraform";
  const pluginMirror = env.TF_PLUGIN_MIRROR ?? DEFAULT_PLUGIN_MIRROR;
  const run = spawnSync(terraform, ["version", "-json"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" }, timeout: 30_000 });
  const probe: TerraformProbe = run.error ? { error: run.error.message } : run.status !== 0 ? { error: `exit ${run.status}: ${run.stderr.trim().split("\n")[0]}` } : { stdout: run.stdout };
  return [checkNodeVersion(process.version, environment.now), checkTerraformVersion(terraform, probe), checkProviderMirror(pluginMirror, existsSync(providerMirrorDir(pluginMirror)))];
}

/** The example's placeholders, read from the example itself so the two cannot drift. */
function configChecks(config: PipelineConfig): CheckResult[] {
  const example = loadConfig(join(REPO_ROOT, "pipeline.example.yaml"));
  const keysDir = join(REPO_ROOT, "example-keys");
  const exampleKeys: ExampleKey[] = readdirSync(keysDir)
    .filter((file) => file.endsWith(".pub"))
    .map((file) => ({ path: `example-keys/${file}`, publicKey: readFileSync(join(keysDir, file), "utf8") }));
  return [checkUserIdPlaceholder(config.userId, example.userId), checkSshCidrPlaceholders(config.clientHost.sshAllowedCidrs), checkSshKeyPlaceholder(config.clientHost.sshPublicKey, exampleKeys)];
}

/** A setting lib/config.ts may not have yet: read by name, so doctor uses it from the day it exists. */
function optionalSetting(section: object, name: string): string | undefined {
  const value = (section as Readonly<Record<string, unknown>>)[name];
  return typeof value === "string" ? value : undefined;
}

function sha256OfFile(path: string): string {
  const hash = createHash("sha256");
  const fd = openSync(path, "r");
  try {
    const chunk = Buffer.alloc(1 << 20);
    for (let bytes = readSync(fd, chunk); bytes > 0; bytes = readSync(fd, chunk)) hash.update(chunk.subarray(0, bytes));
  } finally {
    closeSync(fd);
  }
  return hash.digest("hex");
}

function pluginZipCheck(config: PipelineConfig): CheckResult {
  const path = config.connector.pluginZipPath;
  const version = config.software.s3SinkPluginVersion;
  const expectedSha256 = optionalSetting(config.artifacts, "s3SinkPluginSha256");
  const common = { path, version, downloadUrl: s3SinkPluginUrl(version), ...(expectedSha256 ? { expectedSha256 } : {}) };
  if (!existsSync(path)) return checkPluginZip({ ...common, archive: undefined, sha256: "" });
  const sha256 = sha256OfFile(path);
  return withFileAccess(path, (archive) => checkPluginZip({ ...common, archive, sha256 }));
}

function sshIdentityCheck(config: PipelineConfig, identityPath: string, env: NodeJS.ProcessEnv): CheckResult {
  return checkSshIdentity({
    identityPath,
    identity: existsSync(identityPath) ? readFileSync(identityPath) : undefined,
    agentAvailable: Boolean(env.SSH_AUTH_SOCK),
    configuredPublicKey: config.clientHost.sshPublicKey,
  });
}

/** What --outputs says this config's stack owns; an outputs file of another userId is reported and ignored. */
function readDeployedStack(path: string, config: PipelineConfig, results: CheckResult[]): (DeployedStack & { bucketName: string }) | undefined {
  let outputs;
  try {
    outputs = loadStackOutputs(path, ["user_id", "bucket_name", "access_role_arn", "produce_role_arn", "connector_arn"]);
  } catch (err) {
    if (err instanceof OutputsError) throw new UsageError(`--outputs: ${err.message.split("\n").join(";")}`);
    throw err;
  }
  if (outputs.user_id !== config.userId) {
    results.push(fail(OUTPUTS, `${path} is the stack of userId ${JSON.stringify(outputs.user_id)}, the config's is ${JSON.stringify(config.userId)}`, "pass the outputs of this config's stack, or none before its first deploy"));
    return undefined;
  }
  results.push(ok(OUTPUTS, `${path} is this config's stack (user_id ${outputs.user_id})`));
  return { userId: outputs.user_id, roleArns: [outputs.access_role_arn, outputs.produce_role_arn], connectorArn: outputs.connector_arn, bucketName: outputs.bucket_name };
}

async function awsChecks(config: PipelineConfig, deployed: (DeployedStack & { bucketName: string }) | undefined, environment: DoctorEnvironment): Promise<CheckResult[]> {
  const resolved = await resolveCredentials(environment.credentials);
  if ("result" in resolved) return [resolved.result];
  const clients = (environment.awsClients ?? createAwsClients)(config.region, resolved.credentials);
  const name = optionalSetting(config.bucket, "name") ?? bucketName(config);
  return [ok(AWS_CREDENTIALS, "resolved from the standard chain"), ...(await runAwsChecks(clients, { config, bucketName: name, ...(deployed ? { deployed } : {}) }))];
}
