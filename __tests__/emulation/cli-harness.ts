/** Runs the emulator's real CLI in a child process, exactly as `npm run emulate` does. */
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type MariaDb, startMariaDb } from "../support/mariadb";
import { REPO_ROOT } from "../support/paths";
import { guardChildStreams } from "../support/child-streams";


export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** The node arguments of package.json's `emulate` script, so tests and the benchmark run what users run. */
export function emulateNodeArgs(): string[] {
  const script: string = JSON.parse(readFileSync(join(REPO_ROOT, "package.json"), "utf8")).scripts.emulate;
  const [program, ...args] = script.split(/\s+/);
  if (program !== "node") throw new Error(`package.json scripts.emulate must run node, got: ${script}`);
  return args.map((arg) => (arg.startsWith("-") ? arg : join(REPO_ROOT, arg)));
}

/**
 * The environment of a CLI run: this process's, without anything that would authenticate the
 * emulator (AWS_*, the API key variable), so a test only ever uses the credentials it passes in `env`.
 */
export function cliEnv(env: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("AWS_") && name !== "PIPELINE_API_KEY"));
  return { ...clean, ...env };
}

/**
 * The CLI's working directory: a temp dir of this test process, so files written at their default
 * paths (receipts/, dead-letter.ndjson) never land in the repository.
 */
const CLI_CWD = mkdtempSync(join(tmpdir(), "emulate-cli-"));

export function runCli(args: readonly string[], timeoutMs = 60_000, env: Readonly<Record<string, string>> = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    guardChildStreams(
      execFile(process.execPath, [...emulateNodeArgs(), ...args], { cwd: CLI_CWD, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: cliEnv(env) }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      }),
    );
  });
}

/** The non-empty lines of a stream's text. */
export function lines(text: string): string[] {
  return text.split("\n").filter((line) => line.trim() !== "");
}

/** A private MariaDB with the three source tables filled by the real `seed-db` (ids 0..rows-1), and its credentials file. */
export async function startSeededDb(rows: number, seed?: number): Promise<{ db: MariaDb; creds: string }> {
  const db = await startMariaDb();
  const creds = db.writeCreds("db_creds.yaml", await db.createUser("emu", "s3cret", "pinterest_data"));
  const seeded = await runCli(["seed-db", "--rows", String(rows), ...(seed === undefined ? [] : ["--seed", String(seed)]), "--creds", creds]);
  if (seeded.code !== 0) throw new Error(`seed-db failed (exit ${seeded.code}): ${seeded.stderr}`);
  return { db, creds };
}
