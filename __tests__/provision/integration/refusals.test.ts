/**
 * What the provisioning CLI refuses, against a real systemd host over SSH: a user whose sudo
 * needs a password, a tampered artifact (checksum mismatch), and a changed host key; and that
 * the transport's timeout KILL stops the command under a real sshd.
 *
 * One fresh container for the file, in its own network namespace, so it runs beside converge.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type ArtifactMirror, type ArtifactVersions, startArtifactMirror } from "../../support/artifact-mirror";
import { REST_PROXY_PORT } from "../../../lib/contract";
import { type ProvisionFiles, type ProvisionRun, describeRun, hostArgs, runProvision, writeProvisionInputs } from "../../support/provision-cli";
import { type TestHost, startTestHost } from "../../support/systemd-host";
import { SshHost } from "../../../provision/ssh";

const USER_ID = "itest02";
const BROKERS = "b-1.refusals.abc123.c2.kafka.us-east-1.amazonaws.com:9098,b-2.refusals.abc123.c2.kafka.us-east-1.amazonaws.com:9098";
const ROLE_ARN = `arn:aws:iam::123456789012:role/${USER_ID}-ec2-access-role`;
const INSTALLED: ArtifactVersions = { kafka: "3.8.1", confluent: "8.0.0", mskIamAuth: "2.3.6" };

/** One line, no stack trace: what the contract asks of bad input. */
function expectOneLineError(run: ProvisionRun, pattern: RegExp): void {
  expect(run.code, describeRun(run)).toBe(1);
  const lines = run.stderr.trim().split("\n");
  expect(lines, describeRun(run)).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(run.stderr).not.toMatch(/^\s+at /m);
}

