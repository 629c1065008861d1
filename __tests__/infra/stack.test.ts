/** The synthesized pipeline stack, resource by resource, against the seed's and the requirements. */
import { describe, expect, it } from "vitest";
import { STACK_OUTPUT_NAMES, type StackOutputName, outputDescription } from "../../lib/contract";
import { checkPolicies } from "../../constructs/policies";
import { policySuppressions } from "../../constructs/pipeline-stack";
import { exampleConfig, onlyResource, policyStatements, refTo, resourceNamed, resourcesOf, synthPipeline, type Statement } from "./helpers";

const config = exampleConfig();
const { tf } = synthPipeline(config);
/** The seed's layout, acknowledged: ANY /{proxy+} over the internet to port 8082, no authentication. */
const seedConfig = exampleConfig((doc) => Object.assign(doc.api, { exposure: "public", acknowledgePublicProxy: true, auth: "none" }));
const { tf: seedTf } = synthPipeline(seedConfig);
const USER = "0a1b2c3d4e5f";
const clusterArn = refTo(tf, "aws_msk_cluster", "kafka_cluster", "arn");

/** A security group rule with every attribute but its description: what it allows, from or to where, on which group. */
function ruleOf(rule: Record<string, unknown>): Record<string, unknown> {
  const { description: _description, ...rest } = rule;
  return rest;
}

