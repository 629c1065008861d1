/**
 * Every grant of the default stack, whole: each policy document's statements with their effect,
 * actions, resources, principals and conditions. stack.test.ts checks the resources a statement
 * reaches; an action added to a statement, or a statement's explicit Allow lost (an empty effect is
 * not a valid IAM effect), passed it. A change here widens or narrows what the pipeline may do:
 * it shows in every reviewer's plan and must be meant.
 */
import { describe, expect, it } from "vitest";
import { exampleConfig, refTo, synthPipeline } from "./helpers";

const { tf } = synthPipeline(exampleConfig());
const USER = "0a1b2c3d4e5f";

/** A reference's expression without its `${...}`, as it appears inside a function call. */
const expression = (reference: string) => reference.slice(2, -1);
const clusterArn = refTo(tf, "aws_msk_cluster", "kafka_cluster", "arn");
/** `arn:...:<kind>/<cluster name>/<uuid>/<name>` from the cluster's ARN, as iam.ts derives it. */
const clusterChild = (kind: "topic" | "group", name: string) => `\${replace(${expression(clusterArn)}, ":cluster/", ":${kind}/")}/${name}`;
const bucketArn = refTo(tf, "aws_s3_bucket", "data-bucket", "arn");
const instanceRoleArn = refTo(tf, "aws_iam_role", "instance-role", "arn");
const stageArn = refTo(tf, "aws_api_gateway_stage", "stage", "execution_arn");
const assumedBy = (type: string, identifier: string) => ({ actions: ["sts:AssumeRole"], effect: "Allow", principals: [{ type, identifiers: [identifier] }] });

/** Every policy document, by its construct path (the logical id without its hash). */
function documents(): Record<string, unknown[]> {
  return Object.fromEntries(Object.entries(tf.data.aws_iam_policy_document as Record<string, { statement: unknown[] }>).map(([id, document]) => [id.replace(/_[0-9A-F]{8}$/, ""), document.statement]));
}

describe("every grant, whole", () => {
  it("each policy document's statements, exactly", () => {
    const allow = (sid: string, actions: string[], resources: string[]) => ({ sid, effect: "Allow", actions, resources });
    const cluster = allow("Cluster", ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"], [clusterArn]);
    expect(documents()).toEqual({
      "access-roles_access-kafka-document": [
        cluster,
        allow("PipelineTopics", ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:WriteData", "kafka-cluster:ReadData"], [clusterChild("topic", `${USER}.*`)]),
        allow("ConsumerGroups", ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], [clusterChild("group", "students")]),
        allow("DeadLetterTopic", ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"], [clusterChild("topic", `${USER}-dlq`)]),
        allow("SinkConsumerGroup", ["kafka-cluster:DescribeGroup"], [clusterChild("group", `connect-${USER}-connector`)]),
      ],
      "access-roles_access-trust": [assumedBy("AWS", instanceRoleArn)],
      "access-roles_instance-assume-document": [allow("AssumeKafkaRoles", ["sts:AssumeRole"], [refTo(tf, "aws_iam_role", "access-role", "arn"), refTo(tf, "aws_iam_role", "produce-role", "arn")])],
      "access-roles_instance-trust": [assumedBy("Service", "ec2.amazonaws.com")],
      "access-roles_produce-kafka-document": [
        allow("Cluster", ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"], [clusterArn]),
        allow("ProduceTopics", ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], ["pin", "geo", "user"].map((suffix) => clusterChild("topic", `${USER}.${suffix}`))),
      ],
      "access-roles_produce-trust": [assumedBy("AWS", instanceRoleArn)],
      "data-bucket_policy-document": [
        {
          sid: "DenyInsecureTransport",
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [bucketArn, `${bucketArn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
      "ingest-api_cloudwatch-trust": [assumedBy("Service", "apigateway.amazonaws.com")],
      "ingest-api_invoke-policy-document": [allow("InvokeProduceRoutes", ["execute-api:Invoke"], ["pin", "geo", "user"].map((suffix) => `${stageArn}/POST/topics/${USER}.${suffix}`))],
      "s3-sink_execution-document": [
        cluster,
        allow("SourceTopics", ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"], [clusterChild("topic", `${USER}.*`)]),
        allow("DeadLetterTopic", ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], [clusterChild("topic", `${USER}-dlq`)]),
        allow("InternalTopics", ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData", "kafka-cluster:ReadData"], [clusterChild("topic", "__amazon_msk_connect_*")]),
        allow("ConnectorGroups", ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], [clusterChild("group", "__amazon_msk_connect_*"), clusterChild("group", `connect-${USER}-connector`)]),
        allow("Bucket", ["s3:ListBucket", "s3:GetBucketLocation", "s3:ListBucketMultipartUploads"], [bucketArn]),
        allow("Objects", ["s3:PutObject", "s3:GetObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"], [`${bucketArn}/*`]),
      ],
      "s3-sink_execution-trust": [
        {
          ...assumedBy("Service", "kafkaconnect.amazonaws.com"),
          condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [`\${element(split(":", ${expression(clusterArn)}), 4)}`] }],
        },
      ],
    });
  });
});
