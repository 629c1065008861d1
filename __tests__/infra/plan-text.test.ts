/**
 * The words a reviewer reads in a plan, pinned for the default stack: the description of every
 * resource that has one (several are immutable: AWS replaces a managed policy, a custom plugin or a
 * worker configuration whose description changes), the Sid of every policy statement (a plan diff
 * names the grant it changes by its Sid), and the fields of the API's access log (log queries and
 * the runbook read them by name). A change here shows in every reviewer's plan: it must be meant.
 */
import { describe, expect, it } from "vitest";
import { App, TerraformStack } from "../../lib/cdktf";
import { accessLogFormat, IngestApi } from "../../constructs/ingest-api";
import { exampleConfig, scratchDir, synthPipeline } from "./helpers";

const { tf } = synthPipeline(exampleConfig());
const { tf: seedTf } = synthPipeline(exampleConfig((doc) => Object.assign(doc.api, { exposure: "public", acknowledgePublicProxy: true, auth: "none" })));

function descriptions(json: typeof tf): Record<string, string> {
  return Object.fromEntries(
    Object.entries(json.resource).flatMap(([type, byId]) =>
      Object.entries(byId as Record<string, Record<string, unknown>>)
        .filter(([, body]) => typeof body.description === "string")
        .map(([id, body]) => [`${type}.${id}`, body.description as string]),
    ),
  );
}

describe("what a reviewer reads in a plan", () => {
  it("every description, exactly", () => {
    expect(descriptions(tf)).toEqual({
      "aws_api_gateway_rest_api.ingest-api_rest-api_91D9A67F": "Pinterest pipeline ingestion: proxies to the Kafka REST proxy",
      "aws_api_gateway_vpc_link.private-link_vpc-link_91FF56D5": "API Gateway to the REST proxy's internal NLB",
      "aws_iam_policy.ingest-api_invoke-policy_6320665D": "Produce through the ingestion API: POST /topics/<topic> on its stage, nothing else",
      "aws_iam_role.access-roles_access-role_CC30EE45": "MSK access for the operator's Kafka CLI (awsRoleArn in client.properties)",
      "aws_iam_role.access-roles_instance-role_6BD89625": "Kafka client host; assumes the access role for MSK",
      "aws_iam_role.access-roles_produce-role_9D7B1D3A": "The REST proxy's MSK access: produce to the pipeline's topics only",
      "aws_iam_role.ingest-api_cloudwatch-role_98BE7C39": "API Gateway account setting: lets stages write access logs",
      "aws_iam_role.s3-sink_execution-role_5B448F89": "MSK Connect S3 sink: reads the pipeline topics, writes the data bucket",
      "aws_msk_configuration.kafka_configuration_C55C58D5": "auto topic creation off, replication sized to the broker count",
      "aws_mskconnect_custom_plugin.s3-sink_plugin_BFD4DEED": "Confluent S3 sink 10.6.0",
      "aws_mskconnect_worker_configuration.s3-sink_worker-configuration_F4399786": "string keys, schemaless JSON values",
      "aws_security_group.network_client-sg_E4652070": "Kafka client host: SSH from the operator, REST proxy for API Gateway",
      "aws_security_group.network_connector-sg_EDDFD028": "MSK Connect workers: to the brokers and S3",
      "aws_security_group.network_msk-sg_7B734E76": "MSK brokers: SASL/IAM from the client host and MSK Connect",
      "aws_security_group.private-link_nlb-sg_0D7BB5CE": "Internal NLB of the API Gateway VPC link: forwards to the REST proxy only",
      "aws_vpc_security_group_egress_rule.network_client-egress_9A623CE2": "downloads, STS and the brokers",
      "aws_vpc_security_group_egress_rule.network_connector-to-msk_16CFD434": "SASL/IAM to the brokers",
      "aws_vpc_security_group_egress_rule.network_connector-to-s3_EF55C85A": "HTTPS to S3 through the gateway endpoint",
      "aws_vpc_security_group_egress_rule.private-link_nlb-to-host_EE2878EC": "REST proxy traffic and health checks to the client host",
      "aws_vpc_security_group_ingress_rule.network_client-ssh-0_37E202A3": "SSH from the operator",
      "aws_vpc_security_group_ingress_rule.network_msk-from-client_65D230EB": "SASL/IAM from the Kafka client host",
      "aws_vpc_security_group_ingress_rule.network_msk-from-connector_BA7C1FF2": "SASL/IAM from MSK Connect",
      "aws_vpc_security_group_ingress_rule.private-link_host-from-nlb_31541429": "REST proxy from the internal NLB of the API Gateway VPC link",
    });
    // the seed's layout: the proxy port open to the configured blocks instead of the load balancer
    expect(Object.entries(descriptions(seedTf)).filter(([address]) => address.includes("client-rest-proxy"))).toEqual([
      ["aws_vpc_security_group_ingress_rule.network_client-rest-proxy-0_E5B94A46", "REST proxy for the API Gateway HTTP proxy integration"],
    ]);
  });

  it("the Sid of every policy statement, in order (trust policies have none)", () => {
    const sids = Object.fromEntries(
      Object.entries(tf.data.aws_iam_policy_document as Record<string, { statement?: { sid?: string }[] }>).map(([id, document]) => [id, (document.statement ?? []).map((statement) => statement.sid ?? null)]),
    );
    expect(sids).toEqual({
      "access-roles_access-kafka-document_BF76B91F": ["Cluster", "PipelineTopics", "ConsumerGroups", "DeadLetterTopic", "SinkConsumerGroup"],
      "access-roles_access-trust_31D76CC1": [null],
      "access-roles_instance-assume-document_3BFFD3CC": ["AssumeKafkaRoles"],
      "access-roles_instance-trust_7D1FCDC9": [null],
      "access-roles_produce-kafka-document_814B17A4": ["Cluster", "ProduceTopics"],
      "access-roles_produce-trust_BE8A2B9C": [null],
      "data-bucket_policy-document_8B93AEB1": ["DenyInsecureTransport"],
      "ingest-api_cloudwatch-trust_15A06740": [null],
      "ingest-api_invoke-policy-document_8B4350CD": ["InvokeProduceRoutes"],
      "s3-sink_execution-document_01F45BB7": ["Cluster", "SourceTopics", "DeadLetterTopic", "InternalTopics", "ConnectorGroups", "Bucket", "Objects"],
      "s3-sink_execution-trust_917957FD": [null],
    });
  });

  it("the access log's fields and the API Gateway variables behind them", () => {
    expect(JSON.parse(accessLogFormat())).toEqual({
      requestId: "$context.requestId",
      ip: "$context.identity.sourceIp",
      requestTime: "$context.requestTime",
      httpMethod: "$context.httpMethod",
      path: "$context.path",
      status: "$context.status",
      responseLength: "$context.responseLength",
      integrationStatus: "$context.integration.status",
      integrationLatency: "$context.integration.latency",
      error: "$context.error.message",
    });
  });

  it("an ingest API without topics is refused when built, naming what each topic becomes", () => {
    const scratch = scratchDir("infra-plan-text-");
    try {
      const stack = new TerraformStack(new App({ outdir: scratch.dir }), "empty");
      expect(() => new IngestApi(stack, "api", { apiName: "u1", backend: {} as never, topics: [] })).toThrow(
        "IngestApi: got no topics, expected at least one (each topic is one POST /topics/<topic> route)",
      );
    } finally {
      scratch.cleanup();
    }
  });
});
