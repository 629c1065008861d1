/** Construct rules and the pure default builders, each alone. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { afterAll, describe, expect, it } from "vitest";
import { App, TerraformStack, Testing } from "../../lib/cdktf";
import { dashboardUrl, Monitoring } from "../../constructs/monitoring";
import { SecurityGroup, Subnet } from "../../constructs/aws";
import { KafkaCluster, kafkaClusterProblems, mskServerProperties } from "../../constructs/kafka-cluster";
import { networkDefaults } from "../../constructs/network";
import { deadLetterReplicationFactor, missingPluginMessage, s3SinkConnectorConfiguration, s3SinkPluginUrl, topicsRegexFor } from "../../constructs/s3-sink-connector";
import { invokeResources, restProxyUri } from "../../constructs/ingest-api";
import { loadBalancerName } from "../../constructs/private-link";
import { encryptedRootVolume, secureMetadataOptions } from "../../constructs/kafka-client-host";
import { PipelineStack, policySuppressions } from "../../constructs/pipeline-stack";
import { exampleConfig, scratchDir } from "./helpers";
import { REPO_ROOT } from "../support/paths";

const scratch = scratchDir("infra-constructs-");

/** Whether IPv4 block `inner` lies inside block `outer`. */
function ipv4Within(outer: string, inner: string): boolean {
  const parse = (cidr: string) => {
    const [address, bits] = cidr.split("/");
    return { base: address!.split(".").reduce((n, octet) => n * 256 + Number(octet), 0), bits: Number(bits) };
  };
  const o = parse(outer);
  const i = parse(inner);
  const size = (bits: number) => 2 ** (32 - bits);
  return i.bits >= o.bits && i.base >= o.base && i.base + size(i.bits) <= o.base + size(o.bits);
}
afterAll(scratch.cleanup);

/** A cluster in a bare stack with `subnetCount` subnets. */
function cluster(subnetCount: number, props: { brokerCount?: number; defaultReplicationFactor?: number } = {}): string {
  const stack = new TerraformStack(Testing.app({ outdir: scratch.dir }), "test");
  const subnets = Array.from({ length: subnetCount }, (_, i) => new Subnet(stack, `subnet-${i}`, { vpcId: "vpc-1", cidrBlock: `10.0.${i}.0/24` }));
  const securityGroup = new SecurityGroup(stack, "sg", { vpcId: "vpc-1" });
  new KafkaCluster(stack, "kafka", { namePrefix: "u1", kafkaVersion: "3.8.x", subnets, securityGroup, ...props });
  return Testing.synth(stack);
}

describe("KafkaCluster", () => {
  it("defaults to one broker per subnet", () => {
    expect(JSON.parse(cluster(3)).resource.aws_msk_cluster.kafka_cluster_4FCB1297.number_of_broker_nodes).toBe(3);
  });

  it("fails when the broker count is not a multiple of the subnets", () => {
    expect(() => cluster(2, { brokerCount: 3 })).toThrow("KafkaCluster: brokerCount: got 3, expected a multiple of the 2 availability zones (MSK spreads brokers evenly; use 2, 4, ...)");
  });

  it("fails with one subnet", () => {
    expect(() => cluster(1)).toThrow("KafkaCluster: got 1 subnets, expected 2 or 3 (MSK places brokers in 2 or 3 availability zones)");
  });

  it("fails when the replication factor exceeds the brokers", () => {
    expect(() => cluster(2, { brokerCount: 2, defaultReplicationFactor: 3 })).toThrow("KafkaCluster: defaultReplicationFactor: got 3, expected at most the broker count 2 (a topic cannot have more replicas than brokers)");
  });

  it("reports every problem at once", () => {
    const problems = kafkaClusterProblems({ subnets: [{} as Subnet], brokerCount: 1, defaultReplicationFactor: 2 });
    expect(problems).toHaveLength(2);
    // the construct throws them all, one per line
    expect(() => cluster(1, { brokerCount: 1, defaultReplicationFactor: 2 })).toThrow(new Error(problems.join("\n")));
  });
});

