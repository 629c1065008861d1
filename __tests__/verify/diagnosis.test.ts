/**
 * Naming the hop that holds a gap: `verify` in-process against a real S3 server, with MSK Connect
 * and CloudWatch Logs doubles that check the exact request and answer in the SDK's output types,
 * and the consumer group read through LocalHost with the stand-in Kafka tool.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudWatchLogsClient, FilterLogEventsCommand, type FilterLogEventsCommandOutput } from "@aws-sdk/client-cloudwatch-logs";
import { DescribeConnectorCommand, type DescribeConnectorCommandOutput, KafkaConnectClient } from "@aws-sdk/client-kafkaconnect";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { classpathProfile, clientProperties } from "../../provision/templates";
import { main } from "../../verify/cli";
import { LocalHost } from "../provision/unit/fake-host";
import { REPO_ROOT } from "../support/paths";
import { acceptedEvents, range, runSink } from "../support/sink-simulator";
import { BUCKET, CONNECTOR_ARN, CONNECTOR_NAME, LOG_GROUP, type Scenario, startScenario, TOPICS, USER_ID } from "./harness";

const [PIN] = TOPICS;
const NOW = Date.parse("2026-12-02T10:00:00Z");
const FAILURE = { code: "UNKNOWN", message: "The connector failed. Check the worker logs: org.apache.kafka.connect.errors.ConnectException: Tolerance exceeded in error handler" };
const LOG_LINE = "[Worker-0a1b2c3d4e5f] [2026-12-02 09:58:01,004] ERROR [0a1b2c3d4e5f-connector|task-0] Error encountered in task 0a1b2c3d4e5f-connector-0 (org.apache.kafka.connect.runtime.WorkerSinkTask:612)";

const connectorAnswer = (state: "RUNNING" | "FAILED", stateDescription?: { code: string; message: string }): DescribeConnectorCommandOutput => ({
  $metadata: { httpStatusCode: 200 },
  connectorArn: CONNECTOR_ARN,
  connectorName: CONNECTOR_NAME,
  connectorState: state,
  currentVersion: "K3AEGXETSR30VB",
  kafkaConnectVersion: "3.7.x",
  ...(stateDescription ? { stateDescription } : {}),
});
const logAnswer = (messages: string[]): FilterLogEventsCommandOutput => ({
  $metadata: { httpStatusCode: 200 },
  events: messages.map((message, i) => ({ logStreamName: `${CONNECTOR_NAME}-worker-0`, timestamp: NOW - 60_000 + i, ingestionTime: NOW - 59_000 + i, message, eventId: `3798${i}` })),
  searchedLogStreams: [],
});

let scenario: Scenario;
const kafkaConnect = mockClient(KafkaConnectClient);
const logs = mockClient(CloudWatchLogsClient);
beforeEach(async () => {
  scenario = await startScenario(1);
  kafkaConnect.reset();
  logs.reset();
});
afterEach(async () => {
  await scenario.stop();
});

async function verifyInProcess(args: string[], extra: Partial<Parameters<typeof main>[1]> = {}) {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const code = await main(["--outputs", scenario.outputsFile, "--receipts", scenario.receiptsFile, ...args], {
    cwd: scenario.dir,
    home: scenario.dir,
    env: {},
    stdout: (line) => stdout.push(line),
    stderr: (text) => stderr.push(text),
    stderrIsTTY: false,
    now: () => NOW,
    s3: scenario.s3.client(),
    kafkaConnect: new KafkaConnectClient({ region: "us-east-1" }),
    logs: new CloudWatchLogsClient({ region: "us-east-1" }),
    ...extra,
  });
  return { code, stdout, stderr };
}

const expectTheRealRequests = () => {
  expect(kafkaConnect.commandCalls(DescribeConnectorCommand).map((call) => call.args[0].input)).toEqual([{ connectorArn: CONNECTOR_ARN }]);
  expect(logs.commandCalls(FilterLogEventsCommand).map((call) => call.args[0].input)).toEqual([
    { logGroupName: LOG_GROUP, startTime: NOW - 3_600_000, endTime: NOW, filterPattern: "ERROR", limit: 5, nextToken: undefined },
  ]);
};

describe("hop diagnosis", () => {
  it("the sink stopped and MSK Connect says FAILED: the report names the connector and its reason", async () => {
    const records = [...acceptedEvents(USER_ID, range(0, 300), 1, 100)];
    scenario.receipts(records);
    await runSink(scenario.s3.client(), records, { bucket: BUCKET, flushSize: 50, stopAt: { topic: PIN, partition: 0, offset: 230 } });
    kafkaConnect.on(DescribeConnectorCommand).resolves(connectorAnswer("FAILED", FAILURE));
    logs.on(FilterLogEventsCommand).resolves(logAnswer([LOG_LINE]));

    const run = await verifyInProcess(["--json"]);

    expect(run.code).toBe(1);
    expectTheRealRequests();
    const report = JSON.parse(run.stdout[0] as string);
    expect(report.topics[0].partitions[0].missingRanges).toEqual([[200, 299]]);
    expect(report.gaps).toEqual([{ topic: PIN, partition: 0, firstMissing: 200, line: `acknowledged by the proxy, not consumed: connector ${CONNECTOR_NAME} FAILED: ${FAILURE.code}: ${FAILURE.message}` }]);
    expect(report.diagnosis.connector).toEqual({ name: CONNECTOR_NAME, arn: CONNECTOR_ARN, state: "FAILED", reason: `${FAILURE.code}: ${FAILURE.message}` });
    expect(report.diagnosis.errorLines.lines).toEqual([LOG_LINE]);
    expect(report.diagnosis.consumerGroupUnavailable).toMatch(/^skipped: no SSH identity \(.*\.ssh\/id_ed25519 not found; pass --identity FILE or run ssh-agent/);
  });

  it("AWS refuses DescribeConnector: the report says why the state is unknown", async () => {
    const records = [...acceptedEvents(USER_ID, range(0, 100), 1, 100)];
    scenario.receipts(records);
    await runSink(scenario.s3.client(), records, { bucket: BUCKET, flushSize: 50, stopAt: { topic: PIN, partition: 0, offset: 50 } });
    kafkaConnect.on(DescribeConnectorCommand).rejects(Object.assign(new Error("User is not authorized to perform: kafkaconnect:DescribeConnector"), { name: "ForbiddenException" }));
    logs.on(FilterLogEventsCommand).resolves(logAnswer([]));

    const run = await verifyInProcess([]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain(`connector: ${CONNECTOR_NAME}: state unknown (ForbiddenException: User is not authorized to perform: kafkaconnect:DescribeConnector)`);
    expect(run.stdout.find((line) => line.startsWith(`missing: ${PIN} partition 0: offsets 50-99`))).toMatch(/not in the bucket yet: connector \S+ \(state unknown\), no ERROR line/);
  });

  describe("with the consumer group read on the client host", () => {
    let hostDir: string;
    beforeEach(() => {
      hostDir = mkdtempSync(join(tmpdir(), "verify-host-"));
      mkdirSync(join(hostDir, "bin"));
      writeFileSync(join(hostDir, "bin", "java"), "#!/bin/sh\n", { mode: 0o755 });
      writeFileSync(join(hostDir, "aws-msk-iam-auth-2.3.6-all.jar"), "");
      writeFileSync(join(hostDir, "kafka-client.sh"), classpathProfile({ jar: join(hostDir, "aws-msk-iam-auth-2.3.6-all.jar"), kafkaBin: join(hostDir, "bin") }));
      writeFileSync(join(hostDir, "client.properties"), clientProperties({ roleArn: `arn:aws:iam::123456789012:role/${USER_ID}-ec2-access-role`, region: "us-east-1" }));
      mkdirSync(join(hostDir, "groups"));
      writeFileSync(join(scenario.dir, "id_test"), "not used by LocalHost\n");
      process.env.FAKE_MSK_STATE_DIR = hostDir;
    });
    afterEach(() => {
      delete process.env.FAKE_MSK_STATE_DIR;
      rmSync(hostDir, { recursive: true, force: true });
    });

    it("the group consumed past a skipped range: consumed up to offset X, not written: <log line>", async () => {
      const records = [...acceptedEvents(USER_ID, range(0, 300), 1, 100)];
      scenario.receipts(records);
      await runSink(scenario.s3.client(), records, { bucket: BUCKET, flushSize: 50, skip: { topic: PIN, partition: 0, from: 120, to: 124 }, flushPartial: false });
      writeFileSync(join(hostDir, "groups", `connect-${CONNECTOR_NAME}.json`), JSON.stringify({ members: true, partitions: [{ topic: PIN, partition: 0, current: 255, logEnd: 300 }] }));
      kafkaConnect.on(DescribeConnectorCommand).resolves(connectorAnswer("RUNNING"));
      logs.on(FilterLogEventsCommand).resolves(logAnswer([LOG_LINE]));
      const hosts: LocalHost[] = [];
      const targets: unknown[] = [];

      const run = await verifyInProcess(["--json", "--identity", "id_test", "--host", "127.0.0.1", "--port", "2222"], {
        openHost: async (target) => {
          targets.push(target);
          const host = new LocalHost();
          hosts.push(host);
          return host;
        },
        toolPaths: { profile: join(hostDir, "kafka-client.sh"), tool: join(REPO_ROOT, "__tests__/support/stand-ins/kafka/bin/kafka-consumer-groups.sh"), commandConfig: join(hostDir, "client.properties") },
      });

      expect(run.code).toBe(1);
      expectTheRealRequests();
      expect(targets).toEqual([expect.objectContaining({ host: "127.0.0.1", port: 2222, user: "ec2-user", identityFile: join(scenario.dir, "id_test"), knownHostsFile: join(scenario.dir, ".provision/known_hosts") })]);
      expect(hosts.map((h) => h.roundTrips)).toEqual([1]);
      const report = JSON.parse(run.stdout[0] as string);
      expect(report.gaps).toEqual([{ topic: PIN, partition: 0, firstMissing: 120, line: `consumed up to offset 254, not written: ${LOG_LINE}` }]);
      // the open file (offsets 255-299, below flush.size) is not written yet either
      expect(report.topics[0].partitions[0].missingRanges).toEqual([[120, 124], [255, 299]]);
    });

    it("the group has not reached the gap: acknowledged by the proxy, not consumed", async () => {
      const records = [...acceptedEvents(USER_ID, range(0, 100), 1, 100)];
      scenario.receipts(records);
      await runSink(scenario.s3.client(), records.filter((r) => r.offset < 50), { bucket: BUCKET, flushSize: 50 });
      writeFileSync(join(hostDir, "groups", `connect-${CONNECTOR_NAME}.json`), JSON.stringify({ members: true, partitions: [{ topic: PIN, partition: 0, current: 50, logEnd: 100 }] }));
      kafkaConnect.on(DescribeConnectorCommand).resolves(connectorAnswer("RUNNING"));
      logs.on(FilterLogEventsCommand).resolves(logAnswer([]));

      const run = await verifyInProcess(["--identity", "id_test"], {
        openHost: async () => new LocalHost(),
        toolPaths: { profile: join(hostDir, "kafka-client.sh"), tool: join(REPO_ROOT, "__tests__/support/stand-ins/kafka/bin/kafka-consumer-groups.sh"), commandConfig: join(hostDir, "client.properties") },
      });

      expect(run.code).toBe(1);
      expect(run.stdout).toContain(
        `missing: ${PIN} partition 0: offsets 50-99 (50 records): acknowledged by the proxy, not consumed: connector ${CONNECTOR_NAME} RUNNING, group connect-${CONNECTOR_NAME} is at offset 50, lag 50`,
      );
    });
  });
});
