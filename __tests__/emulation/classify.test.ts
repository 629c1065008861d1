/**
 * Every way a produce request can end, classified exactly (emulation/kafka-rest.ts): each HTTP
 * answer by status, media type and body, and each socket error code before or after the request
 * went out. The classification decides whether the emulator retries (and whether a retry may
 * duplicate records), dead-letters or stops, so each case pins the whole outcome.
 */
import { Agent, type ClientRequestArgs } from "node:http";
import { Duplex } from "node:stream";
import { describe, expect, it } from "vitest";
import { classifyResponse, produce } from "../../emulation/kafka-rest";

const url = new URL("http://127.0.0.1:1/topics/u.pin");
const at = "http://127.0.0.1:1/topics/u.pin";
const offsets = (count: number) => JSON.stringify({ offsets: Array.from({ length: count }, (_, offset) => ({ partition: 0, offset })) });
const V2 = "application/vnd.kafka.v2+json";

describe("classifyResponse: retries", () => {
  it("429 and every 5xx are retried; only 429 is known not to have written anything", () => {
    expect(classifyResponse(url, 429, V2, '{"message":"Too Many Requests"}', 1)).toEqual({ kind: "retry", reason: "HTTP 429: Too Many Requests", ambiguous: false });
    expect(classifyResponse(url, 500, V2, '{"error_code":50002,"message":"Kafka error"}', 1)).toEqual({ kind: "retry", reason: "HTTP 500: Kafka error", ambiguous: true });
    expect(classifyResponse(url, 599, "", "", 1)).toEqual({ kind: "retry", reason: "HTTP 599", ambiguous: true });
  });

  it("a non-JSON error body is quoted as one line of at most 120 characters", () => {
    expect(classifyResponse(url, 502, "text/html", "<html>\n  <body>Bad   Gateway</body>\n</html>\n", 1)).toEqual({ kind: "retry", reason: "HTTP 502: <html> <body>Bad Gateway</body> </html>", ambiguous: true });
    expect(classifyResponse(url, 503, "text/plain", "x".repeat(200), 1)).toEqual({ kind: "retry", reason: `HTTP 503: ${"x".repeat(120)}`, ambiguous: true });
    expect(classifyResponse(url, 504, "text/plain", " \n\t ", 1)).toEqual({ kind: "retry", reason: "HTTP 504", ambiguous: true });
  });

  it("a JSON body without a string message is quoted as text", () => {
    expect(classifyResponse(url, 500, "application/json", '{"message":5}', 1)).toEqual({ kind: "retry", reason: 'HTTP 500: {"message":5}', ambiguous: true });
    expect(classifyResponse(url, 500, "application/json", "null", 1)).toEqual({ kind: "retry", reason: "HTTP 500: null", ambiguous: true });
  });
});

describe("classifyResponse: answers that are not the REST proxy's", () => {
  it("the media type decides, parameters and case aside", () => {
    expect(classifyResponse(url, 200, "Application/VND.Kafka.v2+JSON; charset=utf-8", offsets(1), 1)).toEqual({ kind: "offsets", errors: [null], positions: [{ partition: 0, offset: 0 }] });
    expect(classifyResponse(url, 200, " application/json ;q=1", offsets(1), 1).kind).toBe("offsets");
    expect(classifyResponse(url, 200, "text/plain; profile=json", offsets(1), 1)).toEqual({
      kind: "fatal",
      reason: `${at} answered text/plain, expected the Kafka REST proxy's JSON: check the invoke URL and that the REST proxy runs`,
    });
    expect(classifyResponse(url, 200, "", offsets(1), 1)).toEqual({
      kind: "fatal",
      reason: `${at} answered no content type, expected the Kafka REST proxy's JSON: check the invoke URL and that the REST proxy runs`,
    });
  });

  it("JSON that does not parse", () => {
    expect(classifyResponse(url, 200, V2, "{offsets", 1)).toEqual({
      kind: "fatal",
      reason: `${at} answered 200 with invalid JSON, expected the Kafka REST proxy's JSON: check the invoke URL and that the REST proxy runs`,
    });
  });
});

describe("classifyResponse: refusals (fatal), each with its hint", () => {
  const refusal = (status: number, message: string) => classifyResponse(url, status, "application/json", JSON.stringify({ message }), 1);

  it("by status", () => {
    expect(refusal(404, "Topic not found.")).toEqual({ kind: "fatal", reason: `${at} answered 404: Topic not found. (check the topic names (topics output or --topics) exist on the cluster)` });
    for (const status of [400, 422]) {
      expect(refusal(status, "bad")).toEqual({ kind: "fatal", reason: `${at} answered ${status}: bad (the request does not match the REST proxy's v2 produce contract)` });
    }
    for (const status of [406, 415]) {
      expect(refusal(status, "bad")).toEqual({ kind: "fatal", reason: `${at} answered ${status}: bad (the REST proxy rejected the media type)` });
    }
    for (const status of [199, 300, 401, 405, 428]) {
      expect(refusal(status, "odd")).toEqual({ kind: "fatal", reason: `${at} answered ${status}: odd (see the REST proxy's log)` });
    }
    expect(classifyResponse(url, 409, "application/json", "{}", 1)).toEqual({ kind: "fatal", reason: `${at} answered 409: {} (see the REST proxy's log)` });
  });

  it("403, by API Gateway's message", () => {
    const hint = (message: string) => (refusal(403, message) as { reason: string }).reason.slice(`${at} answered 403: ${message} (`.length, -1);
    expect(hint("Missing Authentication Token")).toBe("the path does not exist on the API: check the invoke URL includes the stage; if the API's api_auth is iam, requests must be signed (--auth iam)");
    for (const message of ["The request signature we calculated does not match the signature you provided.", "The security token included in the request is invalid.", "Credential should be scoped to a valid region."]) {
      expect(hint(message)).toBe("the API refused the SigV4 signature: check the AWS credentials, the clock and the region (outputs region or --region)");
    }
    expect(hint(" Forbidden ")).toBe("the API wants a valid API key: check the api_key output, --api-key or PIPELINE_API_KEY");
    for (const message of ["Forbidden: no", "Not Forbidden", "User is not authorized"]) {
      expect(hint(message)).toBe("the API refused the caller: check its api_auth and the credentials");
    }
  });
});

