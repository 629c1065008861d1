/**
 * Zone names (us-east-1a) map to different physical zones, the zone IDs (use1-az4), in every
 * account. MSK refuses some zone IDs, so the same config deploys in one account and fails after
 * 20 minutes in another (deploy-review row 2).
 */
import { type AvailabilityZone, DescribeAvailabilityZonesCommand, type EC2Client } from "@aws-sdk/client-ec2";
import { type CheckInfo, type CheckResult, fail, ok } from "../check";
import { cannotCheck } from "./errors";

export const ZONES: CheckInfo = { id: "aws.zones", title: "availability zones resolve and MSK supports them" };

/**
 * Zone IDs where MSK cannot place brokers. Source: the MSK API reference and the CloudFormation
 * AWS::MSK::Cluster BrokerNodeGroupInfo.ClientSubnets ("Client subnets can't occupy the
 * Availability Zone with ID use1-az3"); no other zone ID is documented there. Add one here only
 * with its source.
 */
export const MSK_UNSUPPORTED_ZONE_IDS: readonly string[] = ["use1-az3"];

/** A configured zone with the name and ID it has in this account. */
export interface ResolvedZone {
  readonly configured: string;
  readonly name: string;
  readonly id: string;
}

const describe = (zone: AvailabilityZone) => `${zone.ZoneName} (${zone.ZoneId})`;

/** Resolves configured zone names or IDs against this account's zones of the region. */
export function evaluateZones(region: string, configured: readonly string[], zones: readonly AvailabilityZone[]): { result: CheckResult; resolved?: ResolvedZone[] } {
  const problems: string[] = [];
  const resolved: ResolvedZone[] = [];
  for (const wanted of configured) {
    const zone = zones.find((z) => z.ZoneName === wanted || z.ZoneId === wanted);
    if (!zone?.ZoneName || !zone.ZoneId) {
      problems.push(`${wanted} is not an availability zone of ${region} in this account`);
      continue;
    }
    if (MSK_UNSUPPORTED_ZONE_IDS.includes(zone.ZoneId)) problems.push(`${wanted} is ${describe(zone)} in this account, a zone where MSK cannot place brokers`);
    else if (zone.State !== "available") problems.push(`${wanted} is ${describe(zone)}, currently ${zone.State ?? "in an unknown state"}`);
    resolved.push({ configured: wanted, name: zone.ZoneName, id: zone.ZoneId });
  }
  if (problems.length > 0) {
    const usable = zones.filter((z) => z.State === "available" && z.ZoneId && !MSK_UNSUPPORTED_ZONE_IDS.includes(z.ZoneId)).map(describe);
    return { result: fail(ZONES, problems.join("; "), `set availabilityZones to 2 or 3 of ${usable.join(", ")}`) };
  }
  return { result: ok(ZONES, `${resolved.map((z) => `${z.name} = ${z.id}`).join(", ")} (names map to IDs per account)`), resolved };
}

export async function checkZones(ec2: EC2Client, region: string, configured: readonly string[]): Promise<{ result: CheckResult; resolved?: ResolvedZone[] }> {
  try {
    // local and wavelength zones are not places for MSK subnets
    const { AvailabilityZones } = await ec2.send(new DescribeAvailabilityZonesCommand({ Filters: [{ Name: "zone-type", Values: ["availability-zone"] }] }));
    return evaluateZones(region, configured, AvailabilityZones ?? []);
  } catch (err) {
    return { result: cannotCheck(ZONES, err, "ec2:DescribeAvailabilityZones") };
  }
}
