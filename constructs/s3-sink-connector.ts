/**
 * MSK Connect with Confluent's S3 sink: the plugin zip as an S3 object, the custom plugin, a worker
 * configuration, the connector with the seed's configuration, its execution role and its log group.
 *
 * The zip is downloaded by the operator, never committed. Synthesis works without it (the stack
 * is useful to read, test and review offline); `terraform plan` and `cdktf deploy` then stop at a
 * precondition whose message says where to download it.
 */
import { existsSync } from "node:fs";
import { Construct } from "constructs";
import { SINK_LAYOUT } from "../lib/contract";
import { DEFAULTS } from "../lib/defaults";
import { resourceNames, sinkConsumerGroup } from "../lib/names";
import { CloudwatchLogGroup, IamRole, IamRolePolicy, MskconnectConnector, MskconnectCustomPlugin, MskconnectWorkerConfiguration, S3Object, type SecurityGroup, type Subnet, type VpcEndpoint } from "./aws";
import { Annotations, AssetType, Fn, TerraformAsset, TerraformLocal } from "../lib/cdktf";
import type { DataBucket } from "./data-bucket";
import { accountOf, kafkaClusterStatement, kafkaGroupArn, kafkaTopicArn, policyDocument, serviceTrustStatement, type PolicyStatement } from "./iam";
import type { KafkaCluster } from "./kafka-cluster";

/** Confluent Hub's download URL of an S3 sink connector release. */
export function s3SinkPluginUrl(version: string): string {
  return `https://d1i4a15mxbxib1.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/${version}/confluentinc-kafka-connect-s3-${version}.zip`;
}

/** What to do when the plugin zip is missing; shown by plan/deploy and as a synth warning. */
export function missingPluginMessage(zipPath: string, version: string): string {
  return `the S3 sink plugin zip ${zipPath} does not exist: download it with  curl -fL --create-dirs -o ${zipPath} ${s3SinkPluginUrl(version)}  (or set connector.pluginZipPath in the config), then run synth, plan or deploy again`;
}

export interface S3SinkSettings {
  readonly region: string;
  readonly bucketName: string;
  /** A Java regex over topic names; see {@link topicsRegexFor}. */
  readonly topicsRegex: string;
  /** Where records that cannot be converted or written go; a topic outside `topicsRegex`. */
  readonly deadLetterTopic: string;
  /** The dead-letter topic's replication factor, at most the broker count (Kafka Connect's default 3 needs 3 brokers). */
  readonly deadLetterReplicationFactor: number;
  /** @default 1000 records per S3 object */
  readonly flushSize?: number;
  /** @default 60000, commit every open file at least once a minute (wall clock, UTC) */
  readonly rotateScheduleIntervalMs?: number;
  /** @default 3 */
  readonly tasksMax?: number;
}

/**
 * The `topics.regex` that matches exactly the topics an IAM-style pattern names: regex
 * metacharacters are escaped and `*` becomes `.*`, so `0a1b2c3d4e5f.*` gives `0a1b2c3d4e5f\..*`
 * (only `<userId>.` topics; the unescaped seed pattern also matched `<userId>-dlq`).
 */
