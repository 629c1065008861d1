/** Caller identity, region, zones and instance types against aws-sdk-client-mock doubles of the real clients. */
import { DescribeAvailabilityZonesCommand, DescribeInstanceTypeOfferingsCommand, DescribeRegionsCommand, EC2Client, type AvailabilityZone } from "@aws-sdk/client-ec2";
import { ExpiredTokenException, GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { checkCallerIdentity } from "../../doctor/aws/caller-identity";
import { resolveCredentials } from "../../doctor/aws/credentials";
import { checkInstanceTypes, ec2TypeOfBroker } from "../../doctor/aws/instance-types";
import { checkRegionEnabled } from "../../doctor/aws/region";
import { MSK_UNSUPPORTED_ZONE_IDS, checkZones } from "../../doctor/aws/zones";

const sts = mockClient(STSClient);
const ec2 = mockClient(EC2Client);
beforeEach(() => {
  sts.reset();
  ec2.reset();
});
const client = <T>(ctor: new (config: object) => T) => new ctor({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });

/** us-east-1 as one account sees it: its "us-east-1e" is the zone MSK refuses. */
const US_EAST_1: AvailabilityZone[] = [
  { ZoneName: "us-east-1a", ZoneId: "use1-az6", State: "available", RegionName: "us-east-1", ZoneType: "availability-zone" },
  { ZoneName: "us-east-1b", ZoneId: "use1-az1", State: "available", RegionName: "us-east-1", ZoneType: "availability-zone" },
  { ZoneName: "us-east-1c", ZoneId: "use1-az2", State: "available", RegionName: "us-east-1", ZoneType: "availability-zone" },
  { ZoneName: "us-east-1e", ZoneId: "use1-az3", State: "available", RegionName: "us-east-1", ZoneType: "availability-zone" },
];

describe("aws.credentials", () => {
  it("skips every AWS check with how to provide credentials when the chain finds none", async () => {
    const found = await resolveCredentials(() => Promise.reject(Object.assign(new Error("Could not load credentials from any providers"), { name: "CredentialsProviderError" })));
    expect("result" in found && found.result).toMatchObject({ id: "aws.credentials", status: "skip", message: "no AWS credentials found (Could not load credentials from any providers): the account checks did not run" });
    expect("result" in found && found.result.fix).toContain("AWS_PROFILE");
  });

  it("gives up on a chain that never answers", async () => {
    const found = await resolveCredentials(() => new Promise(() => undefined), 20);
    expect("result" in found && found.result.message).toContain("no answer within 0.02 s");
  });

  it("returns resolved credentials", async () => {
    expect(await resolveCredentials(async () => ({ accessKeyId: "AKIDTEST", secretAccessKey: "s" }))).toEqual({ credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "s" } });
  });
});

describe("aws.identity", () => {
  it("reports the account and ARN", async () => {
    sts.on(GetCallerIdentityCommand, {}).resolves({ Account: "111122223333", Arn: "arn:aws:iam::111122223333:user/student", UserId: "AIDATEST" });
    const { result, identity } = await checkCallerIdentity(client(STSClient));
    expect(result).toMatchObject({ status: "ok", message: "account 111122223333 as arn:aws:iam::111122223333:user/student" });
    expect(identity).toEqual({ account: "111122223333", arn: "arn:aws:iam::111122223333:user/student" });
    expect(sts.commandCalls(GetCallerIdentityCommand)[0].args[0].input).toEqual({});
  });

  it("fails on refused credentials and returns no identity", async () => {
    sts.on(GetCallerIdentityCommand).rejects(new ExpiredTokenException({ message: "The security token included in the request is expired", $metadata: { httpStatusCode: 400 } }));
    const { result, identity } = await checkCallerIdentity(client(STSClient));
    expect(result).toMatchObject({ status: "fail", message: "the credentials were refused: ExpiredTokenException: The security token included in the request is expired" });
    expect(identity).toBeUndefined();
  });
});

describe("aws.region", () => {
  const regions = { Regions: [
    { RegionName: "us-east-1", Endpoint: "ec2.us-east-1.amazonaws.com", OptInStatus: "opt-in-not-required" },
    { RegionName: "af-south-1", Endpoint: "ec2.af-south-1.amazonaws.com", OptInStatus: "not-opted-in" },
  ] };

  it("passes an enabled region, asking for all regions", async () => {
    ec2.on(DescribeRegionsCommand).resolves(regions);
    const { result, enabled } = await checkRegionEnabled(client(EC2Client), "us-east-1");
    expect(result).toMatchObject({ status: "ok", message: "us-east-1 is enabled (opt-in-not-required)" });
    expect(enabled).toBe(true);
    expect(ec2.commandCalls(DescribeRegionsCommand)[0].args[0].input).toEqual({ AllRegions: true });
  });

  it("fails an opt-in region the account has not enabled", async () => {
    ec2.on(DescribeRegionsCommand).resolves(regions);
    const { result, enabled } = await checkRegionEnabled(client(EC2Client), "af-south-1");
    expect(result.status).toBe("fail");
    expect(result.fix).toContain("aws account enable-region --region-name af-south-1");
    expect(enabled).toBe(false);
  });
});

