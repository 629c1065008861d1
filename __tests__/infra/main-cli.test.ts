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

/** stderr without Node's own deprecation notices (cdktf 0.21 calls util.isArray). */
function ownStderr(stderr: string): string[] {
  return stderr.split("\n").filter((line) => line !== "" && !/DeprecationWarning|--trace-deprecation/.test(line));
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
      // the example still holds its placeholders: one warning each, nothing else of ours on stderr
      const example = join(REPO_ROOT, "pipeline.example.yaml");
      expect(ownStderr(stderr)).toEqual([
        `warning: ${example}: userId is the example's placeholder "0a1b2c3d4e5f" (set your own AiCore user id)`,
        `warning: ${example}: clientHost.sshAllowedCidrs.0 203.0.113.10/32 is in the documentation range 203.0.113.0/24, which no real host uses (set your public address as x.x.x.x/32)`,
        `warning: ${example}: clientHost.sshPublicKey is the example key from example-keys/ (point it at your own .pub file, e.g. ~/.ssh/id_ed25519.pub)`,
      ]);
      expect(status).toBe(0);
      const stack = JSON.parse(readFileSync(join(scratch.dir, "cdktf.out", "stacks", "pipeline", "cdk.tf.json"), "utf8"));
      expect(stdout).toContain(`${managedResourceCount(stack)} resources:`);
      expect(stdout).toMatch(/^ {2}aws_msk_cluster +1$/m);
      expect(stdout).toContain("24 outputs: access_role_arn, alarm_topic_arn, api_auth, api_exposure, bucket_name, client_instance_id, client_public_dns, connector_arn, connector_log_group, connector_name, dashboard_url, dead_letter_topic, invoke_policy_arn, invoke_url, kafka_cli_version, msk_bootstrap_brokers_sasl_iam, msk_kafka_version, produce_role_arn, region, rest_proxy_nlb_dns, ssh_user, topic_partitions, topics, user_id");
      expect(stdout).toContain("synthesized: cdktf.out/stacks/pipeline/cdk.tf.json");
      expect(stdout).toMatch(/connector plugin zip: (present|MISSING)/);
    },
    CLI_TIMEOUT,
  );

  it(
    "lists the named resources and an estimated monthly cost, and warns about no placeholder in a real config",
    () => {
      const dir = join(scratch.dir, "real");
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "operator.pub"), "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOwnReal0wnKeyForTheCliTestOnly0000000000000 me@laptop\n");
      const config = join(dir, "pipeline.yaml");
      writeFileSync(
        config,
        readFileSync(join(REPO_ROOT, "pipeline.example.yaml"), "utf8")
          .replace("userId: 0a1b2c3d4e5f", 'userId: "5e6f7a8b9c0d"')
          .replace("[203.0.113.10/32]", "[100.64.7.9/32]")
          .replace("./example-keys/operator.pub", "./operator.pub")
          .replace("availabilityZones: [us-east-1a, us-east-1b]", "availabilityZones: [use1-az1, use1-az2, use1-az4]"),
      );
      const { status, stdout, stderr } = run("main.ts", ["--config", config, "--summary"], { cwd: dir });
      expect(ownStderr(stderr)).toEqual([]);
      expect(status).toBe(0);
      expect(stdout).toMatch(/^named resources:$/m);
      expect(stdout).toMatch(/^ {2}bucket +user-5e6f7a8b9c0d-bucket$/m);
      expect(stdout).toMatch(/^ {2}MSK cluster +5e6f7a8b9c0d-cluster$/m);
      expect(stdout).toMatch(/^ {2}IAM roles +.*5e6f7a8b9c0d-ec2-access-role.*5e6f7a8b9c0d-connector-role/m);
      expect(stdout).toMatch(/^ {2}API +5e6f7a8b9c0d$/m);
      expect(stdout).toMatch(/^ {2}connector +5e6f7a8b9c0d-connector$/m);
      expect(stdout).toMatch(/^ {2}dashboard +5e6f7a8b9c0d$/m);
      expect(stdout).toContain("estimated monthly cost (an estimate: us-east-1 on-demand prices of 2026-11-27 from lib/prices.ts; other regions differ):");
      // three zones: three brokers
      expect(stdout).toMatch(/^ {2}MSK brokers +3 x kafka\.t3\.small x 730 h x USD 0\.0456 +USD +99\.86$/m);
      expect(stdout).toMatch(/^ {2}MSK broker storage +3 x 20 GB x USD 0\.1 +USD +6\.00$/m);
      expect(stdout).toMatch(/^ {2}MSK Connect +1 MCU x 730 h x USD 0\.11 +USD +80\.30$/m);
      expect(stdout).toMatch(/^ {2}client host +1 x t3\.small x 730 h x USD 0\.0208 +USD +15\.18$/m);
      expect(stdout).toMatch(/^ {2}network +VPC, subnets, S3 gateway endpoint: no NAT gateway, no charge +USD +0\.00$/m);
      expect(stdout).toMatch(/^ {2}network load balancer +1 x 730 h x USD 0\.0225 \(\+ NLCU usage\) +USD +16\.43$/m);
      // 99.864 + 6 + 80.30 + 15.184 + 1.60 + 3.65 + 16.425 + 0 + (3 + 7 alarms x 0.10) = 226.723
      expect(stdout).toMatch(/^ {2}total +USD +226\.72 a month while it runs$/m);
    },
    CLI_TIMEOUT,
  );

  it(
    "fails with every config problem, exit 2 (bad input) and no stack trace",
    () => {
      const { status, stdout, stderr } = run("main.ts", ["--config", brokenConfig()]);
      expect(status).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^synth: .*broken\.yaml: 2 problems/);
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
      expect(missing.status).toBe(2);
      expect(missing.stderr.trim()).toBe(
        `synth: ${join(scratch.dir, "absent.yaml")}: 1 problem\n  config: got file not found, expected a readable YAML file (copy pipeline.example.yaml to pipeline.yaml and edit it, or pass --config <file>)`,
      );
      const defaulted = run("main.ts", []);
      expect(defaulted.status).toBe(2);
      expect(defaulted.stderr).toContain("pipeline.yaml: 1 problem");
    },
    CLI_TIMEOUT,
  );

  it(
    "rejects an unknown option without a stack trace",
    () => {
      const { status, stderr } = run("main.ts", ["--confg", "x.yaml"]);
      expect(status).toBe(2);
      expect(stderr.trim()).toBe("synth: unknown flag --confg");
    },
    CLI_TIMEOUT,
  );
});