describe("secure defaults", () => {
  it("sizes replication to the brokers: min(3, brokers), min.insync one below, at most 2", () => {
    expect(mskServerProperties({ brokerCount: 2 })).toContain("default.replication.factor=2\nmin.insync.replicas=1");
    expect(mskServerProperties({ brokerCount: 3 })).toContain("default.replication.factor=3\nmin.insync.replicas=2");
    expect(mskServerProperties({ brokerCount: 6 })).toContain("default.replication.factor=3\nmin.insync.replicas=2");
    expect(mskServerProperties({ brokerCount: 6, defaultReplicationFactor: 1 })).toContain("default.replication.factor=1\nmin.insync.replicas=1");
    expect(mskServerProperties({ brokerCount: 2 })).toMatch(/^auto\.create\.topics\.enable=false$/m);
  });

  it("requires IMDSv2 and encrypts the root volume", () => {
    expect(secureMetadataOptions().httpTokens).toBe("required");
    expect(encryptedRootVolume(30)).toEqual({ deviceName: "/dev/xvda", ebs: { volumeSize: 30, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } });
  });

  it("uses the address plan pipeline.example.yaml documents when none is given: every subnet inside the VPC, none overlapping, one private block per zone up to 3", () => {
    const base = { namePrefix: "u", region: "us-east-1", availabilityZones: ["us-east-1a"], sshAllowedCidrs: ["1.2.3.4/32"] };
    const plan = networkDefaults(base);
    const documented = (parseYaml(readFileSync(join(REPO_ROOT, "pipeline.example.yaml"), "utf8")) as { network: Record<string, unknown> }).network;
    expect({ vpcCidr: plan.vpcCidr, publicSubnetCidr: plan.publicSubnetCidr, privateSubnetCidrs: plan.privateSubnetCidrs }).toEqual(documented);
    // the REST proxy port is admitted from no address block unless the caller asks (the seed's layout)
    expect(plan.restProxyAllowedCidrs).toEqual([]);
    const subnets = [plan.publicSubnetCidr, ...plan.privateSubnetCidrs];
    expect(plan.privateSubnetCidrs).toHaveLength(3);
    for (const subnet of subnets) expect(ipv4Within(plan.vpcCidr, subnet), subnet).toBe(true);
    for (const [i, a] of subnets.entries()) for (const b of subnets.slice(i + 1)) expect(ipv4Within(a, b) || ipv4Within(b, a), `${a} ${b}`).toBe(false);
    // what the caller gives wins, each setting on its own
    expect(networkDefaults({ ...base, vpcCidr: "10.0.0.0/16" })).toMatchObject({ vpcCidr: "10.0.0.0/16", publicSubnetCidr: plan.publicSubnetCidr, privateSubnetCidrs: plan.privateSubnetCidrs });
    expect(networkDefaults({ ...base, publicSubnetCidr: "10.20.1.0/24" })).toMatchObject({ vpcCidr: plan.vpcCidr, publicSubnetCidr: "10.20.1.0/24" });
    expect(networkDefaults({ ...base, privateSubnetCidrs: ["10.20.20.0/24"], restProxyAllowedCidrs: ["0.0.0.0/0"] })).toMatchObject({ privateSubnetCidrs: ["10.20.20.0/24"], restProxyAllowedCidrs: ["0.0.0.0/0"] });
  });

  const PRIVATE_API = { exposure: "private", acknowledgePublicProxy: false, auth: "iam" };

  it("suppresses the SSH rule only when the config acknowledges SSH from anywhere", () => {
    expect(policySuppressions({ clientHost: { allowSshFromAnywhere: false }, api: PRIVATE_API } as never)).toEqual([]);
    expect(policySuppressions({ clientHost: { allowSshFromAnywhere: true }, api: PRIVATE_API } as never)).toEqual([{ ruleId: "ec2-no-ssh-from-anywhere", reason: "clientHost.allowSshFromAnywhere is true in the config" }]);
  });

  it("suppresses the REST proxy rule in the acknowledged seed layout, and the authorization rule only when auth is none there", () => {
    const reason = "api.exposure is public and api.acknowledgePublicProxy is true in the config (the seed's layout)";
    const seed = (auth: string) => policySuppressions({ clientHost: { allowSshFromAnywhere: false }, api: { exposure: "public", acknowledgePublicProxy: true, auth } } as never);
    expect(seed("iam")).toEqual([{ ruleId: "ec2-no-rest-proxy-from-anywhere", reason }]);
    expect(seed("none")).toEqual([
      { ruleId: "ec2-no-rest-proxy-from-anywhere", reason },
      { ruleId: "api-method-authorization", reason: `api.auth is none and ${reason}` },
    ]);
    // without the acknowledgement nothing is suppressed, so synth fails on the findings
    expect(policySuppressions({ clientHost: { allowSshFromAnywhere: false }, api: { exposure: "public", acknowledgePublicProxy: false, auth: "none" } } as never)).toEqual([]);
    expect(policySuppressions({ clientHost: { allowSshFromAnywhere: false }, api: { ...PRIVATE_API, auth: "none" } } as never)).toEqual([]);
    // an acknowledgement without the public layout opens nothing, so it suppresses nothing
    expect(policySuppressions({ clientHost: { allowSshFromAnywhere: false }, api: { ...PRIVATE_API, acknowledgePublicProxy: true } } as never)).toEqual([]);
  });

  it("names load balancers within 32 characters, without a trailing hyphen", () => {
    expect(loadBalancerName("0a1b2c3d4e5f", "rest-proxy")).toBe("0a1b2c3d4e5f-rest-proxy");
    const long = loadBalancerName("a".repeat(20) + "-" + "b".repeat(11), "rest-proxy");
    expect(long).toBe("a".repeat(20) + "-rest-proxy");
    expect(long.length).toBeLessThanOrEqual(32);
  });
});

