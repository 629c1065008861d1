/**
 * bench:emulate — records/s and peak RSS of `emulate run` from a real MariaDB to a local Kafka REST
 * v2 double (its own process), side by side with the seed's sequential one-record-per-request loop.
 *
 * Usage: npm run bench:emulate [-- --runs 5 --events 100000 --baseline-events 400 --rows 50000] [--auth iam] [--results FILE]
 * Writes bench/emulate/RESULTS.md (or FILE).
 *
 * `--auth iam` makes the double verify a SigV4 signature on every request and the emulator sign
 * every request (`--auth iam --region us-east-1`), both with test credentials the benchmark puts in
 * their environment (never the machine's own).
 */
import { execFile, fork } from "node:child_process";
import { type MeasuredRun, median, runMeasured } from "../lib/measure";
import { writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { emulateNodeArgs } from "../../__tests__/emulation/cli-harness";
import { startMariaDb } from "../../__tests__/support/mariadb";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..");
const { values } = parseArgs({ options: { runs: { type: "string" }, events: { type: "string" }, "baseline-events": { type: "string" }, "baseline-runs": { type: "string" }, rows: { type: "string" }, batch: { type: "string" }, concurrency: { type: "string" }, auth: { type: "string" }, results: { type: "string" } } });
const RUNS = Number(values.runs ?? 5);
const EVENTS = Number(values.events ?? 100_000);
// the sequential baseline posts unsigned, so a double that demands SigV4 would refuse it: skipped when signing
const BASELINE_RUNS = values.auth === "iam" ? 0 : Number(values["baseline-runs"] ?? 3);
const BASELINE_EVENTS = Number(values["baseline-events"] ?? 400);
const ROWS = Number(values.rows ?? 50_000);
const BATCH = values.batch ?? "500";
const CONCURRENCY = values.concurrency ?? "8";
const USER_ID = "bench";
const SIGNED = values.auth === "iam";
const RESULTS_FILE = values.results ?? join(here, "RESULTS.md");
if (values.auth !== undefined && !SIGNED) throw new Error(`--auth: only iam is benchmarked, got ${values.auth}`);
// test credentials for the emulator's signer and the double's verifier; they replace any the machine has
if (SIGNED) Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDBENCHEMULATE", AWS_SECRET_ACCESS_KEY: "bench-secret-not-an-aws-key", AWS_SESSION_TOKEN: "bench-session-token" });
const AUTH_FLAGS = SIGNED ? ["--auth", "iam", "--region", "us-east-1"] : [];

interface RunResult {
  readonly recordsPerSecond: number;
  readonly acknowledged: number;
  readonly wallSeconds: number;
  readonly peakRssMb: number;
}

function runNode(args: readonly string[]): Promise<MeasuredRun> {
  // one node process runs the whole CLI, so /proc/<pid> is the emulator itself
  return runMeasured(process.execPath, args, { cwd: root });
}

function gitCommit(): Promise<string> {
  return new Promise((resolve) => execFile("git", ["rev-parse", "--short", "HEAD"], { cwd: root }, (_err, out) => resolve(out.trim() || "unknown")));
}

const db = await startMariaDb();
const restServer = fork(join(here, "rest-server.ts"), [`${USER_ID}.pin,${USER_ID}.geo,${USER_ID}.user`, ...(SIGNED ? ["iam"] : [])], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
try {
  const creds = db.writeCreds("db_creds.yaml", await db.createUser("bench", "bench-pw", "pinterest_data"));
  const port = await new Promise<number>((resolve) => restServer.once("message", (message) => resolve((message as { port: number }).port)));
  const url = `http://127.0.0.1:${port}`;
  process.stderr.write(`bench: seeding ${ROWS} rows\n`);
  const seeded = await runNode([...emulateNodeArgs(), "seed-db", "--rows", String(ROWS), "--creds", creds]);
  if (seeded.code !== 0) throw new Error(`seed-db failed: ${seeded.stderr}`);
  process.stderr.write(seeded.stdout);

  const emulator: RunResult[] = [];
  for (let run = 0; run < RUNS; run++) {
    const result = await runNode([...emulateNodeArgs(), "run", "--url", url, "--user-id", USER_ID, "--creds", creds, "--count", String(EVENTS), "--batch", BATCH, "--concurrency", CONCURRENCY, "--seed", String(run + 1), "--json", "--dead-letter", join(db.dir, "dead.ndjson"), "--receipts", join(db.dir, `receipts-${run + 1}.ndjson`), ...AUTH_FLAGS]);
    if (result.code !== 0) throw new Error(`emulate run failed: ${result.stderr}`);
    const summary = JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as { recordsPerSecond: number; acknowledged: number };
    emulator.push({ recordsPerSecond: summary.recordsPerSecond, acknowledged: summary.acknowledged, wallSeconds: result.wallSeconds, peakRssMb: result.peakRssMb });
    process.stderr.write(`bench: emulator run ${run + 1}: ${Math.round(summary.recordsPerSecond)} records/s, ${summary.acknowledged} records, wall ${result.wallSeconds.toFixed(2)} s, peak RSS ${result.peakRssMb.toFixed(1)} MB\n`);
  }

  const baseline: RunResult[] = [];
  for (let run = 0; run < BASELINE_RUNS; run++) {
    const result = await runNode(["--import", "tsx", "bench/emulate/sequential-baseline.ts", creds, url, USER_ID, String(BASELINE_EVENTS)]);
    if (result.code !== 0) throw new Error(`baseline failed: ${result.stderr}`);
    const summary = JSON.parse(result.stdout.trim()) as { recordsPerSecond: number; acknowledged: number };
    baseline.push({ recordsPerSecond: summary.recordsPerSecond, acknowledged: summary.acknowledged, wallSeconds: result.wallSeconds, peakRssMb: result.peakRssMb });
    process.stderr.write(`bench: baseline run ${run + 1}: ${Math.round(summary.recordsPerSecond)} records/s, ${summary.acknowledged} records, peak RSS ${result.peakRssMb.toFixed(1)} MB\n`);
  }

  const stats = await new Promise<{ written: Record<string, number> }>((resolve) => {
    restServer.once("message", (message) => resolve(message as { written: Record<string, number> }));
    restServer.send("stats");
  });
  const expectedWritten = 3 * (EVENTS * RUNS + BASELINE_EVENTS * BASELINE_RUNS);
  const totalWritten = Object.values(stats.written).reduce((a, b) => a + b, 0);

  const emuRate = median(emulator.map((r) => r.recordsPerSecond));
  const emuRss = median(emulator.map((r) => r.peakRssMb));
  const baseRate = median(baseline.map((r) => r.recordsPerSecond));
  const baseRss = median(baseline.map((r) => r.peakRssMb));
  const speedup = emuRate / baseRate;
  const verdict = (ok: boolean) => (ok ? "met" : "**missed**");
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  const report = `# bench:emulate — posting emulation throughput and memory

Command: \`npm run bench:emulate\` (defaults: ${RUNS} emulator runs of ${EVENTS} events, ${BASELINE_RUNS} baseline runs of ${BASELINE_EVENTS} events, ${ROWS} seeded rows).
Commit ${await gitCommit()}, ${new Date().toISOString().slice(0, 10)}. Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, MariaDB 10.11 (private instance, started like the tests).

Path measured: MariaDB → emulator → HTTP on loopback → Kafka REST v2 double (the tests' contract-enforcing server, in its own process, counting only).
Emulator: \`emulate run --batch ${BATCH} --concurrency ${CONCURRENCY} --count ${EVENTS}${SIGNED ? " " + AUTH_FLAGS.join(" ") : ""}\`${SIGNED ? " — every request SigV4-signed by the SDK's signer, every signature verified by the double" : ""} (\`${["node", ...emulateNodeArgs().map((arg) => arg.replace(`${root}/`, ""))].join(" ")}\`, the command of \`npm run emulate\`, one process).
Baseline: \`bench/emulate/sequential-baseline.ts\`, the seed's loop without its sleep: a new DB connection and three \`LIMIT offset, 1\` queries per event, one POST per record on a new connection.
records/s = acknowledged records / time from the first read to the last answer (the emulator's summary; process start-up excluded for both). Peak RSS = VmHWM of the process.

| | records/s (median) | peak RSS (median) | runs |
|---|---:|---:|---|
| emulate run | ${Math.round(emuRate)} | ${emuRss.toFixed(1)} MB | ${emulator.map((r) => Math.round(r.recordsPerSecond)).join(", ")} records/s; wall ${emulator.map((r) => r.wallSeconds.toFixed(1)).join(", ")} s |
${
  BASELINE_RUNS === 0
    ? "| sequential baseline | not run (it does not sign; compare with the unsigned run) | | |\n"
    : `| sequential baseline | ${Math.round(baseRate)} | ${baseRss.toFixed(1)} MB | ${baseline.map((r) => Math.round(r.recordsPerSecond)).join(", ")} records/s |\n| ratio | ${speedup.toFixed(0)}× | | |\n`
}
Targets: ≥ 20,000 records/s — ${verdict(emuRate >= 20_000)}; ≥ 50× the sequential loop — ${BASELINE_RUNS === 0 ? "not measured" : verdict(speedup >= 50)}; peak RSS < 150 MB — ${verdict(emuRss < 150)}.
Records written at the double: ${totalWritten} of ${expectedWritten} sent by all runs${totalWritten === expectedWritten ? " (none lost, none duplicated)" : ""}.
`;
  writeFileSync(RESULTS_FILE, report);
  process.stdout.write(report);
} finally {
  restServer.send("stop");
  await db.stop();
}
