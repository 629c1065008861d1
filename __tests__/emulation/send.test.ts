/**
 * The emulator's send decisions without a database: the pure retry / stop / abandon decisions of
 * send-queue.ts at their boundaries, and whole runs (runEmulation, redriveDeadLetters) against the
 * Kafka REST double in this process, fed by an in-memory event source. The MariaDB-backed suite
 * (run.test.ts) covers the same flow through the CLI; this one runs anywhere and under mutation testing.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createAuthenticator } from "../../emulation/auth";
import { DeadLetterFile, readDeadLetters, redriveDeadLetterPath } from "../../emulation/dead-letters";
import { describeRequests, redriveDeadLetters, runEmulation, type EmulationOptions, type EventSource } from "../../emulation/emulator";
import { generateEvent, TABLE_ROLES, type TableRole } from "../../emulation/rows";
import { abandonedRecords, failureAction, notRetriedReason, stopReasonForRetry, type PendingRecord } from "../../emulation/send-queue";
import { freePort } from "../support/net";
import { kafkaRestDoublesPerTest } from "./rest-doubles";

const SEED = 11;
const TOPICS: Record<TableRole, string> = { pin: "abc.pin", geo: "abc.geo", user: "abc.user" };
const DEAD_LETTER_KEYS = ["topic", "event", "reason", "attempts", "value"];

const dir = mkdtempSync(join(tmpdir(), "emulation-send-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const startRest = kafkaRestDoublesPerTest(Object.values(TOPICS));

/** Events 1..n from the seeded generator, as the database would return them. */
function memorySource(n: number): EventSource & { fetched: number[][] } {
  const fetched: number[][] = [];
  return {
    ids: Array.from({ length: n }, (_, i) => i + 1),
    fetched,
    async fetch(ids) {
      fetched.push([...ids]);
      return ids.map((id) => {
        const event = generateEvent(SEED, id);
        return { id, pin: JSON.stringify(event.pin), geo: JSON.stringify(event.geo), user: JSON.stringify(event.user) };
      });
    },
  };
}

let runNumber = 0;
function options(invokeUrl: string, overrides: Partial<EmulationOptions> = {}): EmulationOptions {
  runNumber++;
  return {
    targets: { invokeUrl, topics: TOPICS },
    batch: 10,
    concurrency: 4,
    seed: SEED,
    maxRetries: 3,
    timeoutMs: 2000,
    deadLetterPath: join(dir, `dead-${runNumber}.ndjson`),
    receiptsPath: join(dir, `receipts-${runNumber}.ndjson`),
    ...overrides,
  };
}

