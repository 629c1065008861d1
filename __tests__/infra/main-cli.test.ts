/** main.ts and scripts/plan-offline.ts as users run them: real processes, real files. */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { managedResourceCount } from "../../lib/stack-summary";
import { REPO_ROOT } from "../support/paths";
import { scratchDir } from "./helpers";

const CLI_TIMEOUT = 90_000;
/** tsx's loader by absolute URL: the processes run outside the repository. */
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const scratch = scratchDir("infra-cli-");
afterAll(scratch.cleanup);

/** Runs a TypeScript entry point of the repository with tsx, from `cwd`. */
function run(entry: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const result = spawnSync(process.execPath, ["--import", TSX_LOADER, join(REPO_ROOT, entry), ...args], {
    cwd: options.cwd ?? scratch.dir,
    env: { ...process.env, PIPELINE_CONFIG: undefined, ...options.env },
    encoding: "utf8",
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A broken config (two problems) next to a copy of the example key. */
function brokenConfig(): string {
  mkdirSync(join(scratch.dir, "example-keys"), { recursive: true });
  copyFileSync(join(REPO_ROOT, "example-keys", "operator.pub"), join(scratch.dir, "example-keys", "operator.pub"));
  const path = join(scratch.dir, "broken.yaml");
  writeFileSync(path, readFileSync(join(REPO_ROOT, "pipeline.example.yaml"), "utf8").replace("userId: 0a1b2c3d4e5f", "userId: Not_Valid").replace("# brokerCount: 2 ", "brokerCount: 3 "));
  return path;
}

describe("main.ts", () => {
  it(
    "synthesizes the example config and prints the resource summary, outputs and output path",
    () => {
      const { status, stdout, stderr } = run("main.ts", ["--config", join(REPO_ROOT, "pipeline.example.yaml"), "--summary"], { env: { CDKTF_OUTDIR: undefined } });
      expect(stderr).toBe("");
      expect(status).toBe(0);
      const stack = JSON.parse(readFileSync(join(scratch.dir, "cdktf.out", "stacks", "pipeline", "cdk.tf.json"), "utf8"));
      expect(stdout).toContain(`${managedResourceCount(stack)} resources:`);
      expect(stdout).toMatch(/^ {2}aws_msk_cluster +1$/m);
      expect(stdout).toContain("22 outputs: access_role_arn, api_auth, api_exposure, bucket_name, client_instance_id, client_public_dns, connector_arn, connector_log_group, connector_name, dead_letter_topic, invoke_policy_arn, invoke_url, kafka_cli_version, msk_bootstrap_brokers_sasl_iam, msk_kafka_version, produce_role_arn, region, rest_proxy_nlb_dns, ssh_user, topic_partitions, topics, user_id");
      expect(stdout).toContain("synthesized: cdktf.out/stacks/pipeline/cdk.tf.json");
      expect(stdout).toMatch(/connector plugin zip: (present|MISSING)/);
    },
    CLI_TIMEOUT,
  );

  it(
    "fails with every config problem, exit 1 and no stack trace",
    () => {
      const { status, stdout, stderr } = run("main.ts", ["--config", brokenConfig()]);
      expect(status).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toContain("broken.yaml: 2 problems");
      expect(stderr).toContain('userId: got "Not_Valid", expected');
      expect(stderr).toContain("msk.brokerCount: got 3, expected a multiple of the 2 availability zones");
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    CLI_TIMEOUT,
  );

  it(
    "reads the config named by PIPELINE_CONFIG, and says how to create one when it is missing",
    () => {
      const missing = run("main.ts", [], { env: { PIPELINE_CONFIG: join(scratch.dir, "absent.yaml") } });
      expect(missing.status).toBe(1);
      expect(missing.stderr.trim()).toBe(
        `${join(scratch.dir, "absent.yaml")}: 1 problem\n  config: got file not found, expected a readable YAML file (copy pipeline.example.yaml to pipeline.yaml and edit it, or pass --config <file>)`,
      );
      const defaulted = run("main.ts", []);
      expect(defaulted.status).toBe(1);
      expect(defaulted.stderr).toContain("pipeline.yaml: 1 problem");
    },
    CLI_TIMEOUT,
  );

  it(
    "rejects an unknown option without a stack trace",
    () => {
      const { status, stderr } = run("main.ts", ["--confg", "x.yaml"]);
      expect(status).toBe(1);
      expect(stderr.trim()).toBe("Unknown option '--confg' (usage: tsx main.ts [--config FILE] [--summary])");
    },
    CLI_TIMEOUT,
  );
});

describe("plan-offline.ts", () => {
  it(
    "stops on a bad config before running terraform",
    () => {
      const { status, stdout, stderr } = run("scripts/plan-offline.ts", ["--config", brokenConfig()]);
      expect(status).toBe(1);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^plan:offline: .*broken\.yaml: 2 problems/);
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    CLI_TIMEOUT,
  );
});
