/**
 * Runs the real provisioning CLI (`node provision/host.mjs`) as a subprocess against the systemd
 * test host and parses its Ansible-style output; writes the config and outputs files it reads, and
 * the stand-in cluster's state on the host.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { stringify } from "yaml";
import { type MskKafkaVersion, type StackOutputs, kafkaLine } from "../../lib/contract";
import { sampleOutputs } from "./outputs";
import type { ArtifactSettings, ArtifactVersions } from "./artifact-mirror";
import { REPO_ROOT } from "./paths";
import { guardChildStreams } from "./child-streams";
import type { TestHost } from "./systemd-host";

export const PROVISION_ENTRY = join(REPO_ROOT, "provision", "host.mjs");

export type OperationStatus = "ok" | "changed" | "failed" | "skipped";

export interface OperationLine {
  readonly status: OperationStatus;
  readonly host: string;
  /** The operation name, or `handler: <name>` for handlers. */
  readonly name: string;
  /** The indented lines that followed it, without the two-space indent. */
  readonly details: string[];
}

export interface Recap {
  readonly ok: number;
  readonly changed: number;
  readonly failed: number;
  readonly skipped: number;
}

export interface ProvisionRun {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly operations: OperationLine[];
  readonly recap?: Recap;
  /** From `ssh: connections=1 round_trips=N` (--verbose). */
  readonly roundTrips?: number;
  readonly durationMs: number;
}

const OPERATION_LINE = /^(ok|changed|failed|skipped): \[([^\]]+)\] (.+)$/;
const RECAP_LINE = /^PLAY RECAP \[[^\]]+\] ok=(\d+) changed=(\d+) failed=(\d+) skipped=(\d+)$/;
const ROUND_TRIPS_LINE = /^ssh: connections=(\d+) round_trips=(\d+)$/;

export function parseProvisionOutput(stdout: string): Pick<ProvisionRun, "operations" | "recap" | "roundTrips"> {
  const operations: OperationLine[] = [];
  let recap: Recap | undefined;
  let roundTrips: number | undefined;
  for (const line of stdout.split("\n")) {
    const op = OPERATION_LINE.exec(line);
    const rc = RECAP_LINE.exec(line);
    const rt = ROUND_TRIPS_LINE.exec(line);
    if (op) operations.push({ status: op[1] as OperationStatus, host: op[2], name: op[3], details: [] });
    else if (rc) recap = { ok: Number(rc[1]), changed: Number(rc[2]), failed: Number(rc[3]), skipped: Number(rc[4]) };
    else if (rt) roundTrips = Number(rt[2]);
    else if (line.startsWith("  ") && operations.length > 0 && recap === undefined) operations[operations.length - 1].details.push(line.slice(2));
  }
  return { operations, recap, roundTrips };
}

export interface RunProvisionOptions {
  /** SIGKILL the CLI as soon as this many operation/handler lines have been printed. */
  readonly killAfterLines?: number;
  readonly timeoutMs?: number;
}

/** Runs `node provision/host.mjs ...args` from the repository root. */
export function runProvision(args: readonly string[], options: RunProvisionOptions = {}): Promise<ProvisionRun> {
  const started = Date.now();
  return new Promise((resolvePromise, reject) => {
    const env = { ...process.env };
    delete env.SSH_AUTH_SOCK; // the run's key only, never an agent of the person running the tests
    const child = guardChildStreams(spawn(process.execPath, [PROVISION_ENTRY, ...args], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    let lines = 0;
    let pending = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      pending += chunk;
      const complete = pending.split("\n");
      pending = complete.pop()!;
      for (const line of complete) {
        if (OPERATION_LINE.test(line)) lines++;
        if (options.killAfterLines !== undefined && lines >= options.killAfterLines) child.kill("SIGKILL");
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 240_000);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolvePromise({ code, signal, stdout, stderr, durationMs: Date.now() - started, ...parseProvisionOutput(stdout) });
    });
  });
}

/** What a scenario varies: the stack outputs and the software the config pins. */
export interface ProvisionInputs {
  readonly userId: string;
  readonly bootstrapServers: string;
  /** The operator's access role (client.properties). */
  readonly roleArn: string;
  /** The REST proxy's produce-only role. @default `<roleArn with access-role replaced by produce-role>` */
  readonly produceRoleArn?: string;
  /** @default "us-east-1" */
  readonly region?: string;
  readonly versions: ArtifactVersions;
  readonly artifacts: ArtifactSettings;
  readonly topicSuffixes?: readonly string[];
}

