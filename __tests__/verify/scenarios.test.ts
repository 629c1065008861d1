/**
 * End-to-end scenarios: the sink simulator writes into a real S3 API server, the emulator's
 * receipts are written with lib/receipts.ts, and `verify` runs as a child process with
 * AWS_ENDPOINT_URL_S3 pointing at the server (its only reachable AWS endpoint).
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import { acceptedEvents, type AcceptedRecord, eventValue, range, runSink } from "../support/sink-simulator";
import { BUCKET, ownStderr, runVerifyCli, type Scenario, startScenario, TOPICS, USER_ID } from "./harness";

const [PIN, GEO] = TOPICS;

let scenario: Scenario;
beforeEach(async () => {
  scenario = await startScenario(2);
});
afterEach(async () => {
  await scenario.stop();
});

const verifyJson = async (extra: string[] = []) => {
  const run = await runVerifyCli(scenario, ["--outputs", scenario.outputsFile, "--receipts", scenario.receiptsFile, "--json", ...extra]);
  return { ...run, report: JSON.parse(run.stdout) as Record<string, any> };
};
const partitionOf = (report: Record<string, any>, topic: string, partition: number) =>
  (report.topics as any[]).find((t) => t.topic === topic).partitions.find((p: any) => p.partition === partition);

describe("verify against a local S3 server", () => {
  it("all delivered: exit 0 and the table says so", async () => {
    const records = [...acceptedEvents(USER_ID, range(0, 600), 2, 100)];
    scenario.receipts(records);
    await runSink(scenario.s3.client(), records, { bucket: BUCKET, flushSize: 40 });

    const run = await runVerifyCli(scenario, ["--outputs", scenario.outputsFile, "--receipts", scenario.receiptsFile]);

    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^topic\s+partition\s+acknowledged\s+delivered\s+missing/);
    expect(lines).toHaveLength(1 + 3 * 2 + 1);
    expect(lines.at(-1)).toBe(`DELIVERED: all 1,800 acknowledged records are in s3://${BUCKET}`);
    expect(ownStderr(run.stderr)).toEqual([]);
  });

  it("the sink skips a range on one partition: exit 1 naming exactly that range", async () => {
    const records = [...acceptedEvents(USER_ID, range(0, 600), 2, 100)];
    scenario.receipts(records);
    await runSink(scenario.s3.client(), records, { bucket: BUCKET, flushSize: 40, skip: { topic: GEO, partition: 1, from: 57, to: 81 } });

    const { code, report } = await verifyJson();

    expect(code).toBe(1);
    expect(report.verdict).toBe("missing");
    expect(report.totals.missing).toBe(25);
    expect(partitionOf(report, GEO, 1).missingRanges).toEqual([[57, 81]]);
    for (const [topic, partition] of [[PIN, 0], [PIN, 1], [GEO, 0]] as const) expect(partitionOf(report, topic, partition).missing).toBe(0);
    // the files after the gap hold flush.size records each, so nothing after it counts as missing
    expect(partitionOf(report, GEO, 1).delivered).toBe(300 - 25);
    expect(report.gaps).toEqual([{ topic: GEO, partition: 1, firstMissing: 57, line: expect.stringMatching(/^consumed \(the sink wrote up to offset 299\), not written: /) }]);

    const table = await runVerifyCli(scenario, ["--outputs", scenario.outputsFile, "--receipts", scenario.receiptsFile]);
    expect(table.code).toBe(1);
    expect(table.stdout).toContain(`missing: ${GEO} partition 1: offsets 57-81 (25 records)`);
  });

  it("retried duplicates are reported and not counted as missing", async () => {
    // events 5..9 were posted twice (a retry after a lost answer): acknowledged at two offsets
    const first = [...acceptedEvents(USER_ID, range(0, 100), 1, 100)];
    const retried: AcceptedRecord[] = range(5, 5).map((event, i) => ({ topic: PIN, partition: 0, offset: 100 + i, value: eventValue("pin", event) }));
    const records = [...first, ...retried];
    scenario.receipts(records);
    // the sink never wrote the first copies (offsets 5-9), and rewrote offsets 30-39 in an extra file after a restart
    await runSink(scenario.s3.client(), records, { bucket: BUCKET, flushSize: 20, skip: { topic: PIN, partition: 0, from: 5, to: 9 }, duplicate: { topic: PIN, partition: 0, from: 30, to: 39 } });

    const { code, report } = await verifyJson();

    const pin = partitionOf(report, PIN, 0);
    expect(pin.missing).toBe(0);
    expect(pin.deliveredElsewhere).toBe(5);
    expect(pin.duplicateRecords).toBe(10);
    const pinTopic = (report.topics as any[]).find((t) => t.topic === PIN);
    expect(pinTopic.duplicateEvents).toBe(5);
    expect(pinTopic.duplicateExamples[0]).toEqual({ event: 5, at: [{ partition: 0, offset: 5 }, { partition: 0, offset: 100 }] });
    expect(report.verdict).toBe("delivered");
    expect(code).toBe(0);
  });

  it("records in the bucket that no receipt explains are reported", async () => {
    const records = [...acceptedEvents(USER_ID, range(0, 200), 1, 100)];
    // the receipts lost the pin topic's last 20 acknowledgements (say, a killed run)
    scenario.receipts(records.filter((r) => !(r.topic === PIN && r.offset >= 180)));
    await runSink(scenario.s3.client(), records, { bucket: BUCKET, flushSize: 50 });
    await scenario.s3.client().send(new PutObjectCommand({ Bucket: BUCKET, Key: `topics/${PIN}/partition=0/notes.txt`, Body: "x" }));

    const { code, report } = await verifyJson();

    expect(code).toBe(0);
    const pin = partitionOf(report, PIN, 0);
    expect(pin.unexplained).toBe(20);
    expect(pin.unexplainedRanges).toEqual([[180, 199]]);
    expect(report.unparsedKeys).toEqual([{ key: `topics/${PIN}/partition=0/notes.txt`, reason: `file name is not ${PIN}+0+<offset>.json` }]);
  });

  it("a sampled record whose content differs is reported", async () => {
    const records = [...acceptedEvents(USER_ID, range(0, 300), 1, 100)];
    // event 202 (sampled: 202 % 101 === 0) was posted with another title than the one the sink wrote
    const posted = (r: AcceptedRecord) => (r.topic === PIN && r.offset === 202 ? r.value.replace("Pin 202", "Pin 202 edited") : r.value);
    scenario.receipts(records, posted);
    await runSink(scenario.s3.client(), records, { bucket: BUCKET, flushSize: 50 });

    const { code, report } = await verifyJson();

    expect(code).toBe(1);
    expect(report.verdict).toBe("mismatch");
    const pin = partitionOf(report, PIN, 0);
    expect(pin.sampledChecked).toBe(3);
    expect(pin.sampleMismatches).toBe(1);
    expect(pin.mismatchExamples).toEqual([{ offset: 202, expected: expect.stringMatching(/^content [0-9a-f]{16}$/), found: expect.stringMatching(/^content [0-9a-f]{16}$/), key: `topics/${PIN}/partition=0/${PIN}+0+0000000200.json` }]);
  });

  it("--wait succeeds when the sink catches up within the deadline", async () => {
    const records = [...acceptedEvents(USER_ID, range(0, 300), 1, 100)];
    scenario.receipts(records);
    const early = records.filter((r) => r.offset < 200);
    await runSink(scenario.s3.client(), early, { bucket: BUCKET, flushSize: 50 });
    // the sink writes the rest once verify has looked and started waiting
    let caughtUp: Promise<string[]> | undefined;
    const writeRest = (text: string) => {
      if (!caughtUp && text.includes("delivered")) caughtUp = runSink(scenario.s3.client(), records.filter((r) => r.offset >= 200), { bucket: BUCKET, flushSize: 50 });
    };

    const started = Date.now();
    const run = await runVerifyCli(scenario, ["--outputs", scenario.outputsFile, "--receipts", scenario.receiptsFile, "--wait", "40s"], writeRest);
    expect(await caughtUp).toHaveLength(3 * 2);

    expect(run.code).toBe(0);
    expect(Date.now() - started).toBeLessThan(40_000);
    const progress = ownStderr(run.stderr).filter((line) => line.startsWith("verify: "));
    expect(progress.length).toBeGreaterThan(0);
    expect(progress[0]).toMatch(/^verify: 600\/900 delivered \(66\.7%\), \d+ s left$/);
    expect(run.stdout.trim().split("\n").at(-1)).toMatch(/^DELIVERED: all 900 acknowledged records are in s3:\/\/\S+ after \d+ s$/);
  });

  it("--wait gives up at the deadline with exit 1", async () => {
    const records = [...acceptedEvents(USER_ID, range(0, 100), 1, 100)];
    scenario.receipts(records);
    await runSink(scenario.s3.client(), records.filter((r) => r.offset < 50), { bucket: BUCKET, flushSize: 50 });

    const run = await runVerifyCli(scenario, ["--outputs", scenario.outputsFile, "--receipts", scenario.receiptsFile, "--wait", "2s"]);

    expect(run.code).toBe(1);
    expect(run.stdout).toContain("MISSING: 150 of 300 acknowledged records");
  });
});

describe("bad input", () => {
  const cases: [string, string[], RegExp][] = [
    ["an unknown flag", ["--bucket", "x"], /^verify: unknown flag --bucket$/],
    ["a bad duration", ["--receipts", "RECEIPTS", "--wait", "soon"], /^verify: --wait: got "soon", expected a duration up to 24h such as 90s, 5m or 1h$/],
    ["no receipts", [], /^verify: --receipts: missing; pass the receipts file/],
    ["a missing receipts file", ["--outputs", "OUTPUTS", "--receipts", "/nonexistent/receipts.ndjson"], /^verify: --receipts: \/nonexistent\/receipts\.ndjson not found \(pass/],
    ["a missing outputs file", ["--outputs", "/nonexistent/outputs.json", "--receipts", "RECEIPTS"], /^verify: outputs file \/nonexistent\/outputs\.json: not found \(run: npx cdktf deploy/],
  ];
  it.each(cases)("%s: exit 2 with one line", async (_, args, message) => {
    scenario.receipts(acceptedEvents(USER_ID, range(0, 10), 1, 10));
    const run = await runVerifyCli(scenario, args.map((arg) => ({ RECEIPTS: scenario.receiptsFile, OUTPUTS: scenario.outputsFile })[arg] ?? arg));
    expect(run.code).toBe(2);
    expect(run.stdout).toBe("");
    const lines = run.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(message);
  });

  it("a malformed receipts line: exit 2 naming the file and line", async () => {
    scenario.receipts(acceptedEvents(USER_ID, range(0, 10), 1, 10));
    const { appendFileSync } = await import("node:fs");
    appendFileSync(scenario.receiptsFile, '{"topic":"x","partition":-1,"offset":0,"events":[1]}\n{"topic":"x","partition":0,"offset":0,"events":[1]}\n');
    const run = await runVerifyCli(scenario, ["--outputs", scenario.outputsFile, "--receipts", scenario.receiptsFile]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`verify: receipts file ${scenario.receiptsFile}: line 4: partition: Too small: expected number to be >=0`);
  });

  it("--help: exit 0 with the usage", async () => {
    const run = await runVerifyCli(scenario, ["--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Usage: npm run verify -- --receipts FILE\|DIR/);
  });
});
