/**
 * API auth: the double's SigV4 verifier (checked against AWS's published example and the SDK's
 * signer), and `emulate run` against a double that demands SigV4 or an API key, with faults on.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Sha256 } from "@aws-crypto/sha256-js";
import { HttpRequest } from "@smithy/protocol-http";
import { SignatureV4 } from "@smithy/signature-v4";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { EmulationSummary } from "../../emulation/emulator";
import { eventOrder } from "../../emulation/flow";
import type { MariaDb } from "../support/mariadb";
import { lines, runCli, startSeededDb } from "./cli-harness";
import { startKafkaRestDouble, type DoubleAuth, type KafkaRestDouble, type KafkaRestDoubleOptions } from "./kafka-rest-double";
import { MESSAGES, sigV4Signature, verifySigV4, type ArrivedRequest } from "./sigv4-verifier";

const CREDENTIALS = { accessKeyId: "AKIDEMULATETEST", secretAccessKey: "test-secret/emulate+key", sessionToken: "session-token-of-the-test" };
const CREDENTIALS_ENV = { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey, AWS_SESSION_TOKEN: CREDENTIALS.sessionToken };
/** The SDK's chain must find nothing but what a test passes: no profile files, no instance metadata. */
const NO_AMBIENT_CREDENTIALS = { AWS_CONFIG_FILE: "/nonexistent/aws-config", AWS_SHARED_CREDENTIALS_FILE: "/nonexistent/aws-credentials", AWS_EC2_METADATA_DISABLED: "true" };
const REGION = "us-east-1";
const IAM: DoubleAuth = { mode: "iam", credentials: CREDENTIALS, region: REGION };

describe("the double's SigV4 verifier", () => {
  it("reproduces AWS's published example signature (S3 GET Object, 'Authenticating Requests: Using the Authorization Header')", () => {
    const emptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
    expect(
      sigV4Signature({
        method: "GET",
        url: "/test.txt",
        headers: { host: "examplebucket.s3.amazonaws.com", range: "bytes=0-9", "x-amz-content-sha256": emptyHash, "x-amz-date": "20130524T000000Z" },
        body: Buffer.alloc(0),
        signedHeaders: ["host", "range", "x-amz-content-sha256", "x-amz-date"],
        amzDate: "20130524T000000Z",
        region: "us-east-1",
        service: "s3",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
      }),
    ).toBe("f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41");
  });

  /** A request signed by the AWS SDK's signer, as the double would receive it. */
  async function signed(options: { region?: string; service?: string; secret?: string; date?: Date; sessionToken?: string | null; body?: string } = {}): Promise<ArrivedRequest> {
    const body = options.body ?? '{"records":[{"value":{"ind":1}}]}';
    const signer = new SignatureV4({
      service: options.service ?? "execute-api",
      region: options.region ?? REGION,
      sha256: Sha256,
      applyChecksum: false,
      credentials: {
        accessKeyId: CREDENTIALS.accessKeyId,
        secretAccessKey: options.secret ?? CREDENTIALS.secretAccessKey,
        ...(options.sessionToken === null ? {} : { sessionToken: options.sessionToken ?? CREDENTIALS.sessionToken }),
      },
    });
    const request = await signer.sign(
      new HttpRequest({ method: "POST", protocol: "https:", hostname: "abc123.execute-api.us-east-1.amazonaws.com", path: "/prod/topics/u%2Bx.pin", headers: { host: "abc123.execute-api.us-east-1.amazonaws.com", "content-type": "application/vnd.kafka.json.v2+json" }, body }),
      { signingDate: options.date ?? new Date() },
    );
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
    return { method: "POST", url: "/prod/topics/u%2Bx.pin", headers, body: Buffer.from(body) };
  }

  it("accepts the SDK's signature and refuses every tampered part with API Gateway's message", async () => {
    const expected = { credentials: CREDENTIALS, region: REGION };
    expect(verifySigV4(await signed(), expected)).toBeNull();
    expect(verifySigV4(await signed({ secret: "wrong" }), expected)).toEqual({ message: MESSAGES.badSignature });
    expect(verifySigV4(await signed({ region: "eu-west-1" }), expected)).toEqual({ message: "Credential should be scoped to a valid region. " });
    expect(verifySigV4(await signed({ service: "execute-apis" }), expected)).toEqual({ message: "Credential should be scoped to correct service: 'execute-api'. " });
    expect(verifySigV4(await signed({ sessionToken: null }), expected)).toEqual({ message: MESSAGES.invalidToken });
    expect(verifySigV4(await signed({ date: new Date(Date.now() - 6 * 60_000) }), expected)?.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/);
    expect(verifySigV4(await signed({ date: new Date(Date.now() - 4 * 60_000) }), expected)).toBeNull();
    const tamperedBody = { ...(await signed()), body: Buffer.from('{"records":[{"value":{"ind":2}}]}') };
    expect(verifySigV4(tamperedBody, expected)).toEqual({ message: MESSAGES.badSignature });
    const base = await signed();
    const falseHashClaim = { ...base, headers: { ...base.headers, "x-amz-content-sha256": "0".repeat(64) } };
    expect(verifySigV4(falseHashClaim, expected)).toEqual({ message: MESSAGES.badSignature });
    const otherPath = { ...(await signed()), url: "/prod/topics/u%2By.pin" };
    expect(verifySigV4(otherPath, expected)).toEqual({ message: MESSAGES.badSignature });
    const unsigned = await signed();
    expect(verifySigV4({ ...unsigned, headers: { ...unsigned.headers, authorization: undefined } }, expected)).toEqual({ message: MESSAGES.missingToken });
  });
});