function deadLetterLines(path: string): Record<string, unknown>[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

const roleOf = (topic: string) => topic.split(".")[1] as TableRole;
/** The event id inside a posted row: `index` in pin rows, `ind` in geo and user rows. */
const eventOf = (topic: string, value: Record<string, unknown>) => Number(roleOf(topic) === "pin" ? value.index : value.ind);


describe("failureAction: retry or dead-letter one failed record", () => {
  it("retries while attempts are at most maxRetries, and gives up one past it", () => {
    expect(failureAction(1, "HTTP 500", 3, undefined)).toEqual({ retry: true });
    expect(failureAction(3, "HTTP 500", 3, undefined)).toEqual({ retry: true });
    expect(failureAction(4, "HTTP 500", 3, undefined)).toEqual({ retry: false, deadLetterReason: "HTTP 500 (gave up after 4 attempts)" });
  });

  it("with --max-retries 0 the first failure is final", () => {
    expect(failureAction(1, "HTTP 429", 0, undefined)).toEqual({ retry: false, deadLetterReason: "HTTP 429 (gave up after 1 attempts)" });
  });

  it("once the run stopped nothing is retried, attempts left or not, and the reason names both causes", () => {
    const expected = { retry: false, deadLetterReason: "HTTP 500; not retried, the run stopped: bad URL" };
    expect(failureAction(1, "HTTP 500", 3, "bad URL")).toEqual(expected);
    expect(notRetriedReason("HTTP 500", "bad URL")).toBe(expected.deadLetterReason);
  });
});

describe("stopReasonForRetry: an unreachable API stops the run only before anything was acknowledged", () => {
  const unreachable = { kind: "retry", reason: "ECONNREFUSED", ambiguous: false, unreachable: true } as const;

  it("stops a run with nothing acknowledged, saying what to check", () => {
    expect(stopReasonForRetry(unreachable, 0)).toBe("cannot reach the API: ECONNREFUSED (check the invoke URL, the network and that the API is deployed; nothing was acknowledged)");
  });

  it("retries once one record was acknowledged (an outage of an API that answered before)", () => {
    expect(stopReasonForRetry(unreachable, 1)).toBeUndefined();
  });

  it("retries reachable faults even when nothing was acknowledged", () => {
    expect(stopReasonForRetry({ kind: "retry", reason: "HTTP 503", ambiguous: true }, 0)).toBeUndefined();
    expect(stopReasonForRetry({ kind: "retry", reason: "HTTP 503", ambiguous: true, unreachable: false }, 0)).toBeUndefined();
  });
});

describe("abandonedRecords: what a stopped run dead-letters from a job it will not send", () => {
  const record = (event: number, attempts: number): PendingRecord => ({ event, json: "{}", attempts });

  it("a run keeps the tried records only: untried ones were never taken from the source", () => {
    const tried = [record(1, 2), record(2, 1)];
    expect(abandonedRecords(tried, false, "HTTP 403")).toEqual({ records: tried, reason: "not retried, the run stopped: HTTP 403" });
    expect(abandonedRecords([record(3, 0), record(4, 0)], false, "HTTP 403").records).toEqual([]);
  });

  it("a redrive keeps untried records too: they came from a dead-letter file and must not vanish", () => {
    const untried = [record(3, 0), record(4, 0)];
    expect(abandonedRecords(untried, true, "interrupted")).toEqual({ records: untried, reason: "not sent, the run stopped: interrupted" });
  });
});

describe("the dead-letter file", () => {
  it("is created only by the first dead letter, appended to, and read back in order as postable JSON", () => {
    const path = join(dir, "dl-roundtrip.ndjson");
    const file = new DeadLetterFile(path);
    expect(existsSync(path)).toBe(false);
    file.write("u.pin", { event: 7, json: '{"index":7,"title":"a \\"b\\""}', attempts: 3 }, "HTTP 500 (gave up after 3 attempts)");
    file.write("u.geo", { event: 8, json: '{"ind":8}', attempts: 1 }, "x");
    file.close();
    new DeadLetterFile(path).close();
    const again = new DeadLetterFile(path);
    again.write("u.user", { event: 9, json: '{"ind":9}', attempts: 2 }, "y");
    again.close();
    expect(readFileSync(path, "utf8").split("\n")).toEqual([
      '{"topic":"u.pin","event":7,"reason":"HTTP 500 (gave up after 3 attempts)","attempts":3,"value":{"index":7,"title":"a \\"b\\""}}',
      '{"topic":"u.geo","event":8,"reason":"x","attempts":1,"value":{"ind":8}}',
      '{"topic":"u.user","event":9,"reason":"y","attempts":2,"value":{"ind":9}}',
      "",
    ]);
    expect(file.written + again.written).toBe(3);
    expect(readDeadLetters(path)).toEqual([
      { topic: "u.pin", event: 7, json: '{"index":7,"title":"a \\"b\\""}' },
      { topic: "u.geo", event: 8, json: '{"ind":8}' },
      { topic: "u.user", event: 9, json: '{"ind":9}' },
    ]);
  });

  it("refuses a file that is missing, or a line that is not JSON or not a dead letter, naming the file and the line", () => {
    const missing = join(dir, "no-such.ndjson");
    expect(() => readDeadLetters(missing)).toThrow(`--dead-letter ${missing}: not found (pass the dead-letter file a run wrote, e.g. --dead-letter dead-letter.ndjson)`);
    const path = join(dir, "dl-bad.ndjson");
    const good = '{"topic":"u.pin","event":1,"reason":"r","attempts":1,"value":{"index":1}}';
    writeFileSync(path, `${good}\n\n{oops\n`);
    expect(() => readDeadLetters(path)).toThrow(`--dead-letter ${path}: line 3 is not JSON (fix or delete the line; dead letters are written by npm run emulate -- run)`);
    writeFileSync(path, `${good}\n${good.replace('"event":1', '"event":-1')}\n`);
    expect(() => readDeadLetters(path)).toThrow(new RegExp(`^--dead-letter ${path}: line 2: event: .* \\(expected \\{"topic","event","reason","attempts","value"\\}\\)$`));
    writeFileSync(path, `${good.replace('"reason":"r",', '')}\n`);
    expect(() => readDeadLetters(path)).toThrow(/: line 1: reason: /);
    writeFileSync(path, `${good.replace("}}", '},"extra":1}')}\n`);
    expect(() => readDeadLetters(path)).toThrow(/: line 1: line: .*extra/);
  });

  it("redrive writes its own failures to a fresh file beside the input, named by the UTC time", () => {
    const now = new Date("2026-12-02T10:11:12.345Z");
    expect(redriveDeadLetterPath("out/dead-letter.ndjson", now)).toBe("out/dead-letter.redrive-20261202T101112.345Z.ndjson");
    expect(redriveDeadLetterPath("dl.txt", now)).toBe("dl.txt.redrive-20261202T101112.345Z.ndjson");
  });
});

describe("whole runs against the REST double, in process", () => {
  it("latency: each request timed from send to answer, so answers held 50 ms read about that (timers may fire a little early) and never more than the run", async () => {
    const rest = await startRest({ faults: { requestFaultRate: 1, kinds: { slow: 1 }, slowMs: 50 } });
    const summary = await runEmulation(memorySource(4), options(rest.url, { count: 4, batch: 2 }));
    expect(summary).toMatchObject({ events: 4, acknowledged: 12, requests: 6 });
    expect(summary.latencyP50Ms).toBeGreaterThanOrEqual(40);
    expect(summary.latencyP99Ms).toBeGreaterThanOrEqual(summary.latencyP50Ms);
    expect(summary.latencyP99Ms).toBeLessThanOrEqual(summary.seconds * 1000);
  });

  it("batching: one request per topic per chunk of --batch events, every record acknowledged once, no dead-letter file", async () => {
    const rest = await startRest();
    const source = memorySource(40);
    const opts = options(rest.url, { count: 95, batch: 10 });
    const summary = await runEmulation(source, opts);
    // 95 events in chunks of 10 → 10 chunks (the last of 5), three topics each
    expect(source.fetched.map((ids) => ids.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 5]);
    expect(rest.requests.total).toBe(30);
    expect(summary).toMatchObject({ events: 95, sent: 285, acknowledged: 285, retried: 0, failed: 0, requests: 30 });
    expect(summary.fatal).toBeUndefined();
    expect(summary.deadLetterPath).toBeUndefined();
    expect(existsSync(opts.deadLetterPath)).toBe(false);
    for (const role of TABLE_ROLES) expect(rest.written[TOPICS[role]]).toBe(95);
    expect(rest.acknowledged).toHaveLength(285);
    for (const { topic, value } of rest.acknowledged) expect(value).toEqual(generateEvent(SEED, eventOf(topic, value))[roleOf(topic)]);
  });

  it("retries: 5xx and 429 answers are retried after a backoff until every record is acknowledged", async () => {
    const rest = await startRest({ faults: { requestFaultRate: 0.4, kinds: { status500: 1, status429: 1 } }, seed: 4 });
    const summary = await runEmulation(memorySource(30), options(rest.url, { count: 60, batch: 6, maxRetries: 20 }));
    expect(rest.requests.faults.status500 + rest.requests.faults.status429).toBeGreaterThan(0);
    expect(summary).toMatchObject({ events: 60, sent: 180, acknowledged: 180, failed: 0 });
    // every faulted request was re-sent: requests beyond the 30 jobs equal the faults, records re-sent equal their records
    expect(summary.requests).toBe(30 + rest.requests.faults.status500 + rest.requests.faults.status429);
    expect(summary.retried).toBe(6 * (summary.requests - 30));
    // a 500 may have written the records, a 429 did not
    expect(summary.duplicatesSuspected).toBe(6 * rest.requests.faults.status500);
  });

  it("dead letters: records failing every attempt are written once each, with exactly the documented keys", async () => {
    const rest = await startRest({ faults: { requestFaultRate: 0, recordErrorRate: 1 } });
    const opts = options(rest.url, { count: 8, batch: 4, maxRetries: 2 });
    const summary = await runEmulation(memorySource(8), opts);
    expect(summary).toMatchObject({ events: 8, sent: 24, acknowledged: 0, retried: 48, failed: 24, requests: 18, deadLetterPath: opts.deadLetterPath });
    const lines = deadLetterLines(opts.deadLetterPath);
    expect(lines).toHaveLength(24);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(DEAD_LETTER_KEYS);
      expect(line.reason).toBe("error_code 2: This server is not the leader for that topic-partition. (gave up after 3 attempts)");
      expect(line.attempts).toBe(3);
      expect(line.value).toEqual(generateEvent(SEED, line.event as number)[roleOf(line.topic as string)]);
    }
    expect(new Set(lines.map((line) => `${line.topic}#${line.event}`)).size).toBe(24);
  });

  it("a fatal answer stops the run: the failing job is dead-lettered with the answer, untried events stay in the source", async () => {
    const rest = await startRest({ topics: [TOPICS.pin, TOPICS.user] });
    const opts = options(rest.url, { count: 200, batch: 5, concurrency: 1 });
    const summary = await runEmulation(memorySource(50), opts);
    expect(summary.fatal).toMatch(/abc\.geo answered 404: Topic not found\./);
    const lines = deadLetterLines(opts.deadLetterPath);
    expect(lines).toHaveLength(5);
    for (const line of lines) {
      expect(Object.keys(line)).toEqual(DEAD_LETTER_KEYS);
      expect(line).toMatchObject({ topic: TOPICS.geo, reason: summary.fatal, attempts: 1 });
    }
    // one sender: pin of chunk 1 acknowledged, geo fatal, nothing after that was sent
    expect(summary).toMatchObject({ sent: 10, acknowledged: 5, failed: 5, requests: 2 });
    expect(summary.events).toBeLessThan(200);
  });

  it("an API that cannot be reached stops at once, dead-lettering what was tried and naming the URL", async () => {
    const port = await freePort();
    const opts = options(`http://127.0.0.1:${port}/prod`, { count: 50, batch: 5, concurrency: 1, maxRetries: 5 });
    const summary = await runEmulation(memorySource(50), opts);
    expect(summary.fatal).toMatch(new RegExp(`^cannot reach the API: http://127\\.0\\.0\\.1:${port}: .*nothing was acknowledged\\)$`));
    expect(summary).toMatchObject({ sent: 5, acknowledged: 0, retried: 0, failed: 5, requests: 1 });
    const lines = deadLetterLines(opts.deadLetterPath);
    expect(lines).toHaveLength(5);
    for (const line of lines) expect(line).toMatchObject({ topic: TOPICS.pin, attempts: 1, reason: expect.stringMatching(/; not retried, the run stopped: cannot reach the API: /) });
  });

  it("redrive re-posts dead letters in jobs of --batch records of one topic, each with fresh retries", async () => {
    const failing = await startRest({ faults: { requestFaultRate: 0, recordErrorRate: 1 } });
    const first = options(failing.url, { count: 7, batch: 7, maxRetries: 0 });
    await runEmulation(memorySource(7), first);
    const dead = readDeadLetters(first.deadLetterPath);
    expect(dead).toHaveLength(21);

    const rest = await startRest();
    const redrive = options(rest.url, { batch: 3, maxRetries: 0 });
    const summary = await redriveDeadLetters(dead, { ...redrive, invokeUrl: rest.url });
    // 7 records per topic in jobs of 3 → 3 requests per topic
    expect(rest.requests.total).toBe(9);
    expect(summary).toMatchObject({ events: 21, sent: 21, acknowledged: 21, failed: 0 });
    expect(existsSync(redrive.deadLetterPath)).toBe(false);
    expect(rest.acknowledged.map((record) => `${record.topic}#${eventOf(record.topic, record.value)}`).sort()).toEqual(dead.map((record) => `${record.topic}#${record.event}`).sort());
  });

  it("signs every request with SigV4 for execute-api in the API's region; the double verifies each signature", async () => {
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "session" };
    const rest = await startRest({ auth: { mode: "iam", credentials, region: "eu-west-1" } });
    const authenticator = await createAuthenticator({ mode: "iam", region: "eu-west-1" }, async () => credentials);
    const summary = await runEmulation(memorySource(10), { ...options(rest.url, { count: 10, batch: 5 }), ...(authenticator ? { authenticator } : {}) });
    expect(summary).toMatchObject({ acknowledged: 30, failed: 0, requests: 6 });
    expect(rest.requests).toMatchObject({ total: 6, forbidden: 0 });
  });

  it("a signature for another region is refused once: the run stops with API Gateway's 403, nothing retried", async () => {
    const credentials = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY" };
    const rest = await startRest({ auth: { mode: "iam", credentials, region: "eu-west-1" } });
    const authenticator = await createAuthenticator({ mode: "iam", region: "us-east-1" }, async () => credentials);
    const summary = await runEmulation(memorySource(10), { ...options(rest.url, { count: 10, batch: 5, concurrency: 1 }), ...(authenticator ? { authenticator } : {}) });
    expect(summary.fatal).toMatch(/answered 403/);
    expect(summary).toMatchObject({ acknowledged: 0, retried: 0, requests: 1, failed: 5 });
    expect(rest.requests.forbidden).toBe(1);
  });

  it("sends the API key on every request; expired credentials stop before anything is posted", async () => {
    const rest = await startRest({ auth: { mode: "api-key", apiKey: "k-123" } });
    const authenticator = await createAuthenticator({ mode: "api-key", apiKey: "k-123" });
    const summary = await runEmulation(memorySource(4), { ...options(rest.url, { count: 4, batch: 4 }), ...(authenticator ? { authenticator } : {}) });
    expect(summary).toMatchObject({ acknowledged: 12, failed: 0 });
    expect(rest.requests).toMatchObject({ total: 3, forbidden: 0 });
    const expired = new Date(Date.now() - 1000);
    await expect(createAuthenticator({ mode: "iam", region: "eu-west-1" }, async () => ({ accessKeyId: "a", secretAccessKey: "b", expiration: expired }))).rejects.toThrow(
      `the AWS credentials for SigV4 signing expired at ${expired.toISOString()} (refresh them: aws sso login, or new temporary keys)`,
    );
    await expect(createAuthenticator({ mode: "iam", region: "eu-west-1" }, () => Promise.reject(new Error("Could not load credentials from any providers\nmore")))).rejects.toThrow(
      /^no AWS credentials for SigV4 signing \(set AWS_ACCESS_KEY_ID .*\): Could not load credentials from any providers$/,
    );
  });
});