describe.sequential("provisioning refusals (systemd test host)", () => {
  let host: TestHost;
  let mirror: ArtifactMirror;
  let dir: string;
  let knownHosts: string;
  let files: ProvisionFiles;

  beforeAll(async () => {
    host = await startTestHost();
    mirror = await startArtifactMirror(host.gateway);
    dir = mkdtempSync(join(tmpdir(), "provision-refusals-"));
    knownHosts = join(dir, "known_hosts");
  });

  afterAll(async () => {
    await host?.stop();
    await mirror?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function configure(versions: ArtifactVersions): Promise<void> {
    const artifacts = await mirror.publish(versions);
    files = writeProvisionInputs(dir, host, { userId: USER_ID, bootstrapServers: BROKERS, roleArn: ROLE_ARN, versions, artifacts });
  }
  const provision = (...extra: string[]) => runProvision([...hostArgs(host, files, knownHosts), ...extra]);
  const readlink = async (path: string) => (await host.ssh(["readlink", "-f", path])).stdout.trim();
  const optEntries = async () => (await host.ssh(["ls", "-A", "/opt", "/opt/aws-msk-iam-auth"], { allowFailure: true })).stdout;

  it("gives one clear sudo error and exit 1 for a user without passwordless sudo, changing nothing", async () => {
    await configure(INSTALLED);
    const run = await provision("--user", "nosudo", "--accept-new-host-key");

    expectOneLineError(run, /sudo/i);
    expect(run.stderr).toContain("nosudo");
    expect(run.operations.filter((op) => op.status === "changed")).toEqual([]);
    expect((await host.ssh(["ls", "-A", "/opt"])).stdout.trim()).toBe("");
  }, 60_000);

  it("refuses a tampered Kafka tarball or IAM jar: the operation fails on the checksum, nothing new is installed, the symlink stays", async () => {
    await configure(INSTALLED);
    const install = await provision("--tags", "packages,kafka");
    expect(install.code, describeRun(install)).toBe(0);
    expect(install.operations.filter((op) => op.status === "changed").map((op) => op.name), describeRun(install)).toEqual([
      "packages",
      "kafka cli",
      "msk iam auth jar",
      "classpath profile",
      "client.properties",
    ]);
    expect(await readlink("/opt/kafka")).toBe("/opt/kafka_2.13-3.8.1");

    await configure({ ...INSTALLED, kafka: "3.8.2" });
    mirror.tamper("kafka", "3.8.2");
    const tamperedKafka = await provision("--tags", "kafka");
    expect(tamperedKafka.code, describeRun(tamperedKafka)).toBe(1);
    const kafkaOp = tamperedKafka.operations.find((op) => op.name === "kafka cli");
    expect(kafkaOp?.status, describeRun(tamperedKafka)).toBe("failed");
    expect(kafkaOp?.details.join("\n"), describeRun(tamperedKafka)).toMatch(/checksum|sha256/i);
    expect(tamperedKafka.recap, describeRun(tamperedKafka)).toMatchObject({ failed: 1 });
    expect(await optEntries()).not.toContain("3.8.2");
    expect(await readlink("/opt/kafka")).toBe("/opt/kafka_2.13-3.8.1");

    await configure({ ...INSTALLED, mskIamAuth: "2.3.7" });
    mirror.tamper("mskIamAuth", "2.3.7");
    const tamperedJar = await provision("--tags", "kafka");
    expect(tamperedJar.code, describeRun(tamperedJar)).toBe(1);
    const jarOp = tamperedJar.operations.find((op) => op.name === "msk iam auth jar");
    expect(jarOp?.status, describeRun(tamperedJar)).toBe("failed");
    expect(jarOp?.details.join("\n")).toMatch(/checksum|sha256/i);
    expect(await optEntries()).not.toContain("2.3.7");
    expect((await host.ssh(["bash", "-lc", "echo $CLASSPATH"])).stdout.trim()).toBe("/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar");
  }, 240_000);

  it("uses stand-ins that enforce the real contract: IAM settings with the STS region, the lockdown, the jar on CLASSPATH, the listener", async () => {
    // The installed stand-in kafka-topics.sh (java is there now), and a stand-in REST proxy unpacked by hand.
    const jar = "/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar";
    const topics = (env: string[], ...args: string[]) =>
      host.ssh(["env", ...env, "/opt/kafka/bin/kafka-topics.sh", "--bootstrap-server", BROKERS, ...args], { allowFailure: true });
    await host.ssh(["sh", "-c", "grep -v '^sasl.mechanism' /etc/kafka-client/client.properties > /tmp/no-mechanism.properties"]);
    await host.ssh(["sh", "-c", "sed 's/ awsStsRegion=\"[^\"]*\"//' /etc/kafka-client/client.properties > /tmp/no-region.properties"]);

    const accepted = await topics([`CLASSPATH=${jar}`], "--command-config", "/etc/kafka-client/client.properties", "--list");
    expect(accepted.code, accepted.stderr).toBe(0);
    expect(accepted.stdout).toContain("__consumer_offsets");
    for (const [env, args, refusal] of [
      [[`CLASSPATH=${jar}`], ["--list"], /command-config/],
      [[`CLASSPATH=${jar}`], ["--command-config", "/tmp/no-mechanism.properties", "--list"], /sasl\.mechanism/],
      [[`CLASSPATH=${jar}`], ["--command-config", "/tmp/no-region.properties", "--list"], /awsStsRegion/],
      [["CLASSPATH=/opt/aws-msk-iam-auth/missing-all.jar"], ["--command-config", "/etc/kafka-client/client.properties", "--list"], /aws-msk-iam-auth/],
    ] as const) {
      const refused = await topics([...env], ...args);
      expect(refused.code, `${args.join(" ")}: ${refused.stdout}`).toBe(1);
      expect(refused.stderr).toMatch(refusal);
    }

    const { confluentBaseUrl } = await mirror.publish(INSTALLED);
    // the host has a network of its own: the proxy's real port is free there
    const port = REST_PROXY_PORT;
    const rest = (properties: string[], classpath = jar) =>
      host.ssh(
        [
          "sh", "-c",
          'cd /tmp && printf "%s\\n" "$@" > rest.properties && CLASSPATH="$0" timeout 4 /tmp/confluent-8.0.0/bin/kafka-rest-start rest.properties',
          classpath, ...properties,
        ],
        { allowFailure: true },
      );
    await host.ssh(["sh", "-c", `curl -fsS ${confluentBaseUrl}/8.0/confluent-community-8.0.0.tar.gz | tar -xz -C /tmp`]);
    const client = (await host.ssh(["cat", "/etc/kafka-client/client.properties"])).stdout.split("\n").filter((l) => l && !l.startsWith("#")).map((l) => `client.${l}`);
    const lockdown = ["api.v3.enable=false", "api.endpoints.blocklist=api.v2.consumers.*"];
    const good = [`bootstrap.servers=${BROKERS}`, `listeners=http://0.0.0.0:${port}`, ...lockdown, ...client];
    expect((await rest(good.filter((l) => !l.startsWith("bootstrap.servers")))).stderr).toMatch(/bootstrap\.servers/);
    expect((await rest([...good.slice(0, 1), `listeners=http://localhost:${port}`, ...lockdown, ...client])).stderr).toMatch(/listeners/);
    expect((await rest(good.filter((l) => !l.startsWith("api.v3.enable")))).stderr).toMatch(/api\.v3\.enable=false/);
    expect((await rest(good.filter((l) => !l.startsWith("api.endpoints.blocklist")))).stderr).toMatch(/api\.v2\.consumers\.\*/);
    expect((await rest(good.filter((l) => !l.startsWith("client.sasl.jaas.config")))).stderr).toMatch(/client\.sasl\.jaas\.config/);
    expect((await rest(good, "/tmp/nothing.jar")).stderr).toMatch(/aws-msk-iam-auth/);
    // Accepted: it serves until `timeout` stops it; ask it from the test (shared network) meanwhile.
    const serving = rest(good);
    let answer: unknown;
    for (let i = 0; i < 30 && answer === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      answer = await fetch(`http://${host.host}:${port}/_standin`).then((r) => r.json(), () => undefined);
    }
    expect(answer).toMatchObject({ bootstrapServers: BROKERS, awsRoleArn: ROLE_ARN, classpathJar: jar });
    expect((await serving).stdout).toContain("Server started, listening for requests...");
  }, 60_000);

  it("stops a command past its timeout on the host: OpenSSH acts on the transport's KILL signal request", async () => {
    // the in-process server of the unit suite shows the request is sent; this shows a real sshd honours it
    const ssh = await SshHost.connect({ host: host.host, port: host.port, user: host.user, privateKey: readFileSync(host.identityFile), knownHostsFile: host.knownHostsFile });
    try {
      await expect(ssh.exec(["sleep", "4321"], { timeoutMs: 500 })).rejects.toThrow(`[${host.host}] exec: command exited -1: env LC_ALL=C sleep 4321: timed out after 0.5 s`);
      const sleeping = async () => (await host.ssh(["pgrep", "-x", "-f", "sleep 4321"], { allowFailure: true })).code;
      await vi.waitFor(async () => expect(await sleeping()).toBe(1), { timeout: 5_000, interval: 200 });
      expect((await ssh.exec(["echo", "still here"])).stdout).toBe("still here\n");
    } finally {
      await ssh.close();
    }
  }, 30_000);

  it("refuses a changed host key with a clear message and exit 1, even with --accept-new-host-key", async () => {
    await configure(INSTALLED);
    const trusted = readFileSync(knownHosts, "utf8");
    expect(trusted).toContain(host.knownHostsEntry.split(" ")[2]);
    // New host keys, as after a reinstall or a man in the middle; sshd keeps existing sessions.
    await host.sudo(["sh", "-c", "rm -f /etc/ssh/ssh_host_* && ssh-keygen -A >/dev/null && systemctl restart ssh.service"]);

    for (const extra of [[], ["--accept-new-host-key"]]) {
      const run = await provision("--tags", "kafka", ...extra);
      expectOneLineError(run, /host key/i);
      expect(run.stderr).toContain(knownHosts);
      expect(run.operations).toEqual([]);
    }
    expect(readFileSync(knownHosts, "utf8")).toBe(trusted);
  }, 60_000);
});