export const produceRoleOf = (inputs: Pick<ProvisionInputs, "roleArn" | "produceRoleArn">) => inputs.produceRoleArn ?? inputs.roleArn.replace(/ec2-access-role$/, "produce-role");

export interface ProvisionFiles {
  readonly configFile: string;
  readonly outputsFile: string;
}

/**
 * Writes pipeline.yaml and outputs.json (every output of lib/contract.ts, flat JSON as
 * `loadStackOutputs` accepts) into dir, for a stack deployed with exactly this config.
 */
export function writeProvisionInputs(dir: string, host: TestHost, inputs: ProvisionInputs): ProvisionFiles {
  const suffixes = inputs.topicSuffixes ?? ["pin", "geo", "user"];
  const region = inputs.region ?? "us-east-1";
  const mskKafkaVersion = `${kafkaLine(inputs.versions.kafka)}.x` as MskKafkaVersion;
  const configFile = join(dir, "pipeline.yaml");
  const outputsFile = join(dir, "outputs.json");
  writeFileSync(
    configFile,
    stringify({
      userId: inputs.userId,
      region,
      availabilityZones: [`${region}a`, `${region}b`],
      clientHost: { sshAllowedCidrs: [`${host.gateway}/32`], sshPublicKey: `${host.identityFile}.pub`, sshUser: host.user },
      msk: { kafkaVersion: mskKafkaVersion },
      topics: { suffixes: [...suffixes], partitions: 1 },
      software: { kafkaCliVersion: inputs.versions.kafka, confluentVersion: inputs.versions.confluent, mskIamAuthVersion: inputs.versions.mskIamAuth },
      artifacts: inputs.artifacts,
    }),
  );
  const outputs: StackOutputs = sampleOutputs(
    {
      invoke_url: `https://abc123.execute-api.${region}.amazonaws.com/prod`,
      client_public_dns: host.host,
      ssh_user: host.user,
      msk_bootstrap_brokers_sasl_iam: inputs.bootstrapServers,
      msk_kafka_version: mskKafkaVersion,
      kafka_cli_version: inputs.versions.kafka,
      access_role_arn: inputs.roleArn,
      produce_role_arn: produceRoleOf(inputs),
      region,
      topics: suffixes.map((suffix) => `${inputs.userId}.${suffix}`),
    },
    inputs.userId,
  );
  writeFileSync(outputsFile, JSON.stringify(outputs));
  return { configFile, outputsFile };
}

/** What the stand-in cluster on the host accepts (stand-ins/fake_msk.py reads it). */
export interface FakeClusterState {
  /** The only role the stand-in REST proxy may authenticate as: the stack's produce role. */
  readonly produceRoleArn: string;
  /** When set, every request of the REST proxy to the cluster fails with this message (MSK refuses the login). */
  readonly authFailure?: string;
}

/** Writes /var/lib/fake-msk/cluster.json on the host (atomically: the proxy may be reading it). */
export async function writeFakeCluster(host: TestHost, state: FakeClusterState): Promise<void> {
  await host.ssh(["sh", "-c", 'cat > /var/lib/fake-msk/.cluster.json.tmp && mv -f /var/lib/fake-msk/.cluster.json.tmp /var/lib/fake-msk/cluster.json'], {
    input: JSON.stringify({ produceRoleArn: state.produceRoleArn, authFailure: state.authFailure ?? null }),
  });
}

/** The CLI arguments that point it at the test host with the run's key. */
export function hostArgs(host: TestHost, files: ProvisionFiles, knownHostsFile: string): string[] {
  return ["--config", files.configFile, "--outputs", files.outputsFile, "--port", String(host.port), "--identity", host.identityFile, "--known-hosts", knownHostsFile];
}

/** A one-paragraph description of a run for assertion messages. */
export function describeRun(run: ProvisionRun): string {
  return `exit ${run.code}${run.signal ? ` (${run.signal})` : ""} after ${run.durationMs} ms\n--- stdout ---\n${run.stdout}--- stderr ---\n${run.stderr}`;
}