export function topicsRegexFor(topicPattern: string): string {
  return topicPattern
    .split("*")
    .map((part) => part.replace(/[.+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
}

/**
 * The seed's connector configuration (JSON records of the matching topics into the bucket), made
 * to survive bad records: a record the converter or the sink cannot handle is logged without its
 * contents and sent to the dead-letter topic instead of failing the task. Objects hold
 * `flush.size` records or what arrived within `rotate.schedule.interval.ms`, whichever comes first;
 * `topics.dir` and the offset padding are explicit so readers of the bucket need not guess.
 */
export function s3SinkConnectorConfiguration(settings: S3SinkSettings): Record<string, string> {
  return {
    "connector.class": "io.confluent.connect.s3.S3SinkConnector",
    "s3.region": settings.region,
    "flush.size": String(settings.flushSize ?? DEFAULTS.connector.flushSize),
    "rotate.schedule.interval.ms": String(settings.rotateScheduleIntervalMs ?? DEFAULTS.connector.rotateScheduleIntervalMs),
    // the sink refuses rotate.schedule.interval.ms without a time zone
    timezone: DEFAULTS.connector.timezone,
    "schema.compatibility": "NONE",
    "tasks.max": String(settings.tasksMax ?? DEFAULTS.connector.tasksMax),
    "topics.regex": settings.topicsRegex,
    "topics.dir": SINK_LAYOUT.topicsDir,
    "filename.offset.zero.pad.width": String(SINK_LAYOUT.offsetZeroPadWidth),
    "format.class": "io.confluent.connect.s3.format.json.JsonFormat",
    "partitioner.class": "io.confluent.connect.storage.partitioner.DefaultPartitioner",
    "value.converter.schemas.enable": "false",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "storage.class": "io.confluent.connect.s3.storage.S3Storage",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "s3.bucket.name": settings.bucketName,
    "errors.tolerance": "all",
    "errors.log.enable": "true",
    // record keys and values stay out of the worker logs
    "errors.log.include.messages": "false",
    "errors.deadletterqueue.topic.name": settings.deadLetterTopic,
    "errors.deadletterqueue.topic.replication.factor": String(settings.deadLetterReplicationFactor),
    "errors.deadletterqueue.context.headers.enable": "true",
  };
}

/** The dead-letter topic's replication factor: Kafka Connect's 3 where the brokers allow it. */
export function deadLetterReplicationFactor(brokerCount: number): number {
  return Math.min(3, brokerCount);
}

/** The worker defaults: string keys, schemaless JSON values (the connector repeats them explicitly). */
export function workerProperties(): string {
  return [
    "key.converter=org.apache.kafka.connect.storage.StringConverter",
    "value.converter=org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable=false",
  ].join("\n");
}

/**
 * The execution role's permissions: read the pipeline's topics, write the dead-letter topic (the
 * provisioner creates it), run Connect's internal topics and the connector's consumer group,
 * write objects into the bucket.
 */
export function connectorStatements(clusterArn: string, topicPattern: string, connectorName: string, bucketArn: string, deadLetterTopic: string): PolicyStatement[] {
  return [
    kafkaClusterStatement(clusterArn),
    {
      sid: "SourceTopics",
      effect: "Allow",
      actions: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"],
      resources: [kafkaTopicArn(clusterArn, topicPattern)],
    },
    {
      sid: "DeadLetterTopic",
      effect: "Allow",
      actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      resources: [kafkaTopicArn(clusterArn, deadLetterTopic)],
    },
    {
      sid: "InternalTopics",
      effect: "Allow",
      actions: ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:ReadData"],
      resources: [kafkaTopicArn(clusterArn, "__amazon_msk_connect_*")],
    },
    {
      sid: "ConnectorGroups",
      effect: "Allow",
      actions: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
      resources: [kafkaGroupArn(clusterArn, "__amazon_msk_connect_*"), kafkaGroupArn(clusterArn, sinkConsumerGroup(connectorName))],
    },
    {
      sid: "Bucket",
      effect: "Allow",
      actions: ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
      resources: [bucketArn],
    },
    {
      sid: "Objects",
      effect: "Allow",
      actions: ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"],
      resources: [`${bucketArn}/*`],
    },
  ];
}

export interface S3SinkConnectorProps {
  /** Names the plugin `<namePrefix>-plugin`, the connector `<namePrefix>-connector` and their role and logs. */
  readonly namePrefix: string;
  readonly region: string;
  readonly cluster: KafkaCluster;
  /** Receives the records, and holds the plugin zip under `kafka-connect-s3/`. */
  readonly bucket: DataBucket;
  /** The workers' subnets (private, one per zone). */
  readonly subnets: readonly Subnet[];
  readonly securityGroup: SecurityGroup;
  /** The S3 gateway endpoint of the workers' route table; the connector is created after it, since private workers reach S3 only through it. */
  readonly s3Endpoint: VpcEndpoint;
  /**
   * The topics to sink as an IAM topic pattern, e.g. `0a1b2c3d4e5f.*`; the connector's
   * `topics.regex` is derived from it with the dot escaped ({@link topicsRegexFor}).
   */
  readonly topicPattern: string;
  /** The dead-letter topic, outside `topicPattern`, e.g. `0a1b2c3d4e5f-dlq`. */
  readonly deadLetterTopic: string;
  /** The local path of the Confluent S3 sink zip; it may be missing at synth time. */
  readonly pluginZipPath: string;
  /** The zip's release, for its S3 key and the download hint. */
  readonly pluginVersion: string;
  /**
   * MSK Connect's Kafka Connect version.
   * @default 3.7.x
   */
  readonly kafkaConnectVersion?: string;
  /**
   * Records per S3 object (the seed uses 1: one object per record).
   * @default 1000
   */
  readonly flushSize?: number;
  /**
   * Commit every open file at least this often, in milliseconds (wall clock, UTC).
   * @default 60000, so records are in S3 within about a minute
   */
  readonly rotateScheduleIntervalMs?: number;
  /**
   * The connector's task limit.
   * @default 3
   */
  readonly tasksMax?: number;
  /**
   * MCUs per worker (1 MCU = 1 vCPU + 4 GiB).
   * @default 1
   */
  readonly mcuCount?: number;
  /**
   * Provisioned workers.
   * @default 1
   */
  readonly workerCount?: number;
  /**
   * How long CloudWatch keeps the worker logs.
   * @default 7 days
   */
  readonly logRetentionDays?: number;
}

export class S3SinkConnector extends Construct {
  readonly pluginObject: S3Object;
  readonly customPlugin: MskconnectCustomPlugin;
  readonly workerConfiguration: MskconnectWorkerConfiguration;
  readonly executionRole: IamRole;
  readonly logGroup: CloudwatchLogGroup;
  readonly connector: MskconnectConnector;
  /** Whether the plugin zip existed at synth time (plan and deploy need it). */
  readonly pluginZipPresent: boolean;

  constructor(scope: Construct, id: string, props: S3SinkConnectorProps) {
    super(scope, id);
    const names = resourceNames(props.namePrefix);
    const connectorName = names.connector;
    const zipName = `confluentinc-kafka-connect-s3-${props.pluginVersion}.zip`;
    const missing = missingPluginMessage(props.pluginZipPath, props.pluginVersion);

    this.pluginZipPresent = existsSync(props.pluginZipPath);
    // an asset copies the zip into the synthesized stack; without the file the object points at the
    // configured path and the precondition stops plan and deploy with the download hint
    const source = this.pluginZipPresent ? new TerraformAsset(this, "plugin-zip", { path: props.pluginZipPath, type: AssetType.FILE }) : undefined;
    if (!source) Annotations.of(this).addWarning(missing);
    // a local, because Terraform rejects a precondition that refers to no object of the configuration
    const sourcePath = new TerraformLocal(this, "plugin-zip-path", source?.path ?? props.pluginZipPath);
    this.pluginObject = new S3Object(this, "plugin-object", {
      bucket: props.bucket.bucketName,
      key: `kafka-connect-s3/${zipName}`,
      source: sourcePath.asString,
      ...(source ? { sourceHash: source.assetHash } : {}),
      contentType: "application/zip",
      lifecycle: { precondition: [{ condition: Fn.fileexists(sourcePath.asString), errorMessage: missing }] },
    });
    this.customPlugin = new MskconnectCustomPlugin(this, "plugin", {
      name: `${props.namePrefix}-plugin`,
      description: `Confluent S3 sink ${props.pluginVersion}`,
      contentType: "ZIP",
      location: { s3: { bucketArn: props.bucket.bucketArn, fileKey: this.pluginObject.key } },
    });
    this.workerConfiguration = new MskconnectWorkerConfiguration(this, "worker-configuration", {
      name: `${props.namePrefix}-worker-config`,
      description: "string keys, schemaless JSON values",
      propertiesFileContent: workerProperties(),
    });

    this.executionRole = new IamRole(this, "execution-role", {
      name: names.connectorRole,
      description: "MSK Connect S3 sink: reads the pipeline topics, writes the data bucket",
      assumeRolePolicy: policyDocument(this, "execution-trust", [
        // confused-deputy guard: only connectors of this account may use the role
        serviceTrustStatement("kafkaconnect.amazonaws.com", [{ test: "StringEquals", variable: "aws:SourceAccount", values: [accountOf(props.cluster.arn)] }]),
      ]).json,
    });
    const permissions = new IamRolePolicy(this, "execution-permissions", {
      name: "s3-sink",
      role: this.executionRole.id,
      policy: policyDocument(this, "execution-document", connectorStatements(props.cluster.arn, props.topicPattern, connectorName, props.bucket.bucketArn, props.deadLetterTopic)).json,
    });

    this.logGroup = new CloudwatchLogGroup(this, "worker-logs", { name: names.connectorLogGroup, retentionInDays: props.logRetentionDays ?? DEFAULTS.connector.logRetentionDays });
    this.connector = new MskconnectConnector(this, "connector", {
      name: connectorName,
      kafkaconnectVersion: props.kafkaConnectVersion ?? DEFAULTS.connector.kafkaConnectVersion,
      connectorConfiguration: s3SinkConnectorConfiguration({
        region: props.region,
        bucketName: props.bucket.bucketName,
        topicsRegex: topicsRegexFor(props.topicPattern),
        deadLetterTopic: props.deadLetterTopic,
        deadLetterReplicationFactor: deadLetterReplicationFactor(props.cluster.brokerCount),
        flushSize: props.flushSize,
        rotateScheduleIntervalMs: props.rotateScheduleIntervalMs,
        tasksMax: props.tasksMax,
      }),
      capacity: { provisionedCapacity: { mcuCount: props.mcuCount ?? DEFAULTS.connector.mcuCount, workerCount: props.workerCount ?? DEFAULTS.connector.workerCount } },
      kafkaCluster: {
        apacheKafkaCluster: {
          bootstrapServers: props.cluster.bootstrapBrokersSaslIam,
          vpc: { subnets: props.subnets.map((s) => s.id), securityGroups: [props.securityGroup.id] },
        },
      },
      kafkaClusterClientAuthentication: { authenticationType: "IAM" },
      kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
      plugin: [{ customPlugin: { arn: this.customPlugin.arn, revision: this.customPlugin.latestRevision } }],
      workerConfiguration: { arn: this.workerConfiguration.arn, revision: this.workerConfiguration.latestRevision },
      serviceExecutionRoleArn: this.executionRole.arn,
      logDelivery: { workerLogDelivery: { cloudwatchLogs: { enabled: true, logGroup: this.logGroup.name } } },
      // the workers start reading and writing as soon as the connector exists
      dependsOn: [permissions, props.s3Endpoint],
      timeouts: { create: "40m" },
    });
  }
}