const ROWS = 2000;
const TOPICS = ["abc.pin", "abc.geo", "abc.user"] as const;
let db: MariaDb;
let creds: string;
let rest: KafkaRestDouble | undefined;

beforeAll(async () => {
  ({ db, creds } = await startSeededDb(ROWS));
});

afterEach(async () => {
  await rest?.close();
  rest = undefined;
});

afterAll(async () => {
  await db?.stop();
});

async function startRest(options: Partial<KafkaRestDoubleOptions>, outputs: Record<string, unknown> = { api_auth: "none" }): Promise<{ rest: KafkaRestDouble; outputs: string }> {
  rest = await startKafkaRestDouble({ topics: TOPICS, ...options });
  const path = join(db.dir, `outputs-${rest.port}.json`);
  writeFileSync(path, JSON.stringify({ pipeline: { invoke_url: rest.url, region: REGION, user_id: "abc", topics: [...TOPICS], ...outputs } }));
  return { rest, outputs: path };
}

const keyOf = (topic: string, value: Record<string, unknown>) => Number(topic.endsWith(".pin") ? value.index : value.ind);

/** Every (topic, id) of the first `count` events was written at the double or dead-lettered; nothing else was. */
function expectLossless(rest: KafkaRestDouble, summary: EmulationSummary, deadLetter: string, count: number, seed: number): void {
  const order = eventOrder(Array.from({ length: ROWS }, (_, i) => i), seed);
  const expected = new Set(Array.from({ length: count }, () => order.next().value as number).flatMap((id) => TOPICS.map((topic) => `${topic}#${id}`)));
  const dead = summary.failed > 0 ? lines(readFileSync(deadLetter, "utf8")).map((line) => JSON.parse(line) as { topic: string; event: number }) : [];
  expect(dead).toHaveLength(summary.failed);
  const delivered = new Set([...rest.records.map(({ topic, value }) => `${topic}#${keyOf(topic, value)}`), ...dead.map((record) => `${record.topic}#${record.event}`)]);
  expect([...expected].filter((key) => !delivered.has(key))).toEqual([]);
  expect([...delivered].filter((key) => !expected.has(key))).toEqual([]);
  expect(summary.acknowledged + summary.failed).toBe(3 * count);
}

const FAULTS = { requestFaultRate: 0.3, recordErrorRate: 0.05, slowMs: 400 };
const faultRunFlags = (deadLetter: string, count: number) => ["--creds", creds, "--count", String(count), "--batch", "25", "--concurrency", "8", "--timeout-ms", "250", "--max-retries", "3", "--seed", "5", "--dead-letter", deadLetter, "--json"];

