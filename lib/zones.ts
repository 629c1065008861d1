/**
 * Availability zones by name (`us-east-1a`) or by ID (`use1-az1`). Names are mapped to physical
 * zones differently in every AWS account, so `us-east-1a` in one account may be `use1-az3` (where
 * MSK refuses brokers) in another; IDs name the same physical zone everywhere. The config accepts
 * either form for the whole list, and subnets are placed with `availability_zone` or
 * `availability_zone_id` accordingly. No zod, no cdktf: anything may import it.
 */

/** A zone name of a standard region: `us-east-1a`, `us-gov-west-1b`. */
export const ZONE_NAME = /^[a-z]{2}(-gov)?-[a-z]+-\d[a-z]$/;
/** A zone ID of a standard region: `use1-az1`, `euw2-az3` (Local Zone IDs such as `use1-bos1-az1` are not accepted). */
export const ZONE_ID = /^[a-z]{3,8}\d-az\d{1,2}$/;

export function isZoneId(zone: string): boolean {
  return ZONE_ID.test(zone);
}

const DIRECTIONS: Readonly<Record<string, string>> = {
  east: "e",
  west: "w",
  north: "n",
  south: "s",
  central: "c",
  northeast: "ne",
  northwest: "nw",
  southeast: "se",
  southwest: "sw",
};

/**
 * The prefix of a region's zone IDs: `us-east-1` → `use1`, `ap-southeast-2` → `apse2`,
 * `us-gov-west-1` → `usgw1`; undefined for a region whose name does not follow the pattern.
 */
export function zoneIdPrefix(region: string): string | undefined {
  const match = /^([a-z]{2})(-gov)?-([a-z]+)-(\d)$/.exec(region);
  const direction = match && DIRECTIONS[match[3]];
  if (!match || !direction) return undefined;
  return `${match[1]}${match[2] ? "g" : ""}${direction}${match[4]}`;
}

/** The aws_subnet placement argument for a zone: `availabilityZoneId` for an ID, `availabilityZone` for a name. */
export function zonePlacement(zone: string): { availabilityZone: string } | { availabilityZoneId: string } {
  return isZoneId(zone) ? { availabilityZoneId: zone } : { availabilityZone: zone };
}