describe("aws.zones", () => {
  it("keeps MSK's unsupported zone IDs in one list, use1-az3 among them", () => {
    expect(MSK_UNSUPPORTED_ZONE_IDS).toContain("use1-az3");
  });

  it("resolves zone names and zone IDs to this account's zones", async () => {
    ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: US_EAST_1 });
    const { result, resolved } = await checkZones(client(EC2Client), "us-east-1", ["us-east-1a", "use1-az1"]);
    expect(result).toMatchObject({ id: "aws.zones", status: "ok", message: "us-east-1a = use1-az6, us-east-1b = use1-az1 (names map to IDs per account)" });
    expect(resolved).toEqual([{ configured: "us-east-1a", name: "us-east-1a", id: "use1-az6" }, { configured: "use1-az1", name: "us-east-1b", id: "use1-az1" }]);
    expect(ec2.commandCalls(DescribeAvailabilityZonesCommand)[0].args[0].input).toEqual({ Filters: [{ Name: "zone-type", Values: ["availability-zone"] }] });
  });

  it("fails a name that maps to use1-az3 in this account, suggesting the usable zones", async () => {
    ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: US_EAST_1 });
    const { result, resolved } = await checkZones(client(EC2Client), "us-east-1", ["us-east-1a", "us-east-1e"]);
    expect(result.status).toBe("fail");
    expect(result.message).toBe("us-east-1e is us-east-1e (use1-az3) in this account, a zone where MSK cannot place brokers");
    expect(result.fix).toBe("set availabilityZones to 2 or 3 of us-east-1a (use1-az6), us-east-1b (use1-az1), us-east-1c (use1-az2)");
    expect(resolved).toBeUndefined();
  });

  it("fails a zone the account does not have", async () => {
    ec2.on(DescribeAvailabilityZonesCommand).resolves({ AvailabilityZones: US_EAST_1 });
    const { result } = await checkZones(client(EC2Client), "us-east-1", ["us-east-1a", "us-east-1f"]);
    expect(result.message).toBe("us-east-1f is not an availability zone of us-east-1 in this account");
  });
});

describe("aws.instance-types", () => {
  const zones = [{ configured: "us-east-1a", name: "us-east-1a", id: "use1-az6" }, { configured: "us-east-1b", name: "us-east-1b", id: "use1-az1" }];
  const offering = (type: string, zone: string) => ({ InstanceType: type as "t3.small", LocationType: "availability-zone-id" as const, Location: zone });

  it("maps MSK broker types to EC2 types", () => {
    expect(ec2TypeOfBroker("kafka.t3.small")).toBe("t3.small");
    expect(ec2TypeOfBroker("express.m7g.large")).toBe("m7g.large");
  });

  it("passes when both types are offered, asking by zone ID across pages", async () => {
    ec2
      .on(DescribeInstanceTypeOfferingsCommand)
      .resolvesOnce({ InstanceTypeOfferings: [offering("t3.small", "use1-az6"), offering("m5.large", "use1-az6")], NextToken: "page2" })
      .resolvesOnce({ InstanceTypeOfferings: [offering("m5.large", "use1-az1")] });
    const result = await checkInstanceTypes(client(EC2Client), { clientType: "t3.small", brokerType: "kafka.m5.large", zones });
    expect(result.status).toBe("ok");
    const calls = ec2.commandCalls(DescribeInstanceTypeOfferingsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0].args[0].input).toEqual({
      LocationType: "availability-zone-id",
      Filters: [
        { Name: "location", Values: ["use1-az6", "use1-az1"] },
        { Name: "instance-type", Values: ["t3.small", "m5.large"] },
      ],
    });
    expect(calls[1].args[0].input).toMatchObject({ NextToken: "page2" });
  });

  it("fails when the client type is not offered in the host's zone", async () => {
    ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({ InstanceTypeOfferings: [offering("t3.small", "use1-az1")] });
    const result = await checkInstanceTypes(client(EC2Client), { clientType: "t3.small", brokerType: "kafka.t3.small", zones });
    expect(result.status).toBe("fail");
    expect(result.message).toMatch(/^clientHost.instanceType t3.small is not offered in us-east-1a \(use1-az6\), the client host's zone/);
  });

  it("only warns, as a heuristic, when the broker's EC2 type is missing in a zone", async () => {
    ec2.on(DescribeInstanceTypeOfferingsCommand).resolves({ InstanceTypeOfferings: [offering("t3.small", "use1-az6"), offering("m7g.large", "use1-az6")] });
    const result = await checkInstanceTypes(client(EC2Client), { clientType: "t3.small", brokerType: "kafka.m7g.large", zones });
    expect(result.status).toBe("warn");
    expect(result.message).toContain("m7g.large is not an EC2 offering in us-east-1b (use1-az1)");
    expect(result.message).toContain("a heuristic");
  });
});