describe("pacing and stopping a run", () => {
  it("--rate: chunks of a tenth of a second's events, and never faster than the rate after the first chunk's burst", async () => {
    const rest = await startRest();
    const source = memorySource(20);
    const summary = await runEmulation(source, options(rest.url, { count: 20, batch: 10, rate: 40 }));
    expect(source.fetched.map((ids) => ids.length)).toEqual([4, 4, 4, 4, 4]);
    expect(summary).toMatchObject({ events: 20, acknowledged: 60, failed: 0 });
    // 4 events free (the bucket starts full), 16 more at 40 a second: a lower bound, whatever the machine
    expect(summary.seconds).toBeGreaterThanOrEqual(0.4);
    expect(summary.recordsPerSecond).toBeCloseTo(summary.acknowledged / summary.seconds, 6);
  });

  it("--duration: an unbounded run (no --count) stops starting events at the deadline and ends cleanly", async () => {
    const rest = await startRest();
    const summary = await runEmulation(memorySource(30), options(rest.url, { batch: 5, rate: 50, durationSec: 0.3 }));
    expect(summary.fatal).toBeUndefined();
    // at 50 a second for 0.3 s, plus the first chunk's burst of 5: some events, never more than the rate allows
    expect(summary.events).toBeGreaterThan(0);
    expect(summary.events).toBeLessThanOrEqual(5 + 50 * 0.3);
    expect(summary).toMatchObject({ sent: 3 * summary.events, acknowledged: 3 * summary.events, failed: 0 });
    expect(summary.seconds).toBeGreaterThanOrEqual(0.3);
  });

  it("an abort stops starting events; what was started is still delivered, and nothing is dead-lettered", async () => {
    const rest = await startRest();
    const controller = new AbortController();
    const progress: Record<string, number>[] = [];
    const opts = options(rest.url, {
      batch: 2,
      rate: 20,
      signal: controller.signal,
      progressIntervalMs: 20,
      onProgress: (snapshot) => {
        progress.push({ ...snapshot });
        if (snapshot.acknowledged >= 6) controller.abort();
      },
    });
    const summary = await runEmulation(memorySource(30), opts);
    expect(summary.fatal).toBeUndefined();
    expect(summary.events).toBeGreaterThanOrEqual(2);
    expect(summary).toMatchObject({ sent: 3 * summary.events, acknowledged: 3 * summary.events, failed: 0 });
    expect(existsSync(opts.deadLetterPath)).toBe(false);
    // the progress snapshots: the run's counters and its clock, never ahead of the summary
    expect(progress.length).toBeGreaterThan(0);
    expect(Object.keys(progress[0]!).sort()).toEqual(Object.keys({ ...summary }).filter((key) => !["recordsPerSecond", "latencyP50Ms", "latencyP99Ms", "receiptsPath"].includes(key)).sort());
    for (const snapshot of progress) {
      expect(snapshot.events).toBeLessThanOrEqual(summary.events);
      expect(snapshot.seconds).toBeGreaterThan(0);
      expect(snapshot.seconds).toBeLessThanOrEqual(summary.seconds);
    }
    // the ticker stops with the run
    const reported = progress.length;
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(progress).toHaveLength(reported);
  });

  it("an abort before the start sends nothing; a redrive then keeps every record in its new dead-letter file as interrupted", async () => {
    const rest = await startRest();
    const aborted = AbortSignal.abort();
    const summary = await runEmulation(memorySource(10), options(rest.url, { count: 10, signal: aborted }));
    expect(summary).toMatchObject({ events: 0, sent: 0, requests: 0 });

    const records = [1, 2, 3].map((event) => ({ topic: TOPICS.pin, event, json: JSON.stringify(generateEvent(SEED, event).pin) }));
    const redrive = options(rest.url, { batch: 2, signal: aborted });
    const redriven = await redriveDeadLetters(records, { ...redrive, invokeUrl: rest.url });
    expect(rest.requests.total).toBe(0);
    expect(redriven).toMatchObject({ events: 3, sent: 0, acknowledged: 0, failed: 3, deadLetterPath: redrive.deadLetterPath });
    const lines = deadLetterLines(redrive.deadLetterPath);
    expect(lines.map((line) => [line.event, line.reason, line.attempts])).toEqual([
      [1, "not sent, the run stopped: interrupted", 0],
      [2, "not sent, the run stopped: interrupted", 0],
      [3, "not sent, the run stopped: interrupted", 0],
    ]);
  });
});