describe("seed URLs and messages", () => {
  it("builds the Confluent Hub download URL of a plugin version", () => {
    expect(s3SinkPluginUrl("10.5.13")).toBe("https://d1i4a15mxbxib1.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.5.13/confluentinc-kafka-connect-s3-10.5.13.zip");
  });

  it("tells how to fetch a missing plugin zip", () => {
    expect(missingPluginMessage("/x/a.zip", "10.6.0")).toBe(
      "the S3 sink plugin zip /x/a.zip does not exist: download it with  curl -fL --create-dirs -o /x/a.zip https://d1i4a15mxbxib1.cloudfront.net/api/plugins/confluentinc/kafka-connect-s3/versions/10.6.0/confluentinc-kafka-connect-s3-10.6.0.zip  (or set connector.pluginZipPath in the config), then run synth, plan or deploy again",
    );
  });

  it("targets the REST proxy over plain http on 8082 with the {proxy} path", () => {
    expect(restProxyUri("ec2-1-2-3-4.compute-1.amazonaws.com")).toBe("http://ec2-1-2-3-4.compute-1.amazonaws.com:8082/{proxy}");
  });

  it("grants execute-api:Invoke per topic on POST /topics/<topic> of the stage", () => {
    expect(invokeResources("arn:aws:execute-api:us-east-1:111122223333:a1b2c3/prod", ["u.pin", "u.geo"])).toEqual([
      "arn:aws:execute-api:us-east-1:111122223333:a1b2c3/prod/POST/topics/u.pin",
      "arn:aws:execute-api:us-east-1:111122223333:a1b2c3/prod/POST/topics/u.geo",
    ]);
  });
});