/** The statement with `sid`, from the policy document the reference names. */
function statement(reference: string, sid: string): Statement {
  const found = policyStatements(tf, reference).find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid}`);
  return found;
}

/** `type.name` of the one resource of `type` whose logical name has `fragment`: how depends_on names it. */
function address(type: string, fragment: string): string {
  return refTo(tf, type, fragment, "id").slice(2, -4);
}

describe("ordering dependencies", () => {
  it("every depends_on the stack has exists for an ordering reason, and names exactly what must come first", () => {
    const dependencies = Object.fromEntries(
      Object.entries(tf.resource).flatMap(([type, resources]) =>
        Object.entries(resources as Record<string, { depends_on?: string[] }>)
          .filter(([, resource]) => resource.depends_on !== undefined)
          .map(([name, resource]) => [`${type}.${name}`, resource.depends_on]),
      ),
    );
    const topics = ["0a1b2c3d4e5fpin", "0a1b2c3d4e5fgeo", "0a1b2c3d4e5fuser"];
    expect(dependencies).toEqual({
      // S3 rejects a bucket policy that grants public access while the block is still being applied
      [address("aws_s3_bucket_policy", "policy")]: [address("aws_s3_bucket_public_access_block", "public-access")],
      // a VPC link needs an NLB that forwards somewhere
      [address("aws_api_gateway_vpc_link", "vpc-link")]: [address("aws_lb_listener", "listener")],
      // the account setting checks the role can write logs; the stage's access logs need the setting
      [address("aws_api_gateway_account", "account")]: [address("aws_iam_role_policy_attachment", "cloudwatch-role-policy")],
      [address("aws_api_gateway_stage", "stage")]: [address("aws_api_gateway_account", "account")],
      // a deployment snapshots the API: every method and integration must exist first
      [address("aws_api_gateway_deployment", "deployment")]: topics.flatMap((topic) => [
        address("aws_api_gateway_method", `topic-${topic}-method`),
        address("aws_api_gateway_integration", `topic-${topic}-integration`),
      ]),
      // the connector starts at once: its role's permissions and the S3 endpoint must be in place
      [address("aws_mskconnect_connector", "connector")]: [address("aws_iam_role_policy", "execution-permissions"), address("aws_vpc_endpoint", "s3-endpoint")],
    });
  });
});

describe("provider and data sources", () => {
  it("configures the region and the config's tags as default tags", () => {
    expect(tf.provider.aws).toEqual([{ region: "us-east-1", default_tags: [{ tags: { Project: "pinterest-pipeline" } }] }]);
  });

  it("uses only data sources that plan without an AWS call", () => {
    expect(Object.keys(tf.data ?? {})).toEqual(["aws_iam_policy_document"]);
  });
});

describe("network", () => {
  it("creates a VPC with DNS hostnames, so the host gets the public DNS name the API targets", () => {
    expect(onlyResource(tf, "aws_vpc")).toMatchObject({ cidr_block: "10.20.0.0/16", enable_dns_hostnames: true, enable_dns_support: true });
  });

  it("puts one private subnet in each configured zone and the public subnet in the first", () => {
    const privates = ["private-subnet-0", "private-subnet-1"].map((n) => resourceNamed(tf, "aws_subnet", n));
    expect(privates.map((s) => [s.availability_zone, s.cidr_block])).toEqual([
      ["us-east-1a", "10.20.10.0/24"],
      ["us-east-1b", "10.20.11.0/24"],
    ]);
    expect(resourceNamed(tf, "aws_subnet", "public-subnet")).toMatchObject({ availability_zone: "us-east-1a", cidr_block: "10.20.0.0/24", map_public_ip_on_launch: false });
    expect(Object.keys(resourcesOf(tf, "aws_subnet"))).toHaveLength(3);
  });

  it("routes only the public subnet to the internet gateway", () => {
    const route = onlyResource(tf, "aws_route");
    const publicRoutes = refTo(tf, "aws_route_table", "public-routes", "id");
    expect(route).toMatchObject({ destination_cidr_block: "0.0.0.0/0", gateway_id: refTo(tf, "aws_internet_gateway", "internet-gateway", "id") });
    expect(route.route_table_id).toBe(publicRoutes);
    // no inline routes either, and the table with the internet route serves the public subnet and nothing else
    const tables = Object.values(resourcesOf(tf, "aws_route_table"));
    expect(tables).toHaveLength(2);
    for (const table of tables) expect(table.route).toBeUndefined();
    const associations = Object.values(resourcesOf(tf, "aws_route_table_association"));
    expect(associations.filter((a) => a.route_table_id === publicRoutes).map((a) => a.subnet_id)).toEqual([refTo(tf, "aws_subnet", "public-subnet", "id")]);
    expect(associations.filter((a) => a.route_table_id !== publicRoutes).map((a) => a.subnet_id)).toEqual([refTo(tf, "aws_subnet", "private-subnet-0", "id"), refTo(tf, "aws_subnet", "private-subnet-1", "id")]);
    expect(resourcesOf(tf, "aws_main_route_table_association")).toEqual({});
  });

  it("attaches an S3 gateway endpoint to the public and private route tables", () => {
    expect(onlyResource(tf, "aws_vpc_endpoint")).toMatchObject({
      service_name: "com.amazonaws.us-east-1.s3",
      vpc_endpoint_type: "Gateway",
      route_table_ids: [refTo(tf, "aws_route_table", "public-routes", "id"), refTo(tf, "aws_route_table", "private-routes", "id")],
    });
  });

  it("declares every security group rule as a standalone resource, never inline", () => {
    const groups = Object.values(resourcesOf(tf, "aws_security_group"));
    expect(groups).toHaveLength(4);
    for (const group of groups) {
      expect(group.ingress).toBeUndefined();
      expect(group.egress).toBeUndefined();
    }
  });

  it("admits SSH to the client only from the configured blocks, and the REST proxy port only from the private link's NLB", () => {
    const clientSg = refTo(tf, "aws_security_group", "client-sg", "id");
    const ingress = Object.values(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === clientSg);
    // whole rules: a second port, another protocol, an IPv6 block or a prefix list would each be an extra attribute
    expect(ingress.map(ruleOf)).toEqual([
      { security_group_id: clientSg, ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "203.0.113.10/32" },
      { security_group_id: clientSg, ip_protocol: "tcp", from_port: 8082, to_port: 8082, referenced_security_group_id: refTo(tf, "aws_security_group", "nlb-sg", "id") },
    ]);
  });

  it("in the seed's layout, admits SSH from the configured blocks and the REST proxy port from anywhere, as the seed did", () => {
    const clientSg = refTo(seedTf, "aws_security_group", "client-sg", "id");
    const ingress = Object.values(resourcesOf(seedTf, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === clientSg);
    expect(ingress.map(ruleOf)).toEqual([
      { security_group_id: clientSg, ip_protocol: "tcp", from_port: 8082, to_port: 8082, cidr_ipv4: "0.0.0.0/0" },
      { security_group_id: clientSg, ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "203.0.113.10/32" },
    ]);
  });

  it("admits 9098 on the brokers only from the client and the connector security groups", () => {
    const mskSg = refTo(tf, "aws_security_group", "msk-sg", "id");
    const ingress = Object.values(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === mskSg);
    expect(ingress.map(ruleOf)).toEqual([
      { security_group_id: mskSg, ip_protocol: "tcp", from_port: 9098, to_port: 9098, referenced_security_group_id: refTo(tf, "aws_security_group", "client-sg", "id") },
      { security_group_id: mskSg, ip_protocol: "tcp", from_port: 9098, to_port: 9098, referenced_security_group_id: refTo(tf, "aws_security_group", "connector-sg", "id") },
    ]);
  });

  it("lets the connector out only to the brokers and to S3's prefix list", () => {
    const connectorSg = refTo(tf, "aws_security_group", "connector-sg", "id");
    const egress = Object.values(resourcesOf(tf, "aws_vpc_security_group_egress_rule")).filter((r) => r.security_group_id === connectorSg);
    expect(egress.map(ruleOf)).toEqual([
      { security_group_id: connectorSg, ip_protocol: "tcp", from_port: 9098, to_port: 9098, referenced_security_group_id: refTo(tf, "aws_security_group", "msk-sg", "id") },
      { security_group_id: connectorSg, ip_protocol: "tcp", from_port: 443, to_port: 443, prefix_list_id: refTo(tf, "aws_vpc_endpoint", "s3-endpoint", "prefix_list_id") },
    ]);
  });

  it("adds one SSH rule per configured block", () => {
    const { tf: two } = synthPipeline(exampleConfig((doc) => (doc.clientHost.sshAllowedCidrs = ["203.0.113.10/32", "198.51.100.0/24"])));
    const clientSg = refTo(two, "aws_security_group", "client-sg", "id");
    const ssh = Object.values(resourcesOf(two, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === clientSg && r.referenced_security_group_id === undefined);
    expect(ssh.map(ruleOf)).toEqual([
      { security_group_id: clientSg, ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "203.0.113.10/32" },
      { security_group_id: clientSg, ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "198.51.100.0/24" },
    ]);
  });
});

describe("client host", () => {
  const template = onlyResource(tf, "aws_launch_template");
  const instance = onlyResource(tf, "aws_instance");

  it("resolves the Amazon Linux 2023 AMI from the SSM parameter at launch, with no data source", () => {
    expect(template.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64");
    expect(instance.ami).toBeUndefined();
  });

  it("requires IMDSv2 session tokens", () => {
    expect(template.metadata_options).toMatchObject({ http_tokens: "required", http_endpoint: "enabled", http_put_response_hop_limit: 1 });
  });

  it("encrypts the root volume in the launch template, not on the instance (terraform-provider-aws#43488)", () => {
    expect(template.block_device_mappings).toEqual([{ device_name: "/dev/xvda", ebs: { encrypted: "true", volume_size: 20, volume_type: "gp3", delete_on_termination: "true" } }]);
    expect(instance.root_block_device).toBeUndefined();
  });

  it("launches from the template's latest version in the public subnet with a public address and the client security group", () => {
    expect(instance).toMatchObject({
      launch_template: { id: refTo(tf, "aws_launch_template", "launch-template", "id"), version: refTo(tf, "aws_launch_template", "launch-template", "latest_version") },
      subnet_id: refTo(tf, "aws_subnet", "public-subnet", "id"),
      associate_public_ip_address: true,
      vpc_security_group_ids: [refTo(tf, "aws_security_group", "client-sg", "id")],
    });
    expect(template).toMatchObject({ instance_type: "t3.small", iam_instance_profile: { arn: refTo(tf, "aws_iam_instance_profile", "instance-profile", "arn") } });
  });

  it("registers the operator's public key, never a private key", () => {
    const keyPair = onlyResource(tf, "aws_key_pair");
    expect(keyPair.public_key).toBe(config.clientHost.sshPublicKey);
    expect(keyPair.public_key).toMatch(/^ssh-ed25519 /);
    expect(template.key_name).toBe(refTo(tf, "aws_key_pair", "key-pair", "key_name"));
    expect(JSON.stringify(tf)).not.toContain("PRIVATE KEY");
  });
});

describe("IAM", () => {
  const roles = resourcesOf(tf, "aws_iam_role");
  const accessRole = resourceNamed(tf, "aws_iam_role", "access-role");
  const instanceRole = resourceNamed(tf, "aws_iam_role", "instance-role");

  it("names the access role as the seed expects", () => {
    expect(accessRole.name).toBe(`${USER}-ec2-access-role`);
  });

  it("lets EC2 assume the instance role, and the instance role (not the access role itself) assume the access role", () => {
    expect(policyStatements(tf, instanceRole.assume_role_policy)).toEqual([{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }]);
    const trust = policyStatements(tf, accessRole.assume_role_policy);
    expect(trust).toEqual([{ effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: [refTo(tf, "aws_iam_role", "instance-role", "arn")] }] }]);
  });

  it("has no dependency cycle: no role's trust policy refers to that role", () => {
    expect(Object.keys(roles)).toHaveLength(5);
    for (const [name, role] of Object.entries(roles)) {
      const trust = JSON.stringify(policyStatements(tf, role.assume_role_policy));
      expect(trust).not.toContain(`aws_iam_role.${name}.`);
    }
  });

  it("lets the instance role do nothing but assume the access role and the produce role", () => {
    // its one inline policy is all it has: no other inline policy, no managed policy attached
    const policies = Object.values(resourcesOf(tf, "aws_iam_role_policy")).filter((p) => p.role === refTo(tf, "aws_iam_role", "instance-role", "id"));
    expect(policies).toHaveLength(1);
    const [policy] = policies;
    expect(Object.values(resourcesOf(tf, "aws_iam_role_policy_attachment")).filter((a) => String(a.role).includes("instance-role"))).toEqual([]);
    expect(resourcesOf(tf, "aws_iam_policy_attachment")).toEqual({});
    expect(instanceRole.managed_policy_arns).toBeUndefined();
    expect(instanceRole.inline_policy).toBeUndefined();
    expect(policyStatements(tf, policy.policy)).toEqual([
      { sid: "AssumeKafkaRoles", effect: "Allow", actions: ["sts:AssumeRole"], resources: [refTo(tf, "aws_iam_role", "access-role", "arn"), refTo(tf, "aws_iam_role", "produce-role", "arn")] },
    ]);
  });

  it("lets the operator's access role create the dead-letter topic and describe (not join) the sink's consumer group", () => {
    const policy = Object.values(resourcesOf(tf, "aws_iam_role_policy")).find((p) => p.role === refTo(tf, "aws_iam_role", "access-role", "id"));
    const arn = (kind: string, name: string) => `\${replace(${clusterArn.slice(2, -1)}, ":cluster/", ":${kind}/")}/${name}`;
    expect(statement(policy.policy, "DeadLetterTopic")).toEqual({ sid: "DeadLetterTopic", effect: "Allow", actions: ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic"], resources: [arn("topic", `${USER}-dlq`)] });
    expect(statement(policy.policy, "SinkConsumerGroup")).toEqual({ sid: "SinkConsumerGroup", effect: "Allow", actions: ["kafka-cluster:DescribeGroup"], resources: [arn("group", `connect-${USER}-connector`)] });
  });

  it("lets the produce role connect and write exactly the pipeline's topics, and nothing else", () => {
    const policies = Object.values(resourcesOf(tf, "aws_iam_role_policy")).filter((p) => p.role === refTo(tf, "aws_iam_role", "produce-role", "id"));
    expect(policies).toHaveLength(1);
    const [policy] = policies;
    expect(Object.values(resourcesOf(tf, "aws_iam_role_policy_attachment")).filter((a) => String(a.role).includes("produce-role"))).toEqual([]);
    expect(resourceNamed(tf, "aws_iam_role", "produce-role").managed_policy_arns).toBeUndefined();
    expect(resourceNamed(tf, "aws_iam_role", "produce-role").inline_policy).toBeUndefined();
    const topicArn = (topic: string) => `\${replace(${clusterArn.slice(2, -1)}, ":cluster/", ":topic/")}/${topic}`;
    expect(policyStatements(tf, policy.policy)).toEqual([
      { sid: "Cluster", effect: "Allow", actions: ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"], resources: [clusterArn] },
      { sid: "ProduceTopics", effect: "Allow", actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], resources: [`${USER}.pin`, `${USER}.geo`, `${USER}.user`].map(topicArn) },
    ]);
    const trust = resourceNamed(tf, "aws_iam_role", "produce-role");
    expect(policyStatements(tf, trust.assume_role_policy)).toEqual([
      { effect: "Allow", actions: ["sts:AssumeRole"], principals: [{ type: "AWS", identifiers: [refTo(tf, "aws_iam_role", "instance-role", "arn")] }] },
    ]);
  });

  it("scopes the access role's kafka-cluster permissions to this cluster, the <userId>.* topics and the students group", () => {
    const policy = Object.values(resourcesOf(tf, "aws_iam_role_policy")).find((p) => p.role === refTo(tf, "aws_iam_role", "access-role", "id"));
    const topicArns = `\${replace(${clusterArn.slice(2, -1)}, ":cluster/", ":topic/")}/${USER}.*`;
    const groupArns = `\${replace(${clusterArn.slice(2, -1)}, ":cluster/", ":group/")}/students`;
    expect(statement(policy.policy, "Cluster")).toMatchObject({ actions: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster", "kafka-cluster:WriteDataIdempotently"], resources: [clusterArn] });
    expect(statement(policy.policy, "PipelineTopics").resources).toEqual([topicArns]);
    expect(statement(policy.policy, "PipelineTopics").actions).toEqual(expect.arrayContaining(["kafka-cluster:CreateTopic", "kafka-cluster:WriteData", "kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"]));
    expect(statement(policy.policy, "ConsumerGroups")).toMatchObject({ actions: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], resources: [groupArns] });
    const statements = policyStatements(tf, policy.policy);
    expect(statements.map((s) => s.sid)).toEqual(["Cluster", "PipelineTopics", "ConsumerGroups", "DeadLetterTopic", "SinkConsumerGroup"]);
    for (const s of statements) {
      expect(s.actions!.length, s.sid).toBeGreaterThan(0);
      for (const action of s.actions!) expect(action, s.sid).toMatch(/^kafka-cluster:[A-Za-z]+$/);
    }
  });

  it("gives the instance profile the instance role", () => {
    expect(onlyResource(tf, "aws_iam_instance_profile").role).toBe(refTo(tf, "aws_iam_role", "instance-role", "name"));
  });

  it("grants no action on every resource anywhere", () => {
    const documents = Object.values(tf.data!.aws_iam_policy_document);
    expect(documents.length).toBeGreaterThan(5);
    for (const document of documents) {
      expect((document.statement as Statement[]).length).toBeGreaterThan(0);
      for (const s of document.statement as Statement[]) {
        if (s.effect === "Deny") continue;
        expect(s.actions?.includes("*") && s.resources?.includes("*")).not.toBe(true);
        expect(s.resources ?? []).not.toContain("*");
      }
    }
  });
});

describe("MSK", () => {
  const cluster = onlyResource(tf, "aws_msk_cluster");

  it("runs a supported Kafka version on the configured brokers in the private subnets", () => {
    expect(cluster).toMatchObject({
      cluster_name: `${USER}-cluster`,
      kafka_version: "3.8.x",
      number_of_broker_nodes: 2,
      broker_node_group_info: {
        instance_type: "kafka.t3.small",
        client_subnets: [refTo(tf, "aws_subnet", "private-subnet-0", "id"), refTo(tf, "aws_subnet", "private-subnet-1", "id")],
        security_groups: [refTo(tf, "aws_security_group", "msk-sg", "id")],
        storage_info: { ebs_storage_info: { volume_size: 20 } },
      },
    });
  });

  it("authenticates clients with IAM only", () => {
    expect(cluster.client_authentication).toEqual({ sasl: { iam: true, scram: false }, unauthenticated: false });
  });

  it("encrypts client-broker and in-cluster traffic with TLS", () => {
    expect(cluster.encryption_info).toEqual({ encryption_in_transit: { client_broker: "TLS", in_cluster: true } });
  });

  it("ships broker logs to a log group with retention", () => {
    expect(cluster.logging_info.broker_logs.cloudwatch_logs).toEqual({ enabled: true, log_group: refTo(tf, "aws_cloudwatch_log_group", "broker-logs", "name") });
    expect(resourceNamed(tf, "aws_cloudwatch_log_group", "broker-logs").retention_in_days).toBe(7);
  });

  it("uses a configuration with topic auto-creation off and replication sized to two brokers", () => {
    const configuration = onlyResource(tf, "aws_msk_configuration");
    expect(configuration.server_properties.split("\n")).toEqual(
      expect.arrayContaining(["auto.create.topics.enable=false", "default.replication.factor=2", "min.insync.replicas=1", "num.partitions=1"]),
    );
    expect(cluster.configuration_info).toEqual({ arn: refTo(tf, "aws_msk_configuration", "configuration", "arn"), revision: refTo(tf, "aws_msk_configuration", "configuration", "latest_revision") });
  });

  it("follows the configured replication factor and broker count", () => {
    const { tf: three } = synthPipeline(
      exampleConfig((doc) => {
        doc.availabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c"];
        doc.msk.brokerCount = 6;
        doc.msk.defaultReplicationFactor = 3;
      }),
    );
    expect(onlyResource(three, "aws_msk_cluster").number_of_broker_nodes).toBe(6);
    expect(onlyResource(three, "aws_msk_cluster").broker_node_group_info.client_subnets).toHaveLength(3);
    expect(onlyResource(three, "aws_msk_configuration").server_properties).toContain("default.replication.factor=3\nmin.insync.replicas=2");
  });
});

describe("data bucket", () => {
  const bucketId = refTo(tf, "aws_s3_bucket", "data-bucket", "id");

  it("is named user-<userId>-bucket and keeps its objects on destroy by default", () => {
    expect(onlyResource(tf, "aws_s3_bucket")).toMatchObject({ bucket: `user-${USER}-bucket`, force_destroy: false });
  });

  it("follows bucket.forceDestroy", () => {
    const { tf: destroyable } = synthPipeline(exampleConfig((doc) => (doc.bucket.forceDestroy = true)));
    expect(onlyResource(destroyable, "aws_s3_bucket").force_destroy).toBe(true);
  });

  it("aborts multipart uploads left unfinished after one day, for the whole bucket", () => {
    expect(onlyResource(tf, "aws_s3_bucket_lifecycle_configuration")).toEqual({
      bucket: bucketId,
      rule: [{ id: "abort-incomplete-multipart-uploads", status: "Enabled", filter: [{ prefix: "" }], abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }] }],
    });
  });

  it("blocks all public access", () => {
    expect(onlyResource(tf, "aws_s3_bucket_public_access_block")).toMatchObject({ bucket: bucketId, block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  });

  it("encrypts objects by default", () => {
    expect(onlyResource(tf, "aws_s3_bucket_server_side_encryption_configuration")).toMatchObject({ bucket: bucketId, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }] });
  });

  it("enforces bucket-owner ownership", () => {
    expect(onlyResource(tf, "aws_s3_bucket_ownership_controls")).toMatchObject({ bucket: bucketId, rule: { object_ownership: "BucketOwnerEnforced" } });
  });

  it("denies every request without TLS", () => {
    const policy = onlyResource(tf, "aws_s3_bucket_policy");
    const bucketArn = refTo(tf, "aws_s3_bucket", "data-bucket", "arn");
    expect(policy.bucket).toBe(bucketId);
    expect(policyStatements(tf, policy.policy)).toEqual([
      {
        sid: "DenyInsecureTransport",
        effect: "Deny",
        actions: ["s3:*"],
        resources: [bucketArn, `${bucketArn}/*`],
        principals: [{ type: "*", identifiers: ["*"] }],
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      },
    ]);
  });
});

describe("S3 sink connector", () => {
  const connector = onlyResource(tf, "aws_mskconnect_connector");
  const role = resourceNamed(tf, "aws_iam_role", "execution-role");

  it("carries the seed's connector configuration, with error tolerance, a dead-letter topic, batching and an explicit layout", () => {
    // flush.size changed on purpose from the seed's 1 to 1000 with a one-minute scheduled rotation
    expect(connector.connector_configuration).toEqual({
      "connector.class": "io.confluent.connect.s3.S3SinkConnector",
      "s3.region": "us-east-1",
      "flush.size": "1000",
      "rotate.schedule.interval.ms": "60000",
      timezone: "UTC",
      "schema.compatibility": "NONE",
      "tasks.max": "3",
      "topics.regex": `${USER}\\..*`,
      "topics.dir": "topics",
      "filename.offset.zero.pad.width": "10",
      "format.class": "io.confluent.connect.s3.format.json.JsonFormat",
      "partitioner.class": "io.confluent.connect.storage.partitioner.DefaultPartitioner",
      "value.converter.schemas.enable": "false",
      "value.converter": "org.apache.kafka.connect.json.JsonConverter",
      "storage.class": "io.confluent.connect.s3.storage.S3Storage",
      "key.converter": "org.apache.kafka.connect.storage.StringConverter",
      "s3.bucket.name": refTo(tf, "aws_s3_bucket", "data-bucket", "bucket"),
      "errors.tolerance": "all",
      "errors.log.enable": "true",
      "errors.log.include.messages": "false",
      "errors.deadletterqueue.topic.name": `${USER}-dlq`,
      "errors.deadletterqueue.topic.replication.factor": "2",
      "errors.deadletterqueue.context.headers.enable": "true",
    });
  });

  it("matches only <userId>. topics, never the dead-letter topic or a longer user id", () => {
    const regex = new RegExp(`^(?:${connector.connector_configuration["topics.regex"]})$`);
    expect([`${USER}.pin`, `${USER}.geo`, `${USER}.user`].every((t) => regex.test(t))).toBe(true);
    expect([`${USER}-dlq`, `${USER}Xpin`, `${USER}0.pin`, `x${USER}.pin`].some((t) => regex.test(t))).toBe(false);
    expect(connector.connector_configuration["errors.deadletterqueue.topic.name"]).toBe(tf.output.dead_letter_topic.value);
  });

  it("keeps the dead-letter topic's replication within the brokers: min(3, brokers)", () => {
    const { tf: three } = synthPipeline(exampleConfig((doc) => (doc.availabilityZones = ["us-east-1a", "us-east-1b", "us-east-1c"])));
    expect(onlyResource(three, "aws_mskconnect_connector").connector_configuration["errors.deadletterqueue.topic.replication.factor"]).toBe("3");
    const { tf: six } = synthPipeline(exampleConfig((doc) => Object.assign(doc, { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], msk: { ...doc.msk, brokerCount: 6 } })));
    expect(onlyResource(six, "aws_mskconnect_connector").connector_configuration["errors.deadletterqueue.topic.replication.factor"]).toBe("3");
  });

  it("keeps the seed's one object per record when the config asks for flush.size 1", () => {
    const { tf: seed } = synthPipeline(exampleConfig((doc) => Object.assign(doc.connector, { flushSize: 1, rotateScheduleIntervalMs: 5000 })));
    expect(onlyResource(seed, "aws_mskconnect_connector").connector_configuration).toMatchObject({ "flush.size": "1", "rotate.schedule.interval.ms": "5000", timezone: "UTC" });
  });

  it("connects with IAM over TLS to the SASL/IAM brokers from the private subnets", () => {
    expect(connector).toMatchObject({
      name: `${USER}-connector`,
      kafkaconnect_version: "3.7.x",
      kafka_cluster_client_authentication: { authentication_type: "IAM" },
      kafka_cluster_encryption_in_transit: { encryption_type: "TLS" },
      kafka_cluster: {
        apache_kafka_cluster: {
          bootstrap_servers: refTo(tf, "aws_msk_cluster", "kafka_cluster", "bootstrap_brokers_sasl_iam"),
          vpc: { security_groups: [refTo(tf, "aws_security_group", "connector-sg", "id")], subnets: [refTo(tf, "aws_subnet", "private-subnet-0", "id"), refTo(tf, "aws_subnet", "private-subnet-1", "id")] },
        },
      },
    });
  });

  it("provisions 1 MCU x 1 worker by default and follows the config", () => {
    expect(connector.capacity).toEqual({ provisioned_capacity: { mcu_count: 1, worker_count: 1 } });
    const { tf: bigger } = synthPipeline(exampleConfig((doc) => Object.assign(doc.connector, { mcuCount: 2, workerCount: 3, flushSize: 100, tasksMax: 6 })));
    const resized = onlyResource(bigger, "aws_mskconnect_connector");
    expect(resized.capacity).toEqual({ provisioned_capacity: { mcu_count: 2, worker_count: 3 } });
    expect(resized.connector_configuration).toMatchObject({ "flush.size": "100", "tasks.max": "6" });
  });

  it("uses the custom plugin and worker configuration at their latest revisions, logging to CloudWatch", () => {
    expect(connector.plugin).toEqual([{ custom_plugin: { arn: refTo(tf, "aws_mskconnect_custom_plugin", "plugin", "arn"), revision: refTo(tf, "aws_mskconnect_custom_plugin", "plugin", "latest_revision") } }]);
    expect(connector.worker_configuration.revision).toBe(refTo(tf, "aws_mskconnect_worker_configuration", "worker-configuration", "latest_revision"));
    expect(connector.log_delivery).toEqual({ worker_log_delivery: { cloudwatch_logs: { enabled: true, log_group: refTo(tf, "aws_cloudwatch_log_group", "worker-logs", "name") } } });
    expect(onlyResource(tf, "aws_mskconnect_worker_configuration").properties_file_content).toContain("key.converter=org.apache.kafka.connect.storage.StringConverter");
  });

  it("names the plugin <userId>-plugin and loads it from the zip object in the data bucket", () => {
    const plugin = onlyResource(tf, "aws_mskconnect_custom_plugin");
    expect(plugin).toMatchObject({ name: `${USER}-plugin`, content_type: "ZIP", location: { s3: { bucket_arn: refTo(tf, "aws_s3_bucket", "data-bucket", "arn"), file_key: refTo(tf, "aws_s3_object", "plugin-object", "key") } } });
    expect(onlyResource(tf, "aws_s3_object")).toMatchObject({ bucket: refTo(tf, "aws_s3_bucket", "data-bucket", "bucket"), key: "kafka-connect-s3/confluentinc-kafka-connect-s3-10.6.0.zip" });
  });

  it("lets only kafkaconnect.amazonaws.com of this account assume the execution role", () => {
    // one statement, whole: a second statement or another principal would let someone else in
    expect(policyStatements(tf, role.assume_role_policy)).toEqual([
      {
        effect: "Allow",
        actions: ["sts:AssumeRole"],
        principals: [{ type: "Service", identifiers: ["kafkaconnect.amazonaws.com"] }],
        condition: [{ test: "StringEquals", variable: "aws:SourceAccount", values: [`\${element(split(":", ${clusterArn.slice(2, -1)}), 4)}`] }],
      },
    ]);
  });

  it("grants the execution role the pipeline topics, Connect's internal topics and group, and the bucket, before the connector starts", () => {
    const policy = Object.values(resourcesOf(tf, "aws_iam_role_policy")).find((p) => p.role === refTo(tf, "aws_iam_role", "execution-role", "id"));
    const cluster = clusterArn.slice(2, -1);
    const bucketArn = refTo(tf, "aws_s3_bucket", "data-bucket", "arn");
    expect(statement(policy.policy, "Cluster").resources).toEqual([clusterArn]);
    expect(statement(policy.policy, "SourceTopics")).toMatchObject({ actions: ["kafka-cluster:ReadData", "kafka-cluster:DescribeTopic"], resources: [`\${replace(${cluster}, ":cluster/", ":topic/")}/${USER}.*`] });
    expect(statement(policy.policy, "DeadLetterTopic")).toEqual({
      sid: "DeadLetterTopic",
      effect: "Allow",
      actions: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      resources: [`\${replace(${cluster}, ":cluster/", ":topic/")}/${USER}-dlq`],
    });
    expect(statement(policy.policy, "InternalTopics").resources).toEqual([`\${replace(${cluster}, ":cluster/", ":topic/")}/__amazon_msk_connect_*`]);
    expect(statement(policy.policy, "ConnectorGroups").resources).toEqual([
      `\${replace(${cluster}, ":cluster/", ":group/")}/__amazon_msk_connect_*`,
      `\${replace(${cluster}, ":cluster/", ":group/")}/connect-${USER}-connector`,
    ]);
    expect(statement(policy.policy, "Bucket").resources).toEqual([bucketArn]);
    expect(statement(policy.policy, "Objects")).toMatchObject({ resources: [`${bucketArn}/*`], actions: expect.arrayContaining(["s3:PutObject"]) });
    expect(connector.depends_on).toEqual([
      `aws_iam_role_policy.${Object.keys(resourcesOf(tf, "aws_iam_role_policy")).find((n) => n.includes("execution-permissions"))}`,
      `aws_vpc_endpoint.${Object.keys(resourcesOf(tf, "aws_vpc_endpoint"))[0]}`,
    ]);
  });
});

describe("plugin zip", () => {
  it("synthesizes without the zip, pointing at the configured path behind a precondition with the download URL", () => {
    const object = onlyResource(tf, "aws_s3_object");
    const local = Object.entries(tf.locals ?? {}).find(([name]) => name.includes("plugin-zip-path"));
    expect(local?.[1]).toBe(config.connector.pluginZipPath);
    expect(object.source).toBe(`\${local.${local![0]}}`);
    expect(object.source_hash).toBeUndefined();
    const [precondition] = object.lifecycle.precondition;
    expect(precondition.condition).toBe(`\${fileexists(local.${local![0]})}`);
    expect(precondition.error_message).toContain(`the S3 sink plugin zip ${config.connector.pluginZipPath} does not exist`);
    expect(precondition.error_message).toContain("https://d1i4a15mxbxib1.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.6.0/confluentinc-kafka-connect-s3-10.6.0.zip");
  });
});

describe("ingest API", () => {
  const api = refTo(tf, "aws_api_gateway_rest_api", "rest-api", "id");

  it("is a regional REST API named after the user id", () => {
    expect(onlyResource(tf, "aws_api_gateway_rest_api")).toMatchObject({ name: USER, endpoint_configuration: { types: ["REGIONAL"] } });
  });

  it("serves only POST /topics/<topic> for the configured topics, each a literal resource, and no {proxy+}", () => {
    const resources = Object.values(resourcesOf(tf, "aws_api_gateway_resource"));
    expect(resources.map((r) => r.path_part).sort()).toEqual([`${USER}.geo`, `${USER}.pin`, `${USER}.user`, "topics"]);
    const topicsId = refTo(tf, "aws_api_gateway_resource", "topics-resource", "id");
    expect(resourceNamed(tf, "aws_api_gateway_resource", "topics-resource").parent_id).toBe(refTo(tf, "aws_api_gateway_rest_api", "rest-api", "root_resource_id"));
    expect(resources.filter((r) => r.path_part !== "topics").map((r) => r.parent_id)).toEqual([topicsId, topicsId, topicsId]);
    const methods = Object.values(resourcesOf(tf, "aws_api_gateway_method"));
    expect(methods).toHaveLength(3);
    expect(methods.map((m) => [m.http_method, m.authorization, m.api_key_required, m.rest_api_id])).toEqual(Array(3).fill(["POST", "AWS_IAM", false, api]));
    // one method on each topic resource, none on /topics itself or the root
    const topicResourceIds = Object.keys(resourcesOf(tf, "aws_api_gateway_resource")).filter((id) => !id.includes("topics-resource")).map((id) => `\${aws_api_gateway_resource.${id}.id}`);
    expect(topicResourceIds).toHaveLength(3);
    expect(methods.map((m) => m.resource_id).sort()).toEqual(topicResourceIds.sort());
    expect(JSON.stringify(tf.resource.aws_api_gateway_resource)).not.toContain("{proxy+}");
  });

  it("proxies each route through the VPC link to the internal NLB's DNS name on 8082, to the same topic path", () => {
    const integrations = Object.values(resourcesOf(tf, "aws_api_gateway_integration"));
    expect(integrations).toHaveLength(3);
    const nlbDns = refTo(tf, "aws_lb", "nlb", "dns_name");
    expect(integrations.map((i) => i.uri).sort()).toEqual([`${USER}.geo`, `${USER}.pin`, `${USER}.user`].map((t) => `http://${nlbDns}:8082/topics/${t}`));
    for (const integration of integrations) {
      expect(integration).toMatchObject({ type: "HTTP_PROXY", integration_http_method: "POST", connection_type: "VPC_LINK", connection_id: refTo(tf, "aws_api_gateway_vpc_link", "vpc-link", "id") });
    }
  });

  it("redeploys when any resource, method (including its authorization) or integration (including its uri and link) changes", () => {
    const deployment = onlyResource(tf, "aws_api_gateway_deployment");
    const trigger: string = deployment.triggers.redeployment;
    expect(trigger).toContain("sha1(jsonencode([");
    expect(trigger).not.toMatch(/\[\s*,|,\s*,|,\s*\]/);
    const names = (type: string) => Object.keys(resourcesOf(tf, type));
    expect(names("aws_api_gateway_resource").length + names("aws_api_gateway_method").length + names("aws_api_gateway_integration").length).toBe(10);
    for (const name of names("aws_api_gateway_resource")) expect(trigger).toContain(`aws_api_gateway_resource.${name}.id`);
    for (const name of names("aws_api_gateway_method")) {
      for (const attribute of ["id", "authorization", "api_key_required"]) expect(trigger).toContain(`aws_api_gateway_method.${name}.${attribute}`);
    }
    for (const name of names("aws_api_gateway_integration")) {
      for (const attribute of ["id", "uri", "connection_type", "connection_id"]) expect(trigger).toContain(`aws_api_gateway_integration.${name}.${attribute}`);
    }
    expect(deployment.depends_on).toHaveLength(6);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    expect(deployment.stage_name).toBeUndefined();
  });

  it("serves a stage with JSON access logs to a log group with retention", () => {
    const stage = onlyResource(tf, "aws_api_gateway_stage");
    expect(stage).toMatchObject({ stage_name: "prod", deployment_id: refTo(tf, "aws_api_gateway_deployment", "deployment", "id") });
    expect(stage.access_log_settings.destination_arn).toBe(refTo(tf, "aws_cloudwatch_log_group", "access-logs", "arn"));
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({ requestId: "$context.requestId", status: "$context.status" });
    expect(resourceNamed(tf, "aws_cloudwatch_log_group", "access-logs").retention_in_days).toBe(30);
  });

  it("sets the account's CloudWatch role before the stage, as access logging requires, without the deprecated reset_on_delete", () => {
    const account = onlyResource(tf, "aws_api_gateway_account");
    expect(account.cloudwatch_role_arn).toBe(refTo(tf, "aws_iam_role", "cloudwatch-role", "arn"));
    expect(account).not.toHaveProperty("reset_on_delete");
    expect(onlyResource(tf, "aws_api_gateway_stage").depends_on).toEqual([`aws_api_gateway_account.${Object.keys(resourcesOf(tf, "aws_api_gateway_account"))[0]}`]);
    const role = resourceNamed(tf, "aws_iam_role", "cloudwatch-role");
    expect(policyStatements(tf, role.assume_role_policy)[0].principals).toEqual([{ type: "Service", identifiers: ["apigateway.amazonaws.com"] }]);
    expect(onlyResource(tf, "aws_iam_role_policy_attachment").policy_arn).toMatch(/:iam::aws:policy\/service-role\/AmazonAPIGatewayPushToCloudWatchLogs$/);
  });

  it("leaves the account's CloudWatch role alone when the config says the account has one", () => {
    const { tf: shared } = synthPipeline(exampleConfig((doc) => (doc.api.manageAccountLoggingRole = false)));
    expect(resourcesOf(shared, "aws_api_gateway_account")).toEqual({});
    expect(Object.keys(resourcesOf(shared, "aws_iam_role")).some((id) => id.includes("cloudwatch-role"))).toBe(false);
    expect(onlyResource(shared, "aws_api_gateway_stage").access_log_settings.destination_arn).toBe(refTo(shared, "aws_cloudwatch_log_group", "access-logs", "arn"));
  });

  it("throttles every method of the stage as configured", () => {
    expect(onlyResource(tf, "aws_api_gateway_method_settings")).toMatchObject({
      method_path: "*/*",
      stage_name: refTo(tf, "aws_api_gateway_stage", "stage", "stage_name"),
      settings: { throttling_rate_limit: 1000, throttling_burst_limit: 2000 },
    });
  });
});

