/**
 * `npm run bench:verify`: 1,000,000 acknowledged records in 1,000 sink objects on a local S3 API
 * server (s3rver), reconciled by the real CLI in a child process. Measures wall time and peak RSS
 * (VmHWM) of the verify process; median of RUNS runs. Results: bench/verify/RESULTS.md.
 */
import { type MeasuredRun, median, runMeasured } from "../lib/measure";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { startS3Server } from "../../__tests__/support/s3-server";
import { type AcceptedRecord, eventValue, receiptLines, runSink } from "../../__tests__/support/sink-simulator";
import { BUCKET, USER_ID, stackOutputs } from "../../__tests__/verify/harness";
import { REPO_ROOT } from "../../__tests__/support/paths";

const RUNS = 3;
const FLUSH_SIZE = 1000;
/** Records per topic: 1,000,000 in all, 1,000 objects of FLUSH_SIZE. */
const PER_TOPIC = { pin: 334_000, geo: 333_000, user: 333_000 } as const;
const LIMITS = { seconds: 15, peakRssMb: 250 };

function* records(): Generator<AcceptedRecord> {
  for (const [suffix, count] of Object.entries(PER_TOPIC) as [keyof typeof PER_TOPIC, number][]) {
    for (let event = 0; event < count; event++) yield { topic: `${USER_ID}.${suffix}`, partition: 0, offset: event, value: eventValue(suffix, event) };
  }
}

function runVerify(args: string[], env: Record<string, string>): Promise<MeasuredRun> {
  // one node process runs the whole CLI, so /proc/<pid> is verify itself
  return runMeasured(process.execPath, ["--import", "tsx", join(REPO_ROOT, "verify/main.ts"), ...args], { cwd: REPO_ROOT, env });
}

const dir = mkdtempSync(join(tmpdir(), "bench-verify-"));
const s3 = await startS3Server([BUCKET]);
try {
  const outputsFile = join(dir, "outputs.json");
  writeFileSync(outputsFile, JSON.stringify({ pipeline: stackOutputs(1) }));
  const receiptsFile = join(dir, "receipts.ndjson");
  const setupStarted = performance.now();
  writeFileSync(receiptsFile, receiptLines(records(), 500).join(""));
  const keys = await runSink(s3.client(), records(), { bucket: BUCKET, flushSize: FLUSH_SIZE, concurrency: 16 });
  console.error(`setup: ${keys.length} objects, receipts ${(readFileSync(receiptsFile).length / 1e6).toFixed(1)} MB, ${((performance.now() - setupStarted) / 1000).toFixed(1)} s`);

  const env = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: dir, ...s3.childEnv(), AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true" };
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await runVerify(["--outputs", outputsFile, "--receipts", receiptsFile, "--json"], env);
    const totals = run.code === 0 ? (JSON.parse(run.stdout) as { totals: { acknowledged: number; delivered: number; objects: number } }).totals : undefined;
    if (!totals || totals.delivered !== 1_000_000 || totals.objects !== 1_000) throw new Error(`run ${i + 1}: exit ${run.code}, ${run.stderr.trim() || run.stdout.slice(0, 300)}`);
    console.error(`run ${i + 1}: ${run.wallSeconds.toFixed(2)} s (CPU ${run.cpuSeconds.toFixed(2)} s), peak RSS ${run.peakRssMb.toFixed(0)} MB`);
    runs.push(run);
  }
  const seconds = median(runs.map((r) => r.wallSeconds));
  const peakRssMb = median(runs.map((r) => r.peakRssMb));
  const cpuSeconds = median(runs.map((r) => r.cpuSeconds));
  const load = readFileSync("/proc/loadavg", "utf8").split(" ").slice(0, 3).join(", ");
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? "cpu"}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}`;
  const verdict = seconds < LIMITS.seconds && peakRssMb < LIMITS.peakRssMb ? "within" : "OVER";
  const results = `# verify benchmark

Command: \`npm run bench:verify\` (bench/verify/run.ts). Machine: ${machine}.

1,000,000 acknowledged records (pin ${PER_TOPIC.pin.toLocaleString("en-US")}, geo ${PER_TOPIC.geo.toLocaleString("en-US")}, user ${PER_TOPIC.user.toLocaleString("en-US")}; one partition each) in
1,000 objects of flush.size ${FLUSH_SIZE} on a local S3 API server (s3rver 3.7.1, same machine), receipts of 500
records a line (${(readFileSync(receiptsFile).length / 1e6).toFixed(1)} MB). \`verify --json\` runs as its own process (\`node --import tsx verify/main.ts\`):
it lists the bucket, downloads and scans every object (1,000,000 lines), checks every record's event index and the
sampled content hashes (1 in 101), and reconciles by offset ranges.

| | median of ${RUNS} | runs | limit |
|---|---|---|---|
| wall time, process start to exit | **${seconds.toFixed(2)} s** | ${runs.map((r) => r.wallSeconds.toFixed(2)).join(", ")} | < ${LIMITS.seconds} s |
| CPU time (user + system) of the verify process | ${cpuSeconds.toFixed(2)} s | ${runs.map((r) => r.cpuSeconds.toFixed(2)).join(", ")} | |
| peak RSS (VmHWM) of the verify process | **${peakRssMb.toFixed(0)} MB** | ${runs.map((r) => r.peakRssMb.toFixed(0)).join(", ")} | < ${LIMITS.peakRssMb} MB |

Headline: 1,000,000 records in 1,000 objects verified in ${seconds.toFixed(1)} s at ${peakRssMb.toFixed(0)} MB peak RSS (${verdict} the limits).
The S3 server shares the machine's cores with the verify process during the runs; load average at the end: ${load}
(other work on the machine inflates wall time; the CPU time shows the work verify itself does).
`;
  writeFileSync(join(REPO_ROOT, "bench/verify/RESULTS.md"), results);
  console.log(results);
} finally {
  await s3.stop();
  rmSync(dir, { recursive: true, force: true });
}