describe("S3 sink settings", () => {
  it("turns an IAM topic pattern into a Java regex with the dots escaped", () => {
    expect(topicsRegexFor("0a1b2c3d4e5f.*")).toBe("0a1b2c3d4e5f\\..*");
    expect(topicsRegexFor("a.b+c")).toBe("a\\.b\\+c");
  });

  it("sizes the dead-letter topic's replication to min(3, brokers)", () => {
    expect([1, 2, 3, 6].map(deadLetterReplicationFactor)).toEqual([1, 2, 3, 3]);
  });

  it("requires a time zone with the scheduled rotation and sets the layout readers rely on", () => {
    const settings = s3SinkConnectorConfiguration({ region: "eu-west-1", bucketName: "b", topicsRegex: "u\\..*", deadLetterTopic: "u-dlq", deadLetterReplicationFactor: 2 });
    expect(settings).toMatchObject({ "flush.size": "1000", "rotate.schedule.interval.ms": "60000", timezone: "UTC", "topics.dir": "topics", "filename.offset.zero.pad.width": "10" });
    expect(settings["errors.log.include.messages"]).toBe("false");
  });
});

describe("Monitoring", () => {
  it("adds the load balancer's healthy-hosts widget only when given one", () => {
    const config = exampleConfig();
    const app = new App({ outdir: scratch.dir });
    const stack = new PipelineStack(app, "nlb-test", config);
    new Monitoring(stack, "with-nlb", {
      name: "with-nlb",
      region: "us-east-1",
      api: stack.api,
      host: stack.host,
      cluster: stack.kafka,
      connector: stack.connector,
      loadBalancer: { loadBalancerArnSuffix: stack.host.instance.id, targetGroupArnSuffix: stack.host.instance.arn },
    });
    const dashboards = JSON.parse(Testing.synth(stack)).resource.aws_cloudwatch_dashboard;
    const metricsOf = (fragment: string) => {
      const [, body] = Object.entries(dashboards).find(([id]) => id.startsWith(`${fragment}_`)) as [string, { dashboard_body: string }];
      return JSON.parse(body.dashboard_body).widgets.flatMap((w: { properties: { metrics: unknown[][] } }) => w.properties.metrics);
    };
    const nlb = metricsOf("with-nlb").filter((m: unknown[]) => m[0] === "AWS/NetworkELB");
    expect(nlb).toHaveLength(1);
    expect(nlb[0].slice(0, 6)).toEqual(["AWS/NetworkELB", "HealthyHostCount", "TargetGroup", expect.stringMatching(/^\$\{aws_instance\..*\.arn\}$/), "LoadBalancer", expect.stringMatching(/^\$\{aws_instance\..*\.id\}$/)]);
    const seed = new PipelineStack(app, "seed-test", exampleConfig((doc) => Object.assign(doc.api, { exposure: "public", acknowledgePublicProxy: true })));
    new Monitoring(seed, "without-nlb", { name: "without-nlb", region: "us-east-1", api: seed.api, host: seed.host, cluster: seed.kafka, connector: seed.connector });
    const seedDashboards = JSON.parse(Testing.synth(seed)).resource.aws_cloudwatch_dashboard;
    const [, body] = Object.entries(seedDashboards).find(([id]) => id.startsWith("without-nlb_")) as [string, { dashboard_body: string }];
    const withoutNlb = JSON.parse(body.dashboard_body).widgets.flatMap((w: { properties: { metrics: unknown[][] } }) => w.properties.metrics);
    expect(withoutNlb.length).toBeGreaterThan(10);
    expect(withoutNlb.filter((m: unknown[]) => m[0] === "AWS/NetworkELB")).toEqual([]);
  });

  it("builds the dashboard's console URL", () => {
    expect(dashboardUrl("eu-west-1", "u1")).toBe("https://eu-west-1.console.aws.amazon.com/cloudwatch/home?region=eu-west-1#dashboards:name=u1");
  });
});