describe("account-safe defaults", () => {
  it("places subnets by zone ID when the config lists IDs, and by name otherwise", () => {
    const { tf: byId } = synthPipeline(exampleConfig((doc) => (doc.availabilityZones = ["use1-az1", "use1-az2"])));
    const subnets = ["public-subnet", "private-subnet-0", "private-subnet-1"].map((n) => resourceNamed(byId, "aws_subnet", n));
    expect(subnets.map((s) => [s.availability_zone_id, s.availability_zone])).toEqual([
      ["use1-az1", undefined],
      ["use1-az1", undefined],
      ["use1-az2", undefined],
    ]);
    const byName = ["public-subnet", "private-subnet-0", "private-subnet-1"].map((n) => resourceNamed(tf, "aws_subnet", n));
    expect(byName.map((s) => [s.availability_zone, s.availability_zone_id])).toEqual([
      ["us-east-1a", undefined],
      ["us-east-1a", undefined],
      ["us-east-1b", undefined],
    ]);
  });

  it("names the bucket user-<userId>-bucket unless bucket.name says otherwise", () => {
    expect(onlyResource(tf, "aws_s3_bucket").bucket).toBe(`user-${USER}-bucket`);
    const { tf: named } = synthPipeline(exampleConfig((doc) => (doc.bucket.name = "acme-pipeline-data")));
    expect(onlyResource(named, "aws_s3_bucket").bucket).toBe("acme-pipeline-data");
  });

  it("puts the log groups AWS services deliver into under /aws/vendedlogs/", () => {
    expect(resourceNamed(tf, "aws_cloudwatch_log_group", "broker-logs").name).toBe(`/aws/vendedlogs/msk/${USER}-cluster`);
    expect(resourceNamed(tf, "aws_cloudwatch_log_group", "worker-logs").name).toBe(`/aws/vendedlogs/mskconnect/${USER}-connector`);
  });

  it("names the client host after the user id, as the seed asks", () => {
    expect(onlyResource(tf, "aws_instance").tags).toEqual({ Name: USER });
  });

  it("keeps the state in cdktf's local backend by default, and in S3 with native locking when configured", () => {
    // no backend of the stack's own: cdktf adds its local backend when the app synthesizes (the plan test sees it)
    expect(tf.terraform.backend).toBeUndefined();
    const { tf: remote } = synthPipeline(exampleConfig((doc) => (doc.state = { backend: "s3", bucket: "acme-tf-state", key: "pipeline/terraform.tfstate", region: "eu-west-1" })));
    expect(remote.terraform.backend).toEqual({ s3: { bucket: "acme-tf-state", key: "pipeline/terraform.tfstate", region: "eu-west-1", encrypt: true, use_lockfile: true } });
    const { tf: unlocked } = synthPipeline(exampleConfig((doc) => (doc.state = { backend: "s3", bucket: "acme-tf-state", key: "k", useLockfile: false })));
    expect(unlocked.terraform.backend).toEqual({ s3: { bucket: "acme-tf-state", key: "k", region: "us-east-1", encrypt: true } });
  });
});