describe.each([
  ["main.ts", "usage: npm run synth -- [--config FILE] [--summary]   (npx cdktf synth|deploy run it without flags)"],
  ["scripts/plan-offline.ts", "usage: npm run plan:offline -- [--config FILE] [--keep]"],
  ["scripts/plugin-zip.ts", "usage: npm run plugin-zip -- [--config FILE] [--download]"],
])("%s --help", (script, usageLine) => {
  it(
    "prints the usage with the exit codes and exits 0, without reading a config",
    () => {
      const { status, stdout, stderr } = run(script, ["--help"], { env: { PIPELINE_CONFIG: join(scratch.dir, "absent.yaml") } });
      expect([status, stderr]).toEqual([0, ""]);
      expect(stdout.split("\n")[0]).toBe(usageLine);
      expect(stdout).toMatch(/^exit: 0 .*, 2 bad flags or config$/m);
    },
    CLI_TIMEOUT,
  );
});

describe("plugin-zip.ts", () => {
  it(
    "prints the labelled path and URL the config implies, and refuses a bad flag with exit 2",
    () => {
      const shown = run("scripts/plugin-zip.ts", ["--config", join(REPO_ROOT, "pipeline.example.yaml")]);
      expect(shown.status).toBe(0);
      expect(shown.stdout).toBe(
        `path: ${join(REPO_ROOT, "artifacts", "confluentinc-kafka-connect-s3-10.6.0.zip")}\nurl:  https://d1i4a15mxbxib1.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.6.0/confluentinc-kafka-connect-s3-10.6.0.zip\n`,
      );
      const bad = run("scripts/plugin-zip.ts", ["--downlaod"]);
      expect([bad.status, bad.stdout, bad.stderr.trim()]).toEqual([2, "", "plugin-zip: unknown flag --downlaod"]);
    },
    CLI_TIMEOUT,
  );
});

describe("plan-offline.ts", () => {
  it(
    "stops on a bad config before running terraform",
    () => {
      const { status, stdout, stderr } = run("scripts/plan-offline.ts", ["--config", brokenConfig()]);
      expect(status).toBe(2);
      expect(stdout).toBe("");
      expect(stderr).toMatch(/^plan:offline: .*broken\.yaml: 2 problems/);
      expect(stderr).not.toMatch(/^\s+at /m);
    },
    CLI_TIMEOUT,
  );
});
