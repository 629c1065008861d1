/**
 * The pipeline's one configuration file: its schema, its defaults and its loader.
 *
 * Everything the stack, the provisioner and the emulator need to agree on (the user id that
 * prefixes every name, the topic suffixes, the Kafka and Confluent versions, the artifact
 * mirrors) is read here, once, at start-up. Validation collects every problem and reports
 * them together, one line each: `path: got X, expected Y (how to fix)`.
 */
import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import { dirname, isAbsolute, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import { z } from "zod";
import { API_AUTH_MODES, API_EXPOSURES, API_QUOTA_PERIODS, MSK_KAFKA_VERSIONS, REST_PROXY_PORT, SUPPORTED_MSK_VERSIONS } from "./contract";
import { DEFAULTS, defaultBucketName, defaultPluginZipPath } from "./defaults";
import { brokerCountProblem, defaultBrokerCount, replicationFactorProblem, unsupportedZoneProblem } from "./msk-rules";
import { isZoneId, zoneIdPrefix } from "./zones";

export const DEFAULT_CONFIG_FILE = "pipeline.yaml";

const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/;
const USER_ID = /^[a-z0-9](?:[a-z0-9-]{1,30}[a-z0-9])$/;
const SEMVER = /^\d+\.\d+\.\d+$/;
const SHA256 = /^[0-9a-f]{64}$/;
const SSH_PUBLIC_KEY = /^(ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/=]+( .*)?$/;
const TOPIC_SUFFIX = /^[a-z][a-z0-9_-]{0,30}$/;
const STAGE_NAME = /^[A-Za-z0-9_-]{1,128}$/;
const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const HTTP_URL = /^https?:\/\/[^\s]+[^/\s]$/;
/** The prefix lengths AWS allows for a VPC and its subnets. */
const MIN_BLOCK_BITS = 16;
const MAX_BLOCK_BITS = 28;
/** Retention values CloudWatch Logs accepts. */
const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653] as const;

/** A schema error message is `expected Y (fix)`; the loader prefixes `path: got X, `. */
const expect = (expected: string, fix: string) => ({ error: `expected ${expected} (${fix})` });

const cidr = (fix: string) =>
  z.string(expect("an IPv4 CIDR block like 10.0.0.0/16", fix)).refine(isIpv4Cidr, expect("an IPv4 CIDR block like 10.0.0.0/16", fix));

const positiveInt = (expected: string, fix: string, max = Number.MAX_SAFE_INTEGER) =>
  z.number(expect(expected, fix)).int(expect(expected, fix)).min(1, expect(expected, fix)).max(max, expect(expected, fix));

const retentionDays = () =>
  z
    .number(expect(`one of CloudWatch's retention values ${LOG_RETENTION_DAYS.join(", ")}`, "pick the nearest allowed value"))
    .refine((n) => (LOG_RETENTION_DAYS as readonly number[]).includes(n), expect(`one of CloudWatch's retention values ${LOG_RETENTION_DAYS.join(", ")}`, "pick the nearest allowed value"));

const sha256 = () => z.string(expect("a lowercase hex sha256 digest", "run sha256sum on the artifact")).regex(SHA256, expect("a lowercase hex sha256 digest (64 characters)", "run sha256sum on the artifact"));

const baseUrl = (fix: string) => z.string(expect("an http(s) URL without a trailing slash", fix)).regex(HTTP_URL, expect("an http(s) URL without a trailing slash", fix));

/** A section's own error: what zod reports when the section is not a mapping (or missing when required). */
const section = (name: string) => expect(`a mapping of ${name} settings`, `see the ${name} section of pipeline.example.yaml`);

const semver = (what: string, fix: string) => z.string(expect(`${what} as X.Y.Z`, fix)).regex(SEMVER, expect(`${what} as X.Y.Z`, fix));

/**
 * The schema of the config file. Built per parse rather than at module load: a command parses one
 * file once, so it costs nothing, and it makes each test's coverage show which rules it exercises
 * (mutation testing otherwise has to run every rule's mutants against every test, with a reload).
 */
