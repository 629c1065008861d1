/**
 * Operation tests: given facts, the planned changes and the exact remote commands.
 * Fixtures are the probes' real output formats; apply runs against a FakeHost that records
 * the command lines the remote shell would receive.
 */
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { ApplyContext } from "../../../provision/engine";
import type { OsFacts } from "../../../provision/facts";
import { archiveOperation, parseArchiveFacts, planArchive, planRemoteFile, remoteFileOperation } from "../../../provision/ops/download";
import { ATOMIC_WRITE_SCRIPT, FILE_FACTS_SCRIPT, fileOperation, parseFileFacts, planFile, sha256 } from "../../../provision/ops/file";
import { APT_INSTALL_SCRIPT, MISSING_PACKAGES_SCRIPT, packagesOperation, planPackages } from "../../../provision/ops/packages";
import { START_AND_WAIT_SCRIPT, parseServiceFacts, planService, serviceOperation, systemctlArgv } from "../../../provision/ops/service";
import { LIST_TOPICS_SCRIPT, parseTopicsFacts, planTopics, topicsOperation } from "../../../provision/ops/topics";
import { USER_FACTS_SCRIPT, parseUserFacts, planUser, systemUserOperation } from "../../../provision/ops/user";
import { command } from "../../../provision/remote";
import { AMAZON, DEBIAN, FakeHost } from "./fake-host";

const context = (os: OsFacts): ApplyContext => ({ os });
const sh = (script: string, ...args: string[]) => command(["sh", "-c", script, "sh", ...args]);

