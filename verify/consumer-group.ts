/**
 * The connector's consumer-group position, read on the client host with the Kafka CLI the
 * provisioner installed: `kafka-consumer-groups.sh --describe --group connect-<connector>`, run
 * through the host's profile (which puts the MSK IAM jar on CLASSPATH) with the IAM client config.
 */
import { DEFAULTS } from "../lib/defaults";
import { clientHostPaths } from "../provision/client-host";
import { type Host, describeCommand, shScript } from "../provision/remote";
import { VERIFY_DEFAULTS } from "./defaults";

export interface GroupPosition {
  readonly topic: string;
  readonly partition: number;
  /** The next offset the group will consume; undefined when it has committed none ("-"). */
  readonly currentOffset: number | undefined;
  readonly logEndOffset: number | undefined;
  readonly lag: number | undefined;
  /** Undefined when the group has no active member on the partition. */
  readonly consumerId: string | undefined;
}

export interface GroupDescription {
  readonly group: string;
  readonly positions: GroupPosition[];
  /** The tool said the group has no active members (the connector's tasks are not running). */
  readonly noActiveMembers: boolean;
  /** The tool said the group does not exist (the connector never committed). */
  readonly missing: boolean;
}

export interface ConsumerGroupPaths {
  /** The profile the provisioner wrote: it exports CLASSPATH with the MSK IAM jar. */
  readonly profile: string;
  readonly tool: string;
  readonly commandConfig: string;
}

/** The client host's paths as the provisioner lays them out (none of these depend on a version). */
export function clientHostToolPaths(): ConsumerGroupPaths {
  const paths = clientHostPaths({ kafkaCliVersion: "installed", confluentVersion: DEFAULTS.software.confluentVersion, mskIamAuthVersion: DEFAULTS.software.mskIamAuthVersion });
  return { profile: paths.profile, tool: `${paths.kafkaLink}/bin/kafka-consumer-groups.sh`, commandConfig: paths.clientProperties };
}

// a constant script; the profile path and the tool's argv arrive as positional parameters
const WITH_PROFILE = '. "$1" && shift && exec "$@"';

export function describeGroupArgv(paths: ConsumerGroupPaths, bootstrapServers: string, group: string): string[] {
  return shScript(WITH_PROFILE, paths.profile, paths.tool, "--bootstrap-server", bootstrapServers, "--describe", "--group", group, "--command-config", paths.commandConfig);
}

const dash = (value: string | undefined) => (value === undefined || value === "-" ? undefined : value);
const numberOrUndefined = (value: string | undefined) => {
  const text = dash(value);
  return text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
};

/** Parses `--describe` output: the GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID table. */
export function parseGroupDescription(group: string, stdout: string, stderr = ""): GroupDescription {
  const text = `${stdout}\n${stderr}`;
  const lines = stdout.split("\n");
  const headerAt = lines.findIndex((line) => /^GROUP\s+TOPIC\s+PARTITION\s+CURRENT-OFFSET\s+LOG-END-OFFSET\s+LAG\b/.test(line.trim()));
  const positions: GroupPosition[] = [];
  if (headerAt >= 0) {
    const columns = (lines[headerAt] as string).trim().split(/\s+/);
    for (const line of lines.slice(headerAt + 1)) {
      if (line.trim() === "") continue;
      const cells = line.trim().split(/\s+/);
      const cell = (name: string) => cells[columns.indexOf(name)];
      if (cell("GROUP") !== group) continue;
      const partition = numberOrUndefined(cell("PARTITION"));
      const topic = cell("TOPIC");
      if (partition === undefined || topic === undefined) continue;
      positions.push({
        topic,
        partition,
        currentOffset: numberOrUndefined(cell("CURRENT-OFFSET")),
        logEndOffset: numberOrUndefined(cell("LOG-END-OFFSET")),
        lag: numberOrUndefined(cell("LAG")),
        consumerId: dash(cell("CONSUMER-ID")),
      });
    }
  }
  return {
    group,
    positions,
    noActiveMembers: /has no active members/.test(text),
    missing: /does not exist/.test(text),
  };
}

/** Runs the tool on the host; throws with the command and its output when it fails. */
export async function readConsumerGroup(host: Host, paths: ConsumerGroupPaths, bootstrapServers: string, group: string): Promise<GroupDescription> {
  const argv = describeGroupArgv(paths, bootstrapServers, group);
  const result = await host.exec(argv, { timeoutMs: VERIFY_DEFAULTS.ssh.commandTimeoutMs });
  const description = parseGroupDescription(group, result.stdout, result.stderr);
  if (result.code !== 0 && !description.missing) {
    const detail = (result.stderr.trim() || result.stdout.trim()).split("\n").slice(-1)[0] ?? "";
    throw new Error(`${describeCommand(argv)} exited ${result.code}${detail ? `: ${detail}` : ""}`);
  }
  return description;
}