const configSchema = () =>
  z.strictObject(
    {
      userId: z
        .string(expect("a lowercase id of 3-32 letters, digits or hyphens", 'set userId to your AiCore user id in quotes, e.g. "0a1b2c3d4e5f", so YAML keeps it a string'))
        .regex(USER_ID, expect("a lowercase id of 3-32 letters, digits or hyphens, not starting or ending with a hyphen", "it prefixes every resource name and the S3 bucket name user-<userId>-bucket")),
      region: z.string(expect("an AWS region like us-east-1", "set region")).regex(REGION, expect("an AWS region like us-east-1", "use the region code, not its display name")),
      availabilityZones: z
        .array(z.string(expect("an availability zone name like us-east-1a", "list zones of the configured region")), expect("a list of 2 or 3 availability zones", "list them explicitly so plans need no AWS call"))
        .min(2, expect("at least 2 availability zones", "MSK needs brokers in 2 or 3 zones"))
        .max(3, expect("at most 3 availability zones", "MSK places brokers in 2 or 3 zones")),
      network: z
        .strictObject({
          vpcCidr: cidr("choose a private range such as 10.20.0.0/16").default(DEFAULTS.network.vpcCidr),
          publicSubnetCidr: cidr("choose a block inside vpcCidr for the client host").default(DEFAULTS.network.publicSubnetCidr),
          privateSubnetCidrs: z
            .array(cidr("choose blocks inside vpcCidr, one per availability zone"), expect("a list of CIDR blocks, one per availability zone", "add one block per zone"))
            .default([...DEFAULTS.network.privateSubnetCidrs]),
        }, section("network"))
        .prefault({}),
      clientHost: z.strictObject({
        instanceType: z.string(expect("an EC2 instance type like t3.small", "the REST proxy wants at least 2 GiB of memory")).default(DEFAULTS.clientHost.instanceType),
        sshAllowedCidrs: z
          .array(cidr("use your own public address as x.x.x.x/32"), expect("a list of CIDR blocks allowed to SSH to the client host", "add your public address as x.x.x.x/32"))
          .min(1, expect("at least one CIDR block", "add your public address as x.x.x.x/32")),
        allowSshFromAnywhere: z.boolean(expect("true or false", "set true only to accept SSH from 0.0.0.0/0 on purpose")).default(DEFAULTS.clientHost.allowSshFromAnywhere),
        sshPublicKey: z.string(expect("an OpenSSH public key or the path of a .pub file", "e.g. ~/.ssh/id_ed25519.pub")),
        sshUser: z.string(expect("the login user of the AMI", "Amazon Linux uses ec2-user")).regex(/^[a-z_][a-z0-9_-]{0,31}$/, expect("a POSIX user name", "Amazon Linux uses ec2-user")).default(DEFAULTS.clientHost.sshUser),
        amiSsmParameter: z
          .string(expect("an SSM public parameter path", "use /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64"))
          .regex(/^\/aws\/service\/ami-amazon-linux-latest\/al2023-ami-/, expect("an Amazon Linux 2023 SSM parameter path", "provisioning targets Amazon Linux 2023 (dnf, Corretto 17)"))
          .default(DEFAULTS.clientHost.amiSsmParameter),
        rootVolumeSizeGiB: positiveInt("a whole volume size in GiB from 8 to 16384", "the Kafka and Confluent tarballs need about 2 GiB", 16384).min(8, expect("a whole volume size in GiB from 8 to 16384", "the AMI itself needs 8 GiB")).default(DEFAULTS.clientHost.rootVolumeSizeGiB),
      }, section("clientHost")),
      msk: z
        .strictObject({
          kafkaVersion: z
            .enum(MSK_KAFKA_VERSIONS, expect(`one of ${MSK_KAFKA_VERSIONS.join(", ")}`, "older MSK versions are past end of support"))
            .default(DEFAULTS.msk.kafkaVersion),
          brokerInstanceType: z.string(expect("an MSK broker type like kafka.t3.small", "see MSK broker sizes")).regex(/^(kafka|express)\.[a-z0-9]+\.[a-z0-9]+$/, expect("an MSK broker type like kafka.t3.small or kafka.m7g.large", "broker types start with kafka.")).default(DEFAULTS.msk.brokerInstanceType),
          brokerCount: positiveInt("a whole number of brokers from 1 to 30", "use a multiple of the number of availability zones", 30).optional(),
          ebsVolumeSizeGiB: positiveInt("an EBS size in GiB from 1 to 16384", "brokers need space for the topics' retention", 16384).default(DEFAULTS.msk.ebsVolumeSizeGiB),
          defaultReplicationFactor: positiveInt("a replication factor of at least 1", "use 2 with 2 brokers, 3 with 3 or more").optional(),
          logRetentionDays: retentionDays().default(DEFAULTS.msk.logRetentionDays),
        }, section("msk"))
        .prefault({}),
      topics: z
        .strictObject({
          suffixes: z
            .array(z.string(expect("a topic suffix of lowercase letters, digits, _ or -", "topics are named <userId>.<suffix>")).regex(TOPIC_SUFFIX, expect("a topic suffix of lowercase letters, digits, _ or -", "topics are named <userId>.<suffix>")), expect("a list of topic suffixes", "e.g. [pin, geo, user]"))
            .min(1, expect("at least one topic suffix", "e.g. [pin, geo, user]"))
            .default([...DEFAULTS.topics.suffixes]),
          partitions: positiveInt("a partition count from 1 to 1000", "one partition keeps the seed's partition=0 layout", 1000).default(DEFAULTS.topics.partitions),
        }, section("topics"))
        .prefault({}),
      software: z
        .strictObject({
          kafkaCliVersion: semver("the Apache Kafka CLI version", "leave it out to use the release matching msk.kafkaVersion").optional(),
          confluentVersion: semver("a Confluent Platform community version", "e.g. 8.0.0; Confluent removes end-of-life versions from its archive").default(DEFAULTS.software.confluentVersion),
          mskIamAuthVersion: semver("an aws-msk-iam-auth version", "e.g. 2.3.6").default(DEFAULTS.software.mskIamAuthVersion),
          s3SinkPluginVersion: semver("a Confluent S3 sink connector version", "e.g. 10.6.0").default(DEFAULTS.software.s3SinkPluginVersion),
        }, section("software"))
        .prefault({}),
      artifacts: z
        .strictObject({
          kafkaBaseUrl: baseUrl("point it at archive.apache.org/dist/kafka or a mirror of it").default(DEFAULTS.artifacts.kafkaBaseUrl),
          confluentBaseUrl: baseUrl("point it at packages.confluent.io/archive or a mirror of it").default(DEFAULTS.artifacts.confluentBaseUrl),
          mskIamAuthBaseUrl: baseUrl("point it at the aws-msk-iam-auth GitHub releases download URL or a mirror of it").default(DEFAULTS.artifacts.mskIamAuthBaseUrl),
          kafkaSha256: sha256().optional(),
          confluentSha256: sha256().optional(),
          mskIamAuthSha256: sha256().optional(),
        }, section("artifacts"))
        .prefault({}),
      connector: z
        .strictObject({
          pluginZipPath: z.string(expect("a path to the S3 sink connector zip", "download it from Confluent Hub; relative paths start at the config file's folder")).optional(),
          kafkaConnectVersion: z.enum(["2.7.1", "3.7.x"], expect("2.7.1 or 3.7.x", "MSK Connect runs only these Kafka Connect versions")).default(DEFAULTS.connector.kafkaConnectVersion),
          flushSize: positiveInt("a record count of at least 1", "1 writes one S3 object per record, as the seed does").default(DEFAULTS.connector.flushSize),
          rotateScheduleIntervalMs: positiveInt("milliseconds from 1000 to 86400000", "records reach S3 at least this often; 60000 is a minute", 86_400_000)
            .min(1000, expect("milliseconds from 1000 to 86400000", "records reach S3 at least this often; 60000 is a minute"))
            .default(DEFAULTS.connector.rotateScheduleIntervalMs),
          tasksMax: positiveInt("a task count from 1 to 64", "more tasks than partitions sit idle", 64).default(DEFAULTS.connector.tasksMax),
          mcuCount: z.union([z.literal(1), z.literal(2), z.literal(4), z.literal(8)], expect("1, 2, 4 or 8", "MSK Connect sizes workers in these MCU steps")).default(DEFAULTS.connector.mcuCount),
          workerCount: positiveInt("a worker count from 1 to 10", "each worker is billed per MCU-hour", 10).default(DEFAULTS.connector.workerCount),
          logRetentionDays: retentionDays().default(DEFAULTS.connector.logRetentionDays),
        }, section("connector"))
        .prefault({}),
      api: z
        .strictObject({
          stageName: z.string(expect("a stage name of letters, digits, _ or -", "e.g. prod")).regex(STAGE_NAME, expect("a stage name of letters, digits, _ or -", "e.g. prod")).default(DEFAULTS.api.stageName),
          throttlingRateLimit: z.number(expect("requests per second as a positive number", "API Gateway's account limit is 10000")).positive(expect("requests per second as a positive number", "API Gateway's account limit is 10000")).max(10000, expect("at most 10000 requests per second", "API Gateway's account limit is 10000")).default(DEFAULTS.api.throttlingRateLimit),
          throttlingBurstLimit: positiveInt("a burst size from 1 to 5000", "API Gateway's account limit is 5000", 5000).default(DEFAULTS.api.throttlingBurstLimit),
          accessLogRetentionDays: retentionDays().default(DEFAULTS.api.accessLogRetentionDays),
          // access logging needs API Gateway's region-wide CloudWatch role; a shared account may already set it
          manageAccountLoggingRole: z.boolean(expect("true or false", "set false when the account already has API Gateway's CloudWatch logging role, so this stack does not replace it")).default(DEFAULTS.api.manageAccountLoggingRole),
          // the seed's layout (REST proxy port open to the internet) only as an explicit, acknowledged choice
          exposure: z
            .enum(API_EXPOSURES, expect("private or public", `private keeps the REST proxy port ${REST_PROXY_PORT} closed to the internet behind a VPC link; public is the seed's layout`))
            .default(DEFAULTS.api.exposure),
          acknowledgePublicProxy: z.boolean(expect("true or false", `set true only to accept the REST proxy port ${REST_PROXY_PORT} open to the internet with api.exposure: public`)).default(DEFAULTS.api.acknowledgePublicProxy),
          auth: z
            .enum(API_AUTH_MODES, expect("iam, api-key or none", "iam signs requests with SigV4; api-key sends x-api-key; none only in the acknowledged public mode"))
            .default(DEFAULTS.api.auth),
          quotaLimit: positiveInt("a whole number of requests per quota period", "api-key mode: each key's ceiling per api.quotaPeriod").default(DEFAULTS.api.quotaLimit),
          quotaPeriod: z.enum(API_QUOTA_PERIODS, expect("DAY, WEEK or MONTH", "the usage plan's quota period in api-key mode")).default(DEFAULTS.api.quotaPeriod),
        }, section("api"))
        .prefault({}),
      bucket: z
        .strictObject({
          name: z
            .string(expect("an S3 bucket name", "leave it out for user-<userId>-bucket"))
            .regex(BUCKET_NAME, expect("an S3 bucket name of 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit", "bucket names are global; pick one nobody else owns"))
            .refine((name) => !name.includes("..") && !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.startsWith("xn--"), expect("an S3 bucket name without '..', not an IP address, not starting with xn--", "bucket names are global; pick one nobody else owns"))
            .optional(),
          forceDestroy: z.boolean(expect("true or false", "true lets cdktf destroy delete a bucket that still holds objects")).default(DEFAULTS.bucket.forceDestroy),
        }, section("bucket"))
        .prefault({}),
      monitoring: z
        .strictObject({
          alarmEmail: z
            .string(expect("an e-mail address", "the alarm topic e-mails it; AWS asks the recipient to confirm"))
            .regex(EMAIL, expect("an e-mail address like ops@example.com", "the alarm topic e-mails it; AWS asks the recipient to confirm"))
            .optional(),
          api5xxRatePercent: z
            .number(expect("a percentage above 0 and at most 100", "alarm when more than this share of API requests fail with a 5XX"))
            .positive(expect("a percentage above 0 and at most 100", "alarm when more than this share of API requests fail with a 5XX"))
            .max(100, expect("a percentage above 0 and at most 100", "alarm when more than this share of API requests fail with a 5XX"))
            .default(DEFAULTS.monitoring.api5xxRatePercent),
          brokerDiskUsedPercent: z
            .number(expect("a percentage above 0 and below 100", "alarm when a broker's data volume is fuller than this"))
            .positive(expect("a percentage above 0 and below 100", "alarm when a broker's data volume is fuller than this"))
            .lt(100, expect("a percentage above 0 and below 100", "alarm when a broker's data volume is fuller than this"))
            .default(DEFAULTS.monitoring.brokerDiskUsedPercent),
        }, section("monitoring"))
        .prefault({}),
      state: z
        .strictObject({
          backend: z.enum(["local", "s3"], expect("local or s3", "local keeps terraform.<stack>.tfstate in the project; s3 keeps it in a bucket you created")).default(DEFAULTS.state.backend),
          bucket: z.string(expect("the name of an existing S3 bucket for the state", "create it first; it is not part of this stack")).regex(BUCKET_NAME, expect("an S3 bucket name", "create it first; it is not part of this stack")).optional(),
          key: z.string(expect("the state object's key", "e.g. pipeline/terraform.tfstate")).min(1, expect("the state object's key", "e.g. pipeline/terraform.tfstate")).optional(),
          region: z.string(expect("an AWS region like us-east-1", "the state bucket's region; leave it out for the stack's region")).regex(REGION, expect("an AWS region like us-east-1", "the state bucket's region; leave it out for the stack's region")).optional(),
          useLockfile: z.boolean(expect("true or false", "S3 native state locking needs Terraform 1.10 or later")).default(DEFAULTS.state.useLockfile),
        }, section("state"))
        .prefault({}),
      tags: z.record(z.string(), z.string(expect("a string tag value", "quote numbers and booleans")), expect("a map of tag names to values", "e.g. { Project: pinterest-pipeline }")).default({}),
    },
    expect("a mapping of settings", "start from pipeline.example.yaml"),
  );