describe("packages", () => {
  const packagesFor = (os: OsFacts) => (os.family === "amazon" ? ["java-17-amazon-corretto-headless", "tar", "gzip"] : ["openjdk-17-jre-headless", "tar", "gzip", "curl", "ca-certificates"]);
  const op = packagesOperation("packages", ["packages"], packagesFor);

  it.each([
    {
      os: AMAZON,
      probe: "missing=java-17-amazon-corretto-headless\nmissing=tar\n",
      gather: `env LC_ALL=C ${sh(MISSING_PACKAGES_SCRIPT.dnf, "java-17-amazon-corretto-headless", "tar", "gzip")}`,
      install: "sudo -n env LC_ALL=C dnf -y install java-17-amazon-corretto-headless tar",
    },
    {
      os: DEBIAN,
      probe: "missing=openjdk-17-jre-headless\nmissing=curl\n",
      gather: `env LC_ALL=C ${sh(MISSING_PACKAGES_SCRIPT.apt, "openjdk-17-jre-headless", "tar", "gzip", "curl", "ca-certificates")}`,
      install: `sudo -n env LC_ALL=C DEBIAN_FRONTEND=noninteractive ${sh(APT_INSTALL_SCRIPT, "openjdk-17-jre-headless", "curl")}`,
    },
  ])("$os.packageManager: gathers in one command and installs only the missing ones in one command", async ({ os, probe, gather, install }) => {
    const host = new FakeHost(() => ({ stdout: probe }));
    const facts = await op.gather(host, { os, diff: false });
    const changes = op.plan(facts);
    expect(changes).toHaveLength(1);
    await op.apply(host, changes, context(os));
    expect(host.lines).toEqual([gather, install]);
    expect(host.commands[1].options.timeoutMs).toBeGreaterThanOrEqual(600_000);
  });

  it("the Debian install refreshes the index only inside the install command, waits for the dpkg lock, and installs nothing when the refresh fails", () => {
    // the real script in a real shell, with a stand-in apt-get on PATH that logs its arguments
    const dir = mkdtempSync(join(tmpdir(), "apt-install-"));
    try {
      const log = join(dir, "calls.log");
      writeFileSync(join(dir, "apt-get"), `#!/bin/sh\nprintf '%s\\n' "$*" >> "${log}"\n[ "$APT_UPDATE_FAILS" = 1 ] && [ "$3" = update ] && exit 100\nexit 0\n`);
      chmodSync(join(dir, "apt-get"), 0o755);
      const install = (env: Record<string, string>) =>
        spawnSync("sh", ["-c", APT_INSTALL_SCRIPT, "sh", "openjdk-17-jre-headless", "curl"], { encoding: "utf8", env: { PATH: `${dir}:/usr/bin:/bin`, ...env } });
      expect(install({}).status).toBe(0);
      expect(readFileSync(log, "utf8").split("\n")).toEqual([
        "-o DPkg::Lock::Timeout=300 update -qq",
        "-o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends openjdk-17-jre-headless curl",
        "",
      ]);
      rmSync(log);
      expect(install({ APT_UPDATE_FAILS: "1" }).status).toBe(100);
      expect(readFileSync(log, "utf8")).toBe("-o DPkg::Lock::Timeout=300 update -qq\n");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    // and the probe never refreshes the index: it only reads what is installed
    expect(MISSING_PACKAGES_SCRIPT.apt).not.toMatch(/apt-get[^|;&]*update/);
  });

  it("plans nothing when nothing is missing", async () => {
    const host = new FakeHost(() => ({ stdout: "" }));
    expect(op.plan(await op.gather(host, { os: AMAZON, diff: false }))).toEqual([]);
    expect(planPackages({ packageManager: "apt", missing: [] })).toEqual([]);
    expect(host.commands).toHaveLength(1);
  });
});

describe("file", () => {
  const content = "# managed\nkey=value\n";
  const spec = { path: "/etc/kafka-client/client.properties", content };
  const present = { type: "file" as const, mode: 0o644, owner: "root", group: "root", sha256: sha256(content) };

  it.each([
    ["absent", { type: "absent" as const }, [{ kind: "write", summary: "create /etc/kafka-client/client.properties" }]],
    ["content differs", { ...present, sha256: sha256("old") }, [{ kind: "write", summary: "update /etc/kafka-client/client.properties (content differs)" }]],
    ["a symlink", { type: "symlink" as const }, [{ kind: "write", summary: "replace /etc/kafka-client/client.properties (a symlink, expected a regular file)" }]],
    ["mode drifted", { ...present, mode: 0o600 }, [{ kind: "mode", mode: 0o644, summary: "chmod 0644 /etc/kafka-client/client.properties (was 0600)" }]],
    ["owner drifted", { ...present, owner: "ec2-user" }, [{ kind: "owner", owner: "root:root", summary: "chown root:root /etc/kafka-client/client.properties (was ec2-user:root)" }]],
    ["as desired", present, []],
  ])("%s", (_label, facts, expected) => {
    expect(planFile(facts, spec)).toEqual(expected);
  });

  it("parses the probe output, with content after the marker in diff mode", () => {
    expect(parseFileFacts("type=absent\n")).toEqual({ type: "absent" });
    expect(parseFileFacts(`type=file\nstat=640 root adm\nsha256=${"a".repeat(64)}\n--content--\nx=1\n--content--\n`)).toEqual({
      type: "file",
      mode: 0o640,
      owner: "root",
      group: "adm",
      sha256: "a".repeat(64),
      content: "x=1\n--content--\n",
    });
    expect(() => parseFileFacts("garbage")).toThrow(/unexpected file facts output/);
  });

  it("gathers with one sudo command and writes with one: temp file in the target dir, mode, owner, validate, rename", async () => {
    const op = fileOperation("kafka-rest.service", ["rest-proxy"], { path: "/etc/systemd/system/kafka-rest.service", content, validate: ["systemd-analyze", "verify", "%s"] });
    const host = new FakeHost(() => ({ stdout: "type=absent\n" }));
    const changes = op.plan(await op.gather(host, { os: AMAZON, diff: false }));
    await op.apply(host, changes, context(AMAZON));
    expect(host.lines).toEqual([
      `sudo -n env LC_ALL=C ${sh(FILE_FACTS_SCRIPT, "/etc/systemd/system/kafka-rest.service", "")}`,
      `sudo -n env LC_ALL=C ${sh(ATOMIC_WRITE_SCRIPT, "/etc/systemd/system/kafka-rest.service", "0644", "root:root", "systemd-analyze", "verify", "%s")}`,
    ]);
    expect(host.commands[1].options.stdin).toBe(content);
  });

  it("fixes mode and owner drift without rewriting the content", async () => {
    const op = fileOperation("f", [], spec);
    const host = new FakeHost(() => ({ stdout: `type=file\nstat=600 ec2-user ec2-user\nsha256=${sha256(content)}\n` }));
    const changes = op.plan(await op.gather(host, { os: AMAZON, diff: false }));
    await op.apply(host, changes, context(AMAZON));
    expect(host.lines.slice(1)).toEqual(["sudo -n env LC_ALL=C chmod 0644 /etc/kafka-client/client.properties", "sudo -n env LC_ALL=C chown root:root /etc/kafka-client/client.properties"]);
  });

  it("diffs only content changes, with secrets masked", async () => {
    const secretSpec = { path: "/etc/x.properties", content: 'sasl.jaas.config=Login required username="u" password="new";\nssl.key.password=hunter2\n' };
    const op = fileOperation("f", [], secretSpec);
    const facts = { type: "file" as const, mode: 0o644, owner: "root", group: "root", sha256: "0", content: 'sasl.jaas.config=Login required username="u" password="old";\n' };
    const diff = op.diff!(facts, op.plan(facts))!;
    expect(diff.split("\n").slice(0, 2)).toEqual(["--- /etc/x.properties\ton host", "+++ /etc/x.properties\tdesired"]);
    // a changed secret shows as masked context: the diff never reveals old or new value
    expect(diff).toContain(' sasl.jaas.config=Login required username="u" password="********";');
    expect(diff).toContain("+ssl.key.password=********");
    expect(diff).not.toMatch(/hunter2|"old"|"new"/);
    expect(op.diff!(present, [{ kind: "mode", mode: 0o600, summary: "" }])).toBeUndefined();
  });
});

describe("archive download", () => {
  const spec = {
    url: "https://archive.apache.org/dist/kafka/3.8.1/kafka_2.13-3.8.1.tgz",
    sha256: "b".repeat(64),
    versionedDir: "/opt/kafka_2.13-3.8.1",
    topDir: "kafka_2.13-3.8.1",
    link: "/opt/kafka",
  };

  it.each([
    ["fresh host", "versioned=no\nlink=absent\n", ["install", "link"]],
    ["installed and linked", "versioned=yes\nlink=symlink\ntarget=/opt/kafka_2.13-3.8.1\n", []],
    ["installed, link points at the old version", "versioned=yes\nlink=symlink\ntarget=/opt/kafka_2.13-3.8.0\n", ["link"]],
    ["new version, old one linked", "versioned=no\nlink=symlink\ntarget=/opt/kafka_2.13-3.8.0\n", ["install", "link"]],
    ["link is a real directory", "versioned=yes\nlink=other\n", ["link"]],
  ])("%s", (_label, probe, kinds) => {
    expect(planArchive(parseArchiveFacts(probe), spec).map((c) => c.kind)).toEqual(kinds);
  });

  it("runs install then link, both through sudo, the download with a long timeout", async () => {
    const op = archiveOperation("kafka cli", ["kafka"], spec);
    const host = new FakeHost(() => ({ stdout: "versioned=no\nlink=absent\n" }));
    await op.apply(host, op.plan(await op.gather(host, { os: AMAZON, diff: false })), context(AMAZON));
    expect(host.commands.map((c) => [c.argv.slice(4), c.options.sudo ?? false])).toEqual([
      [["/opt/kafka_2.13-3.8.1", "/opt/kafka"], false],
      [[spec.url, spec.sha256, "/opt/kafka_2.13-3.8.1", "kafka_2.13-3.8.1"], true],
      [["/opt/kafka_2.13-3.8.1", "/opt/kafka"], true],
    ]);
    expect(host.commands[1].options.timeoutMs).toBeGreaterThanOrEqual(1_800_000);
  });

  it("a single file is downloaded when absent or when its checksum differs from the configured one", () => {
    const file = { url: "https://x/v2.3.6/aws-msk-iam-auth-2.3.6-all.jar", path: "/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar" };
    expect(planRemoteFile({ exists: false }, file)).toHaveLength(1);
    expect(planRemoteFile({ exists: true }, file)).toEqual([]);
    expect(planRemoteFile({ exists: true, sha256: "c".repeat(64) }, { ...file, sha256: "c".repeat(64) })).toEqual([]);
    expect(planRemoteFile({ exists: true, sha256: "d".repeat(64) }, { ...file, sha256: "c".repeat(64) })[0].summary).toMatch(/^replace .* \(sha256 d+, expected c+\)/);
  });

  it("hashes the jar on the host only when a checksum is configured", async () => {
    const host = new FakeHost(() => ({ stdout: "exists=yes\n" }));
    await remoteFileOperation("jar", [], { url: "u", path: "/opt/j.jar" }).gather(host, { os: AMAZON, diff: false });
    await remoteFileOperation("jar", [], { url: "u", path: "/opt/j.jar", sha256: "e".repeat(64) }).gather(host, { os: AMAZON, diff: false });
    expect(host.commands.map((c) => c.argv.at(-1))).toEqual(["", "sha"]);
  });
});

describe("topics", () => {
  const spec = {
    kafkaTopicsBin: "/opt/kafka/bin/kafka-topics.sh",
    bootstrapServers: "b-1.msk:9098,b-2.msk:9098",
    commandConfig: "/etc/kafka-client/client.properties",
    classpath: "/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar",
    topics: ["0a1b.pin", "0a1b.geo", "0a1b.user"],
    partitions: 1,
  };
  const op = topicsOperation("topics", ["topics"], spec);

  it("lists as the login user with CLASSPATH set, and creates only the missing topics", async () => {
    const host = new FakeHost((c) => (c.argv.includes("--list") ? { stdout: "__consumer_offsets\n0a1b.pin\n" } : {}));
    const changes = op.plan(await op.gather(host, { os: AMAZON, diff: false }));
    expect(changes.map((c) => c.topic)).toEqual(["0a1b.geo", "0a1b.user"]);
    await op.apply(host, changes, context(AMAZON));
    const env = "env LC_ALL=C CLASSPATH=/opt/aws-msk-iam-auth/aws-msk-iam-auth-2.3.6-all.jar";
    const cli = "/opt/kafka/bin/kafka-topics.sh --bootstrap-server b-1.msk:9098,b-2.msk:9098 --command-config /etc/kafka-client/client.properties";
    expect(host.lines).toEqual([
      `${env} ${sh(LIST_TOPICS_SCRIPT, ...`${cli} --list`.split(" "))}`,
      `${env} ${cli} --create --topic 0a1b.geo --partitions 1`,
      `${env} ${cli} --create --topic 0a1b.user --partitions 1`,
    ]);
    expect(host.commands.every((c) => !c.options.sudo)).toBe(true);
  });

  it("all topics are missing while the CLI is not installed (check mode on a fresh host)", () => {
    const facts = parseTopicsFacts("#kafka-cli-missing\n");
    expect(facts).toEqual({ cliInstalled: false, existing: [] });
    expect(planTopics(facts, spec).map((c) => c.summary)).toEqual([
      "create topic 0a1b.pin with 1 partition (the Kafka CLI is not installed yet)",
      "create topic 0a1b.geo with 1 partition (the Kafka CLI is not installed yet)",
      "create topic 0a1b.user with 1 partition (the Kafka CLI is not installed yet)",
    ]);
  });

  it("treats a topic created meanwhile as done, and fails with the command and stderr otherwise", async () => {
    const raced = new FakeHost(() => ({ code: 1, stderr: "Error while executing topic command : Topic '0a1b.geo' already exists." }));
    expect(await op.apply(raced, [{ topic: "0a1b.geo", summary: "" }], context(AMAZON))).toEqual(["topic 0a1b.geo already existed"]);
    const broken = new FakeHost(() => ({ code: 1, stderr: "refusing: sasl.mechanism missing" }));
    await expect(op.apply(broken, [{ topic: "0a1b.geo", summary: "" }], context(AMAZON))).rejects.toThrow(
      /^\[fake\] topics: command exited 1: env LC_ALL=C CLASSPATH=\S+ \/opt\/kafka\/bin\/kafka-topics.sh .* --create --topic 0a1b.geo --partitions 1: refusing: sasl.mechanism missing$/,
    );
  });
});

describe("topics: the listing and the plan at their edges", () => {
  const spec = { kafkaTopicsBin: "/opt/kafka/bin/kafka-topics.sh", bootstrapServers: "b:9098", commandConfig: "/c", classpath: "/j", topics: ["u.pin", "u.geo"], partitions: 3 };

  it("the listing: one topic per line, blanks and surrounding spaces dropped", () => {
    expect(parseTopicsFacts("  u.pin \n\n\tu.x\n")).toEqual({ cliInstalled: true, existing: ["u.pin", "u.x"] });
    expect(parseTopicsFacts("")).toEqual({ cliInstalled: true, existing: [] });
  });

  it("plural partitions, and no note once the CLI is installed", () => {
    expect(planTopics({ cliInstalled: true, existing: ["u.pin"] }, spec)).toEqual([{ topic: "u.geo", summary: "create topic u.geo with 3 partitions" }]);
  });

  it("the listing script: the marker when the CLI is missing, else the CLI itself with every argument", () => {
    const run = (...argv: string[]) => spawnSync("sh", ["-c", LIST_TOPICS_SCRIPT, "sh", ...argv], { encoding: "utf8" });
    expect(run("/nonexistent/kafka-topics.sh", "--list")).toMatchObject({ status: 0, stdout: "#kafka-cli-missing\n" });
    expect(run("/bin/echo", "--list", "a b")).toMatchObject({ status: 0, stdout: "--list a b\n" });
  });

  it("a successful create leaves no note, whatever it prints", async () => {
    const op = topicsOperation("topics", [], spec);
    const host = new FakeHost(() => ({ code: 0, stdout: "Created topic u.geo (it already exists elsewhere)." }));
    expect(await op.apply(host, [{ topic: "u.geo", summary: "" }], context(AMAZON))).toEqual([]);
  });
});

describe("file facts: without the content (check mode) and with an empty file", () => {
  const digest = "b".repeat(64);

  it("no marker: no content key, the last value whole", () => {
    expect(parseFileFacts(`type=file\nstat=600 root root\nsha256=${digest}`)).toEqual({ type: "file", mode: 0o600, owner: "root", group: "root", sha256: digest });
  });

  it("the marker with nothing after it: empty content", () => {
    expect(parseFileFacts(`type=file\nstat=644 a b\nsha256=${digest}\n--content--\n`)).toEqual({ type: "file", mode: 0o644, owner: "a", group: "b", sha256: digest, content: "" });
  });

  it("other types carry no stat, and an unknown type is refused with the output quoted", () => {
    expect(parseFileFacts("type=symlink\nstat=777 root root\n")).toEqual({ type: "symlink" });
    expect(parseFileFacts("type=other\n")).toEqual({ type: "other" });
    expect(() => parseFileFacts("type=fifo\n")).toThrow('unexpected file facts output: "type=fifo\\n"');
  });
});

describe("service", () => {
  const spec = {
    unit: "kafka-rest.service",
    readyUrl: "http://127.0.0.1:7000/topics",
    readyListing: ["u.pin", "u.geo"],
    restartHandler: "restart kafka-rest",
    daemonReloadHandler: "daemon-reload",
  };
  const op = serviceOperation("kafka-rest running", ["rest-proxy"], spec);

  it.each([
    ["enabled=enabled\nactive=active\n", []],
    ["enabled=disabled\nactive=active\n", ["enable"]],
    ["enabled=enabled\nactive=failed\n", ["start"]],
    ["enabled=\nactive=inactive\n", ["enable", "start"]],
  ])("%j → %j", (probe, kinds) => {
    expect(planService(parseServiceFacts(probe), spec).map((c) => c.kind)).toEqual(kinds);
  });

  it.each([
    [["enable", "start"], ["systemctl", "enable", "--now", "kafka-rest.service"]],
    [["enable"], ["systemctl", "enable", "kafka-rest.service"]],
    [["start"], ["systemctl", "start", "kafka-rest.service"]],
  ] as const)("%j runs %j", (kinds, argv) => {
    expect(systemctlArgv(kinds.map((kind) => ({ kind, summary: "" })), "kafka-rest.service")).toEqual(argv);
  });

  it("declares as data: daemon-reload runs first when queued, and only the start change satisfies the restart", () => {
    expect(op.runsFirst).toEqual(["daemon-reload"]);
    const changes = planService(parseServiceFacts("enabled=\nactive=inactive\n"), spec);
    expect(changes.map((c) => [c.kind, c.satisfies ?? []])).toEqual([["enable", []], ["start", ["restart kafka-rest"]]]);
  });

  it("starts and waits for HTTP, touching no handler itself", async () => {
    const host = new FakeHost((c) => (c.argv[2] === START_AND_WAIT_SCRIPT ? { stdout: "ready_after_ms=1500\n" } : { stdout: "enabled=\nactive=inactive\n" }));
    const changes = op.plan(await op.gather(host, { os: DEBIAN, diff: false }));
    const notes = await op.apply(host, changes, context(DEBIAN));
    expect(host.lines).toHaveLength(2);
    expect(host.lines[1]).toBe(
      `sudo -n env LC_ALL=C ${sh(START_AND_WAIT_SCRIPT, "http://127.0.0.1:7000/topics", "60", "kafka-rest.service", "2", "u.pin", "u.geo", "systemctl", "enable", "--now", "kafka-rest.service")}`,
    );
    expect(notes).toEqual(["http://127.0.0.1:7000/topics listed u.pin, u.geo after 1500 ms"]);
  });

  it("an error answer fails at once with the service's own JSON message, in one line", async () => {
    const denied = { error_code: 50002, message: "org.apache.kafka.common.errors.SaslAuthenticationException: Access denied" };
    const host = new FakeHost(() => ({ code: 4, stdout: `http_status=500\n--body--\n${JSON.stringify(denied)}\n` }));
    const failure = op.apply(host, [{ kind: "start", summary: "" }], context(DEBIAN));
    await expect(failure).rejects.toThrow(
      /^\[fake\] kafka-rest running: kafka-rest\.service answered GET http:\/\/127\.0\.0\.1:7000\/topics with HTTP 500: org\.apache\.kafka\.common\.errors\.SaslAuthenticationException: Access denied \(/,
    );
    await expect(op.apply(host, [{ kind: "start", summary: "" }], context(DEBIAN))).rejects.toThrow(/^[^\n]+$/);
  });

  it("a timeout reports the unit's status from the script, as a command failure", async () => {
    const host = new FakeHost(() => ({ code: 1, stderr: "kafka-rest.service was not active and listing u.pin u.geo on http://127.0.0.1:7000/topics within 60 s:\n● kafka-rest.service - failed" }));
    await expect(op.apply(host, [{ kind: "start", summary: "" }], context(DEBIAN))).rejects.toThrow(/command exited 1: .*was not active and listing u\.pin u\.geo/);
  });

  it("only enabling runs systemctl enable and no readiness wait", async () => {
    const host = new FakeHost();
    expect(await op.apply(host, [{ kind: "enable", summary: "" }], context(DEBIAN))).toEqual([]);
    expect(host.lines).toEqual(["sudo -n env LC_ALL=C systemctl enable kafka-rest.service"]);
  });

  it("refuses hosts without systemd before running anything", async () => {
    const host = new FakeHost();
    await expect(op.gather(host, { os: { ...DEBIAN, systemd: false }, diff: false })).rejects.toThrow(/systemd is not running on this host/);
    expect(host.commands).toHaveLength(0);
  });
});

describe("system user", () => {
  const spec = { name: "kafka-rest", comment: "Confluent REST proxy" };
  const op = systemUserOperation("kafka-rest user", ["rest-proxy"], spec, ["restart kafka-rest"]);
  const present = "kafka-rest:x:998:998:Confluent REST proxy:/nonexistent:/usr/sbin/nologin\n";

  it.each([
    ["", ["create"]],
    [present, []],
    ["kafka-rest:x:998:998::/home/kafka-rest:/bin/bash\n", ["shell", "home"]],
    // another account whose name merely starts the same is not this one
    ["kafka-rest2:x:997:997::/nonexistent:/usr/sbin/nologin\n", ["create"]],
  ])("getent %j → %j", (probe, kinds) => {
    expect(planUser(parseUserFacts(probe, "kafka-rest"), spec).map((c) => c.kind)).toEqual(kinds);
  });

  it("probes with getent (an unknown account is a fact, not a failure) and creates a system account without shell, home or password", async () => {
    const host = new FakeHost(() => ({ stdout: "" }));
    const changes = op.plan(await op.gather(host, { os: AMAZON, diff: false }));
    await op.apply(host, changes, context(AMAZON));
    expect(host.lines).toEqual([
      `env LC_ALL=C ${sh(USER_FACTS_SCRIPT, "kafka-rest")}`,
      "sudo -n env LC_ALL=C useradd --system --user-group --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin --comment 'Confluent REST proxy' kafka-rest",
    ]);
    expect(op.notifies).toEqual(["restart kafka-rest"]);
  });

  it("says what each change does, with the value it replaces", () => {
    expect(planUser({ exists: false }, spec).map((c) => c.summary)).toEqual(["create system user kafka-rest (shell /usr/sbin/nologin, home /nonexistent, not created)"]);
    expect(planUser(parseUserFacts("kafka-rest:x:998:998::/home/k:/bin/sh\n", "kafka-rest"), { ...spec, shell: "/bin/false", home: "/var/empty" }).map((c) => c.summary)).toEqual([
      "set the shell of kafka-rest to /bin/false (was /bin/sh)",
      "set the home of kafka-rest to /var/empty (was /home/k)",
    ]);
  });

  it("the probe prints the account's passwd line, and nothing (exit 0) for an unknown account", () => {
    const probe = (name: string) => spawnSync("sh", ["-c", USER_FACTS_SCRIPT, "sh", name], { encoding: "utf8" });
    expect(probe("root")).toMatchObject({ status: 0, stdout: expect.stringMatching(/^root:x:0:0:/) });
    expect(parseUserFacts(probe("root").stdout, "root")).toMatchObject({ exists: true, uid: 0, home: "/root" });
    expect(probe("no-such-account-here")).toMatchObject({ status: 0, stdout: "" });
  });

  it("fixes a drifted shell and home with usermod, never recreating the account", async () => {
    const host = new FakeHost();
    await op.apply(host, planUser(parseUserFacts("kafka-rest:x:998:998::/home/kafka-rest:/bin/bash\n", "kafka-rest"), spec), context(DEBIAN));
    expect(host.lines).toEqual([
      "sudo -n env LC_ALL=C usermod --shell /usr/sbin/nologin kafka-rest",
      "sudo -n env LC_ALL=C usermod --home /nonexistent kafka-rest",
    ]);
  });
});
