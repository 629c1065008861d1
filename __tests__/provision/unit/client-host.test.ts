/**
 * The client-host play: the files it renders (checked with the real systemd-analyze), the
 * operations of the contract in order, the artifact URLs, and whole-play runs against a fake
 * fresh host (check mode writes nothing) and a fake converged host (all ok).
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../lib/config";
import { REST_PROXY_PORT } from "../../../lib/contract";
import { type ClientHostOutputs, type ClientHostSettings, artifactUrls, clientHostPaths, clientHostPlay, clientHostSettings, kafkaVersionNotice } from "../../../provision/client-host";
import { WRITE_PENDING_SCRIPT, exitCode, runPlay } from "../../../provision/engine";
import { OS_FACTS_SCRIPT } from "../../../provision/facts";
import { ARCHIVE_FACTS_SCRIPT, REMOTE_FILE_FACTS_SCRIPT } from "../../../provision/ops/download";
import { FILE_FACTS_SCRIPT, sha256 } from "../../../provision/ops/file";
import { MISSING_PACKAGES_SCRIPT } from "../../../provision/ops/packages";
import { SERVICE_FACTS_SCRIPT } from "../../../provision/ops/service";
import { LIST_TOPICS_SCRIPT } from "../../../provision/ops/topics";
import { USER_FACTS_SCRIPT } from "../../../provision/ops/user";
import { MANAGED_HEADER, classpathProfile, clientProperties, kafkaRestProperties, kafkaRestUnit } from "../../../provision/templates";
import { FakeHost, type RecordedCommand } from "./fake-host";

const ROLE = "arn:aws:iam::123456789012:role/0a1b2c3d4e5f-ec2-access-role";
const PRODUCE_ROLE = "arn:aws:iam::123456789012:role/0a1b2c3d4e5f-produce-role";
const REGION = "us-east-1";
const BROKERS = "b-1.pipeline.abc.c2.kafka.us-east-1.amazonaws.com:9098,b-2.pipeline.abc.c2.kafka.us-east-1.amazonaws.com:9098";
const repo = resolve(__dirname, "../../..");
const config = parseConfig(
  `userId: 0a1b2c3d4e5f
region: us-east-1
availabilityZones: [us-east-1a, us-east-1b]
clientHost: { sshAllowedCidrs: [203.0.113.10/32], sshPublicKey: ./example-keys/operator.pub }
artifacts: { kafkaBaseUrl: "http://127.0.0.1:8000/kafka", kafkaSha256: ${"a".repeat(64)} }
`,
  { source: "test.yaml", baseDir: repo },
);
/** The deployed stack's outputs for this config (the same Kafka versions). */
const outputs: ClientHostOutputs = {
  client_public_dns: "ec2-3-80-1-2.compute-1.amazonaws.com",
  ssh_user: "ec2-user",
  user_id: "0a1b2c3d4e5f",
  region: REGION,
  msk_bootstrap_brokers_sasl_iam: BROKERS,
  msk_kafka_version: "3.8.x",
  kafka_cli_version: "3.8.1",
  access_role_arn: ROLE,
  produce_role_arn: PRODUCE_ROLE,
  topics: ["0a1b2c3d4e5f.pin", "0a1b2c3d4e5f.geo", "0a1b2c3d4e5f.user"],
  topic_partitions: 1,
  dead_letter_topic: "0a1b2c3d4e5f-dlq",
};
/** This config's host settings and paths: computed inside each test, so mutation testing sees which tests cover them. */
function fixture(): { settings: ClientHostSettings; paths: ReturnType<typeof clientHostPaths> } {
  const settings = clientHostSettings(config, outputs);
  return { settings, paths: clientHostPaths(settings) };
}
const dir = mkdtempSync(join(tmpdir(), "client-host-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("templates", () => {
  it("client.properties has the seed's four MSK IAM settings with the access role ARN and the STS region", () => {
    expect(clientProperties({ roleArn: ROLE, region: REGION })).toBe(
      `${MANAGED_HEADER}
security.protocol=SASL_SSL
sasl.mechanism=AWS_MSK_IAM
sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="${ROLE}" awsStsRegion="${REGION}";
sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler
`,
    );
  });

  it("kafka-rest.properties has the brokers, the listener, v3 and v2 consumers off, and every client setting with the client. prefix", () => {
    expect(kafkaRestProperties({ bootstrapServers: BROKERS, roleArn: PRODUCE_ROLE, region: REGION, port: REST_PROXY_PORT })).toBe(
      `${MANAGED_HEADER}
bootstrap.servers=${BROKERS}
listeners=http://0.0.0.0:${REST_PROXY_PORT}
api.v3.enable=false
api.endpoints.blocklist=api.v2.consumers.*
client.security.protocol=SASL_SSL
client.sasl.mechanism=AWS_MSK_IAM
client.sasl.jaas.config=software.amazon.msk.auth.iam.IAMLoginModule required awsRoleArn="${PRODUCE_ROLE}" awsStsRegion="${REGION}";
client.sasl.client.callback.handler.class=software.amazon.msk.auth.iam.IAMClientCallbackHandler
`,
    );
  });

  it("refuses values that would break the properties format", () => {
    expect(() => kafkaRestProperties({ bootstrapServers: "a:9098\nlisteners=http://evil", roleArn: ROLE, region: REGION, port: REST_PROXY_PORT })).toThrow(/single line/);
  });

  it("the profile puts the jar on CLASSPATH and the CLI on PATH for login shells", () => {
    const { paths } = fixture();
    const profile = classpathProfile({ jar: paths.iamJar, kafkaBin: "/opt/kafka/bin" });
    const result = spawnSync("sh", ["-c", `. "$1"; printf '%s\\n' "$CLASSPATH" "$PATH"`, "sh", writeTemp("profile.sh", profile)], { encoding: "utf8", env: { PATH: "/usr/bin:/bin" } });
    expect(result.stdout).toBe(`/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar\n/usr/bin:/bin:/opt/kafka/bin\n`);
  });

  const unitVars = () => {
    const { paths } = fixture();
    return { user: "kafka-rest", classpath: paths.iamJar, startScript: paths.restStart, propertiesFile: paths.restProperties, logDir: paths.restLogDir };
  };

  it("the unit runs kafka-rest-start as the proxy's own user with CLASSPATH, restarts on failure, and is wanted by multi-user", () => {
    const unit = kafkaRestUnit(unitVars());
    expect(unit.startsWith(`${MANAGED_HEADER}\n`)).toBe(true);
    for (const line of [
      "User=kafka-rest",
      "Environment=CLASSPATH=/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar",
      "ExecStart=/opt/confluent/bin/kafka-rest-start /etc/kafka-rest/kafka-rest.properties",
      "Restart=on-failure",
      "WantedBy=multi-user.target",
      "LogsDirectory=kafka-rest",
    ]) {
      expect(unit.split("\n")).toContain(line);
    }
  });

  it("the unit passes the real systemd-analyze verify (with ExecStart pointing at an executable)", () => {
    const start = writeTemp("kafka-rest-start", "#!/bin/sh\nexit 0\n");
    chmodSync(start, 0o755);
    const good = writeTemp("kafka-rest.service", kafkaRestUnit({ ...unitVars(), startScript: start }));
    const verify = (file: string) => spawnSync("systemd-analyze", ["verify", file], { encoding: "utf8" });
    const ok = verify(good);
    expect(ok.error, "systemd-analyze is missing: apt-get install -y systemd (scripts/prereqs.d/25-provision-unit.sh does it)").toBeUndefined();
    expect(ok.stderr).toBe("");
    expect(ok.status).toBe(0);
    // the same check fails when the executable is missing, so it can catch a broken unit
    const broken = writeTemp("broken.service", kafkaRestUnit({ ...unitVars(), startScript: join(dir, "missing-start") }));
    expect(verify(broken).status).not.toBe(0);
  });
});

