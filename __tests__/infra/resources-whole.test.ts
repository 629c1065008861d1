/**
 * Resources whose every attribute matters, compared whole: the stack suites check the attributes
 * their stories are about (toMatchObject, toContain), so a lost or changed neighbour passed them.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { missingPluginMessage } from "../../constructs/s3-sink-connector";
import { kafkaClusterProblems } from "../../constructs/kafka-cluster";
import type { Subnet } from "../../constructs/aws";
import { exampleConfig, onlyResource, refTo, resourcesOf, scratchDir, synthPipeline, writeDummyZip } from "./helpers";

const config = exampleConfig();
const { stack, tf } = synthPipeline(config);
const { stack: seedStack, tf: seedTf } = synthPipeline(exampleConfig((doc) => Object.assign(doc.api, { exposure: "public", acknowledgePublicProxy: true, auth: "none" })));
const USER = "0a1b2c3d4e5f";

/** The warnings cdktf prints at synth for a construct. */
function warnings(construct: { node: { metadata: { type: string; data: unknown }[] } }): unknown[] {
  return construct.node.metadata.filter((entry) => entry.type.includes("warn")).map((entry) => entry.data);
}

describe("the S3 sink", () => {
  it("worker configuration: string keys and schemaless JSON values, and nothing else", () => {
    expect(onlyResource(tf, "aws_mskconnect_worker_configuration")).toEqual({
      name: `${USER}-worker-config`,
      description: "string keys, schemaless JSON values",
      properties_file_content: ["key.converter=org.apache.kafka.connect.storage.StringConverter", "value.converter=org.apache.kafka.connect.json.JsonConverter", "value.converter.schemas.enable=false"].join("\n"),
    });
  });

  it("the connector may take 40 minutes to create (MSK Connect often needs more than the provider's default)", () => {
    expect(onlyResource(tf, "aws_mskconnect_connector").timeouts).toEqual({ create: "40m" });
  });

  it("with the plugin zip in place: the object is the zip copied into the stack, hashed so a new zip replaces it, and no warning", () => {
    const scratch = scratchDir("infra-plugin-zip-");
    try {
      const zip = join(scratch.dir, "plugin.zip");
      writeDummyZip(zip);
      const { stack: present, tf: presentTf } = synthPipeline(exampleConfig((doc) => Object.assign(doc.connector, { pluginZipPath: zip })));
      const object = onlyResource(presentTf, "aws_s3_object");
      const [localName, localValue] = Object.entries(presentTf.locals ?? {}).find(([name]) => name.includes("plugin-zip-path"))!;
      expect(localValue).toMatch(/^assets\/s3-sink_plugin-zip_[0-9A-F]+\/[0-9A-F]+\/plugin\.zip$/);
      expect(object).toEqual({
        bucket: refTo(presentTf, "aws_s3_bucket", "data-bucket", "bucket"),
        key: "kafka-connect-s3/confluentinc-kafka-connect-s3-10.6.0.zip",
        source: `\${local.${localName}}`,
        source_hash: expect.stringMatching(/^[0-9A-F]{32,}$/),
        content_type: "application/zip",
        lifecycle: { precondition: [{ condition: `\${fileexists(local.${localName})}`, error_message: missingPluginMessage(zip, "10.6.0") }] },
      });
      expect(localValue).toContain(object.source_hash);
      expect(present.connector.pluginZipPresent).toBe(true);
      expect(warnings(present.connector)).toEqual([]);
    } finally {
      scratch.cleanup();
    }
  });

  it("without it: the same object at the configured path, no hash, and a warning with the download hint", () => {
    expect(onlyResource(tf, "aws_s3_object").content_type).toBe("application/zip");
    expect(stack.connector.pluginZipPresent).toBe(false);
    expect(warnings(stack.connector)).toEqual([missingPluginMessage(config.connector.pluginZipPath, "10.6.0")]);
  });
});

describe("the ingest API's integrations", () => {
  it("private layout: each topic's POST through the VPC link to the NLB's proxy port, the request passed through as is", () => {
    const integrations = Object.values(resourcesOf(tf, "aws_api_gateway_integration"));
    expect(integrations).toEqual(
      ["geo", "pin", "user"].map((suffix) => ({
        rest_api_id: refTo(tf, "aws_api_gateway_rest_api", "rest-api", "id"),
        resource_id: refTo(tf, "aws_api_gateway_resource", `topic-${USER}${suffix}`, "id"),
        http_method: refTo(tf, "aws_api_gateway_method", `topic-${USER}${suffix}-method`, "http_method"),
        type: "HTTP_PROXY",
        integration_http_method: "POST",
        uri: `http://${refTo(tf, "aws_lb", "nlb", "dns_name")}:8082/topics/${USER}.${suffix}`,
        connection_type: "VPC_LINK",
        connection_id: refTo(tf, "aws_api_gateway_vpc_link", "vpc-link", "id"),
        passthrough_behavior: "WHEN_NO_MATCH",
      })),
    );
  });

  it("seed layout: the redeployment trigger hashes the one route's parts, and nothing else", () => {
    const expr = (type: string, fragment: string, attribute: string) => refTo(seedTf, type, fragment, attribute).slice(2, -1);
    const method = (attribute: string) => expr("aws_api_gateway_method", "proxy-method", attribute);
    const integration = (attribute: string) => expr("aws_api_gateway_integration", "proxy-integration", attribute);
    const parts = [expr("aws_api_gateway_resource", "proxy-resource", "id"), method("id"), method("authorization"), method("api_key_required"), ...["id", "uri", "connection_type", "connection_id"].map(integration)];
    expect(onlyResource(seedTf, "aws_api_gateway_deployment").triggers).toEqual({ redeployment: `\${sha1(jsonencode([[${parts.join(", ")}]]))}` });
  });

  it("seed layout: ANY {proxy+} to the host's public name, the path parameter mapped through", () => {
    expect(onlyResource(seedTf, "aws_api_gateway_integration")).toEqual({
      rest_api_id: refTo(seedTf, "aws_api_gateway_rest_api", "rest-api", "id"),
      resource_id: refTo(seedTf, "aws_api_gateway_resource", "proxy-resource", "id"),
      http_method: refTo(seedTf, "aws_api_gateway_method", "proxy-method", "http_method"),
      type: "HTTP_PROXY",
      integration_http_method: "ANY",
      uri: `http://${refTo(seedTf, "aws_instance", "instance", "public_dns")}:8082/{proxy}`,
      request_parameters: { "integration.request.path.proxy": "method.request.path.proxy" },
      passthrough_behavior: "WHEN_NO_MATCH",
    });
  });
});

