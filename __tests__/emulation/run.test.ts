/** `emulate run` end to end: real MariaDB seeded by seed-db, the real CLI, a Kafka REST v2 double that enforces the contract. */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EmulationSummary } from "../../emulation/emulator";
import { eventOrder } from "../../emulation/flow";
import { generateEvent } from "../../emulation/rows";
import { contentHash, isSampled, readReceipts, type ReceiptRange } from "../../lib/receipts";
import type { MariaDb } from "../support/mariadb";
import { startKafkaRestDouble, type KafkaRestDouble, type KafkaRestDoubleOptions } from "./kafka-rest-double";
import { lines, runCli, startSeededDb } from "./cli-harness";

const ROWS = 3000;
const SEED = 100;
const TOPICS = ["abc.pin", "abc.geo", "abc.user"] as const;

let db: MariaDb;
let creds: string;
let rest: KafkaRestDouble | undefined;

beforeAll(async () => {
  ({ db, creds } = await startSeededDb(ROWS, SEED));
});

afterEach(async () => {
  await rest?.close();
  rest = undefined;
});

afterAll(async () => {
  await db?.stop();
});

async function startRest(options: Partial<KafkaRestDoubleOptions> = {}): Promise<{ rest: KafkaRestDouble; outputs: string }> {
  rest = await startKafkaRestDouble({ topics: TOPICS, ...options });
  const outputs = join(db.dir, `outputs-${rest.port}.json`);
  writeFileSync(outputs, JSON.stringify({ pipeline: { invoke_url: rest.url, api_auth: "none", region: "us-east-1", user_id: "abc", topics: [...TOPICS] } }));
  return { rest, outputs };
}

/** The first `count` event ids the emulator posts with `seed` (ids 0..ROWS-1 exist in every table). */
function expectedIds(count: number, seed: number): number[] {
  const order = eventOrder(Array.from({ length: ROWS }, (_, i) => i), seed);
  return Array.from({ length: count }, () => order.next().value as number);
}

const keyOf = (topic: string, value: Record<string, unknown>) => Number(topic.endsWith(".pin") ? value.index : value.ind);

