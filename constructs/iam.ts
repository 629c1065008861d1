/**
 * IAM building blocks shared by the constructs: policy documents as offline data sources and
 * MSK resource ARNs derived from the cluster's own ARN.
 */
import { Construct } from "constructs";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "./aws";
import { Fn } from "../lib/cdktf";

/** One IAM statement; `principals` and `condition` use Terraform's shapes so tests can read them back. */
export type PolicyStatement = DataAwsIamPolicyDocumentStatement;

/**
 * A policy document rendered by Terraform's `aws_iam_policy_document`, which plans without an AWS call.
 * Statements stay individually readable in the synthesized JSON (tests and policy rules inspect them).
 */
export function policyDocument(scope: Construct, id: string, statements: PolicyStatement[]): DataAwsIamPolicyDocument {
  return new DataAwsIamPolicyDocument(scope, id, { statement: statements });
}

/** A trust policy letting one AWS service assume the role. */
export function serviceTrustStatement(service: string, condition?: PolicyStatement["condition"]): PolicyStatement {
  return {
    effect: "Allow",
    actions: ["sts:AssumeRole"],
    principals: [{ type: "Service", identifiers: [service] }],
    ...(condition ? { condition } : {}),
  };
}

/** The account id inside any ARN (`arn:<partition>:<service>:<region>:<account>:...`). */
export function accountOf(arn: string): string {
  return Fn.element(Fn.split(":", arn), 4);
}

/** The partition inside any ARN (`aws`, `aws-cn`, `aws-us-gov`). */
export function partitionOf(arn: string): string {
  return Fn.element(Fn.split(":", arn), 1);
}

/**
 * The ARN of topics of an MSK cluster, `arn:...:topic/<cluster name>/<cluster uuid>/<pattern>`,
 * derived from `arn:...:cluster/<cluster name>/<cluster uuid>`. The pattern may end in `*`.
 */
export function kafkaTopicArn(clusterArn: string, topicPattern: string): string {
  return `${Fn.replace(clusterArn, ":cluster/", ":topic/")}/${topicPattern}`;
}

/**
 * Joining an IAM-auth cluster: every Kafka client (the REST proxy, the CLI, Connect's workers) needs it.
 * WriteDataIdempotently because Kafka 3 producers are idempotent by default.
 */
export function kafkaClusterStatement(clusterArn: string): PolicyStatement {
  return {
    sid: "Cluster",
    effect: "Allow",
    actions: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"],
    resources: [clusterArn],
  };
}

/** The ARN of consumer groups of an MSK cluster; see {@link kafkaTopicArn}. */
export function kafkaGroupArn(clusterArn: string, groupPattern: string): string {
  return `${Fn.replace(clusterArn, ":cluster/", ":group/")}/${groupPattern}`;
}
