/**
 * The consumer-group hop: the exact remote command, and the parser on the real tool's table
 * format, produced by a stand-in kafka-consumer-groups.sh that enforces the MSK IAM contract and
 * run through the provisioner's LocalHost (the rendered command line, through a real `sh -c`).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientProperties, classpathProfile } from "../../provision/templates";
import { renderCommand } from "../../provision/remote";
import { type ConsumerGroupPaths, clientHostToolPaths, describeGroupArgv, parseGroupDescription, readConsumerGroup } from "../../verify/consumer-group";
import { LocalHost } from "../provision/unit/fake-host";
import { REPO_ROOT } from "../support/paths";

const BROKERS = "b-1.pipeline.kafka.us-east-1.amazonaws.com:9098,b-2.pipeline.kafka.us-east-1.amazonaws.com:9098";
const GROUP = "connect-0a1b2c3d4e5f-connector";

describe("the remote command", () => {
  it("sources the provisioner's profile and runs the Kafka CLI with the IAM client config", () => {
    const argv = describeGroupArgv(clientHostToolPaths(), BROKERS, GROUP);
    expect(renderCommand(argv)).toBe(
      `env LC_ALL=C sh -c '. "$1" && shift && exec "$@"' sh /etc/profile.d/kafka-client.sh /opt/kafka/bin/kafka-consumer-groups.sh --bootstrap-server ${BROKERS} --describe --group ${GROUP} --command-config /etc/kafka-client/client.properties`,
    );
  });
});

describe("parseGroupDescription", () => {
  it("reads a table with active members, '-' as unknown", () => {
    const stdout = [
      "",
      "GROUP                          TOPIC             PARTITION  CURRENT-OFFSET  LOG-END-OFFSET  LAG             CONSUMER-ID                                                      HOST            CLIENT-ID",
      "connect-0a1b2c3d4e5f-connector 0a1b2c3d4e5f.pin  0          1200            1250            50              connector-consumer-0a1b2c3d4e5f-connector-0-5e0a7c1e-3b8e      /10.20.10.57    connector-consumer-0a1b2c3d4e5f-connector-0",
      "connect-0a1b2c3d4e5f-connector 0a1b2c3d4e5f.geo  1          -               40              -               -                                                                -               -",
      "",
    ].join("\n");
    expect(parseGroupDescription(GROUP, stdout)).toEqual({
      group: GROUP,
      noActiveMembers: false,
      missing: false,
      positions: [
        { topic: "0a1b2c3d4e5f.pin", partition: 0, currentOffset: 1200, logEndOffset: 1250, lag: 50, consumerId: "connector-consumer-0a1b2c3d4e5f-connector-0-5e0a7c1e-3b8e" },
        { topic: "0a1b2c3d4e5f.geo", partition: 1, currentOffset: undefined, logEndOffset: 40, lag: undefined, consumerId: undefined },
      ],
    });
  });

  it("says when the group does not exist", () => {
    const parsed = parseGroupDescription(GROUP, "\n", `Error: Consumer group '${GROUP}' does not exist.\n`);
    expect(parsed.missing).toBe(true);
    expect(parsed.positions).toEqual([]);
  });
});

describe("through LocalHost and the stand-in tool", () => {
  let dir: string;
  let paths: ConsumerGroupPaths;
  const previousState = process.env.FAKE_MSK_STATE_DIR;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "verify-cg-"));
    // the profile adds this directory to PATH: it holds the `java` the tool insists on
    const bin = join(dir, "bin");
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, "java"), "#!/bin/sh\n", { mode: 0o755 });
    const jar = join(dir, "aws-msk-iam-auth-2.3.6-all.jar");
    writeFileSync(jar, "");
    // the very files the provisioner writes on the client host
    writeFileSync(join(dir, "kafka-client.sh"), classpathProfile({ jar, kafkaBin: bin }));
    writeFileSync(join(dir, "client.properties"), clientProperties({ roleArn: "arn:aws:iam::123456789012:role/0a1b2c3d4e5f-ec2-access-role", region: "us-east-1" }));
    mkdirSync(join(dir, "state", "groups"), { recursive: true });
    process.env.FAKE_MSK_STATE_DIR = join(dir, "state");
    paths = { profile: join(dir, "kafka-client.sh"), tool: join(REPO_ROOT, "__tests__/support/stand-ins/kafka/bin/kafka-consumer-groups.sh"), commandConfig: join(dir, "client.properties") };
  });
  afterAll(() => {
    if (previousState === undefined) delete process.env.FAKE_MSK_STATE_DIR;
    else process.env.FAKE_MSK_STATE_DIR = previousState;
    rmSync(dir, { recursive: true, force: true });
  });

  it("reads the connector's positions", async () => {
    writeFileSync(
      join(dir, "state", "groups", `${GROUP}.json`),
      JSON.stringify({ members: true, partitions: [{ topic: "0a1b2c3d4e5f.pin", partition: 0, current: 150, logEnd: 300 }, { topic: "0a1b2c3d4e5f.pin", partition: 1, current: null, logEnd: 300 }] }),
    );
    const host = new LocalHost();
    const description = await readConsumerGroup(host, paths, BROKERS, GROUP);
    expect(host.roundTrips).toBe(1);
    expect(description.positions).toEqual([
      { topic: "0a1b2c3d4e5f.pin", partition: 0, currentOffset: 150, logEndOffset: 300, lag: 150, consumerId: "connector-consumer-0a1b2c3d4e5f-connector-0-5e0a7c1e-3b8e-4d5f-9a2b-000000000000" },
      { topic: "0a1b2c3d4e5f.pin", partition: 1, currentOffset: undefined, logEndOffset: 300, lag: undefined, consumerId: "connector-consumer-0a1b2c3d4e5f-connector-1-5e0a7c1e-3b8e-4d5f-9a2b-000000000001" },
    ]);
  });

  it("reports a group without active members", async () => {
    writeFileSync(join(dir, "state", "groups", `${GROUP}.json`), JSON.stringify({ members: false, partitions: [{ topic: "0a1b2c3d4e5f.geo", partition: 0, current: 10, logEnd: 90 }] }));
    const description = await readConsumerGroup(new LocalHost(), paths, BROKERS, GROUP);
    expect(description.noActiveMembers).toBe(true);
    expect(description.positions).toEqual([{ topic: "0a1b2c3d4e5f.geo", partition: 0, currentOffset: 10, logEndOffset: 90, lag: 80, consumerId: undefined }]);
  });

  it("reports a group that does not exist", async () => {
    const description = await readConsumerGroup(new LocalHost(), paths, BROKERS, "connect-never-ran");
    expect(description.missing).toBe(true);
    expect(description.positions).toEqual([]);
  });

  it("fails with the tool's own error when the IAM client config is wrong", async () => {
    const broken = join(dir, "plain.properties");
    writeFileSync(broken, "security.protocol=PLAINTEXT\n");
    await expect(readConsumerGroup(new LocalHost(), { ...paths, commandConfig: broken }, BROKERS, GROUP)).rejects.toThrow(
      /exited 1: org\.apache\.kafka\.common\.config\.ConfigException: .*plain\.properties: security\.protocol is 'PLAINTEXT', MSK IAM auth needs 'SASL_SSL'$/,
    );
  });
});