describe("monitoring", () => {
  const dashboard = onlyResource(tf, "aws_cloudwatch_dashboard");
  const widgets: { properties: { title: string; metrics: unknown[][] } }[] = JSON.parse(dashboard.dashboard_body).widgets;
  const alarms = Object.values(resourcesOf(tf, "aws_cloudwatch_metric_alarm"));
  /** Every dimension value a metric of this stack may name: its own resources, and its brokers 1..2. */
  const ownDimensions: Record<string, string[]> = {
    ApiName: [refTo(tf, "aws_api_gateway_rest_api", "rest-api", "name")],
    Stage: [refTo(tf, "aws_api_gateway_stage", "stage", "stage_name")],
    InstanceId: [refTo(tf, "aws_instance", "client-host", "id")],
    "Cluster Name": [refTo(tf, "aws_msk_cluster", "kafka_cluster", "cluster_name")],
    "Broker ID": ["1", "2"],
    ConnectorName: [refTo(tf, "aws_mskconnect_connector", "s3-sink", "name")],
    TargetGroup: [refTo(tf, "aws_lb_target_group", "private-link", "arn_suffix")],
    LoadBalancer: [refTo(tf, "aws_lb", "private-link", "arn_suffix")],
  };
  /** [namespace, metric, {dimension: value}] of each dashboard metric. */
  const widgetMetrics = widgets.flatMap((w) => w.properties.metrics.map((m) => {
    const pairs = m.slice(2, -1) as string[];
    return [m[0], m[1], Object.fromEntries(pairs.flatMap((_, i) => (i % 2 === 0 ? [[pairs[i], pairs[i + 1]]] : [])))] as [string, string, Record<string, string>];
  }));

  it("names the dashboard after the user id and reads the path left to right: API, host, MSK, connector", () => {
    expect(dashboard.dashboard_name).toBe(USER);
    expect(widgets.map((w) => w.properties.title)).toEqual([
      "API requests", "API 4XX", "API 5XX", "API latency (ms)",
      "Client host CPU (%)", "Client host status checks failed", "REST proxy healthy hosts (NLB)",
      "MSK bytes in per broker", "MSK data disk used per broker (%)",
      "Connector running tasks", "Connector records read and sent (per second)", "Connector errored tasks",
    ]);
    expect(widgetMetrics.map(([ns, name]) => `${ns} ${name}`)).toEqual([
      "AWS/ApiGateway Count", "AWS/ApiGateway 4XXError", "AWS/ApiGateway 5XXError", "AWS/ApiGateway Latency", "AWS/ApiGateway Latency",
      "AWS/EC2 CPUUtilization", "AWS/EC2 StatusCheckFailed", "AWS/NetworkELB HealthyHostCount",
      "AWS/Kafka BytesInPerSec", "AWS/Kafka BytesInPerSec", "AWS/Kafka KafkaDataLogsDiskUsed", "AWS/Kafka KafkaDataLogsDiskUsed",
      "AWS/KafkaConnect RunningTaskCount", "AWS/KafkaConnect SinkRecordReadRate", "AWS/KafkaConnect SinkRecordSendRate", "AWS/KafkaConnect ErroredTaskCount",
    ]);
  });

  it("watches the NLB's healthy hosts only in the private layout (the seed layout has no load balancer)", () => {
    const seedDashboard = onlyResource(seedTf, "aws_cloudwatch_dashboard");
    const seedTitles = JSON.parse(seedDashboard.dashboard_body).widgets.map((w: { properties: { title: string } }) => w.properties.title);
    expect(seedTitles).toHaveLength(11);
    expect(seedTitles).not.toContain("REST proxy healthy hosts (NLB)");
  });

  it("points every widget's metric at this stack's API, host, NLB, cluster, brokers and connector", () => {
    expect(widgetMetrics).toHaveLength(16);
    for (const [, , dimensions] of widgetMetrics) {
      expect(Object.keys(dimensions).length).toBeGreaterThan(0);
      for (const [name, value] of Object.entries(dimensions)) expect(ownDimensions[name]).toContain(value);
    }
    const brokers = widgetMetrics.filter(([, name]) => name === "KafkaDataLogsDiskUsed").map(([, , d]) => d["Broker ID"]);
    expect(brokers).toEqual(["1", "2"]);
  });

  it("alarms on API 5XX rate, connector tasks and errors, each broker's disk and the host's status checks, all on this stack's resources", () => {
    const byName = Object.fromEntries(alarms.map((a) => [a.alarm_name, a]));
    expect(Object.keys(byName).sort()).toEqual([
      `${USER}-api-5xx-rate`, `${USER}-broker-1-disk`, `${USER}-broker-2-disk`, `${USER}-client-host-status-check`, `${USER}-connector-errored-tasks`, `${USER}-connector-running-tasks`,
    ]);
    expect(byName[`${USER}-api-5xx-rate`]).toMatchObject({ namespace: "AWS/ApiGateway", metric_name: "5XXError", statistic: "Average", comparison_operator: "GreaterThanThreshold", threshold: 0.05 });
    expect(byName[`${USER}-connector-running-tasks`]).toMatchObject({ namespace: "AWS/KafkaConnect", metric_name: "RunningTaskCount", comparison_operator: "LessThanThreshold", threshold: 3, treat_missing_data: "breaching" });
    expect(byName[`${USER}-connector-errored-tasks`]).toMatchObject({ metric_name: "ErroredTaskCount", comparison_operator: "GreaterThanThreshold", threshold: 0 });
    expect(byName[`${USER}-broker-2-disk`]).toMatchObject({ namespace: "AWS/Kafka", metric_name: "KafkaDataLogsDiskUsed", threshold: 80, dimensions: { "Cluster Name": ownDimensions["Cluster Name"][0], "Broker ID": "2" } });
    expect(byName[`${USER}-client-host-status-check`]).toMatchObject({ namespace: "AWS/EC2", metric_name: "StatusCheckFailed", comparison_operator: "GreaterThanOrEqualToThreshold", threshold: 1 });
    const topicArn = refTo(tf, "aws_sns_topic", "alarm-topic", "arn");
    for (const alarm of alarms) {
      expect(Object.keys(alarm.dimensions).length).toBeGreaterThan(0);
      for (const [name, value] of Object.entries(alarm.dimensions)) expect(ownDimensions[name]).toContain(value);
      expect(alarm.alarm_actions).toEqual([topicArn]);
    }
  });

  it("publishes to <userId>-alarms and subscribes an e-mail address only when the config names one", () => {
    expect(onlyResource(tf, "aws_sns_topic").name).toBe(`${USER}-alarms`);
    expect(resourcesOf(tf, "aws_sns_topic_subscription")).toEqual({});
    const { tf: mailed } = synthPipeline(exampleConfig((doc) => Object.assign(doc.monitoring, { alarmEmail: "ops@example.com", brokerDiskUsedPercent: 70, api5xxRatePercent: 1 })));
    expect(onlyResource(mailed, "aws_sns_topic_subscription")).toEqual({ topic_arn: refTo(mailed, "aws_sns_topic", "alarm-topic", "arn"), protocol: "email", endpoint: "ops@example.com" });
    const thresholds = Object.values(resourcesOf(mailed, "aws_cloudwatch_metric_alarm")).map((a) => [a.metric_name, a.threshold]);
    expect(thresholds).toEqual(expect.arrayContaining([["KafkaDataLogsDiskUsed", 70], ["5XXError", 0.01]]));
  });

  it("expects as many running tasks as tasks.max, and watches every broker", () => {
    const { tf: bigger } = synthPipeline(exampleConfig((doc) => Object.assign(doc, { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], connector: { ...doc.connector, tasksMax: 6 } })));
    const names = Object.values(resourcesOf(bigger, "aws_cloudwatch_metric_alarm")).map((a) => a.alarm_name);
    expect(names.filter((n: string) => n.includes("-disk"))).toEqual([`${USER}-broker-1-disk`, `${USER}-broker-2-disk`, `${USER}-broker-3-disk`]);
    expect(Object.values(resourcesOf(bigger, "aws_cloudwatch_metric_alarm")).find((a) => a.metric_name === "RunningTaskCount").threshold).toBe(6);
  });
});

