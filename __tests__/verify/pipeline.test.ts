/**
 * The whole delivery path on this machine, every hop a real program but the two that cannot exist
 * here: MariaDB → `emulate run` (the real CLI, writing receipts) → the Kafka REST v2 double (real
 * partitions and offsets, injected faults, so retries and lost answers happen) → the S3 sink
 * simulator (what Kafka held, in the sink's key layout) → s3rver → `verify` (the real CLI).
 */
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { writeFileSync } from "node:fs";
import { readReceipts } from "../../lib/receipts";
import { runCli as runEmulate, startSeededDb } from "../emulation/cli-harness";
import { type KafkaRestDouble, startKafkaRestDouble } from "../emulation/kafka-rest-double";
import type { MariaDb } from "../support/mariadb";
import { type AcceptedRecord, runSink } from "../support/sink-simulator";
import { BUCKET, runVerifyCli, type Scenario, startScenario, TOPICS, USER_ID } from "./harness";

const PARTITIONS = 3;
const EVENTS = 400;

let db: MariaDb;
let rest: KafkaRestDouble;
let receiptsFile: string;
/** What the double wrote to its partitions: what the sink would find in Kafka, acknowledged or not. */
let written: AcceptedRecord[];
let acknowledged: number;

beforeAll(async () => {
  const seeded = await startSeededDb(1000);
  db = seeded.db;
  const creds = seeded.creds;

  // one request in ten fails (500) or loses its answer after the write: retries and duplicates happen
  rest = await startKafkaRestDouble({ topics: TOPICS, partitions: PARTITIONS, faults: { requestFaultRate: 0.1, kinds: { status500: 1, lostResponse: 1 } }, seed: 7 });
  const outputs = join(db.dir, "emulator-outputs.json");
  writeFileSync(outputs, JSON.stringify({ pipeline: { invoke_url: rest.url, api_auth: "none", region: "us-east-1", user_id: USER_ID, topics: [...TOPICS] } }));
  receiptsFile = join(db.dir, "receipts.ndjson");
  const run = await runEmulate(["run", "--outputs", outputs, "--creds", creds, "--count", String(EVENTS), "--batch", "40", "--receipts", receiptsFile, "--dead-letter", join(db.dir, "dead.ndjson"), "--json"], 90_000);
  expect(run.code, run.stderr).toBe(0);
  acknowledged = (JSON.parse(run.stdout.trim().split("\n").at(-1) as string) as { acknowledged: number }).acknowledged;
  written = rest.records.map((record) => ({ topic: record.topic, partition: record.partition, offset: record.offset, value: JSON.stringify(record.value) }));
}, 180_000);

afterAll(async () => {
  await rest?.close();
  await db?.stop();
});

let scenario: Scenario;
beforeEach(async () => {
  scenario = await startScenario(PARTITIONS);
});
afterEach(async () => {
  await scenario.stop();
});

const verifyJson = async () => {
  const run = await runVerifyCli(scenario, ["--outputs", scenario.outputsFile, "--receipts", receiptsFile, "--json"]);
  return { code: run.code, report: JSON.parse(run.stdout) as Record<string, any> };
};

describe("emulate → REST double → sink → S3 → verify", () => {
  it("the emulator's receipts cover every acknowledged record, spread over the partitions, with the lost answers' writes on top", async () => {
    let receipted = 0;
    const partitions = new Set<string>();
    for await (const range of readReceipts(receiptsFile)) {
      receipted += range.events.length;
      partitions.add(`${range.topic}/${range.partition}`);
    }
    expect(acknowledged).toBeGreaterThanOrEqual(3 * EVENTS);
    expect(receipted).toBe(acknowledged);
    expect(partitions.size).toBe(TOPICS.length * PARTITIONS);
    // a lost answer means Kafka holds records no receipt names: the retry's copy is the receipted one
    expect(written.length).toBeGreaterThan(acknowledged);
  });

  it("every acknowledged record is in S3: verify exits 0 and counts them all as delivered", async () => {
    await runSink(scenario.s3.client(), written, { bucket: BUCKET, flushSize: 50 });
    const { code, report } = await verifyJson();
    expect(report.verdict).toBe("delivered");
    expect(code).toBe(0);
    expect(report.totals.acknowledged).toBe(acknowledged);
    expect(report.totals.delivered).toBe(acknowledged);
    expect(report.totals.missing).toBe(0);
  });

  it("the sink drops a range on one partition: verify exits 1 and names exactly the acknowledged offsets in it", async () => {
    const [topic] = TOPICS;
    const inPartition = written.filter((r) => r.topic === topic && r.partition === 1).map((r) => r.offset);
    const from = inPartition[10];
    const to = inPartition[24];
    await runSink(scenario.s3.client(), written, { bucket: BUCKET, flushSize: 50, skip: { topic, partition: 1, from, to } });
    const receiptedOffsets: number[] = [];
    for await (const range of readReceipts(receiptsFile)) {
      if (range.topic !== topic || range.partition !== 1) continue;
      range.events.forEach((_, i) => {
        if (range.offset + i >= from && range.offset + i <= to) receiptedOffsets.push(range.offset + i);
      });
    }
    const receiptedInSpan = receiptedOffsets.length;
    expect(receiptedInSpan).toBeGreaterThan(0);
    // the acknowledged offsets of the span as [first, last] runs of consecutive offsets
    const expectedRanges: [number, number][] = [];
    for (const offset of receiptedOffsets.sort((a, b) => a - b)) {
      const last = expectedRanges.at(-1);
      if (last && last[1] === offset - 1) last[1] = offset;
      else expectedRanges.push([offset, offset]);
    }

    const { code, report } = await verifyJson();
    expect(code).toBe(1);
    expect(report.verdict).toBe("missing");
    expect(report.totals.missing).toBe(receiptedInSpan);
    const partition = (report.topics as any[]).find((t) => t.topic === topic).partitions.find((p: any) => p.partition === 1);
    expect(partition.missing).toBe(receiptedInSpan);
    expect(partition.missingRanges).toEqual(expectedRanges);
  });
});
