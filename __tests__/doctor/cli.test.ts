/** doctor as users run it (a child process with no AWS credentials), and in-process with AWS doubles for a clean run. */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { APIGatewayClient, GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { CloudWatchLogsClient, DescribeResourcePoliciesCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeAvailabilityZonesCommand, DescribeInstanceTypeOfferingsCommand, DescribeRegionsCommand, EC2Client } from "@aws-sdk/client-ec2";
import { GetRoleCommand, IAMClient, NoSuchEntityException } from "@aws-sdk/client-iam";
import { KafkaConnectClient, ListConnectorsCommand } from "@aws-sdk/client-kafkaconnect";
import { HeadBucketCommand, NotFound, S3Client } from "@aws-sdk/client-s3";
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, describe, expect, it } from "vitest";
import { type DoctorEnvironment, main } from "../../doctor/cli";
import { createAwsClients } from "../../doctor/aws/run";
import { AWS_PROVIDER_VERSION } from "../../scripts/lib/offline-plan";
import { REPO_ROOT } from "../support/paths";
import { pluginZip, scratchDir, sshKeyPair } from "./support";

const CLI_TIMEOUT = 90_000;
const TSX_LOADER = pathToFileURL(join(REPO_ROOT, "node_modules", "tsx", "dist", "loader.mjs")).href;
const scratch = scratchDir("doctor-cli-");
afterAll(scratch.cleanup);

/** An environment in which the standard chain finds nothing and cannot reach instance metadata: no call leaves the machine. */
const NO_CREDENTIALS: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: scratch.dir,
  AWS_EC2_METADATA_DISABLED: "true",
  AWS_ACCESS_KEY_ID: "",
  AWS_SECRET_ACCESS_KEY: "",
  AWS_SHARED_CREDENTIALS_FILE: join(scratch.dir, "absent-credentials"),
  AWS_CONFIG_FILE: join(scratch.dir, "absent-config"),
};

