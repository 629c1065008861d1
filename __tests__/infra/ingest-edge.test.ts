/** The ingestion edge per mode: the private link, and each auth mode (iam, api-key, and none in the acknowledged seed layout). */
import { describe, expect, it } from "vitest";
import { managedResourceCount } from "../../lib/stack-summary";
import { exampleConfig, onlyResource, policyStatements, refTo, resourcesOf, synthPipeline, type TerraformJson } from "./helpers";

const USER = "0a1b2c3d4e5f";
const TOPICS = [`${USER}.pin`, `${USER}.geo`, `${USER}.user`];
const { tf } = synthPipeline(exampleConfig());
const { tf: keyTf } = synthPipeline(exampleConfig((doc) => Object.assign(doc.api, { auth: "api-key", quotaLimit: 50000, quotaPeriod: "WEEK" })));
const { tf: seedIamTf } = synthPipeline(exampleConfig((doc) => Object.assign(doc.api, { exposure: "public", acknowledgePublicProxy: true })));
const { tf: seedTf } = synthPipeline(exampleConfig((doc) => Object.assign(doc.api, { exposure: "public", acknowledgePublicProxy: true, auth: "none" })));

/** Every ingress rule of the stack, standalone or inline, as [protocol, from, to, sources]. */
function ingressRules(stack: TerraformJson): [string, number, number, string[]][] {
  const standalone = Object.values(resourcesOf(stack, "aws_vpc_security_group_ingress_rule")).map(
    (r): [string, number, number, string[]] => [String(r.ip_protocol), r.from_port ?? 0, r.to_port ?? 65535, [r.cidr_ipv4, r.cidr_ipv6].filter(Boolean)],
  );
  const inline = Object.values(resourcesOf(stack, "aws_security_group")).flatMap((g) =>
    (g.ingress ?? []).map((r: any): [string, number, number, string[]] => [String(r.protocol), r.from_port, r.to_port, [...(r.cidr_blocks ?? []), ...(r.ipv6_cidr_blocks ?? [])]]),
  );
  return [...standalone, ...inline];
}

/** The rules that let the internet reach port 8082 (tcp or all traffic, a range covering it, IPv4 or IPv6). */
function worldOnProxyPort(stack: TerraformJson) {
  return ingressRules(stack).filter(([protocol, from, to, sources]) => ["tcp", "6", "-1"].includes(protocol) && (protocol === "-1" || (from <= 8082 && 8082 <= to)) && sources.some((s) => s === "0.0.0.0/0" || s === "::/0"));
}

