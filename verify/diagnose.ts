/**
 * Where missing records stop: the connector's state (MSK Connect DescribeConnector), recent ERROR
 * lines of its workers (CloudWatch Logs FilterLogEvents) and the connector's consumer-group
 * position (the Kafka CLI on the client host). {@link locateGap} turns them into one line per gap.
 */
import { type CloudWatchLogsClient, FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeConnectorCommand, type KafkaConnectClient } from "@aws-sdk/client-kafkaconnect";
import type { GroupDescription } from "./consumer-group";
import { VERIFY_DEFAULTS } from "./defaults";
import type { PartitionReport } from "./reconcile";

export interface ConnectorStatus {
  readonly name: string;
  readonly arn: string;
  /** RUNNING, FAILED, CREATING, UPDATING, DELETING; undefined when it could not be read. */
  readonly state: string | undefined;
  /** `code: message` of the state description, when AWS gives one. */
  readonly reason: string | undefined;
  /** Why the state could not be read. */
  readonly error: string | undefined;
}

export async function describeConnector(client: KafkaConnectClient, name: string, arn: string): Promise<ConnectorStatus> {
  try {
    const answer = await client.send(new DescribeConnectorCommand({ connectorArn: arn }));
    const description = answer.stateDescription;
    const reason = description && (description.code || description.message) ? [description.code, description.message].filter(Boolean).join(": ") : undefined;
    return { name: answer.connectorName ?? name, arn, state: answer.connectorState, reason, error: undefined };
  } catch (err) {
    return { name, arn, state: undefined, reason: undefined, error: oneLine(err) };
  }
}

export interface ErrorLines {
  readonly logGroup: string;
  /** ERROR lines in the window, oldest first, at most VERIFY_DEFAULTS.connectorLogs.maxLines. */
  readonly lines: string[];
  readonly error: string | undefined;
}

export async function recentErrorLines(client: CloudWatchLogsClient, logGroup: string, nowMs: number): Promise<ErrorLines> {
  const { windowMs, filterPattern, maxLines, maxPages } = VERIFY_DEFAULTS.connectorLogs;
  const lines: string[] = [];
  let token: string | undefined;
  try {
    // a page may be empty while more follow; a few pages bound the time spent
    for (let page = 0; page < maxPages && lines.length < maxLines; page++) {
      const answer = await client.send(
        new FilterLogEventsCommand({ logGroupName: logGroup, startTime: nowMs - windowMs, endTime: nowMs, filterPattern, limit: maxLines, nextToken: token }),
      );
      for (const event of answer.events ?? []) if (event.message && lines.length < maxLines) lines.push(event.message.trim());
      token = answer.nextToken;
      if (!token) break;
    }
    return { logGroup, lines, error: undefined };
  } catch (err) {
    return { logGroup, lines, error: oneLine(err) };
  }
}

export interface GroupReading {
  readonly description: GroupDescription | undefined;
  /** Why there is no description: skipped (no SSH identity) or failed. */
  readonly unavailable: string | undefined;
}

export interface Diagnosis {
  readonly connector: ConnectorStatus;
  readonly errors: ErrorLines;
  readonly consumerGroup: GroupReading;
}

export interface Gap {
  readonly topic: string;
  readonly partition: number;
  readonly firstMissing: number;
  /** The hop that holds the records, and why, in one line. */
  readonly line: string;
}

/** One line per partition with missing records, naming the hop where they stop. */
export function locateGaps(partitions: readonly PartitionReport[], diagnosis: Diagnosis, deadLetterTopic: string | undefined): Gap[] {
  return partitions
    .filter((p) => p.missingRanges.length > 0)
    .map((p) => {
      const firstMissing = (p.missingRanges[0] as readonly [number, number])[0];
      return { topic: p.topic, partition: p.partition, firstMissing, line: locateGap(p, firstMissing, diagnosis, deadLetterTopic) };
    });
}

export function locateGap(p: PartitionReport, firstMissing: number, d: Diagnosis, deadLetterTopic: string | undefined): string {
  const { connector, errors, consumerGroup } = d;
  const stopped = connector.state !== undefined && connector.state !== "RUNNING";
  const connectorPhrase = `connector ${connector.name} ${connector.state ?? "(state unknown)"}${connector.reason ? `: ${connector.reason}` : ""}`;
  const firstError = errors.lines[0];
  const notWritten = firstError ?? (errors.error ? `connector log ${errors.logGroup} not read (${errors.error})` : undefined) ?? `no ERROR line in ${errors.logGroup} in the last ${VERIFY_DEFAULTS.connectorLogs.windowMs / 60_000} min${deadLetterTopic ? `; look in the dead-letter topic ${deadLetterTopic}` : ""}`;
  const position = consumerGroup.description?.positions.find((g) => g.topic === p.topic && g.partition === p.partition);
  if (position) {
    if (position.logEndOffset !== undefined && position.logEndOffset <= firstMissing) {
      return `acknowledged by the proxy, not in the topic: log end offset is ${position.logEndOffset}, offset ${firstMissing} was acknowledged (topic recreated, or records lost by the brokers)`;
    }
    if (position.currentOffset === undefined || position.currentOffset <= firstMissing) {
      const at = position.currentOffset === undefined ? "has committed no offset" : `is at offset ${position.currentOffset}, lag ${position.lag ?? "unknown"}`;
      return `acknowledged by the proxy, not consumed: ${stopped ? connectorPhrase : `${connectorPhrase}, group ${consumerGroup.description?.group} ${at}`}`;
    }
    return `consumed up to offset ${position.currentOffset - 1}, not written: ${notWritten}`;
  }
  // without the group's position, objects written past the gap show the sink consumed it
  if (p.lastWrittenOffset > firstMissing) return `consumed (the sink wrote up to offset ${p.lastWrittenOffset}), not written: ${notWritten}`;
  if (stopped) return `acknowledged by the proxy, not consumed: ${connectorPhrase}`;
  if (firstError) return `not written (${connectorPhrase}): ${firstError}`;
  const why = consumerGroup.unavailable ? `; consumer group not read: ${consumerGroup.unavailable}` : "";
  return `not in the bucket yet: ${connectorPhrase}, no ERROR line in the last ${VERIFY_DEFAULTS.connectorLogs.windowMs / 60_000} min${why} (the sink may still be catching up: try --wait 5m)`;
}

export function oneLine(err: unknown): string {
  const message = err instanceof Error ? `${err.name !== "Error" ? `${err.name}: ` : ""}${err.message}` : String(err);
  return message.split("\n")[0] ?? message;
}