function runDoctor(args: string[]) {
  const result = spawnSync(process.execPath, ["--import", TSX_LOADER, join(REPO_ROOT, "doctor", "main.ts"), ...args], { cwd: scratch.dir, env: NO_CREDENTIALS, encoding: "utf8" });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe("npm run doctor (child process)", () => {
  it(
    "fails the unedited example config with the placeholder lines, skips AWS without credentials, exit 1",
    () => {
      const { status, stdout, stderr } = runDoctor(["--config", join(REPO_ROOT, "pipeline.example.yaml")]);
      expect(stderr).toBe("");
      expect(status).toBe(1);
      const lines = stdout.trim().split("\n");
      expect(lines).toContain(`fail  config.user-id  userId "0a1b2c3d4e5f" is the example's placeholder -- fix: set userId to your AiCore user id in quotes, e.g. userId: "1a2b3c4d5e6f"`);
      expect(lines.find((line) => line.startsWith("fail  config.ssh-cidrs  clientHost.sshAllowedCidrs 203.0.113.10/32 is a documentation-only range"))).toBeDefined();
      expect(lines.find((line) => line.startsWith("fail  config.ssh-key  clientHost.sshPublicKey is the example key example-keys/operator.pub"))).toBeDefined();
      expect(lines.find((line) => line.startsWith("skip  aws.credentials  no AWS credentials found"))).toBeDefined();
      expect(lines.filter((line) => / aws\.(?!credentials)/.test(line))).toEqual([]);
      expect(lines.at(-1)).toMatch(/^doctor: \d+ fail, \d+ warn, \d+ ok, 1 skip$/);
    },
    CLI_TIMEOUT,
  );

  it(
    "prints usage for --help through npm run, exit 0",
    () => {
      const result = spawnSync("npm", ["run", "--silent", "doctor", "--", "--help"], { cwd: REPO_ROOT, env: NO_CREDENTIALS, encoding: "utf8" });
      expect(result.status).toBe(0);
      expect(result.stdout).toMatch(/^Usage: npm run doctor -- \[options\]/);
      expect(result.stdout).toContain("--outputs FILE");
    },
    CLI_TIMEOUT,
  );

  it(
    "refuses an unknown flag with one line and exit 2",
    () => {
      const { status, stdout, stderr } = runDoctor(["--confg", "x.yaml"]);
      expect(status).toBe(2);
      expect(stdout).toBe("");
      expect(stderr.trim().split("\n")).toEqual(["doctor: unknown flag --confg"]);
    },
    CLI_TIMEOUT,
  );

  it(
    "refuses an unreadable --outputs file with one line and exit 2",
    () => {
      const { status, stderr } = runDoctor(["--config", join(REPO_ROOT, "pipeline.example.yaml"), "--outputs", "absent.json"]);
      expect(status).toBe(2);
      expect(stderr.trim().split("\n")).toHaveLength(1);
      expect(stderr).toContain("doctor: --outputs: outputs file");
      expect(stderr).toContain("not found");
    },
    CLI_TIMEOUT,
  );

  it(
    "writes one JSON document with id, title, status, message and fix for every check",
    () => {
      const { status, stdout } = runDoctor(["--config", join(REPO_ROOT, "pipeline.example.yaml"), "--json"]);
      expect(status).toBe(1);
      const report = JSON.parse(stdout) as { exitCode: number; checks: Record<string, unknown>[] };
      expect(report.exitCode).toBe(1);
      expect(report.checks.length).toBeGreaterThanOrEqual(9);
      for (const check of report.checks) expect(Object.keys(check)).toEqual(["id", "title", "status", "message", "fix"]);
      expect(report.checks.find((c) => c.id === "config.user-id")).toMatchObject({ status: "fail", fix: expect.stringContaining("AiCore user id") });
    },
    CLI_TIMEOUT,
  );
});

describe("doctor in-process, every check passing", () => {
  const USER = "12a3b4c5d6e7";
  const key = sshKeyPair(scratch.dir, "operator");
  const zipPath = join(scratch.dir, "artifacts", "confluentinc-kafka-connect-s3-10.6.0.zip");
  mkdirSync(join(scratch.dir, "artifacts"), { recursive: true });
  writeFileSync(zipPath, pluginZip("10.6.0"));
  const configPath = join(scratch.dir, "pipeline.yaml");
  writeFileSync(
    configPath,
    readFileSync(join(REPO_ROOT, "pipeline.example.yaml"), "utf8")
      .replace("userId: 0a1b2c3d4e5f", `userId: "${USER}"`)
      .replace("sshAllowedCidrs: [203.0.113.10/32]", "sshAllowedCidrs: [81.2.69.160/32]")
      .replace("sshPublicKey: ./example-keys/operator.pub", `sshPublicKey: ${key.path}.pub`),
  );
  // a stand-in terraform and mirror, so the run does not depend on this machine's toolchain
  const terraform = join(scratch.dir, "terraform");
  writeFileSync(terraform, '#!/bin/sh\necho \'{"terraform_version":"1.11.4","platform":"linux_amd64"}\'\n');
  chmodSync(terraform, 0o755);
  mkdirSync(join(scratch.dir, "mirror", "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION), { recursive: true });

  const sts = mockClient(STSClient);
  const ec2 = mockClient(EC2Client);
  const s3 = mockClient(S3Client);
  const iam = mockClient(IAMClient);
  const apiGateway = mockClient(APIGatewayClient);
  const kafkaConnect = mockClient(KafkaConnectClient);
  const logs = mockClient(CloudWatchLogsClient);
  afterAll(() => [sts, ec2, s3, iam, apiGateway, kafkaConnect, logs].forEach((mock) => mock.restore()));
  sts.on(GetCallerIdentityCommand).resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/student", UserId: "AIDATEST" });
  ec2.on(DescribeRegionsCommand).resolves({ Regions: [{ RegionName: "us-east-1", OptInStatus: "opt-in-not-required" }] });
  ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: [
    { ZoneName: "us-east-1a", ZoneId: "use1-az6", State: "available" },
    { ZoneName: "us-east-1b", ZoneId: "use1-az1", State: "available" },
  ] });
  ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({ InstanceTypeOfferings: ["use1-az6", "use1-az1"].map((Location) => ({ InstanceType: "t3.small", LocationType: "availability-zone-id", Location })) });
  s3.on(HeadBucketCommand).rejects(new NotFound({ message: "UnknownError", $metadata: { httpStatusCode: 404 } }));
  iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: "not found", $metadata: { httpStatusCode: 404 } }));
  apiGateway.on(GetAccountCommand).resolves({});
  kafkaConnect.on(ListConnectorsCommand).resolves({ connectors: [] });
  logs.on(DescribeResourcePoliciesCommand).resolves({ resourcePolicies: [] });

  it("exits 0 with every check ok, the AWS ones included", async () => {
    let stdout = "";
    const stderr: string[] = [];
    const environment: DoctorEnvironment = {
      cwd: scratch.dir,
      home: scratch.dir,
      env: { PATH: process.env.PATH, TERRAFORM_BINARY_NAME: terraform, TF_PLUGIN_MIRROR: join(scratch.dir, "mirror") },
      now: new Date("2026-01-15T00:00:00Z"),
      stdout: (text) => (stdout += text),
      stderr: (line) => stderr.push(line),
      credentials: async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "test" }),
      awsClients: createAwsClients,
    };
    const code = await main(["--config", configPath, "--identity", key.path], environment);
    expect(stderr).toEqual([]);
    const lines = stdout.trim().split("\n");
    expect(lines.filter((line) => !line.startsWith("ok  ") && !line.startsWith("doctor:"))).toEqual([]);
    expect(lines.map((line) => line.split(/\s+/)[1]).slice(0, -1)).toEqual([
      "local.node", "local.terraform", "local.provider-mirror", "config", "config.user-id", "config.ssh-cidrs", "config.ssh-key", "local.plugin-zip", "local.ssh-identity",
      "aws.credentials", "aws.identity", "aws.region", "aws.zones", "aws.instance-types", "aws.bucket", "aws.api-logging-role", "aws.existing-roles", "aws.existing-connector", "aws.log-resource-policy",
    ]);
    expect(code).toBe(0);
    expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: `user-${USER}-bucket`, ExpectedBucketOwner: "111122223333" });
  });
});