describe("private link (the default)", () => {
  it("puts an internal network load balancer with its own security group in the private subnets, across zones", () => {
    expect(onlyResource(tf, "aws_lb")).toEqual({
      name: `${USER}-rest-proxy`,
      load_balancer_type: "network",
      internal: true,
      subnets: [refTo(tf, "aws_subnet", "private-subnet-0", "id"), refTo(tf, "aws_subnet", "private-subnet-1", "id")],
      security_groups: [refTo(tf, "aws_security_group", "nlb-sg", "id")],
      enforce_security_group_inbound_rules_on_private_link_traffic: "off",
      enable_cross_zone_load_balancing: true,
      tags: { Name: `${USER}-rest-proxy` },
    });
  });

  it("forwards TCP 8082 to the client host by instance id, health-checked over HTTP on the proxy", () => {
    expect(onlyResource(tf, "aws_lb_target_group")).toMatchObject({
      port: 8082,
      protocol: "TCP",
      target_type: "instance",
      vpc_id: refTo(tf, "aws_vpc", "vpc", "id"),
      health_check: { enabled: true, protocol: "HTTP", port: "traffic-port", path: "/", matcher: "200" },
    });
    expect(onlyResource(tf, "aws_lb_target_group_attachment")).toEqual({ target_group_arn: refTo(tf, "aws_lb_target_group", "target-group", "arn"), target_id: refTo(tf, "aws_instance", "client-host", "id"), port: 8082 });
    expect(onlyResource(tf, "aws_lb_listener")).toMatchObject({
      load_balancer_arn: refTo(tf, "aws_lb", "nlb", "arn"),
      port: 8082,
      protocol: "TCP",
      default_action: [{ type: "forward", target_group_arn: refTo(tf, "aws_lb_target_group", "target-group", "arn") }],
    });
  });

  it("links API Gateway to that load balancer", () => {
    expect(onlyResource(tf, "aws_api_gateway_vpc_link")).toMatchObject({ name: `${USER}-rest-proxy`, target_arns: [refTo(tf, "aws_lb", "nlb", "arn")] });
  });

  it("gives the NLB's group no ingress and one egress: tcp 8082 to the client's group", () => {
    const nlbSg = refTo(tf, "aws_security_group", "nlb-sg", "id");
    expect(Object.values(resourcesOf(tf, "aws_vpc_security_group_ingress_rule")).filter((r) => r.security_group_id === nlbSg)).toEqual([]);
    const egress = Object.values(resourcesOf(tf, "aws_vpc_security_group_egress_rule")).filter((r) => r.security_group_id === nlbSg);
    // the whole rule but its description: any other attribute (a CIDR, a prefix list) would widen it
    expect(egress.map(({ description: _description, ...rule }) => rule)).toEqual([
      { security_group_id: nlbSg, ip_protocol: "tcp", from_port: 8082, to_port: 8082, referenced_security_group_id: refTo(tf, "aws_security_group", "client-sg", "id") },
    ]);
  });

  it("lets nothing on the internet reach port 8082 (any range, IPv4 or IPv6), while the seed's layout does", () => {
    expect(ingressRules(tf).length).toBeGreaterThan(2);
    expect(worldOnProxyPort(tf)).toEqual([]);
    expect(worldOnProxyPort(seedTf)).toEqual([["tcp", 8082, 8082, ["0.0.0.0/0"]]]);
  });

  it("exports the NLB's DNS name and the exposure", () => {
    expect(tf.output.rest_proxy_nlb_dns.value).toBe(refTo(tf, "aws_lb", "nlb", "dns_name"));
    expect(tf.output.api_exposure.value).toBe("private");
    expect(seedTf.output.rest_proxy_nlb_dns).toBeUndefined();
    expect(seedTf.output.api_exposure.value).toBe("public");
  });

  it("adds exactly the link's resources and the invoke policy to the seed's layout, and replaces its one route by the produce routes", () => {
    const count = (stack: TerraformJson, type: string) => Object.keys(resourcesOf(stack, type)).length;
    const added = ["aws_lb", "aws_lb_target_group", "aws_lb_target_group_attachment", "aws_lb_listener", "aws_api_gateway_vpc_link", "aws_iam_policy", "aws_security_group", "aws_vpc_security_group_egress_rule"];
    expect(added.map((type) => count(tf, type) - count(seedTf, type))).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    // one ingress rule each for 8082: from the NLB's group, or from 0.0.0.0/0
    expect(count(tf, "aws_vpc_security_group_ingress_rule")).toBe(count(seedTf, "aws_vpc_security_group_ingress_rule"));
    // /topics + 3 topics, 3 methods, 3 integrations instead of {proxy+}, ANY, its integration
    expect(["aws_api_gateway_resource", "aws_api_gateway_method", "aws_api_gateway_integration"].map((type) => [count(tf, type), count(seedTf, type)])).toEqual([[4, 1], [3, 1], [3, 1]]);
    expect(managedResourceCount(tf) - managedResourceCount(seedTf)).toBe(8 + 3 + 2 + 2);
  });
});