type ParsedConfig = z.output<ReturnType<typeof configSchema>>;

/** The validated configuration, with every default applied and derived values resolved. */
export interface PipelineConfig extends Omit<ParsedConfig, "software" | "clientHost" | "connector" | "msk"> {
  readonly msk: ParsedConfig["msk"] & {
    /**
     * The number of brokers, a multiple of the zone count.
     * @default one broker per configured availability zone
     */
    readonly brokerCount: number;
  };
  readonly clientHost: ParsedConfig["clientHost"] & {
    /** The OpenSSH public key text, read from the file when the config names one. */
    readonly sshPublicKey: string;
  };
  readonly software: ParsedConfig["software"] & {
    /** The Apache Kafka CLI version, always of the same major.minor as the cluster. */
    readonly kafkaCliVersion: string;
  };
  readonly connector: ParsedConfig["connector"] & {
    /**
     * Absolute path of the S3 sink plugin zip. It need not exist to synthesize; plan and deploy need it.
     * @default - `artifacts/confluentinc-kafka-connect-s3-<s3SinkPluginVersion>.zip` beside the config file
     */
    readonly pluginZipPath: string;
  };
}

/** All the problems found in a config file, one `path: got X, expected Y (fix)` line each. */
export class ConfigError extends Error {
  /** Bad input, by the CLI convention of lib/cli-run.ts. */
  readonly exitCode = 2;
  constructor(
    readonly source: string,
    readonly problems: readonly string[],
  ) {
    super(`${source}: ${problems.length} problem${problems.length === 1 ? "" : "s"}\n${problems.map((p) => `  ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Reads, parses and validates a config file. Throws {@link ConfigError} listing every problem. */
export function loadConfig(path: string): PipelineConfig {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "file not found" : (err as Error).message;
    throw new ConfigError(path, [`config: got ${reason}, expected a readable YAML file (copy pipeline.example.yaml to ${DEFAULT_CONFIG_FILE} and edit it, or pass --config <file>)`]);
  }
  return parseConfig(text, { source: path, baseDir: dirname(resolve(path)) });
}

export interface ParseOptions {
  /** Named in error messages. */
  readonly source: string;
  /** Relative key paths are resolved from here. */
  readonly baseDir: string;
}

/** Parses and validates config text; see {@link loadConfig}. */
export function parseConfig(text: string, options: ParseOptions): PipelineConfig {
  // errors carry line positions only when a line counter is given (prettyErrors would also reformat the message)
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      options.source,
      doc.errors.map((e) => `yaml: got ${e.message.split("\n")[0]}, expected valid YAML (fix the syntax at line ${lineCounter.linePos(e.pos[0]).line})`),
    );
  }
  const input: unknown = doc.toJS() ?? {};
  const schema = configSchema();
  const result = schema.safeParse(input);
  const problems = result.success ? [] : firstIssuePerMistypedSetting(result.error.issues).flatMap((issue) => describeIssue(issue, input));
  // Cross-field rules run on every section that parsed, so one run reports every problem.
  const sections = result.success ? result.data : parseSections(schema, input);
  problems.push(...crossFieldProblems(sections));
  const sshPublicKey = sections.clientHost && resolveSshPublicKey(sections.clientHost.sshPublicKey, options.baseDir, problems);
  if (problems.length > 0 || !result.success) throw new ConfigError(options.source, problems);
  const { data } = result;
  return {
    ...data,
    clientHost: { ...data.clientHost, sshPublicKey: sshPublicKey! },
    msk: { ...data.msk, brokerCount: data.msk.brokerCount ?? defaultBrokerCount(data.availabilityZones.length) },
    software: { ...data.software, kafkaCliVersion: data.software.kafkaCliVersion ?? SUPPORTED_MSK_VERSIONS[data.msk.kafkaVersion] },
    connector: {
      ...data.connector,
      pluginZipPath: resolvePath(data.connector.pluginZipPath ?? defaultPluginZipPath(data.software.s3SinkPluginVersion), options.baseDir),
    },
  };
}

