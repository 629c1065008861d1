/**
 * The `emulate` commands (emulation/cli.ts) run in process, with no database: help, bad usage,
 * redrive against the Kafka REST double, --dry-run on generated rows, the endpoint and topics
 * read from an outputs file, and the lines the CLI prints. The MariaDB suites (run.test.ts,
 * auth.test.ts) run the bundled CLI end to end; this one makes the command layer's decisions
 * testable anywhere.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { exitCodeOf } from "../../lib/cli-run";
import { USAGE } from "../../emulation/args";
import { type EmulateIo, formatSummary, main, progressLine } from "../../emulation/cli";
import { describeDbError } from "../../emulation/db-errors";
import { EMULATE_DEFAULTS, SEND_TUNING } from "../../emulation/defaults";
import type { EmulationSummary } from "../../emulation/emulator";
import { EmulationError } from "../../emulation/errors";
import { generateEvent } from "../../emulation/rows";
import { kafkaRestDoublesPerTest } from "./rest-doubles";

const SEED = 5;
const TOPICS = ["abc.pin", "abc.geo", "abc.user"];

const dir = mkdtempSync(join(tmpdir(), "emulation-commands-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const startRest = kafkaRestDoublesPerTest(TOPICS);

interface Captured {
  readonly io: EmulateIo;
  readonly stdout: () => string;
  readonly stderr: () => string;
}

function capture(options: { env?: EmulateIo["env"]; tty?: boolean } = {}): Captured {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { env: options.env ?? {}, stdout: (text) => out.push(text), stderr: (text) => err.push(text), stderrIsTTY: options.tty ?? false },
    stdout: () => out.join(""),
    stderr: () => err.join(""),
  };
}

/** Runs a command that must throw; returns the error. */
async function failure(argv: string[], io: EmulateIo): Promise<Error> {
  const error = await main(argv, io).then(
    (code) => new Error(`expected an error, exited ${code}`),
    (err: Error) => err,
  );
  if (error.message.startsWith("expected an error")) throw error;
  return error;
}

let files = 0;
function file(name: string, content: string): string {
  const path = join(dir, `${++files}-${name}`);
  writeFileSync(path, content);
  return path;
}

function outputsFile(outputs: Record<string, unknown>): string {
  return file("outputs.json", JSON.stringify({ pipeline: { region: "eu-west-1", user_id: "abc", topics: TOPICS, ...outputs } }));
}

/** A dead-letter file with one record of each table per event. */
function deadLetterFile(events: readonly number[]): string {
  const lines = events.flatMap((event) =>
    (["pin", "geo", "user"] as const).map((role) => JSON.stringify({ topic: `abc.${role}`, event, reason: "HTTP 500 (gave up after 1 attempts)", attempts: 1, value: generateEvent(SEED, event)[role] })),
  );
  return file("dead.ndjson", `${lines.join("\n")}\n`);
}

const SUMMARY_LABELS = ["events", "records sent", "acknowledged", "retried", "failed", "duplicates suspected", "requests", "elapsed", "records/s", "latency p50 / p99", "receipts file"];

describe("emulate: usage", () => {
  it("--help prints the usage text and exits 0", async () => {
    const { io, stdout, stderr } = capture();
    expect(await main(["--help"], io)).toBe(0);
    expect(stdout()).toBe(USAGE);
    expect(stderr()).toBe("");
  });

  it("a bad flag throws one line with exit code 2 and writes nothing", async () => {
    const { io, stdout, stderr } = capture();
    const error = await failure(["redrive", "--batch", "0"], io);
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).not.toContain("\n");
    expect(error.message).toMatch(/^--batch/);
    expect([stdout(), stderr()]).toEqual(["", ""]);
  });
});