describe("what a finished run leaves behind", () => {
  /** Paths this process holds open, from /proc/self/fd. */
  const openPaths = () => readdirSync("/proc/self/fd").flatMap((fd) => {
    try {
      return [readlinkSync(`/proc/self/fd/${fd}`)];
    } catch {
      return []; // the directory's own descriptor, closed by the time it is read
    }
  });

  it("no descriptor on its receipts or dead-letter file, and no connection to the API", async () => {
    const rest = await startRest({ faults: { requestFaultRate: 0, recordErrorRate: 0.5 }, seed: 3 });
    const opts = options(rest.url, { count: 12, batch: 4, maxRetries: 0 });
    const summary = await runEmulation(memorySource(12), opts);
    // both files were written: the test is about closing them
    expect(summary.failed).toBeGreaterThan(0);
    expect(summary.acknowledged).toBeGreaterThan(0);
    expect(existsSync(opts.deadLetterPath)).toBe(true);
    expect(readFileSync(opts.receiptsPath, "utf8")).not.toBe("");
    expect(openPaths().filter((path) => path === opts.receiptsPath || path === opts.deadLetterPath)).toEqual([]);
    // the client's keep-alive sockets are closed; the server sees the FINs within moments
    let open = await rest.openConnections();
    for (let waited = 0; open > 0 && waited < 2000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      open = await rest.openConnections();
    }
    expect(open).toBe(0);
  });
});