describe("the ingest API's routes and account role", () => {
  it("routes: one per topic at /topics/<topic>, or the seed's one /{proxy+}", () => {
    expect(stack.api.routes.map((route) => route.path)).toEqual([`/topics/${USER}.pin`, `/topics/${USER}.geo`, `/topics/${USER}.user`]);
    expect(seedStack.api.routes.map((route) => route.path)).toEqual(["/{proxy+}"]);
  });

  it("the CloudWatch role gets AWS's push-to-logs policy, in the role's own partition", () => {
    const roleArn = refTo(tf, "aws_iam_role", "cloudwatch-role", "arn").slice(2, -1);
    expect(Object.values(resourcesOf(tf, "aws_iam_role_policy_attachment"))).toContainEqual({
      role: refTo(tf, "aws_iam_role", "cloudwatch-role", "name"),
      policy_arn: `arn:\${element(split(":", ${roleArn}), 1)}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
    });
  });
});

describe("the ingest API's producer key (auth: api-key)", () => {
  const { tf: keyTf } = synthPipeline(exampleConfig((doc) => Object.assign(doc.api, { auth: "api-key" })));

  it("one enabled key and one usage plan on the stage, with the default throttle and quota", () => {
    expect(onlyResource(keyTf, "aws_api_gateway_api_key")).toEqual({ name: `${USER}-producer`, description: "Producers of the Pinterest pipeline (x-api-key)", enabled: true });
    expect(onlyResource(keyTf, "aws_api_gateway_usage_plan")).toEqual({
      name: `${USER}-producers`,
      description: "Throttle and quota per producer key",
      api_stages: [{ api_id: refTo(keyTf, "aws_api_gateway_rest_api", "rest-api", "id"), stage: refTo(keyTf, "aws_api_gateway_stage", "stage", "stage_name") }],
      throttle_settings: { rate_limit: 1000, burst_limit: 2000 },
      quota_settings: { limit: 1_000_000, period: "DAY" },
    });
  });
});

describe("the alarm topic", () => {
  it("named and displayed after the user id", () => {
    expect(onlyResource(tf, "aws_sns_topic")).toEqual({ name: `${USER}-alarms`, display_name: `${USER} pipeline alarms` });
  });
});

describe("the client host's launch template", () => {
  it("whole: image by SSM parameter, IMDSv2 only, an encrypted gp3 root volume that goes with the instance, the volume named", () => {
    expect(onlyResource(tf, "aws_launch_template")).toEqual({
      name: `${USER}-client`,
      image_id: "resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
      instance_type: "t3.small",
      key_name: refTo(tf, "aws_key_pair", "key-pair", "key_name"),
      iam_instance_profile: { arn: refTo(tf, "aws_iam_instance_profile", "instance-profile", "arn") },
      metadata_options: { http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "disabled" },
      block_device_mappings: [{ device_name: "/dev/xvda", ebs: { volume_size: 20, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } }],
      tag_specifications: [{ resource_type: "volume", tags: { Name: `${USER}-client` } }],
    });
  });
});

describe("the MSK cluster", () => {
  it("server properties whole for two brokers: no auto-created topics, replication 2 with 1 in sync, no unclean elections", () => {
    expect(onlyResource(tf, "aws_msk_configuration").server_properties).toBe(
      ["auto.create.topics.enable=false", "default.replication.factor=2", "min.insync.replicas=1", "num.partitions=1", "unclean.leader.election.enable=false"].join("\n"),
    );
  });

  it("accepts 2 and 3 subnets, and refuses 1 and 4", () => {
    const problems = (count: number) => kafkaClusterProblems({ subnets: Array.from({ length: count }, () => ({}) as Subnet), brokerCount: 12 });
    expect(problems(2)).toEqual([]);
    expect(problems(3)).toEqual([]);
    expect(problems(1)).toEqual(["KafkaCluster: got 1 subnets, expected 2 or 3 (MSK places brokers in 2 or 3 availability zones)"]);
    expect(problems(4)).toEqual(["KafkaCluster: got 4 subnets, expected 2 or 3 (MSK places brokers in 2 or 3 availability zones)"]);
  });
});