function parseSections(schema: ReturnType<typeof configSchema>, input: unknown): Partial<ParsedConfig> {
  // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, the input is never null (toJS() ?? {}) and a primitive has none of the section keys
  const record = input !== null && typeof input === "object" ? (input as Record<string, unknown>) : {};
  const sections: Record<string, unknown> = {};
  for (const [key, sectionSchema] of Object.entries(schema.shape)) {
    const parsed = (sectionSchema as z.ZodType).safeParse(record[key]);
    // Stryker disable next-line ConditionalExpression: equivalent, a failed section would be stored as undefined, the same as absent
    if (parsed.success) sections[key] = parsed.data;
  }
  return sections as Partial<ParsedConfig>;
}

/** The Kafka topic names of the pipeline: `<userId>.<suffix>`. */
export function topicNames(config: Pick<PipelineConfig, "userId" | "topics">): string[] {
  return config.topics.suffixes.map((suffix) => `${config.userId}.${suffix}`);
}

/** The S3 sink's dead-letter topic: outside the `<userId>.` pattern the sink copies to S3. */
export function deadLetterTopicName(config: Pick<PipelineConfig, "userId">): string {
  return `${config.userId}-dlq`;
}

/**
 * The data bucket's name: `bucket.name`, else `user-<userId>-bucket`, the name the seed's notebooks
 * read (AiCore pre-creates exactly that bucket for each student, so there it must be changed).
 */
