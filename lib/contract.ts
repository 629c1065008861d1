/**
 * The contract between the stack, the provisioner, the emulator and `verify`: what they agree on
 * without reading each other's code. The stack id, the ports, the Kafka version facts, and the
 * stack outputs as one schema from which the output names, their descriptions, their TypeScript
 * type and their validation all derive.
 *
 * The stack declares exactly these outputs (with `staticId`, so the Terraform output names are
 * the schema's keys); every other command reads them back from the file `cdktf deploy
 * --outputs-file <file>` (or `terraform output -json`) wrote, through {@link loadStackOutputs}.
 * This module imports nothing from cdktf or the providers, so the provisioner and the emulator
 * stay light.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";

/** The id of the one stack in `main.ts`; `cdktf deploy --outputs-file` nests outputs under it. */
export const STACK_ID = "pipeline";

/**
 * The Confluent REST proxy's listener port: the provisioner configures it, the client security
 * group admits it and the API's integration targets it.
 */
export const REST_PROXY_PORT = 8082;

/** MSK's port for SASL/IAM over TLS: the brokers' security group admits it, the clients dial it. */
export const KAFKA_IAM_PORT = 9098;

/** MSK Kafka version lines this project supports, each with the Apache Kafka CLI release installed on the client host. */
export const SUPPORTED_MSK_VERSIONS = {
  "3.8.x": "3.8.1",
  "3.9.x": "3.9.1",
} as const;
export type MskKafkaVersion = keyof typeof SUPPORTED_MSK_VERSIONS;
export const MSK_KAFKA_VERSIONS = Object.keys(SUPPORTED_MSK_VERSIONS) as [MskKafkaVersion, ...MskKafkaVersion[]];

/** The Scala build of the Apache Kafka tarball (`kafka_<scala>-<version>.tgz`). */
export const KAFKA_SCALA_VERSION = "2.13";

/** The line of a Kafka release or MSK version: `3.8.1` and `3.8.x` are both on `3.8`. */
export function kafkaLine(version: string): string {
  return version.split(".").slice(0, 2).join(".");
}

/** How the ingestion API authenticates callers. */
export const API_AUTH_MODES = ["iam", "api-key", "none"] as const;
export type ApiAuthMode = (typeof API_AUTH_MODES)[number];

/**
 * How API Gateway reaches the REST proxy: `private` through a VPC link and an internal network load
 * balancer (the proxy port is closed to the internet), `public` over the host's public DNS name as the
 * seed did (the proxy port is open to the internet).
 */
export const API_EXPOSURES = ["private", "public"] as const;
export type ApiExposure = (typeof API_EXPOSURES)[number];

/** The usage-plan quota periods API Gateway accepts. */
export const API_QUOTA_PERIODS = ["DAY", "WEEK", "MONTH"] as const;
export type ApiQuotaPeriod = (typeof API_QUOTA_PERIODS)[number];

/** The S3 sink's object layout: `<topics.dir>/<topic>/partition=<p>/<topic>+<p>+<start offset, zero-padded>.json`. */
export const SINK_LAYOUT = {
  topicsDir: "topics",
  /** `filename.offset.zero.pad.width`, set explicitly on the connector so readers need not guess. */
  offsetZeroPadWidth: 10,
} as const;

const text = z.string().min(1);

/**
 * Every stack output. Optional outputs exist only in some configurations (see their descriptions);
 * the rest are always declared. The names are an API: renaming one breaks every reader.
 */