describe("emulate run", () => {
  it("N events become exactly N pin, N geo and N user records with matching ids and JSON types", { timeout: 60_000 }, async () => {
    const { rest, outputs } = await startRest();
    const result = await runCli(["run", "--outputs", outputs, "--creds", creds, "--count", "500", "--batch", "64", "--concurrency", "4", "--seed", "9", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const summary = JSON.parse(lines(result.stdout).at(-1) as string) as EmulationSummary;
    expect(summary).toMatchObject({ events: 500, sent: 1500, acknowledged: 1500, failed: 0, retried: 0 });
    expect(rest.requests.rejected).toBe(0);
    const ids = expectedIds(500, 9);
    for (const topic of TOPICS) {
      const received = rest.records.filter((record) => record.topic === topic);
      expect(received).toHaveLength(500);
      expect(received.map((record) => keyOf(topic, record.value)).sort((a, b) => a - b)).toEqual([...ids].sort((a, b) => a - b));
    }
    for (const { topic, value } of rest.records) {
      const event = generateEvent(SEED, keyOf(topic, value));
      // the posted value is the database row, unchanged: numbers stay numbers, datetimes are YYYY-MM-DD HH:MM:SS
      if (topic === "abc.pin") {
        expect(value).toEqual(event.pin);
        expect(typeof value.index).toBe("number");
        expect(typeof value.follower_count).toBe("string");
        expect(typeof value.downloaded).toBe("number");
      } else if (topic === "abc.geo") {
        expect(value).toEqual(event.geo);
        expect(value.timestamp).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        expect(typeof value.latitude).toBe("number");
      } else {
        expect(value).toEqual(event.user);
        expect(value.date_joined).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
        expect(typeof value.age).toBe("number");
      }
    }
  });

  it("under 30 % injected faults every record is acknowledged or dead-lettered, none lost", { timeout: 60_000 }, async () => {
    const { rest, outputs } = await startRest({ faults: { requestFaultRate: 0.3, recordErrorRate: 0.05, slowMs: 400 }, seed: 3 });
    const deadLetter = join(db.dir, "faults-dead.ndjson");
    const count = 2000;
    // one retry only: a job fails twice in a row about once in ten (~20 of 240 jobs), so dead letters reliably occur
    const result = await runCli(["run", "--outputs", outputs, "--creds", creds, "--count", String(count), "--batch", "25", "--concurrency", "8", "--timeout-ms", "250", "--max-retries", "1", "--seed", "5", "--dead-letter", deadLetter, "--json"]);
    const summary = JSON.parse(lines(result.stdout).at(-1) as string) as EmulationSummary;
    const faults = Object.values(rest.requests.faults).reduce((a, b) => a + b, 0);
    expect(faults / rest.requests.total).toBeGreaterThan(0.2);
    expect(Object.values(rest.requests.faults).every((n) => n > 0)).toBe(true);
    expect(rest.requests.rejected).toBe(0);

    const written = new Map<string, number>();
    for (const { topic, value } of rest.records) written.set(`${topic}#${keyOf(topic, value)}`, (written.get(`${topic}#${keyOf(topic, value)}`) ?? 0) + 1);
    expect(summary.failed).toBeGreaterThan(0);
    const deadLines = lines(readFileSync(deadLetter, "utf8")).map((line) => JSON.parse(line) as { topic: string; event: number; reason: string; attempts: number; value: Record<string, unknown> });
    expect(deadLines).toHaveLength(summary.failed);
    expect(deadLines.length).toBeGreaterThan(0);
    // every reason is one of the faults the double injects, given up after the first try and the one retry
    const REASON = /^(HTTP 500: Internal Server Error|HTTP 429: Too Many Requests|no answer within 250 ms|error_code 2: This server is not the leader for that topic-partition\.|(response aborted: )?[A-Z]+ \([^)]+\)|socket hang up) \(gave up after 2 attempts\)$/;
    for (const dead of deadLines) {
      expect(Object.keys(dead)).toEqual(["topic", "event", "reason", "attempts", "value"]);
      expect(TOPICS).toContain(dead.topic);
      expect(dead.attempts).toBe(2);
      expect(dead.reason).toMatch(REASON);
      expect(keyOf(dead.topic, dead.value)).toBe(dead.event);
      expect(dead.value).toEqual(generateEvent(SEED, dead.event)[dead.topic.split(".")[1] as "pin" | "geo" | "user"]);
    }
    const expected = new Set(expectedIds(count, 5).flatMap((id) => TOPICS.map((topic) => `${topic}#${id}`)));
    const delivered = new Set([...written.keys(), ...deadLines.map((dead) => `${dead.topic}#${dead.event}`)]);
    const lost = [...expected].filter((key) => !delivered.has(key));
    const unexpected = [...delivered].filter((key) => !expected.has(key));
    expect(lost).toEqual([]);
    expect(unexpected).toEqual([]);
    expect(summary.acknowledged + summary.failed).toBe(3 * count);
    expect(result.code).toBe(1);
    // at-least-once: lost answers and timeouts duplicate records, and the client counted every one as suspect
    const duplicates = [...written.values()].reduce((sum, n) => sum + n - 1, 0);
    expect(duplicates).toBeGreaterThan(0);
    expect(duplicates).toBeLessThanOrEqual(summary.duplicatesSuspected);
    console.log(`faults: ${JSON.stringify(rest.requests)}; acknowledged ${summary.acknowledged}, dead-lettered ${summary.failed}, retried ${summary.retried}, duplicates at the server ${duplicates} (suspected ${summary.duplicatesSuspected})`);
  });

  it("receipts reconstruct exactly the double's acknowledged (topic, partition, offset, event) set, under faults with retries", { timeout: 60_000 }, async () => {
    // no slow answers: a client timeout racing the double's answer would make "acknowledged" a matter of luck
    const { rest } = await startRest({ partitions: 3, faults: { requestFaultRate: 0.3, recordErrorRate: 0.05, kinds: { status500: 1, status429: 1, drop: 1, lostResponse: 2 } }, seed: 8 });
    const receipts = join(db.dir, "faults-receipts.ndjson");
    const deadLetter = join(db.dir, "receipts-dead.ndjson");
    const count = 1500;
    const result = await runCli(["run", "--url", rest.url, "--user-id", "abc", "--creds", creds, "--count", String(count), "--batch", "25", "--concurrency", "8", "--max-retries", "6", "--seed", "5", "--receipts", receipts, "--dead-letter", deadLetter, "--json"]);
    const summary = JSON.parse(lines(result.stdout).at(-1) as string) as EmulationSummary;
    expect(summary.receiptsPath).toBe(receipts);
    expect(summary.retried).toBeGreaterThan(0);

    const rawLines = lines(readFileSync(receipts, "utf8"));
    expect(rawLines.length).toBeGreaterThan(0);
    for (const line of rawLines) {
      const keys = Object.keys(JSON.parse(line) as object);
      expect([["topic", "partition", "offset", "events"], ["topic", "partition", "offset", "events", "sample"]]).toContainEqual(keys);
    }
    const ranges: ReceiptRange[] = [];
    for await (const range of readReceipts(receipts)) ranges.push(range);
    expect(ranges).toHaveLength(rawLines.length);

    const at = (topic: string, partition: number, offset: number) => `${topic}/${partition}/${offset}`;
    const fromReceipts = ranges.flatMap((range) => range.events.map((event, i) => `${at(range.topic, range.partition, range.offset + i)}#${event}`));
    const fromDouble = rest.acknowledged.map((record) => `${at(record.topic, record.partition, record.offset)}#${keyOf(record.topic, record.value)}`);
    expect(fromReceipts).toHaveLength(summary.acknowledged);
    expect(new Set(fromReceipts).size).toBe(fromReceipts.length);
    expect([...fromReceipts].sort()).toEqual([...fromDouble].sort());
    expect(new Set(ranges.map((range) => range.partition))).toEqual(new Set([0, 1, 2]));

    // at-least-once: a lost answer's records were written but not acknowledged; their retries were, at new offsets
    const acknowledgedAt = new Set(rest.acknowledged.map((record) => at(record.topic, record.partition, record.offset)));
    const writtenNotAcknowledged = rest.records.filter((record) => !acknowledgedAt.has(at(record.topic, record.partition, record.offset)));
    expect(writtenNotAcknowledged.length).toBeGreaterThan(0);
    const deadLines = summary.failed > 0 ? lines(readFileSync(deadLetter, "utf8")).map((line) => JSON.parse(line) as { topic: string; event: number }) : [];
    const delivered = new Set([...ranges.flatMap((range) => range.events.map((event) => `${range.topic}#${event}`)), ...deadLines.map((dead) => `${dead.topic}#${dead.event}`)]);
    const expected = expectedIds(count, 5).flatMap((id) => TOPICS.map((topic) => `${topic}#${id}`));
    expect(expected.filter((key) => !delivered.has(key))).toEqual([]);
    expect(writtenNotAcknowledged.map((record) => `${record.topic}#${keyOf(record.topic, record.value)}`).filter((key) => !delivered.has(key))).toEqual([]);

    // sampled records carry the content hash of what the double stored at that offset
    const valueAt = new Map(rest.acknowledged.map((record) => [at(record.topic, record.partition, record.offset), record.value]));
    const samples = ranges.flatMap((range) => (range.sample ?? []).map(([offset, hash]) => ({ key: at(range.topic, range.partition, offset), hash })));
    expect(samples).toHaveLength(ranges.reduce((n, range) => n + range.events.filter(isSampled).length, 0));
    expect(samples.length).toBeGreaterThan(0);
    for (const { key, hash } of samples) expect(contentHash(JSON.stringify(valueAt.get(key)))).toBe(hash);
  });

  it("dead letters are appended across runs, and redrive re-posts them with retries and receipts, failures going to a fresh file", { timeout: 90_000 }, async () => {
    const DEAD_LETTER_KEYS = ["topic", "event", "reason", "attempts", "value"];
    const readDead = (path: string) => lines(readFileSync(path, "utf8")).map((line) => JSON.parse(line) as { topic: string; event: number; reason: string; attempts: number; value: Record<string, unknown> });
    const deadLetter = join(db.dir, "redrive-input.ndjson");
    // no retries against a failing API: every failed request's records are dead-lettered
    const failing = await startRest({ faults: { requestFaultRate: 0.5, kinds: { status500: 1, status429: 1 } }, seed: 11 });
    const runFlags = ["--url", failing.rest.url, "--user-id", "abc", "--creds", creds, "--count", "300", "--batch", "20", "--max-retries", "0", "--dead-letter", deadLetter, "--receipts", join(db.dir, "redrive-run.ndjson"), "--json"];
    const first = JSON.parse(lines((await runCli(["run", ...runFlags, "--seed", "1"])).stdout).at(-1) as string) as EmulationSummary;
    const second = JSON.parse(lines((await runCli(["run", ...runFlags, "--seed", "2"])).stdout).at(-1) as string) as EmulationSummary;
    expect(first.failed).toBeGreaterThan(0);
    expect(second.failed).toBeGreaterThan(0);
    const dead = readDead(deadLetter);
    // the second run appended; nothing of the first was lost
    expect(dead).toHaveLength(first.failed + second.failed);
    for (const line of lines(readFileSync(deadLetter, "utf8"))) expect(Object.keys(JSON.parse(line) as object)).toEqual(DEAD_LETTER_KEYS);
    for (const record of dead) expect(record.value).toEqual(generateEvent(SEED, record.event)[record.topic.split(".")[1] as "pin" | "geo" | "user"]);
    await failing.rest.close();
    const inputBytes = readFileSync(deadLetter, "utf8");

    // redrive through a healthy API: every dead letter acknowledged, with receipts, the input untouched
    const healthy = await startRest({ partitions: 2 });
    const receipts = join(db.dir, "redrive-receipts.ndjson");
    const redriven = await runCli(["redrive", "--dead-letter", deadLetter, "--url", healthy.rest.url, "--receipts", receipts, "--batch", "7", "--json"]);
    expect(redriven.code, redriven.stderr).toBe(0);
    const summary = JSON.parse(lines(redriven.stdout).at(-1) as string) as EmulationSummary;
    expect(summary).toMatchObject({ events: dead.length, sent: dead.length, acknowledged: dead.length, failed: 0, receiptsPath: receipts });
    expect(summary.deadLetterPath).toBeUndefined();
    const posted = healthy.rest.acknowledged.map((record) => `${record.topic}#${keyOf(record.topic, record.value)}`).sort();
    expect(posted).toEqual(dead.map((record) => `${record.topic}#${record.event}`).sort());
    for (const record of healthy.rest.acknowledged) expect(record.value).toEqual(generateEvent(SEED, keyOf(record.topic, record.value))[record.topic.split(".")[1] as "pin" | "geo" | "user"]);
    const receipted: string[] = [];
    for await (const range of readReceipts(receipts)) range.events.forEach((event, i) => receipted.push(`${range.topic}/${range.partition}/${range.offset + i}#${event}`));
    expect(receipted.sort()).toEqual(healthy.rest.acknowledged.map((record) => `${record.topic}/${record.partition}/${record.offset}#${keyOf(record.topic, record.value)}`).sort());
    expect(readFileSync(deadLetter, "utf8")).toBe(inputBytes);
    await healthy.rest.close();

    // redrive through a failing API: what fails again goes to a fresh file next to the input
    const flaky = await startRest({ faults: { requestFaultRate: 0.5, kinds: { status500: 1 } }, seed: 12 });
    const again = await runCli(["redrive", "--dead-letter", deadLetter, "--url", flaky.rest.url, "--receipts", join(db.dir, "redrive-receipts-2.ndjson"), "--batch", "5", "--max-retries", "1", "--json"]);
    const againSummary = JSON.parse(lines(again.stdout).at(-1) as string) as EmulationSummary;
    expect(againSummary.failed).toBeGreaterThan(0);
    expect(again.code).toBe(1);
    expect(againSummary.acknowledged + againSummary.failed).toBe(dead.length);
    expect(againSummary.deadLetterPath).toMatch(new RegExp(`^${join(db.dir, "redrive-input")}\\.redrive-\\d{8}T\\d{6}\\.\\d{3}Z\\.ndjson$`));
    const failedAgain = readDead(againSummary.deadLetterPath as string);
    expect(failedAgain).toHaveLength(againSummary.failed);
    for (const line of lines(readFileSync(againSummary.deadLetterPath as string, "utf8"))) expect(Object.keys(JSON.parse(line) as object)).toEqual(DEAD_LETTER_KEYS);
    for (const record of failedAgain) {
      expect(record.attempts).toBe(2);
      expect(record.reason).toBe("HTTP 500: Internal Server Error (gave up after 2 attempts)");
    }
    expect(readFileSync(deadLetter, "utf8")).toBe(inputBytes);
    await flaky.rest.close();

    // a redrive stopped by a fatal answer keeps every record it read in its new dead-letter file, sent or not
    const refusing = await startRest({ auth: { mode: "api-key", apiKey: "the-right-key" } });
    const stopped = await runCli(["redrive", "--dead-letter", deadLetter, "--url", refusing.rest.url, "--receipts", join(db.dir, "redrive-receipts-3.ndjson"), "--batch", "5", "--concurrency", "1", "--json"]);
    const stoppedSummary = JSON.parse(lines(stopped.stdout).at(-1) as string) as EmulationSummary;
    expect(stopped.code).toBe(1);
    expect(stoppedSummary.fatal).toContain("answered 403: Forbidden");
    expect(refusing.rest.requests.total).toBe(1);
    const kept = readDead(stoppedSummary.deadLetterPath as string);
    expect(kept.map((record) => `${record.topic}#${record.event}`).sort()).toEqual(dead.map((record) => `${record.topic}#${record.event}`).sort());
    expect(kept.filter((record) => record.attempts === 0).length).toBe(dead.length - 5);
    expect(readFileSync(deadLetter, "utf8")).toBe(inputBytes);
  });

  it("--rate holds within 5 % over 10 s, measured at the server", { timeout: 60_000 }, async () => {
    const { rest, outputs } = await startRest();
    const rate = 150;
    const result = await runCli(["run", "--outputs", outputs, "--creds", creds, "--rate", String(rate), "--duration", "10", "--json"]);
    expect(result.code, result.stderr).toBe(0);
    const arrivals = rest.records.filter((record) => record.topic === "abc.pin").map((record) => record.at);
    const seconds = ((arrivals.at(-1) as number) - (arrivals[0] as number)) / 1000;
    // events after the first chunk, over the time from the first to the last arrival
    const firstChunk = arrivals.filter((at) => at === arrivals[0]).length;
    const measured = (arrivals.length - firstChunk) / seconds;
    console.log(`rate: asked ${rate} events/s, measured ${measured.toFixed(1)} events/s over ${seconds.toFixed(2)} s (${arrivals.length} events)`);
    expect(seconds).toBeGreaterThan(9);
    expect(Math.abs(measured - rate) / rate).toBeLessThan(0.05);
    expect(Math.abs(arrivals.length - rate * 10) / (rate * 10)).toBeLessThan(0.05);
  });

  it("--dry-run prints the requests and sends nothing", { timeout: 60_000 }, async () => {
    const { rest, outputs } = await startRest();
    const result = await runCli(["run", "--outputs", outputs, "--creds", creds, "--dry-run", "--batch", "2", "--seed", "9"]);
    expect(result.code, result.stderr).toBe(0);
    const [first, second] = expectedIds(2, 9);
    expect(result.stdout).toContain(`POST ${rest.url}/topics/abc.pin\nContent-Type: application/vnd.kafka.json.v2+json\nAccept: application/vnd.kafka.v2+json\n`);
    expect(result.stdout).toContain(`POST ${rest.url}/topics/abc.user\n`);
    const geoBody = lines(result.stdout).find((line) => line.startsWith('{"records":[{"value":{"ind"') && line.includes('"timestamp"')) as string;
    expect(JSON.parse(geoBody)).toEqual({ records: [{ value: generateEvent(SEED, first as number).geo }, { value: generateEvent(SEED, second as number).geo }] });
    expect(rest.requests.total).toBe(0);
  });
});
