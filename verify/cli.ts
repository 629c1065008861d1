/**
 * `npm run verify`: the only verify module that touches argv, the environment and the terminal.
 * Everything it talks to can be injected, so tests drive it in-process with doubles or run it as
 * a child process against a local S3 server.
 */
import { existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { KafkaConnectClient } from "@aws-sdk/client-kafkaconnect";
import type { S3Client } from "@aws-sdk/client-s3";
import { OutputsError, type StackOutputs, loadStackOutputs } from "../lib/contract";
import { ReceiptsError } from "../lib/receipts";
import type { Host } from "../provision/remote";
import { SshHost, type SshTarget } from "../provision/ssh";
import { loadAcks, receiptsFiles } from "./acks";
import { USAGE, UsageError, type VerifyOptions, parseVerifyArgs } from "./args";
import { createS3Client } from "./bucket";
import { type ConsumerGroupPaths, clientHostToolPaths, readConsumerGroup } from "./consumer-group";
import { sinkConsumerGroup } from "../lib/names";
import { VERIFY_DEFAULTS } from "./defaults";
import { type Diagnosis, type GroupReading, describeConnector, locateGaps, oneLine, recentErrorLines } from "./diagnose";
import { BucketReconciler, type LookResult } from "./look";
import { progressLine, reportJson, reportLines } from "./report";

const OUTPUT_NAMES = [
  "bucket_name",
  "region",
  "topics",
  "topic_partitions",
  "connector_name",
  "connector_arn",
  "connector_log_group",
  "dead_letter_topic",
  "client_public_dns",
  "ssh_user",
  "msk_bootstrap_brokers_sasl_iam",
] as const;
type VerifyOutputs = Pick<StackOutputs, (typeof OUTPUT_NAMES)[number]>;

export interface VerifyEnvironment {
  readonly cwd: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
  readonly stdout: (line: string) => void;
  /** Raw stderr text (progress redraws in place on a terminal). */
  readonly stderr: (text: string) => void;
  readonly stderrIsTTY: boolean;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Clients to use instead of ones built from the outputs' region and the standard chain. */
  readonly s3?: S3Client;
  readonly kafkaConnect?: KafkaConnectClient;
  readonly logs?: CloudWatchLogsClient;
  /** How to reach the client host. @default SshHost.connect */
  readonly openHost?: (target: SshTarget) => Promise<Host>;
  /** The Kafka tool's paths on the host. @default the provisioner's layout */
  readonly toolPaths?: ConsumerGroupPaths;
}

/** Bad input: exit 2, one line. */
class InputError extends Error {}

export async function main(args: readonly string[], environment: VerifyEnvironment): Promise<number> {
  try {
    return await verify(args, environment);
  } catch (err) {
    const badInput = err instanceof UsageError || err instanceof OutputsError || err instanceof ReceiptsError || err instanceof InputError;
    environment.stderr(`verify: ${badInput ? (err as Error).message : oneLine(err)}\n`);
    return badInput ? 2 : 1;
  }
}

async function verify(args: readonly string[], environment: VerifyEnvironment): Promise<number> {
  const options = parseVerifyArgs(args);
  if (options.help) {
    environment.stdout(USAGE);
    return 0;
  }
  const now = environment.now ?? Date.now;
  const sleep = environment.sleep ?? ((ms: number) => new Promise<void>((done) => setTimeout(done, ms)));
  const outputs = loadStackOutputs(resolve(environment.cwd, options.outputs), OUTPUT_NAMES);
  const files = receiptsPaths(options, environment.cwd);
  const acks = await loadAcks(files);
  if (acks.partitions.size === 0) throw new InputError(`--receipts: ${options.receipts.join(", ")} hold no acknowledged records (pass the receipts of a run that posted something)`);
  const foreign = acks.topics.filter((topic) => !outputs.topics.includes(topic));
  if (foreign.length > 0) environment.stderr(`verify: warning: the receipts name topics the stack does not have: ${foreign.join(", ")} (checked anyway)\n`);

  const reconciler = new BucketReconciler(environment.s3 ?? createS3Client(outputs.region, environment.env), { bucket: outputs.bucket_name, topics: outputs.topics, partitions: outputs.topic_partitions }, acks);
  const started = now();
  const deadline = started + options.waitMs;
  let result = await reconciler.look();
  let progressShown = false;
  // bounded: every pass sleeps, and the deadline ends the loop
  while (result.verdict === "missing" && now() < deadline) {
    await waitShowingProgress(result, deadline, environment, now, sleep);
    progressShown = true;
    result = await reconciler.look();
  }
  if (progressShown && environment.stderrIsTTY) environment.stderr("\r\u001b[K");

  const diagnosis = result.verdict === "missing" ? await diagnose(outputs, options, environment, now()) : undefined;
  const gaps = diagnosis ? locateGaps(result.topics.flatMap((t) => t.partitions), diagnosis, outputs.dead_letter_topic) : [];
  const report = { result, bucket: outputs.bucket_name, receiptsFiles: files, waitedMs: options.waitMs > 0 ? now() - started : 0, diagnosis, gaps };
  if (options.json) environment.stdout(JSON.stringify(reportJson(report)));
  else for (const line of reportLines(report)) environment.stdout(line);
  return result.verdict === "delivered" ? 0 : 1;
}

function receiptsPaths(options: VerifyOptions, cwd: string): string[] {
  const paths = options.receipts.map((path) => resolve(cwd, path));
  for (const path of paths) {
    if (!existsSync(path)) throw new InputError(`--receipts: ${path} not found (pass the receipts file or directory npm run emulate -- run wrote)`);
  }
  const files = receiptsFiles(paths);
  if (files.length === 0) throw new InputError(`--receipts: ${options.receipts.join(", ")} holds no files (pass the receipts file or directory npm run emulate -- run wrote)`);
  return files;
}

async function waitShowingProgress(result: LookResult, deadline: number, environment: VerifyEnvironment, now: () => number, sleep: (ms: number) => Promise<void>): Promise<void> {
  const until = Math.min(deadline, now() + VERIFY_DEFAULTS.pollIntervalMs);
  if (!environment.stderrIsTTY) {
    environment.stderr(`${progressLine(result, deadline - now(), false)}\n`);
    await sleep(Math.max(0, until - now()));
    return;
  }
  // on a terminal the bar redraws while the countdown runs
  while (now() < until) {
    environment.stderr(`\r${progressLine(result, deadline - now(), true)}\u001b[K`);
    await sleep(Math.min(VERIFY_DEFAULTS.progressIntervalMs, until - now()));
  }
}

async function diagnose(outputs: VerifyOutputs, options: VerifyOptions, environment: VerifyEnvironment, nowMs: number): Promise<Diagnosis> {
  const kafkaConnect = environment.kafkaConnect ?? new KafkaConnectClient({ region: outputs.region });
  const logs = environment.logs ?? new CloudWatchLogsClient({ region: outputs.region });
  const [connector, errors, consumerGroup] = await Promise.all([
    describeConnector(kafkaConnect, outputs.connector_name, outputs.connector_arn),
    recentErrorLines(logs, outputs.connector_log_group, nowMs),
    readGroup(outputs, options, environment),
  ]);
  return { connector, errors, consumerGroup };
}

async function readGroup(outputs: VerifyOutputs, options: VerifyOptions, environment: VerifyEnvironment): Promise<GroupReading> {
  const identityFile = options.identity ? resolve(environment.cwd, options.identity) : join(environment.home, VERIFY_DEFAULTS.ssh.identityFile.replace(/^~\//, ""));
  const hasIdentity = existsSync(identityFile);
  const agent = environment.env.SSH_AUTH_SOCK || undefined;
  if (!hasIdentity && !agent) {
    return { description: undefined, unavailable: `skipped: no SSH identity (${identityFile} not found; pass --identity FILE or run ssh-agent to read the connector's consumer group)` };
  }
  const open = environment.openHost ?? ((target: SshTarget) => SshHost.connect(target));
  let host: Host | undefined;
  try {
    host = await open({
      host: options.host ?? outputs.client_public_dns,
      port: options.port,
      user: options.user ?? outputs.ssh_user,
      ...(hasIdentity ? { privateKey: readFileSync(identityFile), identityFile } : {}),
      ...(agent ? { agent } : {}),
      knownHostsFile: resolve(environment.cwd, options.knownHosts),
      connectTimeoutMs: VERIFY_DEFAULTS.ssh.connectTimeoutMs,
    });
    const description = await readConsumerGroup(host, environment.toolPaths ?? clientHostToolPaths(), outputs.msk_bootstrap_brokers_sasl_iam, sinkConsumerGroup(outputs.connector_name));
    return { description, unavailable: undefined };
  } catch (err) {
    return { description: undefined, unavailable: `not read: ${oneLine(err)}` };
  } finally {
    await host?.close();
  }
}
