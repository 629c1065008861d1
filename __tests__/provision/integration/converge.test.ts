/**
 * The provisioning CLI against a real systemd host over SSH: a fresh host converges, a re-run
 * changes nothing, new brokers change one file and restart once, --check reports drift without
 * touching anything, and a run killed after any operation converges on the next run.
 *
 * The REST proxy runs as its own user with the v3 API and the v2 consumers switched off, assumes the
 * produce role, and a proxy the cluster refuses fails the run with the proxy's own message.
 *
 * One fresh container for the whole file (beforeAll); the scenarios build on each other, in order.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REST_PROXY_PORT } from "../../../lib/contract";
import { sinkConsumerGroup } from "../../../lib/names";
import { SshHost } from "../../../provision/ssh";
import { clientHostToolPaths, readConsumerGroup } from "../../../verify/consumer-group";
import { type ArtifactMirror, type ArtifactVersions, startArtifactMirror } from "../../support/artifact-mirror";
import {
  type ProvisionFiles,
  type ProvisionInputs,
  type ProvisionRun,
  describeRun,
  hostArgs,
  produceRoleOf,
  runProvision,
  writeFakeCluster,
  writeProvisionInputs,
} from "../../support/provision-cli";
import { type TestHost, startTestHost } from "../../support/systemd-host";

const OPERATIONS = [
  "packages",
  "kafka cli",
  "msk iam auth jar",
  "classpath profile",
  "client.properties",
  "topics",
  "kafka-rest user",
  "confluent rest proxy",
  "kafka-rest.properties",
  "kafka-rest.service",
  "kafka-rest running",
];
const USER_ID = "itest01";
const TOPICS = [`${USER_ID}.geo`, `${USER_ID}.pin`, `${USER_ID}.user`];
const brokers = (generation: string) =>
  [1, 2].map((n) => `b-${n}.${generation}.abc123.c2.kafka.us-east-1.amazonaws.com:9098`).join(",");
const roleArn = (generation: string) => `arn:aws:iam::123456789012:role/${USER_ID}-${generation}-ec2-access-role`;
const iamSettings = (role: string) => [
  "security.protocol=SASL_SSL",
  "sasl.mechanism=AWS_MSK_IAM",
  `sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="${role}" awsStsRegion="us-east-1";`,
  "sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler",
];

/** What the stand-in REST proxy reports about the process serving REST_PROXY_PORT. */
interface StandIn {
  readonly bootstrapServers: string;
  readonly awsRoleArn: string;
  readonly version: string;
  readonly classpathJar: string;
  readonly pid: number;
  readonly startedAt: number;
  readonly user: number;
  readonly userName: string;
}

