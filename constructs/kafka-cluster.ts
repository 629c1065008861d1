/**
 * The MSK cluster: IAM client authentication only, TLS from clients and between brokers,
 * encryption at rest, broker logs in CloudWatch, and a configuration that turns off automatic
 * topic creation (topics are created on purpose, named `<userId>.<suffix>`).
 */
import { Construct } from "constructs";
import { CloudwatchLogGroup, MskCluster, MskConfiguration, type SecurityGroup, type Subnet } from "./aws";
import { Token } from "../lib/cdktf";
import type { MskKafkaVersion } from "../lib/contract";
import { DEFAULTS } from "../lib/defaults";
import { resourceNames } from "../lib/names";
import { brokerCountProblem, defaultBrokerCount, replicationFactorProblem } from "../lib/msk-rules";

export interface KafkaClusterProps {
  /** Names the cluster `<namePrefix>-cluster`, its configuration and its log group. */
  readonly namePrefix: string;
  /** The MSK Kafka version line, e.g. `3.8.x`. */
  readonly kafkaVersion: MskKafkaVersion;
  /** The brokers' subnets, one per availability zone. */
  readonly subnets: readonly Subnet[];
  /** The brokers' security group (it admits SASL/IAM on 9098 from the clients). */
  readonly securityGroup: SecurityGroup;
  /**
   * The broker instance type.
   * @default kafka.t3.small, the cheapest size, meant for development
   */
  readonly brokerInstanceType?: string;
  /**
   * The number of brokers, a multiple of the number of subnets.
   * @default one broker per subnet (one per availability zone)
   */
  readonly brokerCount?: number;
  /**
   * Each broker's EBS volume size.
   * @default 20 GiB
   */
  readonly ebsVolumeSizeGiB?: number;
  /**
   * The replication factor of new topics.
   * @default min(3, brokerCount)
   */
  readonly defaultReplicationFactor?: number;
  /**
   * The partition count of new topics.
   * @default 1, the seed's `partition=0` layout in S3
   */
  readonly defaultPartitions?: number;
  /**
   * How long CloudWatch keeps the broker logs.
   * @default 7 days
   */
  readonly logRetentionDays?: number;
}

export interface KafkaServerSettings {
  readonly brokerCount: number;
  readonly defaultReplicationFactor?: number;
  readonly defaultPartitions?: number;
}

/**
 * The cluster's `server.properties`: no automatic topic creation, replication that survives one
 * broker loss where the broker count allows it (`min.insync.replicas` one below the replication factor, at most 2).
 */
export function mskServerProperties(settings: KafkaServerSettings): string {
  const replicationFactor = settings.defaultReplicationFactor ?? Math.min(3, settings.brokerCount);
  const minInsyncReplicas = Math.max(1, Math.min(2, replicationFactor - 1));
  return [
    "auto.create.topics.enable=false",
    `default.replication.factor=${replicationFactor}`,
    `min.insync.replicas=${minInsyncReplicas}`,
    `num.partitions=${settings.defaultPartitions ?? DEFAULTS.topics.partitions}`,
    "unclean.leader.election.enable=false",
  ].join("\n");
}

/** The props' rule violations, one message each; empty when the props are consistent. */
export function kafkaClusterProblems(props: Pick<KafkaClusterProps, "subnets" | "brokerCount" | "defaultReplicationFactor">): string[] {
  const problems: string[] = [];
  const subnets = props.subnets.length;
  const brokers = props.brokerCount ?? defaultBrokerCount(subnets);
  if (subnets < 2 || subnets > 3) {
    problems.push(`KafkaCluster: got ${subnets} subnets, expected 2 or 3 (MSK places brokers in 2 or 3 availability zones)`);
  }
  const brokerProblem = Token.isUnresolved(brokers) ? undefined : brokerCountProblem(brokers, subnets);
  if (brokerProblem) problems.push(`KafkaCluster: brokerCount: ${brokerProblem}`);
  const rf = props.defaultReplicationFactor;
  const replicationProblem = rf === undefined || Token.isUnresolved(rf) ? undefined : replicationFactorProblem(rf, brokers);
  if (replicationProblem) problems.push(`KafkaCluster: defaultReplicationFactor: ${replicationProblem}`);
  return problems;
}

export class KafkaCluster extends Construct {
  readonly cluster: MskCluster;
  readonly configuration: MskConfiguration;
  readonly brokerLogGroup: CloudwatchLogGroup;
  /** The number of brokers (MSK numbers them 1 to brokerCount). */
  readonly brokerCount: number;

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const problems = kafkaClusterProblems(props);
    if (problems.length > 0) throw new Error(problems.join("\n"));
    const brokerCount = props.brokerCount ?? defaultBrokerCount(props.subnets.length);
    this.brokerCount = brokerCount;

    this.brokerLogGroup = new CloudwatchLogGroup(this, "broker-logs", {
      name: resourceNames(props.namePrefix).brokerLogGroup,
      retentionInDays: props.logRetentionDays ?? DEFAULTS.msk.logRetentionDays,
    });
    this.configuration = new MskConfiguration(this, "configuration", {
      name: `${props.namePrefix}-cluster-config`,
      description: "auto topic creation off, replication sized to the broker count",
      serverProperties: mskServerProperties({ brokerCount, defaultReplicationFactor: props.defaultReplicationFactor, defaultPartitions: props.defaultPartitions }),
    });
    this.cluster = new MskCluster(this, "cluster", {
      clusterName: `${props.namePrefix}-cluster`,
      kafkaVersion: props.kafkaVersion,
      numberOfBrokerNodes: brokerCount,
      brokerNodeGroupInfo: {
        instanceType: props.brokerInstanceType ?? DEFAULTS.msk.brokerInstanceType,
        clientSubnets: props.subnets.map((s) => s.id),
        securityGroups: [props.securityGroup.id],
        storageInfo: { ebsStorageInfo: { volumeSize: props.ebsVolumeSizeGiB ?? DEFAULTS.msk.ebsVolumeSizeGiB } },
      },
      clientAuthentication: { sasl: { iam: true, scram: false }, unauthenticated: false },
      // without a customer key MSK encrypts at rest with the AWS-managed aws/msk key
      encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } },
      configurationInfo: { arn: this.configuration.arn, revision: this.configuration.latestRevision },
      loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: this.brokerLogGroup.name } } },
    });
  }

  /** The cluster's ARN. */
  get arn(): string {
    return this.cluster.arn;
  }

  /** The SASL/IAM bootstrap string, `b-1...:9098,b-2...:9098`. */
  get bootstrapBrokersSaslIam(): string {
    return this.cluster.bootstrapBrokersSaslIam;
  }
}
