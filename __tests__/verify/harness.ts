/**
 * Scenario harness: a local S3 server with the stack's bucket, an outputs file, receipts written
 * with lib/receipts.ts, and the verify CLI run as a real child process against them.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sampleOutputs } from "../support/outputs";
import type { StackOutputs } from "../../lib/contract";
import { freePort } from "../support/net";
import { REPO_ROOT } from "../support/paths";
import { type S3TestServer, startS3Server } from "../support/s3-server";
import { type AcceptedRecord, receiptLines, writeReceipts } from "../support/sink-simulator";
import { guardChildStreams } from "../support/child-streams";

export const USER_ID = "0a1b2c3d4e5f";
export const BUCKET = `user-${USER_ID}-bucket`;
export const TOPICS = [`${USER_ID}.pin`, `${USER_ID}.geo`, `${USER_ID}.user`] as const;
export const CONNECTOR_NAME = `${USER_ID}-connector`;
export const CONNECTOR_ARN = `arn:aws:kafkaconnect:us-east-1:123456789012:connector/${CONNECTOR_NAME}/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-2`;
export const LOG_GROUP = `/msk-connect/${CONNECTOR_NAME}`;

export function stackOutputs(partitions: number): StackOutputs {
  return sampleOutputs({ topic_partitions: partitions, connector_arn: CONNECTOR_ARN, connector_log_group: LOG_GROUP }, USER_ID);
}

export interface Scenario {
  readonly dir: string;
  readonly s3: S3TestServer;
  readonly outputsFile: string;
  readonly receiptsFile: string;
  /** A loopback port nothing listens on: every AWS service but S3 is pointed there. */
  readonly deadPort: number;
  receipts(records: Iterable<AcceptedRecord>, contentOf?: (r: AcceptedRecord) => string): void;
  stop(): Promise<void>;
}

export async function startScenario(partitions = 1): Promise<Scenario> {
  const dir = mkdtempSync(join(tmpdir(), "verify-scenario-"));
  const s3 = await startS3Server([BUCKET]);
  const outputsFile = join(dir, "outputs.json");
  writeFileSync(outputsFile, JSON.stringify({ pipeline: stackOutputs(partitions) }));
  const receiptsFile = join(dir, "receipts.ndjson");
  return {
    dir,
    s3,
    outputsFile,
    receiptsFile,
    deadPort: await freePort(),
    receipts: (records, contentOf) => writeReceipts(receiptsFile, receiptLines(records, 100, contentOf)),
    async stop() {
      await s3.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** `npm run verify -- args` as a child process, reaching S3 only through AWS_ENDPOINT_URL_S3. */
export function runVerifyCli(scenario: Scenario, args: readonly string[], onStderr: (text: string) => void = () => {}, timeoutMs = 90_000): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = guardChildStreams(spawn(process.execPath, ["--import", "tsx", join(REPO_ROOT, "verify/main.ts"), ...args], {
      cwd: REPO_ROOT,
      env: {
        PATH: process.env.PATH ?? "/usr/bin:/bin",
        HOME: scenario.dir,
        ...scenario.s3.childEnv(),
        // MSK Connect, CloudWatch Logs and instance metadata: loopback, refused
        AWS_ENDPOINT_URL: `http://127.0.0.1:${scenario.deadPort}`,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_MAX_ATTEMPTS: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    }));
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk));
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk;
      onStderr(chunk.toString());
    });
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`verify did not exit within ${timeoutMs} ms; stderr: ${stderr}`));
    }, timeoutMs);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** The CLI's stderr without the AWS SDK's Node 20 end-of-support notice. */
export function ownStderr(stderr: string): string[] {
  return stderr
    .split("\n")
    .filter((line) => line.trim() !== "")
    .filter((line) => !/NodeVersionSupportWarning|versions published after|will require node|To continue receiving|security updates please|a\.co\/|trace-warnings|^\s*$/.test(line));
}
