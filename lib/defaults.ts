/**
 * Every default of the pipeline, once. The config schema (`lib/config.ts`) fills a missing setting
 * from here, and each construct's `@default` fallback reads the same value, so a construct used on
 * its own behaves as the configured stack does. No zod, no cdktf: anything may import it.
 */

export const DEFAULTS = {
  network: {
    vpcCidr: "10.20.0.0/16",
    publicSubnetCidr: "10.20.0.0/24",
    privateSubnetCidrs: ["10.20.10.0/24", "10.20.11.0/24", "10.20.12.0/24"],
  },
  clientHost: {
    /** The smallest size with room for the REST proxy's JVM. */
    instanceType: "t3.small",
    allowSshFromAnywhere: false,
    sshUser: "ec2-user",
    amiSsmParameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
    rootVolumeSizeGiB: 20,
  },
  msk: {
    kafkaVersion: "3.8.x",
    /** The cheapest size, meant for development. */
    brokerInstanceType: "kafka.t3.small",
    /** Brokers per availability zone when `brokerCount` is not set. */
    brokersPerZone: 1,
    ebsVolumeSizeGiB: 20,
    logRetentionDays: 7,
  },
  topics: {
    suffixes: ["pin", "geo", "user"],
    /** One partition keeps the seed's `partition=0` layout in S3. */
    partitions: 1,
  },
  software: {
    confluentVersion: "8.0.0",
    mskIamAuthVersion: "2.3.6",
    s3SinkPluginVersion: "10.6.0",
  },
  artifacts: {
    kafkaBaseUrl: "https://archive.apache.org/dist/kafka",
    confluentBaseUrl: "https://packages.confluent.io/archive",
    mskIamAuthBaseUrl: "https://github.com/aws/aws-msk-iam-auth/releases/download",
  },
  connector: {
    kafkaConnectVersion: "3.7.x",
    /**
     * Records per S3 object. The seed's 1 writes one object (three PUT-class requests) per record;
     * 1000 with the scheduled rotation below keeps data visible within a minute at a
     * thousandth of the request cost (docs/cost.md).
     */
    flushSize: 1000,
    /** Wall-clock rotation: every open file is committed at least once a minute (`rotate.schedule.interval.ms`). */
    rotateScheduleIntervalMs: 60_000,
    /** The time zone `rotate.schedule.interval.ms` requires (`timezone`). */
    timezone: "UTC",
    tasksMax: 3,
    mcuCount: 1,
    workerCount: 1,
    logRetentionDays: 7,
  },
  api: {
    stageName: "prod",
    throttlingRateLimit: 1000,
    throttlingBurstLimit: 2000,
    accessLogRetentionDays: 30,
    manageAccountLoggingRole: true,
    /** Private: API Gateway reaches the REST proxy through a VPC link and an internal NLB; nothing else can. */
    exposure: "private",
    /** Only `exposure: public` with this set to true reproduces the seed's internet-facing proxy port. */
    acknowledgePublicProxy: false,
    /** Callers sign requests with SigV4 and need the stack's invoke policy. */
    auth: "iam",
    /** api-key mode: requests each key may make per `quotaPeriod` (a cost ceiling: about USD 3.50 per million). */
    quotaLimit: 1_000_000,
    quotaPeriod: "DAY",
    /** The NLB's health check on the REST proxy: Confluent's REST proxy answers `GET /` with `{}`. */
    healthCheckPath: "/",
  },
  bucket: {
    forceDestroy: false,
    /** Days after which S3 aborts a multipart upload a failed sink task left open (they are billed while open). */
    abortIncompleteMultipartUploadDays: 1,
  },
  monitoring: {
    /** Alarm when more than this share of the API's requests fail with 5XX, in percent over 5 minutes. */
    api5xxRatePercent: 5,
    /** Alarm when a broker's data volume is fuller than this, in percent. */
    brokerDiskUsedPercent: 80,
  },
  state: {
    /** Terraform state in a local file (cdktf's default); `s3` keeps it in a bucket. */
    backend: "local",
    /** S3 native locking (a `.tflock` object beside the state, Terraform >= 1.10). */
    useLockfile: true,
  },
  /** The consumer group the seed's console consumer checks use; the only one the access role may join. */
  consumerGroups: ["students"],
} as const;

/** The data bucket's name when the config names none: what the seed's notebooks read (and AiCore pre-creates). */
export function defaultBucketName(userId: string): string {
  return `user-${userId}-bucket`;
}

/** The S3 sink plugin zip's path, relative to the config file, when the config names none. */
export function defaultPluginZipPath(s3SinkPluginVersion: string): string {
  return `artifacts/confluentinc-kafka-connect-s3-${s3SinkPluginVersion}.zip`;
}