describe("emulate redrive", () => {
  it("an empty dead-letter file: says there is nothing to post, exits 0, and needs no outputs file", async () => {
    const { io, stdout } = capture();
    const empty = file("empty.ndjson", "");
    expect(await main(["redrive", "--dead-letter", empty, "--outputs", join(dir, "absent.json")], io)).toBe(0);
    expect(stdout()).toBe(`redrive: ${empty} holds no dead letters; nothing to post\n`);
  });

  it("re-posts every record to the --url API and prints the summary: every label, the counts, the receipts file", async () => {
    const rest = await startRest();
    const { io, stdout, stderr } = capture();
    const receipts = join(dir, "redrive-receipts.ndjson");
    const code = await main(["redrive", "--dead-letter", deadLetterFile([1, 2, 3]), "--url", rest.url, "--receipts", receipts, "--batch", "2"], io);
    expect(code, stderr()).toBe(0);
    expect(rest.acknowledged).toHaveLength(9);
    const lines = stdout().trimEnd().split("\n");
    expect(lines.map((line) => line.slice(0, 21).trimEnd())).toEqual(SUMMARY_LABELS);
    expect(lines.slice(0, 7).map((line) => line.slice(21))).toEqual(["9", "9", "9", "0", "0", "0", "6"]);
    expect(lines.at(-1)).toBe(`receipts file        ${receipts}`);
    expect(readFileSync(receipts, "utf8").trim().split("\n").length).toBeGreaterThan(0);
  });

  it("--json prints the summary as one JSON line", async () => {
    const rest = await startRest();
    const { io, stdout } = capture();
    expect(await main(["redrive", "--dead-letter", deadLetterFile([4]), "--url", rest.url, "--receipts", join(dir, "r-json.ndjson"), "--json"], io)).toBe(0);
    expect(stdout().endsWith("\n")).toBe(true);
    expect(stdout().trimEnd().split("\n")).toHaveLength(1);
    expect(JSON.parse(stdout())).toMatchObject({ events: 3, sent: 3, acknowledged: 3, failed: 0 });
  });

  it("an API that refuses the topic: the fatal answer on stderr after 'emulate: ', exit 1, failures in a fresh file beside the input", async () => {
    const rest = await startRest({ topics: ["other.pin"] });
    const { io, stdout, stderr } = capture();
    const input = deadLetterFile([1]);
    const before = readFileSync(input, "utf8");
    expect(await main(["redrive", "--dead-letter", input, "--url", rest.url, "--receipts", join(dir, "r-404.ndjson"), "--concurrency", "1"], io)).toBe(1);
    expect(stderr()).toMatch(/^emulate: http:\/\/127\.0\.0\.1:\d+\/topics\/abc\.(pin|geo|user) answered 404/);
    expect(stderr().trimEnd().split("\n")).toHaveLength(1);
    expect(stdout()).toMatch(/^dead-letter file {5}.+\.redrive-\d{8}T\d{6}\.\d{3}Z\.ndjson$/m);
    expect(readFileSync(input, "utf8")).toBe(before);
  });

  it("takes the invoke URL and the API key from the outputs file", async () => {
    const rest = await startRest({ auth: { mode: "api-key", apiKey: "k-outputs" } });
    const { io } = capture();
    const outputs = outputsFile({ invoke_url: rest.url, api_auth: "api-key", api_key: "k-outputs" });
    expect(await main(["redrive", "--dead-letter", deadLetterFile([1]), "--outputs", outputs, "--receipts", join(dir, "r-key.ndjson")], io)).toBe(0);
    expect(rest.acknowledged).toHaveLength(3);
    expect(rest.requests.forbidden).toBe(0);
  });

  it("an api-key outputs file without api_key: --api-key, then PIPELINE_API_KEY, else one line naming all three fixes", async () => {
    const rest = await startRest({ auth: { mode: "api-key", apiKey: "k-flag" } });
    const outputs = outputsFile({ invoke_url: rest.url, api_auth: "api-key" });
    const args = ["redrive", "--dead-letter", deadLetterFile([1]), "--outputs", outputs, "--receipts", join(dir, "r-nokey.ndjson")];
    expect(await main([...args, "--api-key", "k-flag"], capture().io)).toBe(0);
    expect(await main(args, capture({ env: { PIPELINE_API_KEY: "k-flag" } }).io)).toBe(0);
    expect(rest.acknowledged).toHaveLength(6);
    const error = await failure(args, capture().io);
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe(
      `outputs file ${outputs}: api_auth is api-key but api_key is missing (cdktf writes sensitive outputs only with --outputs-file-include-sensitive-outputs; or pass --api-key <key> or set PIPELINE_API_KEY)`,
    );
  });

  it("a missing outputs file: exit 2 naming the file and the deploy command", async () => {
    const absent = join(dir, "no-outputs.json");
    const error = await failure(["redrive", "--dead-letter", deadLetterFile([1]), "--outputs", absent], capture().io);
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe(`outputs file ${absent}: not found (run: npx cdktf deploy --outputs-file ${absent})`);
  });

  it("on a terminal, progress rewrites one line in place and is wiped at the end", async () => {
    const rest = await startRest({ faults: { requestFaultRate: 1, kinds: { slow: 1 }, slowMs: 700 } });
    const { io, stderr } = capture({ tty: true });
    expect(await main(["redrive", "--dead-letter", deadLetterFile([1]), "--url", rest.url, "--receipts", join(dir, "r-tty.ndjson"), "--timeout-ms", "5000"], io)).toBe(0);
    const written = stderr();
    expect(written).toMatch(/^(\revents \d+ \| sent \d+ \| acknowledged \d+ \| retried \d+ \| failed \d+ \| \d+ records\/s \| \d+\.\d s\u001b\[K)+\r\u001b\[K$/);
  });
});

describe("emulate run --dry-run", () => {
  it("without a readable database: the first events from generated rows, marked as such, for each topic; nothing sent", async () => {
    const rest = await startRest();
    const { io, stdout } = capture();
    const creds = join(dir, "no-creds.yaml");
    expect(await main(["run", "--dry-run", "--url", rest.url, "--user-id", "abc", "--creds", creds, "--count", "2"], io)).toBe(0);
    expect(rest.requests.total).toBe(0);
    const [header, auth, ...rest_] = stdout().split("\n");
    expect(header).toBe(
      `# dry run: the requests for the first 2 events from GENERATED rows, not your database (it could not be read: ${creds}: not found (copy db_creds.example.yaml and fill in HOST, USER, PASSWORD, DATABASE, PORT, or pass --creds <file>)); they are the rows seed-db --rows ${EMULATE_DEFAULTS.dryRunGeneratedRows} --seed ${EMULATE_DEFAULTS.seed} creates (nothing is sent)`,
    );
    expect(auth).toBe("# auth: none");
    const requests = rest_.join("\n");
    const posts = [...requests.matchAll(/^POST (\S+)$/gm)].map((match) => match[1]);
    expect(posts).toEqual(TOPICS.map((topic) => `${rest.url}/topics/${topic}`));
    // each body holds the same two events, in the same order, as seed-db would have written them
    const bodies = [...requests.matchAll(/^(\{"records":.*)$/gm)].map((match) => JSON.parse(match[1]) as { records: { value: Record<string, unknown> }[] });
    expect(bodies).toHaveLength(3);
    const ids = bodies.map((body, i) => body.records.map(({ value }) => Number(i === 0 ? value.index : value.ind)));
    expect(ids[0]).toHaveLength(2);
    expect(ids[1]).toEqual(ids[0]);
    expect(ids[2]).toEqual(ids[0]);
    bodies.forEach((body, i) => {
      const role = (["pin", "geo", "user"] as const)[i];
      expect(body.records.map(({ value }) => value)).toEqual(ids[0].map((id) => generateEvent(EMULATE_DEFAULTS.seed, id)[role]));
    });
  });

  it("shows --batch events when it is below the dry-run's 3, and describes each auth mode without computing it", async () => {
    const url = "https://abc123.execute-api.eu-west-1.amazonaws.com/prod";
    const base = ["run", "--dry-run", "--url", url, "--user-id", "abc", "--creds", join(dir, "none.yaml")];
    const one = capture();
    await main([...base, "--batch", "1"], one.io);
    expect(one.stdout()).toMatch(/^# dry run: the requests for the first 1 events from GENERATED rows/);
    const keyed = capture();
    await main([...base, "--auth", "api-key", "--api-key", "secret-key-17-chr"], keyed.io);
    expect(keyed.stdout().split("\n")[1]).toBe("# auth: api-key, each request also carries x-api-key: <the key, 17 characters>");
    expect(keyed.stdout()).not.toContain("secret-key-17-chr");
    const signed = capture();
    await main([...base, "--auth", "iam", "--region", "eu-west-1"], signed.io);
    expect(signed.stdout().split("\n")[1]).toBe(
      "# auth: iam, each request is also signed with SigV4 for execute-api in eu-west-1 when sent (Authorization, X-Amz-Date, X-Amz-Content-Sha256 and, with temporary credentials, X-Amz-Security-Token)",
    );
    expect(signed.stdout()).toMatch(/^# dry run: the requests for the first 3 events/);
  });

  it("takes the topics from the outputs file's user_id, and refuses an outputs file whose topics lack one", async () => {
    const base = ["run", "--dry-run", "--creds", join(dir, "none.yaml")];
    const listed = capture();
    await main([...base, "--outputs", outputsFile({ invoke_url: "https://x.example/prod", api_auth: "iam" })], listed.io);
    expect([...listed.stdout().matchAll(/^POST (\S+)$/gm)].map((match) => match[1])).toEqual(TOPICS.map((topic) => `https://x.example/prod/topics/${topic}`));
    expect(listed.stdout().split("\n")[1]).toMatch(/^# auth: iam, each request is also signed with SigV4 for execute-api in eu-west-1 /);

    const lacking = outputsFile({ invoke_url: "https://x.example/prod", api_auth: "none", topics: ["abc.pin", "abc.user"] });
    const error = await failure([...base, "--outputs", lacking], capture().io);
    expect(exitCodeOf(error)).toBe(2);
    expect(error.message).toBe(
      `outputs file ${lacking}: topics ["abc.pin","abc.user"] lack abc.geo (the emulator posts pin, geo and user events: keep those suffixes in pipeline.yaml topics, or pass --topics)`,
    );
    const overridden = capture();
    await main([...base, "--outputs", lacking, "--topics", "p,g,u"], overridden.io);
    expect([...overridden.stdout().matchAll(/^POST (\S+)$/gm)].map((match) => match[1])).toEqual(["p", "g", "u"].map((topic) => `https://x.example/prod/topics/${topic}`));
    // the outputs file's api_auth none: nothing added to the requests
    expect(overridden.stdout().split("\n")[1]).toBe("# auth: none");
  });
});

describe("the lines the CLI prints", () => {
  const summary: EmulationSummary = {
    events: 10,
    sent: 30,
    acknowledged: 28,
    retried: 4,
    failed: 2,
    duplicatesSuspected: 1,
    requests: 12,
    seconds: 2.345,
    recordsPerSecond: 11.94,
    latencyP50Ms: 3.21,
    latencyP99Ms: Number.NaN,
    receiptsPath: "receipts/r.ndjson",
  };

  it("formats the summary: labels padded to 21 columns, elapsed and latencies rounded, NaN as -", () => {
    expect(formatSummary(summary)).toBe(
      [
        "events               10",
        "records sent         30",
        "acknowledged         28",
        "retried              4",
        "failed               2",
        "duplicates suspected 1",
        "requests             12",
        "elapsed              2.35 s",
        "records/s            12",
        "latency p50 / p99    3.2 ms / -",
        "receipts file        receipts/r.ndjson",
        "",
      ].join("\n"),
    );
    expect(formatSummary({ ...summary, deadLetterPath: "dead.ndjson" }).endsWith("receipts file        receipts/r.ndjson\ndead-letter file     dead.ndjson\n")).toBe(true);
  });

  it("the progress line: acknowledged records per second, 0 before any time has passed", () => {
    expect(progressLine({ ...summary, seconds: 4 })).toBe("events 10 | sent 30 | acknowledged 28 | retried 4 | failed 2 | 7 records/s | 4.0 s");
    expect(progressLine({ ...summary, seconds: 0 })).toBe("events 10 | sent 30 | acknowledged 28 | retried 4 | failed 2 | 0 records/s | 0.0 s");
  });
});

describe("database errors, one line each naming the server and the fix", () => {
  const creds = { host: "db.example", port: 3307, user: "emu", password: "pw", database: "pinterest", source: "db_creds.yaml" };
  const driver = (code: string | undefined, message = "driver text") => Object.assign(new Error(message), code === undefined ? {} : { code });

  it.each([
    ["ER_ACCESS_DENIED_ERROR", "database db.example:3307: access denied for user emu (check USER and PASSWORD in db_creds.yaml)"],
    ["ER_DBACCESS_DENIED_ERROR", "database db.example:3307: user emu may not use database pinterest (grant access or fix DATABASE in db_creds.yaml)"],
    ["ER_BAD_DB_ERROR", "database db.example:3307: database pinterest does not exist (create and fill it with: npm run emulate -- seed-db --rows 10000, or fix DATABASE in db_creds.yaml)"],
    ["ECONNREFUSED", "database db.example:3307: connection refused (is MySQL/MariaDB running there? check HOST and PORT in db_creds.yaml)"],
    ["ENOTFOUND", "database host db.example: name not found (check HOST in db_creds.yaml)"],
    ["EAI_AGAIN", "database host db.example: name not found (check HOST in db_creds.yaml)"],
    ["ETIMEDOUT", "database db.example:3307: no answer within 10 s (check HOST and PORT in db_creds.yaml, and that a firewall or security group lets you in)"],
    ["ER_NO_SUCH_TABLE", "database pinterest: driver text (create and fill the tables with: npm run emulate -- seed-db --rows 10000)"],
    ["ER_SOMETHING_ELSE", "database db.example:3307: driver text (ER_SOMETHING_ELSE)"],
    [undefined, "database db.example:3307: driver text"],
  ] as const)("%s", (code, message) => {
    const error = describeDbError(driver(code), creds);
    expect(error).toBeInstanceOf(EmulationError);
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(1);
    // the name a crash report would print
    expect(error.name).toBe("EmulationError");
  });

  it("passes an EmulationError through unchanged", () => {
    const original = new EmulationError("already described", 2);
    expect(describeDbError(original, creds)).toBe(original);
  });
});

describe("emulate: Ctrl-C", () => {
  /** Sends the process `times` SIGINTs once the double has a request in flight (so the run has started), on whatever machine. */
  function interruptOnFirstRequest(rest: { requests: { total: number } }, times: number): () => void {
    const poll = setInterval(() => {
      if (rest.requests.total === 0) return;
      clearInterval(poll);
      for (let i = 0; i < times; i++) process.emit("SIGINT");
    }, 5);
    return () => clearInterval(poll);
  }

  it("the first stops taking records: those in flight or queued finish, the rest go to the new dead-letter file, exit 1; the handler is removed after", async () => {
    const rest = await startRest({ faults: { requestFaultRate: 1, kinds: { slow: 1 }, slowMs: 50 } });
    const { io, stdout, stderr } = capture();
    const input = deadLetterFile([1, 2, 3, 4]);
    const listeners = process.listenerCount("SIGINT");
    const stop = interruptOnFirstRequest(rest, 1);
    const code = await main(["redrive", "--dead-letter", input, "--url", rest.url, "--batch", "1", "--concurrency", "1", "--receipts", join(dir, "r-int.ndjson"), "--json"], io);
    stop();
    expect(code).toBe(1);
    expect(process.listenerCount("SIGINT")).toBe(listeners);
    expect(stderr()).toBe("\nemulate: stopping, finishing the records in flight (Ctrl-C again to quit now)\n");
    const summary = JSON.parse(stdout()) as EmulationSummary;
    // 12 records, one a request: the one in flight at the interrupt and the jobs already queued for the
    // sender are sent; nothing more is taken from the file
    expect(summary.acknowledged).toBe(1 + SEND_TUNING.queuedJobs);
    expect(rest.requests.total).toBe(summary.acknowledged);
    const abandoned = readFileSync(summary.deadLetterPath as string, "utf8").trim().split("\n").map((line) => JSON.parse(line) as { reason: string });
    expect(abandoned).toHaveLength(12 - summary.acknowledged);
    for (const line of abandoned) expect(line.reason).toBe("not sent, the run stopped: interrupted");
  });

  it("a second quits at once with exit code 130", async () => {
    const rest = await startRest({ faults: { requestFaultRate: 1, kinds: { slow: 1 }, slowMs: 50 } });
    const exits: unknown[] = [];
    const exit = vi.spyOn(process, "exit").mockImplementation(((code?: number) => void exits.push(code)) as typeof process.exit);
    try {
      const stop = interruptOnFirstRequest(rest, 2);
      await main(["redrive", "--dead-letter", deadLetterFile([1, 2]), "--url", rest.url, "--batch", "1", "--concurrency", "1", "--receipts", join(dir, "r-int2.ndjson"), "--json"], capture().io);
      stop();
    } finally {
      exit.mockRestore();
    }
    expect(exits).toEqual([130]);
  });
});
