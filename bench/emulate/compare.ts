/**
 * A/B comparison of `emulate run` builds on a shared, noisy machine: runs each variant's CLI in
 * turn (A, B, A, B, …) against one MariaDB and one REST double, so both see the same load, and prints
 * each variant's median records/s, CPU time per 1000 acknowledged records (user + system, read from
 * /proc: far less sensitive to other processes' load than records/s) and peak RSS.
 *
 * Usage: tsx bench/emulate/compare.ts --variant old=/path/to/checkout --variant new=. [--rounds 5 --events 100000 --rows 50000] [-- extra run flags]
 * A variant is a checkout of this repository (a `git worktree` or `git archive` of a commit) with node_modules.
 * Extra flags after `--` go to every run (e.g. `-- --auth iam --region us-east-1` with the double started by `--double-auth iam`).
 */
import { fork } from "node:child_process";
import { median, runMeasured } from "../lib/measure";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startMariaDb } from "../../__tests__/support/mariadb";

const here = dirname(fileURLToPath(import.meta.url));
const { values, positionals } = parseArgs({
  options: { variant: { type: "string", multiple: true }, rounds: { type: "string" }, events: { type: "string" }, rows: { type: "string" }, "double-auth": { type: "string" } },
  allowPositionals: true,
});
const variants = (values.variant ?? []).map((spec) => {
  const [name, dir] = spec.split("=") as [string, string];
  return { name, dir: resolve(dir) };
});
const ROUNDS = Number(values.rounds ?? 5);
const EVENTS = String(values.events ?? 100_000);
const ROWS = String(values.rows ?? 50_000);

/** A build that writes receipts gets a path in the temp dir (older builds have no --receipts flag). */
const receiptsFlags = (dir: string, path: string) => (readFileSync(join(dir, "emulation", "args.ts"), "utf8").includes("receipts:") ? ["--receipts", path] : []);

async function runVariant(dir: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string; peakMb: number; cpuMs: number }> {
  const script: string = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")).scripts.emulate;
  const nodeArgs = script.split(/\s+/).slice(1).map((arg) => (arg.startsWith("-") ? arg : join(dir, arg)));
  const run = await runMeasured(process.execPath, [...nodeArgs, ...args], { cwd: dir });
  return { code: run.code, stdout: run.stdout, stderr: run.stderr, peakMb: run.peakRssMb, cpuMs: run.cpuSeconds * 1000 };
}

const db = await startMariaDb();
// test credentials for a signing emulator and the verifying double; they replace any the machine has
if (values["double-auth"] === "iam") Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDBENCHEMULATE", AWS_SECRET_ACCESS_KEY: "bench-secret-not-an-aws-key", AWS_SESSION_TOKEN: "bench-session-token" });
const restArgs = ["bench.pin,bench.geo,bench.user", ...(values["double-auth"] ? [values["double-auth"]] : [])];
const rest = fork(join(here, "rest-server.ts"), restArgs, { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
try {
  const creds = db.writeCreds("db_creds.yaml", await db.createUser("bench", "bench-pw", "pinterest_data"));
  const port = await new Promise<number>((ready) => rest.once("message", (message) => ready((message as { port: number }).port)));
  const seeded = await runVariant(variants[0]?.dir ?? ".", ["seed-db", "--rows", ROWS, "--creds", creds]);
  if (seeded.code !== 0) throw new Error(seeded.stderr);
  const results = new Map(variants.map((variant) => [variant.name, [] as { rate: number; peakMb: number; cpuMsPer1000: number }[]]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const variant of variants) {
      const run = await runVariant(variant.dir, ["run", "--url", `http://127.0.0.1:${port}`, "--user-id", "bench", "--creds", creds, "--count", EVENTS, "--batch", "500", "--concurrency", "8", "--seed", String(round + 1), "--json", "--dead-letter", join(db.dir, "dead.ndjson"), ...receiptsFlags(variant.dir, join(db.dir, `receipts-${variant.name}-${round}.ndjson`)), ...positionals]);
      if (run.code !== 0) throw new Error(`${variant.name}: ${run.stderr}`);
      const summary = JSON.parse(run.stdout.trim().split("\n").at(-1) as string) as { recordsPerSecond: number; acknowledged: number };
      const cpuMsPer1000 = (run.cpuMs * 1000) / summary.acknowledged;
      results.get(variant.name)?.push({ rate: summary.recordsPerSecond, peakMb: run.peakMb, cpuMsPer1000 });
      process.stderr.write(`compare: round ${round + 1} ${variant.name}: ${Math.round(summary.recordsPerSecond)} records/s, ${cpuMsPer1000.toFixed(1)} CPU ms per 1000 records, peak ${run.peakMb.toFixed(1)} MB\n`);
    }
  }
  for (const [name, runs] of results) {
    process.stdout.write(
      `${name}: median ${Math.round(median(runs.map((r) => r.rate)))} records/s, ${median(runs.map((r) => r.cpuMsPer1000)).toFixed(1)} CPU ms per 1000 records, peak RSS median ${median(runs.map((r) => r.peakMb)).toFixed(1)} MB; runs ${runs.map((r) => Math.round(r.rate)).join(", ")} records/s\n`,
    );
  }
} finally {
  rest.send("stop");
  await db.stop();
}
