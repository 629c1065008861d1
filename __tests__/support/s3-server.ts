/**
 * A real S3 REST API server for tests and benchmarks: s3rver on 127.0.0.1 with a private
 * directory and a free port, reached through the real AWS SDK v3 S3 client with a custom endpoint
 * (path-style, as against any S3-compatible store).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import { freePort } from "./net";

/** Credentials s3rver accepts (it checks signatures against its own fixed key pair). */
export const S3RVER_CREDENTIALS = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;
export const TEST_REGION = "us-east-1";

export interface S3TestServer {
  readonly endpoint: string;
  readonly directory: string;
  /** An SDK client pointed at this server. */
  client(): S3Client;
  /** Environment for a child process: the SDK's standard endpoint variable and credentials. */
  childEnv(): Record<string, string>;
  stop(): Promise<void>;
}

interface S3rverInstance {
  run(): Promise<unknown>;
  close(): Promise<void>;
}

// s3rver ships no types; the surface used here is tiny
const S3rver = createRequire(import.meta.url)("s3rver") as new (options: object) => S3rverInstance;

export async function startS3Server(buckets: readonly string[]): Promise<S3TestServer> {
  const directory = mkdtempSync(join(tmpdir(), "verify-s3-"));
  const port = await freePort();
  const server = new S3rver({
    address: "127.0.0.1",
    port,
    directory,
    silent: true,
    configureBuckets: buckets.map((name) => ({ name })),
  });
  await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    directory,
    client: () => new S3Client({ region: TEST_REGION, endpoint, forcePathStyle: true, credentials: S3RVER_CREDENTIALS }),
    childEnv: () => ({
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_ACCESS_KEY_ID: S3RVER_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: S3RVER_CREDENTIALS.secretAccessKey,
      AWS_REGION: TEST_REGION,
    }),
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