export function bucketName(config: Pick<PipelineConfig, "userId"> & { readonly bucket?: { readonly name?: string } }): string {
  return config.bucket?.name ?? defaultBucketName(config.userId);
}

/**
 * zod still runs length checks on a value of the wrong type (a string given for a list fails both
 * "a list" and "at most 3"); the type problem is the one to report.
 */
function firstIssuePerMistypedSetting(issues: readonly z.core.$ZodIssue[]): z.core.$ZodIssue[] {
  const mistyped = new Set(issues.filter((issue) => issue.code === "invalid_type").map((issue) => JSON.stringify(issue.path)));
  return issues.filter((issue) => issue.code === "invalid_type" || !mistyped.has(JSON.stringify(issue.path)));
}

/** One problem line per issue; an object with several unknown keys gives one line per key. */
function describeIssue(issue: z.core.$ZodIssue, input: unknown): string[] {
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => `${[...issue.path, key].join(".")}: got an unknown setting, expected one of the documented settings (remove it or check its spelling against pipeline.example.yaml)`);
  }
  // every schema message is built by expect(): "expected Y (fix)"
  return [`${issue.path.length > 0 ? issue.path.join(".") : "config"}: got ${describeValue(valueAt(input, issue.path))}, ${issue.message}`];
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    // Stryker disable next-line ConditionalExpression,LogicalOperator: equivalent, zod issue paths run through objects and arrays only
    if (value === null || typeof value !== "object") return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "nothing";
  // YAML reads digit-and-e ids like 12e345 as numbers, which JSON would print as null
  if (typeof value === "number" && !Number.isFinite(value)) return String(value);
  const json = JSON.stringify(value);
  return json.length > 60 ? `${json.slice(0, 57)}...` : json;
}