function writeTemp(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe("the play", () => {
  it("has the contract's operations in order, with tags and notifications", () => {
    const { settings } = fixture();
    const play = clientHostPlay(settings);
    expect(play.operations.map((op) => [op.name, op.tags.join(","), (op.notifies ?? []).join(",")])).toEqual([
      ["packages", "packages", ""],
      ["kafka cli", "kafka", ""],
      ["msk iam auth jar", "kafka", ""],
      ["classpath profile", "kafka", ""],
      ["client.properties", "kafka", ""],
      ["topics", "topics", ""],
      ["kafka-rest user", "rest-proxy", "restart kafka-rest"],
      ["confluent rest proxy", "rest-proxy", "restart kafka-rest"],
      ["kafka-rest.properties", "rest-proxy", "restart kafka-rest"],
      ["kafka-rest.service", "rest-proxy", "daemon-reload,restart kafka-rest"],
      ["kafka-rest running", "rest-proxy", ""],
    ]);
    expect(play.handlers.map((h) => h.name)).toEqual(["daemon-reload", "restart kafka-rest"]);
  });

  it("derives artifact URLs from the configured base URLs and versions", () => {
    const { settings, paths } = fixture();
    expect(artifactUrls(settings)).toEqual({
      kafka: "http://127.0.0.1:8000/kafka/3.8.1/kafka_2.13-3.8.1.tgz",
      confluent: "https://packages.confluent.io/archive/8.0/confluent-community-8.0.0.tar.gz",
      mskIamAuth: "https://github.com/aws/aws-msk-iam-auth/releases/download/v2.3.6/aws-msk-iam-auth-2.3.6-all.jar",
    });
    expect(paths.kafkaVersioned).toBe("/opt/kafka_2.13-3.8.1");
    expect(paths.confluentVersioned).toBe("/opt/confluent-8.0.0");
    expect(settings.topics).toEqual(["0a1b2c3d4e5f.pin", "0a1b2c3d4e5f.geo", "0a1b2c3d4e5f.user"]);
    expect(settings.deadLetterTopic).toBe("0a1b2c3d4e5f-dlq");
  });
});

describe("settings: cluster facts from the outputs, the host's software from the config", () => {
  it("takes brokers, roles, region, topics, partitions and the Kafka CLI release from the outputs", () => {
    const { settings } = fixture();
    expect(settings).toMatchObject({
      bootstrapServers: BROKERS,
      accessRoleArn: ROLE,
      produceRoleArn: PRODUCE_ROLE,
      region: REGION,
      topics: outputs.topics,
      partitions: 1,
      kafkaCliVersion: "3.8.1",
      confluentVersion: "8.0.0",
      mskIamAuthVersion: "2.3.6",
    });
    expect(settings.artifacts.kafkaSha256).toBe("a".repeat(64));
    expect(kafkaVersionNotice(config, outputs, "outputs.json")).toBeUndefined();
  });

  it("the deployed version wins over the config's: the deployed CLI is installed, without the config's kafkaSha256, with a one-line notice", () => {
    const deployed = { ...outputs, msk_kafka_version: "3.9.x" as const, kafka_cli_version: "3.9.1", topics: ["0a1b2c3d4e5f.pin"], topic_partitions: 3 };
    const moved = clientHostSettings(config, deployed);
    expect(moved).toMatchObject({ kafkaCliVersion: "3.9.1", topics: ["0a1b2c3d4e5f.pin"], partitions: 3 });
    expect(moved.artifacts.kafkaSha256).toBeUndefined();
    expect(moved.artifacts.kafkaBaseUrl).toBe("http://127.0.0.1:8000/kafka");
    expect(artifactUrls(moved).kafka).toBe("http://127.0.0.1:8000/kafka/3.9.1/kafka_2.13-3.9.1.tgz");
    expect(kafkaVersionNotice(config, deployed, "outputs.json")).toBe(
      "notice: the deployed cluster runs MSK 3.9.x with the Kafka CLI 3.9.1 (outputs.json), but the config says msk.kafkaVersion 3.8.x and software.kafkaCliVersion 3.8.1; " +
        "installing the deployed 3.9.1 (not verified against artifacts.kafkaSha256, the checksum of 3.8.1) (run npx cdktf deploy to move the cluster, or align the config)",
    );
  });
});

describe("either Kafka version differing is a disagreement", () => {
  it.each([
    ["only the CLI release differs", { kafka_cli_version: "3.8.0" }],
    ["only the MSK line differs", { msk_kafka_version: "3.9.x" as const }],
  ])("%s: the config's kafkaSha256 is dropped and the notice printed", (_what, changes) => {
    const deployed = { ...outputs, ...changes };
    expect(clientHostSettings(config, deployed).artifacts.kafkaSha256).toBeUndefined();
    expect(kafkaVersionNotice(config, deployed, "outputs.json")).toMatch(/^notice: the deployed cluster runs MSK /);
  });
});

/** Answers every probe of the play as a fresh (or, with converged, a fully provisioned) host would. */
function simulatedHost(os: "amazon" | "debian", converged: boolean): FakeHost {
  const { settings, paths } = fixture();
  const rendered = new Map<string, string>([
    [paths.profile, classpathProfile({ jar: paths.iamJar, kafkaBin: "/opt/kafka/bin" })],
    [paths.clientProperties, clientProperties({ roleArn: ROLE, region: REGION })],
    [paths.restProperties, kafkaRestProperties({ bootstrapServers: BROKERS, roleArn: PRODUCE_ROLE, region: REGION, port: REST_PROXY_PORT })],
    [paths.restUnit, kafkaRestUnit({ user: "kafka-rest", classpath: paths.iamJar, startScript: paths.restStart, propertiesFile: paths.restProperties, logDir: paths.restLogDir })],
  ]);
  const links: Record<string, string> = { "/opt/kafka": paths.kafkaVersioned, "/opt/confluent": paths.confluentVersioned };
  return new FakeHost((c: RecordedCommand) => {
    const [script, , path] = [c.argv[2], c.argv[3], c.argv[4]];
    switch (script) {
      case OS_FACTS_SCRIPT:
        return { stdout: os === "amazon" ? "id=amzn\nid_like=fedora\nversion_id=2023\narch=x86_64\npm=dnf\nsystemd=yes\nsudo=ok\n" : "id=debian\nversion_id=12\narch=x86_64\npm=apt\nsystemd=yes\nsudo=ok\n" };
      case MISSING_PACKAGES_SCRIPT.dnf:
      case MISSING_PACKAGES_SCRIPT.apt:
        return { stdout: converged ? "" : c.argv.slice(4).map((p) => `missing=${p}\n`).join("") };
      case ARCHIVE_FACTS_SCRIPT:
        return { stdout: converged ? `versioned=yes\nlink=symlink\ntarget=${links[c.argv[5]]}\n` : "versioned=no\nlink=absent\n" };
      case REMOTE_FILE_FACTS_SCRIPT:
        return { stdout: converged ? "exists=yes\n" : "exists=no\n" };
      case FILE_FACTS_SCRIPT:
        return { stdout: converged ? `type=file\nstat=644 root root\nsha256=${sha256(rendered.get(path)!)}\n` : "type=absent\n" };
      case LIST_TOPICS_SCRIPT:
        return { stdout: converged ? [...settings.topics, settings.deadLetterTopic].join("\n") : "#kafka-cli-missing\n" };
      case USER_FACTS_SCRIPT:
        return { stdout: converged ? "kafka-rest:x:999:999:Confluent REST proxy:/nonexistent:/usr/sbin/nologin\n" : "" };
      case SERVICE_FACTS_SCRIPT:
        return { stdout: converged ? "enabled=enabled\nactive=active\n" : "enabled=\nactive=inactive\n" };
      default:
        return { code: 99, stderr: `the simulated host does not expect: ${c.line}` };
    }
  });
}

describe("whole play against simulated hosts", () => {
  it.each(["amazon", "debian"] as const)("--check on a fresh %s host reports every operation and both handlers as pending and sends only read-only probes", async (os) => {
    const { settings } = fixture();
    const host = simulatedHost(os, false);
    const lines: string[] = [];
    const recap = await runPlay(host, clientHostPlay(settings), { check: true, print: (l) => lines.push(l) });
    expect(lines.filter((l) => !l.startsWith("  "))).toEqual([
      ...["packages", "kafka cli", "msk iam auth jar", "classpath profile", "client.properties", "topics", "kafka-rest user", "confluent rest proxy", "kafka-rest.properties", "kafka-rest.service", "kafka-rest running"].map((n) => `changed: [fake] ${n}`),
      "changed: [fake] handler: daemon-reload",
      "changed: [fake] handler: restart kafka-rest",
    ]);
    expect(lines).toContain(os === "amazon" ? "  would install java-17-amazon-corretto-headless tar gzip with dnf" : "  would install openjdk-17-jre-headless tar gzip curl ca-certificates with apt");
    expect(lines).toContain("  would download http://127.0.0.1:8000/kafka/3.8.1/kafka_2.13-3.8.1.tgz (sha256 verified) and unpack it to /opt/kafka_2.13-3.8.1");
    // the S3 sink's dead-letter topic is created with the pipeline's, so the cluster's replication factor applies
    expect(lines.filter((l) => l.startsWith("  would create topic "))).toEqual(
      ["0a1b2c3d4e5f.pin", "0a1b2c3d4e5f.geo", "0a1b2c3d4e5f.user", "0a1b2c3d4e5f-dlq"].map((t) => `  would create topic ${t} with 1 partition (the Kafka CLI is not installed yet)`),
    );
    // reads only: gathers of root-owned files use sudo, but nothing that writes runs; each command is one of the play's probes
    expect(host.commands).toHaveLength(12);
    const PROBES = new Map<string, string>([
      [OS_FACTS_SCRIPT, "os"],
      [MISSING_PACKAGES_SCRIPT.dnf, "packages"],
      [MISSING_PACKAGES_SCRIPT.apt, "packages"],
      [ARCHIVE_FACTS_SCRIPT, "archive"],
      [REMOTE_FILE_FACTS_SCRIPT, "remote file"],
      [FILE_FACTS_SCRIPT, "file"],
      [LIST_TOPICS_SCRIPT, "topics"],
      [USER_FACTS_SCRIPT, "user"],
      [SERVICE_FACTS_SCRIPT, "service"],
    ]);
    expect(host.commands.map((c) => PROBES.get(c.argv[2] as string) ?? c.line)).toEqual([
      "os", "packages", "archive", "remote file", "file", "file", "topics", "user", "archive", "file", "file", "service",
    ]);
    // and each probe asks about the play's own paths, unit, user and brokers
    expect(host.commands.map((c) => [PROBES.get(c.argv[2] as string) ?? c.line, ...c.argv.slice(4)])).toEqual([
      ["os", "/var/lib/pipeline-provision/pending-handlers"],
      ["packages", ...(os === "amazon" ? ["java-17-amazon-corretto-headless", "tar", "gzip"] : ["openjdk-17-jre-headless", "tar", "gzip", "curl", "ca-certificates"])],
      ["archive", "/opt/kafka_2.13-3.8.1", "/opt/kafka"],
      ["remote file", "/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar", ""],
      ["file", "/etc/profile.d/kafka-client.sh", ""],
      ["file", "/etc/kafka-client/client.properties", ""],
      ["topics", "/opt/kafka/bin/kafka-topics.sh", "--bootstrap-server", BROKERS, "--command-config", "/etc/kafka-client/client.properties", "--list"],
      ["user", "kafka-rest"],
      ["archive", "/opt/confluent-8.0.0", "/opt/confluent"],
      ["file", "/etc/kafka-rest/kafka-rest.properties", ""],
      ["file", "/etc/systemd/system/kafka-rest.service", ""],
      ["service", "kafka-rest.service"],
    ]);
    expect(host.commands.filter((c) => c.argv[2] === WRITE_PENDING_SCRIPT)).toEqual([]);
    expect(exitCode(recap, true)).toBe(3);
  });

  it("a converged host is all ok in 12 round trips (OS facts + one probe per operation)", async () => {
    const { settings } = fixture();
    const host = simulatedHost("amazon", true);
    const lines: string[] = [];
    const recap = await runPlay(host, clientHostPlay(settings), { print: (l) => lines.push(l) });
    expect(lines).toHaveLength(11);
    expect(lines.every((l) => l.startsWith("ok: [fake] "))).toBe(true);
    expect(recap).toEqual({ ok: 11, changed: 0, failed: 0, skipped: 0 });
    expect(host.roundTrips).toBe(12);
  });

  it("--diff on a fresh host shows every managed file with its header", async () => {
    const { settings, paths } = fixture();
    const host = simulatedHost("debian", false);
    const lines: string[] = [];
    await runPlay(host, clientHostPlay(settings), { check: true, diff: true, print: (l) => lines.push(l) });
    expect(lines.filter((l) => l.startsWith("  +++ "))).toEqual([paths.profile, paths.clientProperties, paths.restProperties, paths.restUnit].map((path) => `  +++ ${path}\tdesired`));
    expect(lines).toContain(`  +bootstrap.servers=${BROKERS}`);
  });
});