describe("classifyResponse: the v2 produce response", () => {
  it("one offset per record, each written or failed with its error code", () => {
    const body = JSON.stringify({ offsets: [{ partition: 2, offset: 7 }, { error_code: 0, error: "zero is still a code" }, { error_code: 40403, error: null }, { partition: 0, offset: 0, error_code: null }] });
    expect(classifyResponse(url, 200, V2, body, 4)).toEqual({
      kind: "offsets",
      errors: [null, "error_code 0: zero is still a code", "error_code 40403: ", null],
      positions: [{ partition: 2, offset: 7 }, null, null, { partition: 0, offset: 0 }],
    });
    expect(classifyResponse(url, 299, V2, offsets(2), 2).kind).toBe("offsets");
  });

  it("offsets missing, or not one per record", () => {
    expect(classifyResponse(url, 200, V2, '{"offsets":{}}', 1)).toEqual({
      kind: "fatal",
      reason: `${at} answered 200 with no "offsets", expected the Kafka REST proxy's v2 produce response: check the invoke URL points at the REST proxy`,
    });
    expect(classifyResponse(url, 200, V2, "null", 1)).toMatchObject({ reason: expect.stringContaining('with no "offsets"') });
    expect(classifyResponse(url, 200, V2, offsets(1), 2)).toEqual({
      kind: "fatal",
      reason: `${at} answered 200 with 1 offsets for 2 records, expected the Kafka REST proxy's v2 produce response: check the invoke URL points at the REST proxy`,
    });
  });

  it("an offset that is not a written position (negative, fractional, a string, missing, null)", () => {
    for (const entry of [{ partition: 0, offset: -1 }, { partition: -1, offset: 0 }, { partition: 0, offset: 1.5 }, { partition: "0", offset: 0 }, { partition: 0 }, null]) {
      expect(classifyResponse(url, 200, V2, JSON.stringify({ offsets: [entry] }), 1)).toEqual({
        kind: "fatal",
        reason: `${at} answered 200 with an offset without partition and offset (${JSON.stringify(entry)}), expected the Kafka REST proxy's v2 produce response`,
      });
    }
  });
});

/**
 * An agent whose connections fail at once with the error `code`, never come ("no socket": the
 * agent never hands one over), or stay connecting ("connecting": a socket that never connects).
 */
function failingAgent(code: string): Agent {
  const agent = new Agent();
  (agent as unknown as { createConnection: (options: ClientRequestArgs, callback: (err: Error | null, socket?: Duplex) => void) => Duplex | undefined }).createConnection = (_options, callback) => {
    if (code === "no socket") return undefined;
    const socket = Object.assign(new Duplex({ read() {}, write(_chunk, _encoding, done) { done(); } }), { connecting: code === "connecting" });
    if (code !== "connecting") setImmediate(() => socket.destroy(Object.assign(new Error(`${code} happened`), { code })));
    callback(null, socket);
    return undefined;
  };
  return agent;
}

describe("produce: socket errors by code", () => {
  const outcome = (code: string, timeoutMs = 2_000) => produce(url, "{}", 1, { agent: failingAgent(code), timeoutMs });

  it("a wrong host, name or certificate is fatal, with what to check", async () => {
    const fatal: Record<string, string> = {
      ENOTFOUND: "host not found (check the invoke URL)",
      EAI_AGAIN: "host name lookup failed (check the invoke URL and DNS)",
      ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host (check the invoke URL)",
      CERT_HAS_EXPIRED: "TLS certificate expired",
      DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
    };
    for (const [code, reason] of Object.entries(fatal)) expect(await outcome(code)).toEqual({ kind: "fatal", reason: `http://127.0.0.1:1: ${reason}` });
  });

  it("no way to the server: retried, and nothing can have been written", async () => {
    for (const code of ["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EPROTO", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN", "ERR_SSL_WRONG_VERSION_NUMBER"]) {
      expect(await outcome(code)).toEqual({ kind: "retry", reason: `http://127.0.0.1:1: ${code} (${code} happened)`, ambiguous: false, unreachable: true });
    }
  });

  it("any other error may have come after the records were written: retried as a possible duplicate", async () => {
    expect(await outcome("ECONNRESET")).toEqual({ kind: "retry", reason: "ECONNRESET (ECONNRESET happened)", ambiguous: true });
  });

  it("no connection at all within the timeout: unreachable, nothing sent", async () => {
    for (const stall of ["no socket", "connecting"]) {
      expect(await outcome(stall, 50)).toEqual({ kind: "retry", reason: "http://127.0.0.1:1: no connection within 50 ms", ambiguous: false, unreachable: true });
    }
  });
});