describe("ingest API in the seed's layout (api.exposure: public, acknowledged, auth none)", () => {
  it("proxies ANY {proxy+} request to the REST proxy on the client's public DNS name over http on 8082", () => {
    expect(onlyResource(seedTf, "aws_api_gateway_resource")).toMatchObject({ path_part: "{proxy+}", parent_id: refTo(seedTf, "aws_api_gateway_rest_api", "rest-api", "root_resource_id") });
    expect(onlyResource(seedTf, "aws_api_gateway_method")).toMatchObject({ http_method: "ANY", authorization: "NONE", api_key_required: false, request_parameters: { "method.request.path.proxy": true } });
    expect(onlyResource(seedTf, "aws_api_gateway_integration")).toMatchObject({
      type: "HTTP_PROXY",
      integration_http_method: "ANY",
      uri: `http://${refTo(seedTf, "aws_instance", "client-host_instance", "public_dns")}:8082/{proxy}`,
      request_parameters: { "integration.request.path.proxy": "method.request.path.proxy" },
    });
    expect(onlyResource(seedTf, "aws_api_gateway_integration").connection_type).toBeUndefined();
  });

  it("redeploys when the resource, method or integration (including its uri) changes", () => {
    const deployment = onlyResource(seedTf, "aws_api_gateway_deployment");
    const integration = refTo(seedTf, "aws_api_gateway_integration", "proxy-integration", "id").slice(2, -1);
    expect(deployment.triggers.redeployment).toContain("sha1(jsonencode([");
    expect(deployment.triggers.redeployment).toContain(integration);
    expect(deployment.triggers.redeployment).toContain(`${integration.replace(/\.id$/, "")}.uri`);
    expect(deployment.triggers.redeployment).toContain(refTo(seedTf, "aws_api_gateway_resource", "proxy-resource", "id").slice(2, -1));
    expect(deployment.triggers.redeployment).toContain(refTo(seedTf, "aws_api_gateway_method", "proxy-method", "id").slice(2, -1));
    // every element is an expression: a null would render as an empty list slot Terraform cannot parse
    expect(deployment.triggers.redeployment).not.toMatch(/\[\s*,|,\s*,|,\s*\]/);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
  });

  it("creates no load balancer, VPC link, invoke policy or key", () => {
    for (const type of ["aws_lb", "aws_lb_target_group", "aws_lb_listener", "aws_api_gateway_vpc_link", "aws_iam_policy", "aws_api_gateway_api_key", "aws_api_gateway_usage_plan"]) {
      expect(resourcesOf(seedTf, type)).toEqual({});
    }
  });
});