describe("edges of a run", () => {
  it("an empty source is refused before anything starts, with the command that fills it", async () => {
    expect(() => runEmulation(memorySource(0), options("http://127.0.0.1:1", { count: 1 }))).toThrow("the source tables have no events (fill them with: npm run emulate -- seed-db --rows 10000)");
  });

  it("a redrive of exactly two batches per topic makes exactly two requests per topic", async () => {
    const rest = await startRest();
    const records = TABLE_ROLES.flatMap((role) => [1, 2, 3, 4].map((event) => ({ topic: TOPICS[role], event, json: JSON.stringify(generateEvent(SEED, event)[role]) })));
    const summary = await redriveDeadLetters(records, { ...options(rest.url, { batch: 2 }), invokeUrl: rest.url });
    expect(rest.requests.total).toBe(6);
    expect(summary).toMatchObject({ events: 12, sent: 12, acknowledged: 12, requests: 6 });
  });

  it("a source read that fails ends the run with its message; reads already prefetched fail quietly", async () => {
    const rest = await startRest();
    const source = memorySource(100);
    let reads = 0;
    const failing: EventSource = { ids: source.ids, fetch: (ids) => (++reads >= 2 ? Promise.reject(new Error("connection to MariaDB lost")) : source.fetch(ids)) };
    const summary = await runEmulation(failing, options(rest.url, { count: 100, batch: 5 }));
    expect(summary.fatal).toBe("connection to MariaDB lost");
    expect(summary.events).toBe(5);
    expect(reads).toBeGreaterThan(2);
  });

  it("--dry-run's requests: method and URL, every header, a blank line, the exact body, per topic", () => {
    const events = [1, 2].map((id) => {
      const event = generateEvent(SEED, id);
      return { id, pin: JSON.stringify(event.pin), geo: JSON.stringify(event.geo), user: JSON.stringify(event.user) };
    });
    const body = (role: TableRole) => `{"records":[{"value":${events[0]![role]}},{"value":${events[1]![role]}}]}`;
    const request = (role: TableRole) =>
      [`POST https://a.example/prod/topics/${encodeURIComponent(TOPICS[role])}`, "Content-Type: application/vnd.kafka.json.v2+json", "Accept: application/vnd.kafka.v2+json", `Content-Length: ${Buffer.byteLength(body(role))}`, "", body(role), ""].join("\n");
    expect(describeRequests(events, { invokeUrl: "https://a.example/prod/", topics: TOPICS })).toBe(TABLE_ROLES.map(request).join("\n"));
  });
});