describe.sequential("provisioning the client host over SSH (systemd test host)", () => {
  let host: TestHost;
  let mirror: ArtifactMirror;
  let dir: string;
  let knownHosts: string;
  let files: ProvisionFiles;

  beforeAll(async () => {
    host = await startTestHost();
    mirror = await startArtifactMirror(host.gateway);
    dir = mkdtempSync(join(tmpdir(), "provision-converge-"));
    knownHosts = join(dir, "known_hosts");
  });

  afterAll(async () => {
    await host?.stop();
    await mirror?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function configure(generation: string, versions: ArtifactVersions): Promise<ProvisionInputs> {
    const inputs = { userId: USER_ID, bootstrapServers: brokers(generation), roleArn: roleArn(generation), versions, artifacts: await mirror.publish(versions) };
    files = writeProvisionInputs(dir, host, inputs);
    await writeFakeCluster(host, { produceRoleArn: produceRoleOf(inputs) });
    return inputs;
  }
  const proxyUrl = (path: string) => `http://${host.host}:${REST_PROXY_PORT}${path}`;
  const provision = (...extra: string[]) => runProvision([...hostArgs(host, files, knownHosts), ...extra]);
  const provisionKilledAfter = (lines: number) => runProvision(hostArgs(host, files, knownHosts), { killAfterLines: lines });
  const changedNames = (run: ProvisionRun) => run.operations.filter((op) => op.status === "changed").map((op) => op.name);
  const standIn = async (): Promise<StandIn> => (await (await fetch(proxyUrl("/_standin"))).json()) as StandIn;
  const cat = async (path: string) => (await host.sudo(["cat", path])).stdout;
  const settingLines = (text: string) => text.split("\n").filter((line) => line.trim() !== "" && !line.startsWith("#"));
  /** How many times the REST proxy has started on this boot, from its journal. */
  const proxyStarts = async () => {
    const journal = await host.sudo(["journalctl", "--no-pager", "-o", "cat", "-u", "kafka-rest.service"]);
    return journal.stdout.split("\n").filter((line) => line.includes("Server started, listening for requests...")).length;
  };

  it("converges a fresh host: every operation changes, the REST proxy answers on its port, the files match the contract", async () => {
    const inputs = await configure("gen0", { kafka: "3.8.1", confluent: "8.0.0", mskIamAuth: "2.3.6" });
    const run = await provision("--accept-new-host-key");

    expect(run.code, describeRun(run)).toBe(0);
    const operations = run.operations.filter((op) => !op.name.startsWith("handler: "));
    expect(operations.map((op) => op.name), describeRun(run)).toEqual(OPERATIONS);
    expect(operations.map((op) => op.status), describeRun(run)).toEqual(OPERATIONS.map(() => "changed"));
    expect(run.recap, describeRun(run)).toMatchObject({ failed: 0, skipped: 0 });
    expect(run.operations.every((op) => op.host === host.host)).toBe(true);
    expect(readFileSync(knownHosts, "utf8")).toContain(host.knownHostsEntry.split(" ")[2]);

    // bound to 0.0.0.0 as configured: reachable from this machine at the host's address and on the host's loopback
    const root = await fetch(proxyUrl("/"));
    expect(root.status).toBe(200);
    expect(await root.json()).toEqual({});
    expect((await host.ssh(["curl", "-fsS", `http://127.0.0.1:${REST_PROXY_PORT}/`])).stdout).toBe("{}");
    const proxy = await standIn();
    expect(proxy).toMatchObject({
      bootstrapServers: inputs.bootstrapServers,
      awsRoleArn: produceRoleOf(inputs),
      version: "8.0.0",
      classpathJar: "/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar",
      user: Number((await host.ssh(["id", "-u", "kafka-rest"])).stdout.trim()),
      userName: "kafka-rest",
    });

    const clientProperties = await cat("/etc/kafka-client/client.properties");
    expect(settingLines(clientProperties).sort()).toEqual(iamSettings(inputs.roleArn).sort());
    expect(clientProperties.split("\n")[0]).toMatch(/^# .*managed/);
    const restProperties = await cat("/etc/kafka-rest/kafka-rest.properties");
    expect(settingLines(restProperties).sort()).toEqual(
      [
        `bootstrap.servers=${inputs.bootstrapServers}`,
        `listeners=http://0.0.0.0:${REST_PROXY_PORT}`,
        "api.v3.enable=false",
        "api.endpoints.blocklist=api.v2.consumers.*",
        ...iamSettings(produceRoleOf(inputs)).map((s) => `client.${s}`),
      ].sort(),
    );
    expect((await host.ssh(["stat", "-c", "%a %U", "/etc/kafka-client/client.properties"])).stdout.trim()).toBe("644 root");

    const unit = await cat("/etc/systemd/system/kafka-rest.service");
    for (const line of [
      "User=kafka-rest",
      "Environment=CLASSPATH=/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar",
      "ExecStart=/opt/confluent/bin/kafka-rest-start /etc/kafka-rest/kafka-rest.properties",
      "Restart=on-failure",
      "WantedBy=multi-user.target",
    ]) {
      expect(unit.split("\n"), `unit line ${line}`).toContain(line);
    }
    const verify = await host.ssh(["systemd-analyze", "verify", "/etc/systemd/system/kafka-rest.service"], { allowFailure: true });
    expect(verify.code, verify.stderr).toBe(0);
    expect((await host.ssh(["systemctl", "is-enabled", "kafka-rest.service"])).stdout.trim()).toBe("enabled");
    expect((await host.ssh(["systemctl", "is-active", "kafka-rest.service"])).stdout.trim()).toBe("active");

    expect((await host.ssh(["readlink", "-f", "/opt/kafka"])).stdout.trim()).toBe("/opt/kafka_2.13-3.8.1");
    expect((await host.ssh(["readlink", "-f", "/opt/confluent"])).stdout.trim()).toBe("/opt/confluent-8.0.0");
    // A login shell of the SSH user has the jar on CLASSPATH and the Kafka CLI on PATH (the profile script).
    const listed = await host.ssh(["bash", "-lc", `kafka-topics.sh --bootstrap-server ${inputs.bootstrapServers} --command-config /etc/kafka-client/client.properties --list`]);
    expect(listed.stdout.split("\n")).toEqual(expect.arrayContaining(TOPICS));
    expect((await host.ssh(["test", "-e", "/var/lib/pipeline-provision/pending-handlers"], { allowFailure: true })).code).toBe(1);
    expect(await proxyStarts()).toBe(1);
  }, 240_000);

  it("lets verify read the S3 sink's consumer-group position here over SSH, with the Kafka CLI the play installed", async () => {
    const group = sinkConsumerGroup(`${USER_ID}-connector`);
    const state = { members: true, partitions: [{ topic: `${USER_ID}.pin`, partition: 0, current: 120, logEnd: 150 }, { topic: `${USER_ID}.geo`, partition: 0, current: null, logEnd: 40 }] };
    await host.ssh(["sh", "-c", 'mkdir -p /var/lib/fake-msk/groups && cat > "/var/lib/fake-msk/groups/$1.json"', "sh", group], { input: JSON.stringify(state) });
    const ssh = await SshHost.connect({ host: host.host, port: host.port, user: host.user, privateKey: readFileSync(host.identityFile), knownHostsFile: knownHosts });
    try {
      const description = await readConsumerGroup(ssh, clientHostToolPaths(), brokers("gen0"), group);
      expect(description).toMatchObject({ group, missing: false, noActiveMembers: false });
      expect(description.positions).toEqual([
        expect.objectContaining({ topic: `${USER_ID}.pin`, partition: 0, currentOffset: 120, logEndOffset: 150 }),
        expect.objectContaining({ topic: `${USER_ID}.geo`, partition: 0, currentOffset: undefined, logEndOffset: 40 }),
      ]);
      const absent = await readConsumerGroup(ssh, clientHostToolPaths(), brokers("gen0"), "connect-nobody");
      expect(absent).toMatchObject({ group: "connect-nobody", missing: true, positions: [] });
    } finally {
      await ssh.close();
    }
  });

  it("runs the proxy as its own system user: no login shell, no home, no sudo, owning its log dir", async () => {
    expect((await host.ssh(["systemctl", "show", "-p", "User", "--value", "kafka-rest.service"])).stdout.trim()).toBe("kafka-rest");
    const mainPid = (await host.ssh(["systemctl", "show", "-p", "MainPID", "--value", "kafka-rest.service"])).stdout.trim();
    expect(Number(mainPid)).toBeGreaterThan(0);
    expect((await host.ssh(["ps", "-o", "user=", "-p", mainPid])).stdout.trim()).toBe("kafka-rest");
    const [name, , uid, , , home, shell] = (await host.ssh(["getent", "passwd", "kafka-rest"])).stdout.trim().split(":");
    expect({ name, home, shell }).toEqual({ name: "kafka-rest", home: "/nonexistent", shell: "/usr/sbin/nologin" });
    expect(Number(uid)).toBeLessThan(1000); // a system account
    expect((await host.sudo(["test", "-e", "/nonexistent"], { allowFailure: true })).code).toBe(1);
    const sudoRights = await host.sudo(["sudo", "-l", "-U", "kafka-rest"], { allowFailure: true });
    expect(sudoRights.stdout).toMatch(/not allowed to run sudo/);
    expect((await host.ssh(["stat", "-c", "%U", "/var/log/kafka-rest"])).stdout.trim()).toBe("kafka-rest");
  });

  it("serves v2 produce and the topic list, and refuses consumer and v3 requests", async () => {
    const listed = await fetch(proxyUrl("/topics"), { headers: { Accept: "application/vnd.kafka.v2+json" } });
    expect(listed.status).toBe(200);
    expect(await listed.json()).toEqual(expect.arrayContaining(TOPICS));
    const produced = await fetch(proxyUrl(`/topics/${USER_ID}.pin`), {
      method: "POST",
      headers: { "Content-Type": "application/vnd.kafka.json.v2+json", Accept: "application/vnd.kafka.v2+json" },
      body: JSON.stringify({ records: [{ value: { index: 1 } }] }),
    });
    expect(produced.status, await produced.clone().text()).toBe(200);
    expect(((await produced.json()) as { offsets: unknown[] }).offsets).toHaveLength(1);

    // blocklisted endpoints: 404 to GET, 405 to other methods (kafka-rest ResourceAccesslistFeature)
    const createConsumer = await fetch(proxyUrl("/consumers/students"), {
      method: "POST",
      headers: { "Content-Type": "application/vnd.kafka.v2+json" },
      body: JSON.stringify({ name: "reader", format: "json" }),
    });
    expect(createConsumer.status).toBe(405);
    expect((await fetch(proxyUrl("/consumers/students/instances/reader/records"))).status).toBe(404);
    expect((await fetch(proxyUrl("/v3/clusters"))).status).toBe(404);
  });

  it("reports zero changed on an immediate second run, downloads nothing and restarts nothing", async () => {
    const before = await standIn();
    const downloads = mirror.requests.length;
    const run = await provision();

    expect(run.code, describeRun(run)).toBe(0);
    expect(run.recap, describeRun(run)).toEqual({ ok: OPERATIONS.length, changed: 0, failed: 0, skipped: 0 });
    expect(run.operations.map((op) => op.status)).toEqual(OPERATIONS.map(() => "ok"));
    expect(mirror.requests.length).toBe(downloads);
    expect(await standIn()).toEqual(before);
    expect(await proxyStarts()).toBe(1);
  }, 60_000);

  it("changes exactly kafka-rest.properties for new bootstrap brokers and restarts the proxy once", async () => {
    const before = await standIn();
    const starts = await proxyStarts();
    const inputs = await configure("gen1-brokers", { kafka: "3.8.1", confluent: "8.0.0", mskIamAuth: "2.3.6" });
    // Only the brokers move: keep the gen0 roles (the cluster still expects gen0's produce role).
    files = writeProvisionInputs(dir, host, { ...inputs, roleArn: roleArn("gen0") });
    await writeFakeCluster(host, { produceRoleArn: produceRoleOf({ roleArn: roleArn("gen0") }) });
    const run = await provision();

    expect(run.code, describeRun(run)).toBe(0);
    expect(changedNames(run), describeRun(run)).toEqual(["kafka-rest.properties", "handler: restart kafka-rest"]);
    expect(run.recap, describeRun(run)).toMatchObject({ changed: 2, failed: 0 });
    const after = await standIn();
    expect(after.bootstrapServers).toBe(inputs.bootstrapServers);
    expect(after.pid).not.toBe(before.pid);
    expect(await proxyStarts()).toBe(starts + 1);
    // The topics operation asked the new brokers (the fake cluster's call log records each call).
    const calls = (await cat("/var/lib/fake-msk/calls.log")).trim().split("\n").map((line) => JSON.parse(line) as { bootstrap: string });
    expect(calls.at(-1)?.bootstrap).toBe(inputs.bootstrapServers);
  }, 60_000);

  it("--check on a drifted host reports the drift, exits 3 and changes nothing; --diff shows it", async () => {
    const path = "/etc/kafka-rest/kafka-rest.properties";
    await host.sudo(["sed", "-i", "s|^listeners=.*|listeners=http://0.0.0.0:9999|", path]);
    const drifted = await cat(path);
    const before = await standIn();
    const starts = await proxyStarts();

    const check = await provision("--check");
    expect(check.code, describeRun(check)).toBe(3);
    expect(changedNames(check), describeRun(check)).toEqual(["kafka-rest.properties", "handler: restart kafka-rest"]);
    expect(check.operations.filter((op) => op.status === "failed")).toEqual([]);

    const diff = await provision("--check", "--diff");
    expect(diff.code, describeRun(diff)).toBe(3);
    const details = diff.operations.find((op) => op.name === "kafka-rest.properties")?.details.join("\n") ?? "";
    expect(details, describeRun(diff)).toMatch(/^---/m);
    expect(details).toMatch(/^\+\+\+/m);
    expect(details).toMatch(/^@@/m);
    expect(details).toContain("-listeners=http://0.0.0.0:9999");
    expect(details).toContain(`+listeners=http://0.0.0.0:${REST_PROXY_PORT}`);

    expect(await cat(path)).toBe(drifted);
    expect(await standIn()).toEqual(before);
    expect(await proxyStarts()).toBe(starts);
    expect((await host.ssh(["test", "-e", "/var/lib/pipeline-provision/pending-handlers"], { allowFailure: true })).code).toBe(1);

    const repair = await provision();
    expect(repair.code, describeRun(repair)).toBe(0);
    expect(changedNames(repair)).toEqual(["kafka-rest.properties", "handler: restart kafka-rest"]);
  }, 90_000);

  it("converges on the next run when a run is killed after each operation in turn, with the restart applied", async () => {
    // 1..11 stop after each operation; 12 stops after daemon-reload, before the restart handler.
    for (let killAfter = 1; killAfter <= OPERATIONS.length + 1; killAfter++) {
      // Every generation moves the brokers, the role ARN and all three versions: most operations change.
      const generation = `kill${killAfter}`;
      const versions = { kafka: `3.8.${killAfter + 1}`, confluent: `8.0.${killAfter}`, mskIamAuth: `2.3.${killAfter + 6}` };
      const inputs = await configure(generation, versions);
      const before = await standIn();

      const killed = await provisionKilledAfter(killAfter);
      expect(killed.signal, `kill after ${killAfter}: ${describeRun(killed)}`).toBe("SIGKILL");
      // Lines already in the pipe when the kill lands are still read: at least killAfter, and no recap.
      expect(killed.operations.length, `kill after ${killAfter}: ${describeRun(killed)}`).toBeGreaterThanOrEqual(killAfter);
      expect(killed.recap).toBeUndefined();

      const resumed = await provision();
      expect(resumed.code, `after the kill at ${killAfter}: ${describeRun(resumed)}`).toBe(0);
      const settled = await provision();
      expect(settled.recap, `converged after the kill at ${killAfter}: ${describeRun(settled)}`).toMatchObject({ changed: 0, failed: 0 });

      const proxy = await standIn();
      expect(proxy, `REST proxy after the kill at ${killAfter}`).toMatchObject({
        bootstrapServers: inputs.bootstrapServers,
        awsRoleArn: produceRoleOf(inputs),
        version: versions.confluent,
        classpathJar: `/opt/aws-msk-iam-auth/aws-msk-iam-auth-${versions.mskIamAuth}-all.jar`,
      });
      expect(proxy.pid).not.toBe(before.pid);
      expect((await host.ssh(["readlink", "-f", "/opt/kafka"])).stdout.trim()).toBe(`/opt/kafka_2.13-${versions.kafka}`);
    }
  }, 600_000);

  it("fails readiness with the proxy's own message, not a timeout, when the cluster refuses its login; the next run recovers", async () => {
    const refusal = "org.apache.kafka.common.errors.SaslAuthenticationException: [fake MSK] Access denied: simulated login failure";
    const inputs = await configure("refused", { kafka: "3.8.1", confluent: "8.0.0", mskIamAuth: "2.3.6" });
    await writeFakeCluster(host, { produceRoleArn: produceRoleOf(inputs), authFailure: refusal });

    const refused = await provision();
    expect(refused.code, describeRun(refused)).toBe(1);
    const failed = refused.operations.filter((op) => op.status === "failed");
    expect(failed.map((op) => op.name), describeRun(refused)).toEqual(["handler: restart kafka-rest"]);
    expect(failed[0].details.join("\n")).toContain(`kafka-rest.service answered GET http://127.0.0.1:${REST_PROXY_PORT}/topics with HTTP 401: Authentication failed: ${refusal}`);
    expect(failed[0].details.join("\n")).not.toMatch(/within \d+ s/);
    expect(refused.durationMs, describeRun(refused)).toBeLessThan(45_000);
    // the restart is still owed: recorded on the host for the next run
    expect((await cat("/var/lib/pipeline-provision/pending-handlers")).split("\n")).toContain("restart kafka-rest");

    await writeFakeCluster(host, { produceRoleArn: produceRoleOf(inputs) });
    // the recorded handlers run again (a daemon-reload recorded with the restart is re-run too); no operation changes
    const recovered = await provision();
    expect(recovered.code, describeRun(recovered)).toBe(0);
    expect(changedNames(recovered).filter((name) => !name.startsWith("handler: ")), describeRun(recovered)).toEqual([]);
    expect(changedNames(recovered), describeRun(recovered)).toContain("handler: restart kafka-rest");
    expect((await standIn()).awsRoleArn).toBe(produceRoleOf(inputs));
  }, 120_000);
});