function crossFieldProblems(config: Partial<ParsedConfig>): string[] {
  const problems: string[] = [];
  const { region, availabilityZones: zones, network, clientHost, msk, software, api, state } = config;
  // Stryker disable next-line ArrayDeclaration: equivalent, ids are only read when zones exist
  const ids = zones?.filter(isZoneId) ?? [];
  if (zones && ids.length > 0 && ids.length < zones.length) {
    problems.push(`availabilityZones: got ${describeValue(zones)}, expected all zone names (us-east-1a) or all zone IDs (use1-az1), not both (use one form for the whole list; IDs are the same physical zones in every account)`);
  } else if (region && zones && ids.length > 0) {
    const prefix = zoneIdPrefix(region);
    zones.forEach((zone, i) => {
      if (prefix !== undefined && !zone.startsWith(`${prefix}-`)) {
        problems.push(`availabilityZones.${i}: got ${describeValue(zone)}, expected a zone ID of region ${region} like ${prefix}-az1 (list zone IDs of the configured region: aws ec2 describe-availability-zones --region ${region})`);
      }
    });
  } else if (region && zones) {
    zones.forEach((zone, i) => {
      if (!zone.startsWith(region) || !/^[a-z]$/.test(zone.slice(region.length))) {
        problems.push(`availabilityZones.${i}: got ${describeValue(zone)}, expected a zone of region ${region} like ${region}a (list zones of the configured region)`);
      }
    });
  }
  zones?.forEach((zone, i) => {
    const unsupported = isZoneId(zone) ? unsupportedZoneProblem(zone) : undefined;
    if (unsupported) problems.push(`availabilityZones.${i}: ${unsupported}`);
  });
  if (zones && new Set(zones).size !== zones.length) {
    problems.push(`availabilityZones: got ${describeValue(zones)}, expected distinct zones (remove the duplicate)`);
  }
  if (network && zones) problems.push(...networkProblems(network, zones.length));
  clientHost?.sshAllowedCidrs.forEach((block, i) => {
    if (block.endsWith("/0") && !clientHost.allowSshFromAnywhere) {
      problems.push(`clientHost.sshAllowedCidrs.${i}: got ${describeValue(block)}, expected a narrower block than the whole internet (use your address as x.x.x.x/32, or set clientHost.allowSshFromAnywhere: true to accept the risk)`);
    }
  });
  const brokerCount = msk && zones ? (msk.brokerCount ?? defaultBrokerCount(zones.length)) : msk?.brokerCount;
  const brokerProblem = msk?.brokerCount !== undefined && zones ? brokerCountProblem(msk.brokerCount, zones.length) : undefined;
  if (brokerProblem) problems.push(`msk.brokerCount: ${brokerProblem}`);
  const replicationProblem = msk?.defaultReplicationFactor !== undefined && brokerCount !== undefined ? replicationFactorProblem(msk.defaultReplicationFactor, brokerCount) : undefined;
  if (replicationProblem) problems.push(`msk.defaultReplicationFactor: ${replicationProblem}`);
  const cli = software?.kafkaCliVersion;
  if (msk && cli !== undefined) {
    // Stryker disable next-line Regex: equivalent, kafkaVersion is an enum of X.Y.x values
    const clusterLine = msk.kafkaVersion.replace(/\.x$/, "");
    if (!cli.startsWith(`${clusterLine}.`)) {
      problems.push(`software.kafkaCliVersion: got ${describeValue(cli)}, expected a ${clusterLine}.z release to match msk.kafkaVersion ${msk.kafkaVersion} (the CLI must match the cluster; remove it to use ${SUPPORTED_MSK_VERSIONS[msk.kafkaVersion]})`);
    }
  }
  if (state?.backend === "s3") {
    if (state.bucket === undefined) problems.push(`state.bucket: got nothing, expected the name of an existing S3 bucket for the state (state.backend is s3; create the bucket first, it is not part of this stack)`);
    if (state.key === undefined) problems.push(`state.key: got nothing, expected the state object's key (state.backend is s3; e.g. pipeline/terraform.tfstate)`);
  } else if (state) {
    for (const field of ["bucket", "key", "region"] as const) {
      if (state[field] !== undefined) problems.push(`state.${field}: got ${describeValue(state[field])}, expected nothing with state.backend local (set state.backend: s3 to keep the state in S3, or remove it)`);
    }
  }
  if (api) problems.push(...apiExposureProblems(api));
  if (api && api.throttlingBurstLimit < api.throttlingRateLimit / 10) {
    problems.push(`api.throttlingBurstLimit: got ${api.throttlingBurstLimit}, expected at least a tenth of api.throttlingRateLimit ${api.throttlingRateLimit} (a tiny bucket throttles every batch)`);
  }
  return problems;
}

