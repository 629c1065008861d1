/**
 * Newer instance families are missing in some zones (use1-az3 among them): the client host then
 * fails to launch, or MSK refuses the broker size, late in the deploy.
 */
import { DescribeInstanceTypeOfferingsCommand, type EC2Client, type InstanceTypeOffering } from "@aws-sdk/client-ec2";
import { type CheckInfo, type CheckResult, fail, ok, warn } from "../check";
import { cannotCheck } from "./errors";
import type { ResolvedZone } from "./zones";

export const INSTANCE_TYPES: CheckInfo = { id: "aws.instance-types", title: "client and broker instance types are offered in the zones" };

/**
 * The EC2 type behind an MSK broker type (kafka.t3.small → t3.small). Only a heuristic: MSK runs
 * brokers on its own capacity, so an EC2 offering says little for certain; hence warnings only.
 */
export function ec2TypeOfBroker(brokerType: string): string {
  return brokerType.replace(/^(kafka|express)\./, "");
}

export interface InstanceTypeInput {
  readonly clientType: string;
  readonly brokerType: string;
  /** The configured zones in order; the client host's public subnet is in the first. */
  readonly zones: readonly ResolvedZone[];
}

export function evaluateInstanceTypes(input: InstanceTypeInput, offerings: readonly InstanceTypeOffering[]): CheckResult {
  const offered = (type: string, zone: ResolvedZone) => offerings.some((o) => o.InstanceType === type && o.Location === zone.id);
  const hostZone = input.zones[0];
  const brokerEc2Type = ec2TypeOfBroker(input.brokerType);
  const brokerGaps = input.zones.filter((zone) => !offered(brokerEc2Type, zone)).map((zone) => `${zone.name} (${zone.id})`);
  const brokerNote = brokerGaps.length > 0 ? `; ${brokerEc2Type} is not an EC2 offering in ${brokerGaps.join(", ")}, so ${input.brokerType} brokers may be refused there (a heuristic: MSK capacity is not EC2's offering list)` : "";
  if (!offered(input.clientType, hostZone)) {
    return fail(INSTANCE_TYPES, `clientHost.instanceType ${input.clientType} is not offered in ${hostZone.name} (${hostZone.id}), the client host's zone${brokerNote}`, "pick a type offered there (aws ec2 describe-instance-type-offerings --location-type availability-zone-id), or list another zone first in availabilityZones");
  }
  if (brokerGaps.length > 0) {
    return warn(INSTANCE_TYPES, `${input.clientType} is offered in ${hostZone.name}${brokerNote}`, "choose zones where the broker's EC2 type is offered, or confirm the broker type in the MSK console for these zones");
  }
  return ok(INSTANCE_TYPES, `${input.clientType} in ${hostZone.name}; ${brokerEc2Type} (for ${input.brokerType}, by EC2 offering as a heuristic) in ${input.zones.map((z) => z.name).join(", ")}`);
}

export async function checkInstanceTypes(ec2: EC2Client, input: InstanceTypeInput): Promise<CheckResult> {
  const offerings: InstanceTypeOffering[] = [];
  try {
    let NextToken: string | undefined;
    do {
      const page = await ec2.send(
        new DescribeInstanceTypeOfferingsCommand({
          LocationType: "availability-zone-id",
          Filters: [
            { Name: "location", Values: input.zones.map((z) => z.id) },
            { Name: "instance-type", Values: [...new Set([input.clientType, ec2TypeOfBroker(input.brokerType)])] },
          ],
          ...(NextToken ? { NextToken } : {}),
        }),
      );
      offerings.push(...(page.InstanceTypeOfferings ?? []));
      NextToken = page.NextToken;
    } while (NextToken);
  } catch (err) {
    return cannotCheck(INSTANCE_TYPES, err, "ec2:DescribeInstanceTypeOfferings");
  }
  return evaluateInstanceTypes(input, offerings);
}
