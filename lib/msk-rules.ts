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
