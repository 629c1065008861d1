/**
 * Kafka topics, created when missing and otherwise left alone.
 *
 * Facts (one command, as the login user with CLASSPATH set to the IAM auth jar):
 * `kafka-topics.sh --list` against the cluster; when the CLI is not installed yet (a --check on
 * a fresh host) every topic counts as missing.
 * Changed when: a wanted topic is not listed.
 * Commands: one `kafka-topics.sh --create --topic <t> --partitions <n>` per missing topic.
 * Notifies: nothing.
 */
import type { Change, Operation } from "../engine";
import { type ExecOptions, RemoteCommandError, describeCommand, run, shScript } from "../remote";

export interface TopicsSpec {
  readonly kafkaTopicsBin: string;
  readonly bootstrapServers: string;
  readonly commandConfig: string;
  /** CLASSPATH for the CLI: the IAM auth jar. */
  readonly classpath: string;
  readonly topics: readonly string[];
  readonly partitions: number;
}

export interface TopicsFacts {
  readonly cliInstalled: boolean;
  readonly existing: readonly string[];
}

export interface TopicsChange extends Change {
  readonly topic: string;
}

/** JVM start plus a metadata round trip to MSK takes seconds; allow for a slow cluster. */
const TOPICS_TIMEOUT_MS = 120_000;
const CLI_MISSING = "#kafka-cli-missing";

/** Runs the given kafka-topics.sh argv, or prints a marker when the CLI is not installed. */
export const LIST_TOPICS_SCRIPT = `if [ ! -x "$1" ]; then echo '${CLI_MISSING}'; exit 0; fi
exec "$@"`;

export function listTopicsArgv(spec: TopicsSpec): string[] {
  return [spec.kafkaTopicsBin, "--bootstrap-server", spec.bootstrapServers, "--command-config", spec.commandConfig, "--list"];
}

export function createTopicArgv(spec: TopicsSpec, topic: string): string[] {
  return [spec.kafkaTopicsBin, "--bootstrap-server", spec.bootstrapServers, "--command-config", spec.commandConfig, "--create", "--topic", topic, "--partitions", String(spec.partitions)];
}

export function parseTopicsFacts(stdout: string): TopicsFacts {
  const lines = stdout.split("\n").map((line) => line.trim()).filter(Boolean);
  if (lines.includes(CLI_MISSING)) return { cliInstalled: false, existing: [] };
  return { cliInstalled: true, existing: lines };
}

export function planTopics(facts: TopicsFacts, spec: TopicsSpec): TopicsChange[] {
  const existing = new Set(facts.existing);
  const note = facts.cliInstalled ? "" : " (the Kafka CLI is not installed yet)";
  return spec.topics
    .filter((topic) => !existing.has(topic))
    .map((topic) => ({ topic, summary: `create topic ${topic} with ${spec.partitions} partition${spec.partitions === 1 ? "" : "s"}${note}` }));
}

export function topicsOperation(name: string, tags: readonly string[], spec: TopicsSpec): Operation<TopicsFacts, TopicsChange> {
  const options: ExecOptions = { env: { CLASSPATH: spec.classpath }, timeoutMs: TOPICS_TIMEOUT_MS };
  return {
    name,
    tags,
    gather: async (host) => parseTopicsFacts(await run(host, name, shScript(LIST_TOPICS_SCRIPT, ...listTopicsArgv(spec)), options)),
    plan: (facts) => planTopics(facts, spec),
    async apply(host, changes) {
      const notes: string[] = [];
      for (const change of changes) {
        const argv = createTopicArgv(spec, change.topic);
        const result = await host.exec(argv, options);
        // another client may have created it since the listing: the desired state holds
        if (result.code !== 0 && /already exists/i.test(result.stdout + result.stderr)) {
          notes.push(`topic ${change.topic} already existed`);
          continue;
        }
        if (result.code !== 0) throw new RemoteCommandError(host.name, name, describeCommand(argv, options), result.code, result.stderr, result.stdout);
      }
      return notes;
    },
  };
}