describe("outputs", () => {
  it("declares exactly the contract's outputs with their descriptions", () => {
    // api_key exists only when the API uses keys
    expect(Object.keys(tf.output).sort()).toEqual(STACK_OUTPUT_NAMES.filter((name) => name !== "api_key").sort());
    for (const name of Object.keys(tf.output) as StackOutputName[]) expect(tf.output[name].description).toBe(outputDescription(name));
  });

  it("wires each output to the resource or config value it names", () => {
    const values = Object.fromEntries(Object.entries(tf.output).map(([name, o]) => [name, o.value]));
    expect(values).toEqual({
      invoke_url: refTo(tf, "aws_api_gateway_stage", "stage", "invoke_url"),
      client_public_dns: refTo(tf, "aws_instance", "client-host", "public_dns"),
      client_instance_id: refTo(tf, "aws_instance", "client-host", "id"),
      ssh_user: "ec2-user",
      msk_bootstrap_brokers_sasl_iam: refTo(tf, "aws_msk_cluster", "kafka_cluster", "bootstrap_brokers_sasl_iam"),
      access_role_arn: refTo(tf, "aws_iam_role", "access-role", "arn"),
      produce_role_arn: refTo(tf, "aws_iam_role", "produce-role", "arn"),
      dead_letter_topic: `${USER}-dlq`,
      bucket_name: refTo(tf, "aws_s3_bucket", "data-bucket", "bucket"),
      region: "us-east-1",
      user_id: USER,
      topics: [`${USER}.pin`, `${USER}.geo`, `${USER}.user`],
      api_auth: "iam",
      api_exposure: "private",
      invoke_policy_arn: refTo(tf, "aws_iam_policy", "invoke-policy", "arn"),
      rest_proxy_nlb_dns: refTo(tf, "aws_lb", "nlb", "dns_name"),
      msk_kafka_version: "3.8.x",
      kafka_cli_version: "3.8.1",
      topic_partitions: 1,
      connector_name: refTo(tf, "aws_mskconnect_connector", "s3-sink", "name"),
      connector_arn: refTo(tf, "aws_mskconnect_connector", "s3-sink", "arn"),
      connector_log_group: refTo(tf, "aws_cloudwatch_log_group", "s3-sink_worker-logs", "name"),
      dashboard_url: `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=${refTo(tf, "aws_cloudwatch_dashboard", "dashboard", "dashboard_name")}`,
      alarm_topic_arn: refTo(tf, "aws_sns_topic", "alarm-topic", "arn"),
    });
  });
});