describe("auth: iam (the default)", () => {
  it("requires SigV4 on every method, with no API key", () => {
    const methods = Object.values(resourcesOf(tf, "aws_api_gateway_method"));
    expect(methods).toHaveLength(3);
    expect(methods.map((m) => [m.authorization, m.api_key_required])).toEqual(Array(3).fill(["AWS_IAM", false]));
    expect(resourcesOf(tf, "aws_api_gateway_api_key")).toEqual({});
    expect(resourcesOf(tf, "aws_api_gateway_usage_plan")).toEqual({});
  });

  it("creates a managed policy allowing execute-api:Invoke on exactly POST /topics/<topic> of this stage", () => {
    const policy = onlyResource(tf, "aws_iam_policy");
    expect(policy.name).toBe(`${USER}-invoke-ingest-api`);
    const stageArn = refTo(tf, "aws_api_gateway_stage", "stage", "execution_arn");
    expect(policyStatements(tf, policy.policy)).toEqual([{ sid: "InvokeProduceRoutes", effect: "Allow", actions: ["execute-api:Invoke"], resources: TOPICS.map((t) => `${stageArn}/POST/topics/${t}`) }]);
  });

  it("exports the policy's ARN and api_auth iam, and no key", () => {
    expect(tf.output.invoke_policy_arn.value).toBe(refTo(tf, "aws_iam_policy", "invoke-policy", "arn"));
    expect(tf.output.api_auth.value).toBe("iam");
    expect(tf.output.api_key).toBeUndefined();
  });

  it("in the acknowledged seed layout, requires SigV4 on ANY /{proxy+} with the same produce-only invoke policy", () => {
    expect(onlyResource(seedIamTf, "aws_api_gateway_method")).toMatchObject({ http_method: "ANY", authorization: "AWS_IAM", api_key_required: false });
    const stageArn = refTo(seedIamTf, "aws_api_gateway_stage", "stage", "execution_arn");
    expect(policyStatements(seedIamTf, onlyResource(seedIamTf, "aws_iam_policy").policy)).toEqual([
      { sid: "InvokeProduceRoutes", effect: "Allow", actions: ["execute-api:Invoke"], resources: TOPICS.map((t) => `${stageArn}/POST/topics/${t}`) },
    ]);
    expect(seedIamTf.output.api_auth.value).toBe("iam");
  });
});

describe("auth: api-key", () => {
  it("requires an API key on every method, without IAM", () => {
    const methods = Object.values(resourcesOf(keyTf, "aws_api_gateway_method"));
    expect(methods).toHaveLength(3);
    expect(methods.map((m) => [m.http_method, m.authorization, m.api_key_required])).toEqual(Array(3).fill(["POST", "NONE", true]));
    expect(resourcesOf(keyTf, "aws_iam_policy")).toEqual({});
  });

  it("puts one key in a usage plan on this stage with the stage's throttle and the configured quota", () => {
    const key = onlyResource(keyTf, "aws_api_gateway_api_key");
    expect(key).toMatchObject({ name: `${USER}-producer`, enabled: true });
    expect(onlyResource(keyTf, "aws_api_gateway_usage_plan")).toMatchObject({
      name: `${USER}-producers`,
      api_stages: [{ api_id: refTo(keyTf, "aws_api_gateway_rest_api", "rest-api", "id"), stage: refTo(keyTf, "aws_api_gateway_stage", "stage", "stage_name") }],
      throttle_settings: { rate_limit: 1000, burst_limit: 2000 },
      quota_settings: { limit: 50000, period: "WEEK" },
    });
    expect(onlyResource(keyTf, "aws_api_gateway_usage_plan_key")).toEqual({
      key_id: refTo(keyTf, "aws_api_gateway_api_key", "api-key", "id"),
      key_type: "API_KEY",
      usage_plan_id: refTo(keyTf, "aws_api_gateway_usage_plan", "usage-plan", "id"),
    });
  });

  it("exports the key's value as the sensitive output api_key, api_auth api-key, and no invoke policy", () => {
    expect(keyTf.output.api_key).toMatchObject({ value: refTo(keyTf, "aws_api_gateway_api_key", "api-key", "value"), sensitive: true });
    expect(keyTf.output.api_auth.value).toBe("api-key");
    expect(keyTf.output.invoke_policy_arn).toBeUndefined();
  });
});

describe("auth: none (only in the acknowledged seed layout)", () => {
  it("leaves ANY /{proxy+} open to anyone, with no policy, key or plan, and says so in api_auth", () => {
    expect(onlyResource(seedTf, "aws_api_gateway_method")).toMatchObject({ http_method: "ANY", authorization: "NONE", api_key_required: false });
    for (const type of ["aws_iam_policy", "aws_api_gateway_api_key", "aws_api_gateway_usage_plan", "aws_api_gateway_usage_plan_key"]) expect(resourcesOf(seedTf, type)).toEqual({});
    expect(seedTf.output.api_auth.value).toBe("none");
    expect(seedTf.output.invoke_policy_arn).toBeUndefined();
    expect(seedTf.output.api_key).toBeUndefined();
  });
});