describe("emulate run with api_auth iam", () => {
  it("signs every request (outputs file); the double verifies each, and delivery stays lossless under faults", { timeout: 60_000 }, async () => {
    const { rest, outputs } = await startRest({ auth: IAM, faults: FAULTS, seed: 4 }, { api_auth: "iam" });
    const deadLetter = join(db.dir, "iam-dead.ndjson");
    const result = await runCli(["run", "--outputs", outputs, ...faultRunFlags(deadLetter, 600)], 60_000, { ...CREDENTIALS_ENV, ...NO_AMBIENT_CREDENTIALS });
    const summary = JSON.parse(lines(result.stdout).at(-1) as string) as EmulationSummary;
    expect(rest.requests.forbidden).toBe(0);
    expect(rest.requests.rejected).toBe(0);
    expect(rest.requests.total).toBeGreaterThan(summary.requests / 2);
    expect(Object.values(rest.requests.faults).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(summary.retried).toBeGreaterThan(0);
    expectLossless(rest, summary, deadLetter, 600, 5);
    expect(result.code).toBe(summary.failed > 0 ? 1 : 0);
  });

  it("with --url: --auth iam --region, credentials from the environment", { timeout: 60_000 }, async () => {
    const { rest } = await startRest({ auth: IAM });
    const result = await runCli(["run", "--url", rest.url, "--user-id", "abc", "--auth", "iam", "--region", REGION, "--creds", creds, "--count", "200", "--json"], 60_000, { ...CREDENTIALS_ENV, ...NO_AMBIENT_CREDENTIALS });
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(lines(result.stdout).at(-1) as string)).toMatchObject({ acknowledged: 600, failed: 0 });
    expect(rest.requests.forbidden).toBe(0);
    expect(rest.records).toHaveLength(600);
  });

  const refused = async (auth: DoubleAuth, args: string[], env: Record<string, string>) => {
    const { rest } = await startRest({ auth });
    const result = await runCli(["run", "--url", rest.url, "--user-id", "abc", "--creds", creds, "--count", "500", "--concurrency", "2", "--dead-letter", join(db.dir, `refused-${rest.port}.ndjson`), ...args], 60_000, { ...NO_AMBIENT_CREDENTIALS, ...env });
    expect(result.code).toBe(1);
    // a 403 is not retried: the run stops at the first answers instead of retrying every record
    expect(rest.requests.total).toBeGreaterThan(0);
    expect(rest.requests.total).toBeLessThanOrEqual(2);
    expect(rest.requests.forbidden).toBe(rest.requests.total);
    expect(rest.records).toHaveLength(0);
    expect(lines(result.stderr)).toHaveLength(1);
    return lines(result.stderr)[0] as string;
  };

  it("a wrong secret fails at once with one line, not a retry storm", { timeout: 60_000 }, async () => {
    const line = await refused(IAM, ["--auth", "iam", "--region", REGION], { ...CREDENTIALS_ENV, AWS_SECRET_ACCESS_KEY: "not-the-secret" });
    expect(line).toMatch(/^emulate: http:\/\/127\.0\.0\.1:\d+\/topics\/abc\.(pin|geo|user) answered 403: The request signature we calculated does not match the signature you provided\. .* \(the API refused the SigV4 signature: check the AWS credentials, the clock and the region \(outputs region or --region\)\)$/);
  });

  it("a wrong region and a skewed clock are refused the same way", { timeout: 60_000 }, async () => {
    expect(await refused(IAM, ["--auth", "iam", "--region", "eu-west-1"], CREDENTIALS_ENV)).toContain("answered 403: Credential should be scoped to a valid region.");
    expect(await refused({ ...IAM, clockSkewMs: 6 * 60_000 }, ["--auth", "iam", "--region", REGION], CREDENTIALS_ENV)).toMatch(/answered 403: Signature expired: \d{8}T\d{6}Z is now earlier than/);
  });

  it("no credentials, or expired ones: one line, exit 1, nothing posted", { timeout: 60_000 }, async () => {
    const { rest } = await startRest({ auth: IAM });
    const args = ["run", "--url", rest.url, "--user-id", "abc", "--auth", "iam", "--region", REGION, "--creds", creds, "--count", "10"];
    const none = await runCli(args, 60_000, NO_AMBIENT_CREDENTIALS);
    expect(none.code).toBe(1);
    expect(lines(none.stderr)).toHaveLength(1);
    expect(lines(none.stderr)[0]).toMatch(
      /^emulate: no AWS credentials for SigV4 signing \(set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY \(and AWS_SESSION_TOKEN for temporary keys\), or AWS_PROFILE after aws configure \/ aws sso login, or run on a host with an instance role\): .+$/,
    );
    const expired = await runCli(args, 60_000, { ...NO_AMBIENT_CREDENTIALS, ...CREDENTIALS_ENV, AWS_CREDENTIAL_EXPIRATION: "2020-01-01T00:00:00Z" });
    expect(expired.code).toBe(1);
    expect(lines(expired.stderr)).toEqual(["emulate: the AWS credentials for SigV4 signing expired at 2020-01-01T00:00:00.000Z (refresh them: aws sso login, or new temporary keys)"]);
    expect(rest.requests.total).toBe(0);
  });
});

