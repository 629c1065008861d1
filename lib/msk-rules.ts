/**
 * MSK's sizing rules, written once: the config loader reports them as `msk.<field>: ...` and the
 * KafkaCluster construct throws them as `KafkaCluster: <field>: ...`, with the same wording.
 */
import { DEFAULTS } from "./defaults";

/** One broker per zone (times `brokersPerZone`) when the config names no count. */
export function defaultBrokerCount(zoneCount: number): number {
  return zoneCount * DEFAULTS.msk.brokersPerZone;
}

/** MSK spreads brokers evenly over the zones. Returns `got X, expected Y (fix)` or undefined. */
export function brokerCountProblem(brokerCount: number, zoneCount: number): string | undefined {
  if (zoneCount <= 0 || brokerCount % zoneCount === 0) return undefined;
  return `got ${brokerCount}, expected a multiple of the ${zoneCount} availability zones (MSK spreads brokers evenly; use ${zoneCount}, ${zoneCount * 2}, ...)`;
}

/** A topic cannot have more replicas than there are brokers. */
export function replicationFactorProblem(replicationFactor: number, brokerCount: number): string | undefined {
  if (replicationFactor <= brokerCount) return undefined;
  return `got ${replicationFactor}, expected at most the broker count ${brokerCount} (a topic cannot have more replicas than brokers)`;
}

/**
 * Zone IDs where MSK refuses client subnets, each with its source. Zone *names* map to different
 * IDs per account, so only IDs can be checked before deploy.
 */
export const MSK_UNSUPPORTED_ZONE_IDS: Readonly<Record<string, string>> = {
  "use1-az3": "AWS::MSK::Cluster BrokerNodeGroupInfo.ClientSubnets (AWS CloudFormation and MSK API reference): \"Client subnets can't occupy the Availability Zone with ID use1-az3.\"",
};

/** Why MSK cannot place brokers in a zone ID, or undefined when it can (as far as known). */
export function unsupportedZoneProblem(zoneId: string): string | undefined {
  if (!(zoneId in MSK_UNSUPPORTED_ZONE_IDS)) return undefined;
  return `got "${zoneId}", expected a zone ID where MSK can place brokers (MSK refuses client subnets in ${zoneId}; pick another zone of the region)`;
}