describe("names and tags", () => {
  it("prefixes every named resource with the user id", () => {
    const named: [string, string][] = [];
    // inline role policy names are scoped to their role
    for (const [type, byName] of Object.entries(tf.resource).filter(([t]) => t !== "aws_iam_role_policy")) {
      for (const resource of Object.values(byName)) {
        const name = resource.name ?? resource.cluster_name ?? resource.key_name;
        if (typeof name === "string" && !name.startsWith("${")) named.push([type, name]);
      }
    }
    expect(named.length).toBeGreaterThan(10);
    // log groups AWS services deliver into live under /aws/vendedlogs/; API Gateway's access logs under /aws/apigateway/
    for (const [type, name] of named) expect(`${type} ${name}`).toMatch(new RegExp(`^${type} (/aws/(vendedlogs/)?[a-z]+/)?${USER}`));
  });

  it("omits default tags when the config has none", () => {
    const { tf: untagged } = synthPipeline(exampleConfig((doc) => (doc.tags = {})));
    expect(untagged.provider.aws).toEqual([{ region: "us-east-1" }]);
  });
});

describe("policy checks", () => {
  it("passes every policy rule", () => {
    expect(checkPolicies(tf)).toEqual([]);
  });

  it("passes every policy rule in the seed's layout only through the two suppressions its acknowledgement records", () => {
    const findings = checkPolicies(seedTf);
    expect(findings).toHaveLength(2);
    expect(findings[0]).toMatch(/^\[ec2-no-rest-proxy-from-anywhere\] aws_vpc_security_group_ingress_rule\.network_client-rest-proxy-0_[0-9A-F]+: allows tcp port 8082 from 0\.0\.0\.0\/0 /);
    expect(findings[1]).toMatch(/^\[api-method-authorization\] aws_api_gateway_method\.ingest-api_proxy-method_[0-9A-F]+: "ANY" has authorization "NONE"/);
    expect(checkPolicies(seedTf, policySuppressions(seedConfig))).toEqual([]);
  });

  it("fails synth when the seed's layout reaches the stack without the acknowledgement", () => {
    expect(() => synthPipeline({ ...seedConfig, api: { ...seedConfig.api, acknowledgePublicProxy: false } })).toThrow(
      /\[ec2-no-rest-proxy-from-anywhere\][\s\S]*\[api-method-authorization\]/,
    );
  });

  it("fails synth when SSH is open to the world without the config's acknowledgement", () => {
    const open = exampleConfig((doc) => Object.assign(doc.clientHost, { sshAllowedCidrs: ["0.0.0.0/0"], allowSshFromAnywhere: true }));
    const { tf: openTf } = synthPipeline(open);
    expect(resourceNamed(openTf, "aws_vpc_security_group_ingress_rule", "client-ssh-0").cidr_ipv4).toBe("0.0.0.0/0");
    const findings = checkPolicies(openTf);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^\[ec2-no-ssh-from-anywhere\] /);
    expect(() => synthPipeline({ ...open, clientHost: { ...open.clientHost, allowSshFromAnywhere: false } })).toThrow(/ec2-no-ssh-from-anywhere/);
  });
});