export const stackOutputsSchema = z.object({
  invoke_url: z.string().regex(/^https?:\/\/\S+$/).describe("the API Gateway stage invoke URL, https://<api>.execute-api.<region>.amazonaws.com/<stage>"),
  api_auth: z.enum(API_AUTH_MODES).describe("how the API authenticates callers: iam (SigV4), api-key (x-api-key header) or none"),
  api_key: text.optional().describe("the API key producers send as x-api-key; only when api_auth is api-key"),
  api_exposure: z.enum(API_EXPOSURES).describe("how API Gateway reaches the REST proxy: private (VPC link + internal NLB) or public (the seed's internet-facing port)"),
  invoke_policy_arn: text.optional().describe("the ARN of the managed IAM policy allowing execute-api:Invoke on exactly the produce routes of this stage; only when api_auth is iam"),
  rest_proxy_nlb_dns: text.optional().describe("the DNS name of the internal network load balancer in front of the REST proxy; only when api_exposure is private"),
  client_public_dns: text.describe("the public DNS name of the Kafka client host"),
  client_instance_id: text.describe("the EC2 instance id of the Kafka client host"),
  ssh_user: text.describe("the SSH login user of the client host"),
  msk_bootstrap_brokers_sasl_iam: text.describe("the MSK bootstrap brokers for SASL/IAM over TLS (port 9098)"),
  msk_kafka_version: z.enum(MSK_KAFKA_VERSIONS).describe("the MSK cluster's Kafka version line, e.g. 3.8.x"),
  kafka_cli_version: z.string().regex(/^\d+\.\d+\.\d+$/).describe("the Apache Kafka CLI release the client host installs for that line, e.g. 3.8.1"),
  access_role_arn: text.describe("the ARN of <userId>-ec2-access-role, assumed by the operator's Kafka CLI through awsRoleArn"),
  produce_role_arn: text.describe("the ARN of <userId>-produce-role, assumed by the REST proxy: produce to the pipeline's topics only"),
  bucket_name: text.describe("the data bucket, user-<userId>-bucket"),
  region: text.describe("the AWS region of the stack"),
  user_id: text.describe("the user id that prefixes every name"),
  topics: z.array(text).min(1).describe("the Kafka topic names, <userId>.<suffix>"),
  topic_partitions: z.number().int().min(1).describe("the partition count of each topic"),
  dead_letter_topic: text.describe("the S3 sink's dead-letter topic, <userId>-dlq, outside the sink's topic pattern"),
  connector_name: text.describe("the MSK Connect S3 sink connector's name; its consumer group is connect-<name>"),
  connector_arn: text.describe("the MSK Connect S3 sink connector's ARN"),
  connector_log_group: text.describe("the CloudWatch log group of the connector's workers"),
  dashboard_url: z.string().regex(/^https:\/\/\S+$/).describe("the CloudWatch console URL of the pipeline's dashboard, named after the user id"),
  alarm_topic_arn: text.describe("the ARN of the SNS topic the pipeline's alarms publish to, <userId>-alarms"),
});

export type StackOutputs = z.output<typeof stackOutputsSchema>;
export type StackOutputName = keyof StackOutputs;
export const STACK_OUTPUT_NAMES = Object.keys(stackOutputsSchema.shape) as StackOutputName[];

/** Outputs Terraform must keep out of plan and apply logs. */
export const SENSITIVE_OUTPUTS: ReadonlySet<StackOutputName> = new Set<StackOutputName>(["api_key"]);

/** What an output holds, as the stack describes it. */
export function outputDescription(name: StackOutputName): string {
  return stackOutputsSchema.shape[name].description ?? name;
}

/** A one-line (or, for several outputs, one line each) actionable problem with an outputs file. */
export class OutputsError extends Error {
  /** Bad input, by the CLI convention of lib/cli-run.ts. */
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "OutputsError";
  }
}

/**
 * Reads the outputs file and returns the named outputs, checking each is present and well-typed.
 * Every missing or malformed output is reported at once.
 *
 * Accepts the three shapes in use: `{ "pipeline": { name: value } }` (cdktf --outputs-file),
 * `{ name: { value, type, sensitive } }` (terraform output -json) and a flat `{ name: value }`.
 */
export function loadStackOutputs<K extends StackOutputName>(path: string, names: readonly K[]): Pick<StackOutputs, K> {
  let content: string;
  try {
    content = readFileSync(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : (err as Error).message;
    throw new OutputsError(`outputs file ${path}: ${reason} (run: npx cdktf deploy --outputs-file ${path})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(content);
  } catch {
    throw new OutputsError(`outputs file ${path}: not JSON (it should be what cdktf deploy --outputs-file wrote)`);
  }
  return pickStackOutputs(parsed, names, path);
}

/** Validates already-parsed outputs; see {@link loadStackOutputs}. */
export function pickStackOutputs<K extends StackOutputName>(parsed: unknown, names: readonly K[], source: string): Pick<StackOutputs, K> {
  const flat = flattenOutputs(parsed);
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const name of names) {
    const schema = stackOutputsSchema.shape[name];
    const value = flat[name];
    const checked = schema.safeParse(value);
    if (checked.success) {
      if (checked.data !== undefined) result[name] = checked.data;
      continue;
    }
    const got = value === undefined ? "missing" : JSON.stringify(value);
    problems.push(`${name} is ${got}, expected ${outputDescription(name)}`);
  }
  if (problems.length === 1) throw new OutputsError(`outputs file ${source}: ${problems[0]} (re-run npx cdktf deploy --outputs-file ${source})`);
  if (problems.length > 1) {
    throw new OutputsError(`outputs file ${source}: ${problems.length} problems (re-run npx cdktf deploy --outputs-file ${source})\n${problems.map((p) => `  ${p}`).join("\n")}`);
  }
  return result as Pick<StackOutputs, K>;
}

function flattenOutputs(parsed: unknown): Record<string, unknown> {
  if (!isRecord(parsed)) return {};
  const nested = parsed[STACK_ID];
  const record = isRecord(nested) ? nested : parsed;
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const isTerraformJson = isRecord(value) && "value" in value && "type" in value;
    flat[key] = isTerraformJson ? value.value : value;
  }
  return flat;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}