/** The seed's public proxy and an API without authentication are refused unless acknowledged. */
function apiExposureProblems(api: ParsedConfig["api"]): string[] {
  const problems: string[] = [];
  const acknowledgedPublic = api.exposure === "public" && api.acknowledgePublicProxy;
  if (api.exposure === "public" && !api.acknowledgePublicProxy) {
    problems.push(
      `api.exposure: got "public", expected private unless api.acknowledgePublicProxy is true (public opens the REST proxy port ${REST_PROXY_PORT} to the internet, where anyone can read every record and create topics; remove it, or set api.acknowledgePublicProxy: true to accept the risk)`,
    );
  }
  if (api.auth === "none" && !acknowledgedPublic) {
    problems.push(`api.auth: got "none", expected iam or api-key (an API without authentication lets anyone produce; none is only for the seed's layout: api.exposure: public with api.acknowledgePublicProxy: true)`);
  }
  return problems;
}

function networkProblems(network: ParsedConfig["network"], zoneCount: number): string[] {
  const problems: string[] = [];
  const { vpcCidr, publicSubnetCidr, privateSubnetCidrs } = network;
  if (privateSubnetCidrs.length < zoneCount) {
    problems.push(`network.privateSubnetCidrs: got ${privateSubnetCidrs.length} blocks, expected one per availability zone (${zoneCount}) (add a block for each zone)`);
  }
  const subnets = [["network.publicSubnetCidr", publicSubnetCidr] as const, ...privateSubnetCidrs.slice(0, zoneCount).map((c, i) => [`network.privateSubnetCidrs.${i}`, c] as const)];
  for (const [path, block] of [["network.vpcCidr", vpcCidr] as const, ...subnets]) {
    const bits = parseIpv4Cidr(block)?.bits;
    if (bits !== undefined && (bits < MIN_BLOCK_BITS || bits > MAX_BLOCK_BITS)) {
      problems.push(`${path}: got ${describeValue(block)}, expected a block from /${MIN_BLOCK_BITS} to /${MAX_BLOCK_BITS} (AWS allows VPCs and subnets of 16 to 65,536 addresses)`);
    }
  }
  for (const [path, block] of subnets) {
    if (!cidrContains(vpcCidr, block)) problems.push(`${path}: got ${describeValue(block)}, expected a block inside network.vpcCidr ${vpcCidr} (pick a block within the VPC)`);
  }
  // Stryker disable next-line EqualityOperator: equivalent, at i = length the inner loop does not run
  for (let i = 0; i < subnets.length; i++) {
    for (let j = i + 1; j < subnets.length; j++) {
      if (cidrOverlaps(subnets[i][1], subnets[j][1])) {
        problems.push(`${subnets[j][0]}: got ${describeValue(subnets[j][1])}, expected a block that does not overlap ${subnets[i][0]} ${subnets[i][1]} (subnets must be disjoint)`);
      }
    }
  }
  return problems;
}

