/**
 * `terraform validate` and `terraform plan` of a synthesized stack with no AWS account: the real
 * Terraform binary and the real aws provider from a local filesystem mirror, dummy credentials and
 * skip flags in an override file. Everything happens in a throwaway copy of the stack directory
 * without the local backend, so the project's real state is never read or written.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";

export const DEFAULT_PLUGIN_MIRROR = "/opt/tf-plugins";
export const AWS_PROVIDER_VERSION = "5.100.0";

/** A one-paragraph, actionable reason the offline plan could not run or failed. */
export class OfflinePlanError extends Error {
  /** A failure, by the CLI convention of lib/cli-run.ts. */
  readonly exitCode = 1;
  constructor(message: string) {
    super(message);
    this.name = "OfflinePlanError";
  }
}

export interface OfflinePlanOptions {
  /** The environment terraform runs in; the CLI config, checkpoint and automation variables are set on top. */
  readonly env: NodeJS.ProcessEnv;
  /**
   * The terraform binary.
   * @default terraform (from PATH)
   */
  readonly terraform?: string;
  /**
   * A filesystem mirror holding registry.terraform.io/hashicorp/aws.
   * @default /opt/tf-plugins
   */
  readonly pluginMirror?: string;
  /**
   * Keep the working copy for inspection instead of deleting it.
   * @default false
   */
  readonly keepWorkDir?: boolean;
}

export interface OfflinePlanResult {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** `Plan: N to add, 0 to change, 0 to destroy.` */
  readonly summary: string;
  /** Where the copy was planned (deleted unless `keepWorkDir`). */
  readonly workDir: string;
}

/** Dummy credentials and skip flags: the provider configures itself without calling AWS. Never part of the real stack. */
export function offlineProviderOverride(): object {
  return {
    provider: {
      aws: [
        {
          access_key: "AKIAOFFLINEPLANDUMMY",
          secret_key: "offline-plan-dummy-secret-key",
          skip_credentials_validation: true,
          skip_requesting_account_id: true,
          skip_metadata_api_check: "true",
          skip_region_validation: true,
        },
      ],
    },
  };
}

/** A Terraform CLI config that installs the aws provider only from the local mirror. */
export function offlineCliConfig(pluginMirror: string): string {
  return [
    "disable_checkpoint = true",
    "provider_installation {",
    "  filesystem_mirror {",
    `    path    = ${JSON.stringify(pluginMirror)}`,
    '    include = ["registry.terraform.io/hashicorp/aws"]',
    "  }",
    "}",
    "",
  ].join("\n");
}

/** Why the machine cannot run an offline plan, or undefined when it can. */
export function offlinePlanPrerequisiteProblem(terraform: string, pluginMirror: string, env: NodeJS.ProcessEnv): string | undefined {
  const version = spawnSync(terraform, ["version"], { encoding: "utf8", env: { ...env, CHECKPOINT_DISABLE: "1" } });
  if (version.error || version.status !== 0) {
    return `terraform is not runnable as ${JSON.stringify(terraform)} (install Terraform 1.x from https://developer.hashicorp.com/terraform/install and put it on PATH)`;
  }
  const providerDir = join(pluginMirror, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
  if (!existsSync(providerDir)) {
    return `the aws provider ${AWS_PROVIDER_VERSION} is not in the plugin mirror ${providerDir} (run: terraform providers mirror ${pluginMirror} in a directory requiring hashicorp/aws ${AWS_PROVIDER_VERSION}, on a machine with registry access)`;
  }
  return undefined;
}

/**
 * Copies the synthesized stack directory (cdk.tf.json and its assets) to a temporary directory,
 * removes the backend, adds the offline override and CLI config, then runs
 * `terraform init`, `validate` and `plan -refresh=false -lock=false`.
 */
export function planStackOffline(stackDir: string, options: OfflinePlanOptions): OfflinePlanResult {
  const terraform = options.terraform ?? "terraform";
  const pluginMirror = options.pluginMirror ?? DEFAULT_PLUGIN_MIRROR;
  const problem = offlinePlanPrerequisiteProblem(terraform, pluginMirror, options.env);
  if (problem) throw new OfflinePlanError(problem);

  const workDir = mkdtempSync(join(tmpdir(), "pipeline-plan-"));
  try {
    // the state and provider cache of a real deploy stay behind
    cpSync(stackDir, workDir, { recursive: true, filter: (src) => !/^(\.terraform|.*\.tfstate(\..*)?|\.terraform\.lock\.hcl)$/.test(basename(src)) });
    const stackFile = join(workDir, "cdk.tf.json");
    const stack = JSON.parse(readFileSync(stackFile, "utf8")) as { terraform?: { backend?: unknown } };
    delete stack.terraform?.backend;
    writeFileSync(stackFile, JSON.stringify(stack, null, 2));
    writeFileSync(join(workDir, "provider_override.tf.json"), JSON.stringify(offlineProviderOverride(), null, 2));
    const cliConfig = join(workDir, ".terraformrc");
    writeFileSync(cliConfig, offlineCliConfig(pluginMirror));

    const env = { ...options.env, TF_CLI_CONFIG_FILE: cliConfig, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1", TF_INPUT: "0" };
    const run = (step: string, args: string[]): string => {
      const result = spawnSync(terraform, [...args, "-no-color"], { cwd: workDir, env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
      if (result.error) throw new OfflinePlanError(`terraform ${step} could not start: ${result.error.message}`);
      if (result.status !== 0) throw new OfflinePlanError(`terraform ${step} failed:\n${terraformErrors(result.stderr || result.stdout)}`);
      return result.stdout;
    };
    run("init", ["init", "-input=false"]);
    run("validate", ["validate"]);
    const planOutput = run("plan", ["plan", "-input=false", "-lock=false", "-refresh=false"]);
    const match = /Plan: (\d+) to add, (\d+) to change, (\d+) to destroy\./.exec(planOutput);
    if (!match) throw new OfflinePlanError(`terraform plan printed no "Plan:" line:\n${planOutput.slice(-2000)}`);
    return { add: Number(match[1]), change: Number(match[2]), destroy: Number(match[3]), summary: match[0], workDir };
  } finally {
    if (!options.keepWorkDir) rmSync(workDir, { recursive: true, force: true });
  }
}

/** Terraform's error blocks without the box-drawing frame, so the reason reads as plain text. */
export function terraformErrors(output: string): string {
  const lines = output.split("\n").map((line) => line.replace(/^[│╷╵]\s?/, "").trimEnd());
  const text = lines.join("\n").replace(/\n{3,}/g, "\n\n").trim();
  return text.length > 4000 ? `${text.slice(0, 4000)}\n...` : text;
}
