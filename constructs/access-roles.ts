/**
 * The client host's identities. The instance role is what the EC2 instance profile carries; it may
 * do one thing: assume `<userId>-ec2-access-role`, the role the seed's Kafka clients name through
 * `awsRoleArn` in client.properties. The access role trusts the instance role (an existing,
 * different role, so IAM accepts the principal and Terraform sees no cycle) and holds the
 * least-privilege `kafka-cluster:*` permissions on this cluster's `<userId>.*` topics.
 *
 * The REST proxy gets a role of its own, `<userId>-produce-role`, assumed the same way: it may only
 * connect, describe and write the pipeline's topics, so whoever reaches the proxy cannot read,
 * create or delete anything.
 */
import { Construct } from "constructs";
import { IamInstanceProfile, IamRole, IamRolePolicy } from "./aws";
import { DEFAULTS } from "../lib/defaults";
import { resourceNames } from "../lib/names";
import { kafkaClusterStatement, kafkaGroupArn, kafkaTopicArn, policyDocument, serviceTrustStatement, type PolicyStatement } from "./iam";
import type { KafkaCluster } from "./kafka-cluster";

export interface AccessRolesProps {
  /** Names the roles `<namePrefix>-ec2-access-role` and `<namePrefix>-client-instance-role`. */
  readonly namePrefix: string;
  /** The cluster the access role may use. */
  readonly cluster: KafkaCluster;
  /** The topic name pattern the clients may create, write and read, e.g. `0a1b2c3d4e5f.*`. */
  readonly topicPattern: string;
  /** The dead-letter topic the operator's CLI creates and the sink's consumer group it may describe. */
  readonly operatorScope: OperatorKafkaScope;
  /** The topics the REST proxy may write, e.g. `0a1b2c3d4e5f.pin`. */
  readonly produceTopics: readonly string[];
  /**
   * The consumer groups the clients may join.
   * @default ["students"], the group the seed's console consumer checks use
   */
  readonly consumerGroups?: readonly string[];
}

/** The REST proxy's Kafka permissions: produce to exactly these topics, nothing else. */
export function produceOnlyStatements(clusterArn: string, topics: readonly string[]): PolicyStatement[] {
  return [
    // idempotent writes are a cluster-level action; Kafka 3 producers are idempotent by default
    { sid: "Cluster", effect: "Allow", actions: ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"], resources: [clusterArn] },
    {
      sid: "ProduceTopics",
      effect: "Allow",
      actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      resources: topics.map((topic) => kafkaTopicArn(clusterArn, topic)),
    },
  ];
}

/** What the operator's CLI administers beside the pipeline's topics (see {@link kafkaClientStatements}). */
export interface OperatorKafkaScope {
  /** The S3 sink's dead-letter topic, outside the topic pattern; the provisioner creates it. */
  readonly deadLetterTopic: string;
  /** The S3 sink's consumer group, which `verify` describes to find where delivery stops. */
  readonly sinkConsumerGroup: string;
}

/**
 * The access role's Kafka permissions: the cluster, the pipeline's topics, the named consumer groups,
 * creating and describing the dead-letter topic, and describing (only) the sink's consumer group.
 */
export function kafkaClientStatements(clusterArn: string, topicPattern: string, consumerGroups: readonly string[], scope: OperatorKafkaScope): PolicyStatement[] {
  return [
    kafkaClusterStatement(clusterArn),
    {
      sid: "PipelineTopics",
      effect: "Allow",
      actions: ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:WriteData", "kafka-cluster:ReadData"],
      resources: [kafkaTopicArn(clusterArn, topicPattern)],
    },
    {
      sid: "ConsumerGroups",
      effect: "Allow",
      actions: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
      resources: consumerGroups.map((group) => kafkaGroupArn(clusterArn, group)),
    },
    {
      sid: "DeadLetterTopic",
      effect: "Allow",
      actions: ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"],
      resources: [kafkaTopicArn(clusterArn, scope.deadLetterTopic)],
    },
    {
      sid: "SinkConsumerGroup",
      effect: "Allow",
      actions: ["kafka-cluster:DescribeGroup"],
      resources: [kafkaGroupArn(clusterArn, scope.sinkConsumerGroup)],
    },
  ];
}

export class AccessRoles extends Construct {
  /** Carried by the client host; may only assume the access role. */
  readonly instanceRole: IamRole;
  readonly instanceProfile: IamInstanceProfile;
  /** `<namePrefix>-ec2-access-role`, assumed through `awsRoleArn` by the Kafka CLI and the REST proxy. */
  readonly accessRole: IamRole;
  /** `<namePrefix>-produce-role`, assumed by the REST proxy: produce-only. */
  readonly produceRole: IamRole;

  constructor(scope: Construct, id: string, props: AccessRolesProps) {
    super(scope, id);
    const consumerGroups = props.consumerGroups ?? DEFAULTS.consumerGroups;
    const names = resourceNames(props.namePrefix);

    this.instanceRole = new IamRole(this, "instance-role", {
      name: names.instanceRole,
      description: "Kafka client host; assumes the access role for MSK",
      assumeRolePolicy: policyDocument(this, "instance-trust", [serviceTrustStatement("ec2.amazonaws.com")]).json,
    });
    this.instanceProfile = new IamInstanceProfile(this, "instance-profile", { name: `${props.namePrefix}-client-instance-profile`, role: this.instanceRole.name });

    const trustInstanceRole = (id: string) =>
      policyDocument(this, id, [{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: [this.instanceRole.arn] }] }]).json;
    this.accessRole = new IamRole(this, "access-role", {
      name: names.accessRole,
      description: "MSK access for the operator's Kafka CLI (awsRoleArn in client.properties)",
      assumeRolePolicy: trustInstanceRole("access-trust"),
    });
    new IamRolePolicy(this, "access-kafka", {
      name: "kafka-cluster",
      role: this.accessRole.id,
      policy: policyDocument(this, "access-kafka-document", kafkaClientStatements(props.cluster.arn, props.topicPattern, consumerGroups, props.operatorScope)).json,
    });
    this.produceRole = new IamRole(this, "produce-role", {
      name: names.produceRole,
      description: "The REST proxy's MSK access: produce to the pipeline's topics only",
      assumeRolePolicy: trustInstanceRole("produce-trust"),
    });
    new IamRolePolicy(this, "produce-kafka", {
      name: "kafka-produce",
      role: this.produceRole.id,
      policy: policyDocument(this, "produce-kafka-document", produceOnlyStatements(props.cluster.arn, props.produceTopics)).json,
    });
    new IamRolePolicy(this, "instance-assume-access", {
      name: "assume-access-role",
      role: this.instanceRole.id,
      policy: policyDocument(this, "instance-assume-document", [
        { sid: "AssumeKafkaRoles", effect: "Allow", actions: ["sts:AssumeRole"], resources: [this.accessRole.arn, this.produceRole.arn] },
      ]).json,
    });
  }
}
