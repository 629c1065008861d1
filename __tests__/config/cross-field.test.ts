import { describe, expect, it } from "vitest";
import { MINIMAL, parse, problemsOf, withSettings } from "./support";

const THREE_ZONES = { availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], "msk.brokerCount": 3 };

describe("config cross-field rules", () => {
  it("fails when a zone is not in the region", () => {
    expect(problemsOf(withSettings({ availabilityZones: ["us-east-1a", "us-west-2b"] }))).toEqual([
      'availabilityZones.1: got "us-west-2b", expected a zone of region us-east-1 like us-east-1a (list zones of the configured region)',
    ]);
  });

  it("fails when a zone is a longer region's name", () => {
    expect(problemsOf(withSettings({ availabilityZones: ["us-east-1a", "us-east-10a"] }))).toEqual([
      'availabilityZones.1: got "us-east-10a", expected a zone of region us-east-1 like us-east-1a (list zones of the configured region)',
    ]);
  });

  it("fails when a zone is listed twice", () => {
    expect(problemsOf(withSettings({ availabilityZones: ["us-east-1a", "us-east-1a"] }))).toEqual([
      'availabilityZones: got ["us-east-1a","us-east-1a"], expected distinct zones (remove the duplicate)',
    ]);
  });

  it("fails when there are fewer private subnets than zones", () => {
    expect(problemsOf(withSettings({ ...THREE_ZONES, "network.privateSubnetCidrs": ["10.20.10.0/24", "10.20.11.0/24"] }))).toEqual([
      "network.privateSubnetCidrs: got 2 blocks, expected one per availability zone (3) (add a block for each zone)",
    ]);
  });

  it("fails when a subnet lies outside the VPC", () => {
    expect(problemsOf(withSettings({ "network.publicSubnetCidr": "10.30.0.0/24", "network.privateSubnetCidrs": ["10.20.10.0/24", "192.168.1.0/24"] }))).toEqual([
      'network.publicSubnetCidr: got "10.30.0.0/24", expected a block inside network.vpcCidr 10.20.0.0/16 (pick a block within the VPC)',
      'network.privateSubnetCidrs.1: got "192.168.1.0/24", expected a block inside network.vpcCidr 10.20.0.0/16 (pick a block within the VPC)',
    ]);
  });

  it("fails when a subnet is larger than the VPC around it", () => {
    expect(problemsOf(withSettings({ "network.vpcCidr": "10.20.0.0/24", "network.publicSubnetCidr": "10.20.0.0/16", "network.privateSubnetCidrs": ["10.20.0.0/26", "10.20.0.64/26"] }))).toEqual([
      'network.publicSubnetCidr: got "10.20.0.0/16", expected a block inside network.vpcCidr 10.20.0.0/24 (pick a block within the VPC)',
      'network.privateSubnetCidrs.0: got "10.20.0.0/26", expected a block that does not overlap network.publicSubnetCidr 10.20.0.0/16 (subnets must be disjoint)',
      'network.privateSubnetCidrs.1: got "10.20.0.64/26", expected a block that does not overlap network.publicSubnetCidr 10.20.0.0/16 (subnets must be disjoint)',
    ]);
  });

  it("fails when subnets overlap", () => {
    expect(problemsOf(withSettings({ "network.privateSubnetCidrs": ["10.20.0.128/25", "10.20.10.0/24"] }))).toEqual([
      'network.privateSubnetCidrs.0: got "10.20.0.128/25", expected a block that does not overlap network.publicSubnetCidr 10.20.0.0/24 (subnets must be disjoint)',
    ]);
  });

  it("fails when two private subnets are the same block", () => {
    expect(problemsOf(withSettings({ "network.privateSubnetCidrs": ["10.20.10.0/24", "10.20.10.0/24"] }))).toEqual([
      'network.privateSubnetCidrs.1: got "10.20.10.0/24", expected a block that does not overlap network.privateSubnetCidrs.0 10.20.10.0/24 (subnets must be disjoint)',
    ]);
  });

  it("passes with extra private subnets beyond the zone count, which the stack does not use", () => {
    expect(parse(withSettings({ "network.privateSubnetCidrs": ["10.20.10.0/24", "10.20.11.0/24", "10.20.12.0/24"] })).network.privateSubnetCidrs).toHaveLength(3);
  });

  it("fails when SSH is open to 0.0.0.0/0 without acknowledgement", () => {
    expect(problemsOf(withSettings({ "clientHost.sshAllowedCidrs": ["203.0.113.10/32", "0.0.0.0/0"] }))).toEqual([
      'clientHost.sshAllowedCidrs.1: got "0.0.0.0/0", expected a narrower block than the whole internet (use your address as x.x.x.x/32, or set clientHost.allowSshFromAnywhere: true to accept the risk)',
    ]);
  });

  it("passes SSH from 0.0.0.0/0 when allowSshFromAnywhere acknowledges it", () => {
    const config = parse(withSettings({ "clientHost.sshAllowedCidrs": ["0.0.0.0/0"], "clientHost.allowSshFromAnywhere": true }));
    expect(config.clientHost.sshAllowedCidrs).toEqual(["0.0.0.0/0"]);
    expect(config.clientHost.allowSshFromAnywhere).toBe(true);
  });

  it("fails when the broker count is not a multiple of the zone count (2 brokers over 3 zones)", () => {
    expect(problemsOf(withSettings({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], "msk.brokerCount": 2 }))).toEqual([
      "msk.brokerCount: got 2, expected a multiple of the 3 availability zones (MSK spreads brokers evenly; use 3, 6, ...)",
    ]);
  });

  it("defaults the broker count to one broker per configured zone", () => {
    expect(parse(withSettings({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"] })).msk.brokerCount).toBe(3);
    expect(parse(withSettings({ availabilityZones: ["us-east-1a", "us-east-1b"] })).msk.brokerCount).toBe(2);
  });

  it("checks the replication factor against the defaulted broker count", () => {
    expect(problemsOf(withSettings({ availabilityZones: ["us-east-1a", "us-east-1b"], "msk.defaultReplicationFactor": 3 }))).toEqual([
      "msk.defaultReplicationFactor: got 3, expected at most the broker count 2 (a topic cannot have more replicas than brokers)",
    ]);
    expect(parse(withSettings({ availabilityZones: ["us-east-1a", "us-east-1b", "us-east-1c"], "msk.defaultReplicationFactor": 3 })).msk.defaultReplicationFactor).toBe(3);
  });

  it("passes six brokers over three zones", () => {
    expect(parse(withSettings({ ...THREE_ZONES, "msk.brokerCount": 6 })).msk.brokerCount).toBe(6);
  });

  it("fails when the replication factor exceeds the broker count", () => {
    expect(problemsOf(withSettings({ "msk.defaultReplicationFactor": 3 }))).toEqual([
      "msk.defaultReplicationFactor: got 3, expected at most the broker count 2 (a topic cannot have more replicas than brokers)",
    ]);
  });

  it("fails when the Kafka CLI version does not match the cluster", () => {
    expect(problemsOf(withSettings({ "msk.kafkaVersion": "3.9.x", "software.kafkaCliVersion": "3.8.1" }))).toEqual([
      'software.kafkaCliVersion: got "3.8.1", expected a 3.9.z release to match msk.kafkaVersion 3.9.x (the CLI must match the cluster; remove it to use 3.9.1)',
    ]);
  });

  it("passes a CLI patch release of the cluster's line and derives one when unset", () => {
    expect(parse(withSettings({ "software.kafkaCliVersion": "3.8.0" })).software.kafkaCliVersion).toBe("3.8.0");
    expect(parse(withSettings({ "msk.kafkaVersion": "3.9.x" })).software.kafkaCliVersion).toBe("3.9.1");
  });

  it("fails when the burst limit is below a tenth of the rate limit", () => {
    expect(problemsOf(withSettings({ "api.throttlingRateLimit": 5000, "api.throttlingBurstLimit": 499 }))).toEqual([
      "api.throttlingBurstLimit: got 499, expected at least a tenth of api.throttlingRateLimit 5000 (a tiny bucket throttles every batch)",
    ]);
  });

  it("passes a burst limit of exactly a tenth of the rate limit", () => {
    expect(parse(withSettings({ "api.throttlingRateLimit": 5000, "api.throttlingBurstLimit": 500 })).api.throttlingBurstLimit).toBe(500);
  });

  it("defaults the API to the private layout with IAM authentication and no acknowledgement", () => {
    const { api } = parse(MINIMAL);
    expect([api.exposure, api.auth, api.acknowledgePublicProxy, api.quotaLimit, api.quotaPeriod]).toEqual(["private", "iam", false, 1_000_000, "DAY"]);
  });

  it("fails when the seed's public layout is chosen without acknowledgement", () => {
    expect(problemsOf(withSettings({ "api.exposure": "public" }))).toEqual([
      'api.exposure: got "public", expected private unless api.acknowledgePublicProxy is true (public opens the REST proxy port 8082 to the internet, where anyone can read every record and create topics; remove it, or set api.acknowledgePublicProxy: true to accept the risk)',
    ]);
  });

  it("fails when auth is none in the private layout, even with the acknowledgement", () => {
    const NONE = 'api.auth: got "none", expected iam or api-key (an API without authentication lets anyone produce; none is only for the seed\'s layout: api.exposure: public with api.acknowledgePublicProxy: true)';
    expect(problemsOf(withSettings({ "api.auth": "none" }))).toEqual([NONE]);
    expect(problemsOf(withSettings({ "api.auth": "none", "api.acknowledgePublicProxy": true }))).toEqual([NONE]);
  });

  it("fails with both lines when the public layout without authentication lacks the acknowledgement", () => {
    expect(problemsOf(withSettings({ "api.exposure": "public", "api.auth": "none" }))).toEqual([
      'api.exposure: got "public", expected private unless api.acknowledgePublicProxy is true (public opens the REST proxy port 8082 to the internet, where anyone can read every record and create topics; remove it, or set api.acknowledgePublicProxy: true to accept the risk)',
      'api.auth: got "none", expected iam or api-key (an API without authentication lets anyone produce; none is only for the seed\'s layout: api.exposure: public with api.acknowledgePublicProxy: true)',
    ]);
  });

  it("passes the acknowledged seed layout with each auth mode", () => {
    for (const auth of ["iam", "api-key", "none"] as const) {
      const { api } = parse(withSettings({ "api.exposure": "public", "api.acknowledgePublicProxy": true, "api.auth": auth }));
      expect([api.exposure, api.acknowledgePublicProxy, api.auth]).toEqual(["public", true, auth]);
    }
  });

  it("passes api-key mode in the private layout with its quota", () => {
    const { api } = parse(withSettings({ "api.auth": "api-key", "api.quotaLimit": 5000, "api.quotaPeriod": "WEEK" }));
    expect([api.exposure, api.auth, api.quotaLimit, api.quotaPeriod]).toEqual(["private", "api-key", 5000, "WEEK"]);
  });

  it("reports cross-field problems of valid sections next to schema problems of others", () => {
    expect(problemsOf({ ...withSettings({ "msk.defaultReplicationFactor": 5 }), userId: "X" })).toEqual([
      'userId: got "X", expected a lowercase id of 3-32 letters, digits or hyphens, not starting or ending with a hyphen (it prefixes every resource name and the S3 bucket name user-<userId>-bucket)',
      "msk.defaultReplicationFactor: got 5, expected at most the broker count 2 (a topic cannot have more replicas than brokers)",
    ]);
  });

  it("keeps MINIMAL itself valid", () => {
    expect(parse(MINIMAL).userId).toBe("0a1b2c3d4e5f");
  });

  it("fails when a zone name has more than one letter after the region", () => {
    expect(problemsOf(withSettings({ availabilityZones: ["us-east-1a", "us-east-1bb"] }))).toEqual([
      'availabilityZones.1: got "us-east-1bb", expected a zone of region us-east-1 like us-east-1a (list zones of the configured region)',
    ]);
  });

  it("passes zone IDs of a region whose ID prefix it does not know (nothing to compare them with)", () => {
    expect(parse(withSettings({ region: "us-moon-1", availabilityZones: ["use1-az1", "use1-az2"] })).availabilityZones).toEqual(["use1-az1", "use1-az2"]);
  });

  it("ignores private subnets beyond the zone count, even outside the VPC: the stack does not create them", () => {
    expect(parse(withSettings({ "network.privateSubnetCidrs": ["10.20.10.0/24", "10.20.11.0/24", "192.168.0.0/24"] })).network.privateSubnetCidrs).toHaveLength(3);
  });

  it("fails when a subnet lies below the VPC's range", () => {
    expect(problemsOf(withSettings({ "network.publicSubnetCidr": "10.19.0.0/24" }))).toEqual([
      'network.publicSubnetCidr: got "10.19.0.0/24", expected a block inside network.vpcCidr 10.20.0.0/16 (pick a block within the VPC)',
    ]);
  });

  it("passes subnets at the VPC's first and last addresses, a /16 VPC and a /28 subnet", () => {
    const config = parse(withSettings({ "network.vpcCidr": "10.20.0.0/16", "network.publicSubnetCidr": "10.20.255.240/28", "network.privateSubnetCidrs": ["10.20.0.0/24", "10.20.1.0/24"] }));
    expect(config.network).toEqual({ vpcCidr: "10.20.0.0/16", publicSubnetCidr: "10.20.255.240/28", privateSubnetCidrs: ["10.20.0.0/24", "10.20.1.0/24"] });
  });

  it("fails for a VPC or subnet outside AWS's sizes, /16 to /28", () => {
    const size = (path: string, block: string) => `${path}: got "${block}", expected a block from /16 to /28 (AWS allows VPCs and subnets of 16 to 65,536 addresses)`;
    expect(problemsOf(withSettings({ "network.vpcCidr": "10.20.0.0/15" }))).toEqual([size("network.vpcCidr", "10.20.0.0/15")]);
    expect(problemsOf(withSettings({ "network.privateSubnetCidrs": ["10.20.10.0/24", "10.20.11.0/29"] }))).toEqual([size("network.privateSubnetCidrs.1", "10.20.11.0/29")]);
  });

  it("accepts 255 in an octet, and refuses a prefix over 32 or host bits under /0", () => {
    expect(parse(withSettings({ "clientHost.sshAllowedCidrs": ["10.255.255.0/24", "255.255.255.255/32"] })).clientHost.sshAllowedCidrs).toEqual(["10.255.255.0/24", "255.255.255.255/32"]);
    const notCidr = (block: string) => `clientHost.sshAllowedCidrs.0: got "${block}", expected an IPv4 CIDR block like 10.0.0.0/16 (use your own public address as x.x.x.x/32)`;
    expect(problemsOf(withSettings({ "clientHost.sshAllowedCidrs": ["128.0.0.0/33"] }))).toEqual([notCidr("128.0.0.0/33")]);
    expect(problemsOf(withSettings({ "clientHost.sshAllowedCidrs": ["10.0.0.0/0"], "clientHost.allowSshFromAnywhere": true }))).toEqual([notCidr("10.0.0.0/0")]);
  });
});