function resolveSshPublicKey(value: string, baseDir: string, problems: string[]): string | undefined {
  const text = value.trim();
  if (SSH_PUBLIC_KEY.test(text)) return text;
  if (text.includes("PRIVATE KEY")) {
    problems.push(`clientHost.sshPublicKey: got a private key, expected an OpenSSH public key or the path of a .pub file (never put a private key in the config; use the .pub file)`);
    return undefined;
  }
  const path = resolvePath(text, baseDir);
  let content: string;
  try {
    content = readFileSync(path, "utf8").trim();
  } catch {
    problems.push(`clientHost.sshPublicKey: got ${describeValue(value)}, expected an OpenSSH public key or a readable .pub file (create one with ssh-keygen -t ed25519, or paste the key text)`);
    return undefined;
  }
  if (!SSH_PUBLIC_KEY.test(content)) {
    problems.push(`clientHost.sshPublicKey: got file ${describeValue(value)} without a public key, expected one line like "ssh-ed25519 AAAA... comment" (point it at the .pub file, not the private key)`);
    return undefined;
  }
  return content;
}

/** Resolves `~/x`, absolute and config-relative paths. */
function resolvePath(path: string, baseDir: string): string {
  if (path.startsWith("~/")) return resolve(homedir(), path.slice(2));
  return isAbsolute(path) ? path : resolve(baseDir, path);
}

function parseIpv4Cidr(block: string): { base: number; bits: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(block);
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const bits = Number(match[5]);
  if (octets.some((o) => o > 255) || bits > 32) return undefined;
  const address = ((octets[0] << 24) | (octets[1] << 16) | (octets[2] << 8) | octets[3]) >>> 0;
  const mask = bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0;
  if ((address & mask) >>> 0 !== address) return undefined;
  return { base: address, bits };
}

function isIpv4Cidr(block: string): boolean {
  return parseIpv4Cidr(block) !== undefined;
}

function cidrRange(block: string): [number, number] {
  const { base, bits } = parseIpv4Cidr(block)!;
  return [base, base + 2 ** (32 - bits) - 1];
}

function cidrContains(outer: string, inner: string): boolean {
  const [oStart, oEnd] = cidrRange(outer);
  const [iStart, iEnd] = cidrRange(inner);
  return iStart >= oStart && iEnd <= oEnd;
}

function cidrOverlaps(a: string, b: string): boolean {
  const [aStart, aEnd] = cidrRange(a);
  const [bStart, bEnd] = cidrRange(b);
  // Stryker disable next-line EqualityOperator: equivalent, aligned blocks of 16 or more addresses never start where another ends
  return aStart <= bEnd && bStart <= aEnd;
}
