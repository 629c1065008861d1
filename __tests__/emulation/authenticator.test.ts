/**
 * The request authenticators on their own, without a server: exactly which headers each mode adds,
 * a SigV4 signature that API Gateway's check accepts for a URL with a port, and the credentials'
 * expiry boundary. (send.test.ts and auth.test.ts run whole emulations against doubles that verify.)
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { createAuthenticator, type CredentialProvider } from "../../emulation/auth";
import { PRODUCE_MEDIA_HEADERS as MEDIA } from "../../emulation/kafka-rest";
import { MESSAGES, verifySigV4 } from "./sigv4-verifier";

const CREDENTIALS = { accessKeyId: "AKIDUNITTEST", secretAccessKey: "unit-secret/key+1", sessionToken: "unit-session" };
const BODY = JSON.stringify({ records: [{ value: { index: 1 } }] });

afterEach(() => {
  vi.useRealTimers();
});

async function sigV4(region = "eu-west-1", credentials: CredentialProvider = async () => CREDENTIALS) {
  const authenticator = await createAuthenticator({ mode: "iam", region }, credentials);
  if (authenticator === undefined) throw new Error("iam mode must have an authenticator");
  return authenticator;
}

/** The request as it arrives (names lower-cased, as Node's server sees them): the client's headers, what the authenticator added, and the Host header Node's HTTP client sends. */
function arrived(url: URL, added: Record<string, string>) {
  return { method: "POST", url: url.pathname, headers: { ...lower(MEDIA), ...added, host: url.host }, body: Buffer.from(BODY) };
}
const lower = (headers: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(headers).map(([name, value]) => [name.toLowerCase(), value]));

describe("auth: iam (SigV4)", () => {
  it("adds exactly the signature's headers: none of the request's own, and no host (the HTTP client sends it)", async () => {
    const added = await (await sigV4()).headersFor(new URL("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/topics/u.pin"), MEDIA, BODY);
    expect(Object.keys(added).sort()).toEqual(["authorization", "x-amz-content-sha256", "x-amz-date", "x-amz-security-token"]);
    expect(added["x-amz-security-token"]).toBe(CREDENTIALS.sessionToken);
  });

  it("signs the Host the client sends, port included, so a URL with a port verifies; another port does not", async () => {
    const url = new URL("http://127.0.0.1:8443/prod/topics/u.pin");
    const added = await (await sigV4()).headersFor(url, MEDIA, BODY);
    expect(verifySigV4(arrived(url, added), { credentials: CREDENTIALS, region: "eu-west-1" })).toBeNull();
    const otherPort = new URL("http://127.0.0.1:9443/prod/topics/u.pin");
    expect(verifySigV4(arrived(otherPort, added), { credentials: CREDENTIALS, region: "eu-west-1" })).toEqual({ message: MESSAGES.badSignature });
  });

  it("the payload hash it declares is the body's, so a changed body is refused", async () => {
    const url = new URL("https://abc123.execute-api.eu-west-1.amazonaws.com/prod/topics/u.geo");
    const added = await (await sigV4()).headersFor(url, MEDIA, BODY);
    expect(verifySigV4(arrived(url, added), { credentials: CREDENTIALS, region: "eu-west-1" })).toBeNull();
    expect(verifySigV4({ ...arrived(url, added), body: Buffer.from(`${BODY} `) }, { credentials: CREDENTIALS, region: "eu-west-1" })).toEqual({ message: MESSAGES.badSignature });
  });

  it("credentials expiring at this very millisecond are expired; one millisecond later they are still good", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(new Date("2026-12-02T12:00:00.000Z"));
    const now = new Date("2026-12-02T12:00:00.000Z");
    await expect(sigV4("eu-west-1", async () => ({ ...CREDENTIALS, expiration: now }))).rejects.toThrow(
      "the AWS credentials for SigV4 signing expired at 2026-12-02T12:00:00.000Z (refresh them: aws sso login, or new temporary keys)",
    );
    await expect(sigV4("eu-west-1", async () => ({ ...CREDENTIALS, expiration: new Date(now.getTime() + 1) }))).resolves.toBeDefined();
  });
});

describe("auth: api-key and none", () => {
  it("api-key adds exactly x-api-key; none has no authenticator at all", async () => {
    const apiKey = await createAuthenticator({ mode: "api-key", apiKey: "k-9" });
    expect(await apiKey?.headersFor(new URL("https://x.example/prod/topics/u.pin"), MEDIA, BODY)).toEqual({ "x-api-key": "k-9" });
    expect(await createAuthenticator({ mode: "none" })).toBeUndefined();
  });
});