describe("emulate run with api_auth api-key", () => {
  const API_KEY = "k3y-of-the-test-0123456789";

  it("sends x-api-key from the outputs file; lossless under faults", { timeout: 60_000 }, async () => {
    const { rest, outputs } = await startRest({ auth: { mode: "api-key", apiKey: API_KEY }, faults: FAULTS, seed: 6 }, { api_auth: "api-key", api_key: API_KEY });
    const deadLetter = join(db.dir, "key-dead.ndjson");
    const result = await runCli(["run", "--outputs", outputs, ...faultRunFlags(deadLetter, 600)]);
    const summary = JSON.parse(lines(result.stdout).at(-1) as string) as EmulationSummary;
    expect(rest.requests.forbidden).toBe(0);
    expect(summary.retried).toBeGreaterThan(0);
    expectLossless(rest, summary, deadLetter, 600, 5);
  });

  it("takes the key from PIPELINE_API_KEY when the outputs file lacks the sensitive api_key", { timeout: 60_000 }, async () => {
    const { rest, outputs } = await startRest({ auth: { mode: "api-key", apiKey: API_KEY } }, { api_auth: "api-key" });
    const missing = await runCli(["run", "--outputs", outputs, "--creds", creds, "--count", "5"]);
    expect(lines(missing.stderr)).toEqual([
      `emulate: outputs file ${outputs}: api_auth is api-key but api_key is missing (cdktf writes sensitive outputs only with --outputs-file-include-sensitive-outputs; or pass --api-key <key> or set PIPELINE_API_KEY)`,
    ]);
    expect(missing.code).toBe(2);
    expect(rest.requests.total).toBe(0);
    const fromEnv = await runCli(["run", "--outputs", outputs, "--creds", creds, "--count", "50"], 60_000, { PIPELINE_API_KEY: API_KEY });
    expect(fromEnv.code, fromEnv.stderr).toBe(0);
    expect(rest.records).toHaveLength(150);
  });

  it("a wrong key is refused once with one line naming the fix", { timeout: 60_000 }, async () => {
    const { rest } = await startRest({ auth: { mode: "api-key", apiKey: API_KEY } });
    const result = await runCli(["run", "--url", rest.url, "--user-id", "abc", "--auth", "api-key", "--api-key", "wrong", "--creds", creds, "--count", "500", "--concurrency", "1", "--dead-letter", join(db.dir, "key-refused.ndjson")]);
    expect(result.code).toBe(1);
    expect(lines(result.stderr)).toEqual([`emulate: ${rest.url}/topics/abc.pin answered 403: Forbidden (the API wants a valid API key: check the api_key output, --api-key or PIPELINE_API_KEY)`]);
    expect(rest.requests.total).toBe(1);
  });
});
