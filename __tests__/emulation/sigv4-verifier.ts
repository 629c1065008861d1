/**
 * An independent AWS Signature Version 4 verifier for the REST double: it recomputes the canonical
 * request, the string to sign and the signature from the request as it arrived, with node:crypto
 * HMAC-SHA256 and nothing from the AWS SDK, following AWS's spec ("Create a signed AWS API request",
 * IAM User Guide), and refuses what API Gateway refuses, with API Gateway's 403 messages.
 *
 * Checked against AWS's published example (the S3 GET Object example of "Authenticating Requests:
 * Using the Authorization Header") in __tests__/emulation/auth.test.ts.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

export interface SigV4Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export interface SigV4Expectation {
  readonly credentials: SigV4Credentials;
  readonly region: string;
  /** @default "execute-api" */
  readonly service?: string;
  /** The verifier's clock (ms since the epoch). @default Date.now() */
  readonly now?: number;
}

/** What the verifier needs of a request: as it arrived, raw path and query, lower-case header names. */
export interface ArrivedRequest {
  readonly method: string;
  /** Path and query exactly as sent, e.g. `/prod/topics/a.pin?x=1`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

/** null when the request is authentic, else API Gateway's 403 message. */
export type Verdict = null | { readonly message: string };

/** API Gateway allows this much clock difference between signer and service. */
export const MAX_SKEW_MS = 5 * 60 * 1000;

export const MESSAGES = {
  missingToken: "Missing Authentication Token",
  badSignature:
    "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
  invalidToken: "The security token included in the request is invalid.",
} as const;

const AUTHORIZATION = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/;

export function verifySigV4(request: ArrivedRequest, expected: SigV4Expectation): Verdict {
  const service = expected.service ?? "execute-api";
  const authorization = single(request.headers.authorization);
  if (authorization === undefined) return { message: MESSAGES.missingToken };
  const match = AUTHORIZATION.exec(authorization);
  if (!match) return { message: `Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters. Authorization=${authorization}` };
  const [, credential, signedHeaderList, signature] = match as unknown as [string, string, string, string];
  const [accessKeyId, date, region, scopeService, terminator] = credential.split("/");
  if (accessKeyId !== expected.credentials.accessKeyId) return { message: MESSAGES.invalidToken };
  if (terminator !== "aws4_request") return { message: "Credential should be scoped with a valid terminator: 'aws4_request'." };
  if (scopeService !== service) return { message: `Credential should be scoped to correct service: '${service}'. ` };
  if (region !== expected.region) return { message: `Credential should be scoped to a valid region. ` };
  const signedHeaders = signedHeaderList.split(";");
  const amzDate = single(request.headers["x-amz-date"]);
  if (amzDate === undefined || !/^\d{8}T\d{6}Z$/.test(amzDate) || !signedHeaders.includes("x-amz-date") || !signedHeaders.includes("host")) {
    return { message: "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header, and host and x-amz-date must be signed." };
  }
  if (date !== amzDate.slice(0, 8)) return { message: `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${amzDate.slice(0, 8)}'` };
  const skew = amzDateMs(amzDate) - (expected.now ?? Date.now());
  if (Math.abs(skew) > MAX_SKEW_MS) {
    const now = (expected.now ?? Date.now());
    return { message: `Signature ${skew < 0 ? "expired" : "not yet current"}: ${amzDate} is now ${skew < 0 ? "earlier" : "later"} than ${toAmzDate(now + (skew < 0 ? -MAX_SKEW_MS : MAX_SKEW_MS))} (${toAmzDate(now)} ${skew < 0 ? "-" : "+"} 5 min.)` };
  }
  if (expected.credentials.sessionToken !== undefined) {
    if (single(request.headers["x-amz-security-token"]) !== expected.credentials.sessionToken || !signedHeaders.includes("x-amz-security-token")) return { message: MESSAGES.invalidToken };
  }
  const claimedPayloadHash = single(request.headers["x-amz-content-sha256"]);
  if (claimedPayloadHash !== undefined && claimedPayloadHash !== sha256Hex(request.body)) return { message: MESSAGES.badSignature };
  const wanted = sigV4Signature({ ...request, signedHeaders, amzDate, region, service, secretAccessKey: expected.credentials.secretAccessKey });
  return timingSafeEqual(Buffer.from(wanted), Buffer.from(signature)) ? null : { message: MESSAGES.badSignature };
}

export interface SignatureInput extends ArrivedRequest {
  readonly signedHeaders: readonly string[];
  readonly amzDate: string;
  readonly region: string;
  readonly service: string;
  readonly secretAccessKey: string;
}

/** The hex signature of a request per SigV4; exported so the test can check it on AWS's published example. */
export function sigV4Signature(input: SignatureInput): string {
  const [rawPath = "/", rawQuery = ""] = input.url.split("?", 2) as [string, string?];
  const payloadHash = single(input.headers["x-amz-content-sha256"]) ?? sha256Hex(input.body);
  const canonicalRequest = [
    input.method,
    canonicalUri(rawPath, input.service),
    canonicalQuery(rawQuery),
    input.signedHeaders.map((name) => `${name}:${canonicalHeaderValue(input.headers[name])}\n`).join(""),
    input.signedHeaders.join(";"),
    payloadHash,
  ].join("\n");
  const scope = `${input.amzDate.slice(0, 8)}/${input.region}/${input.service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", input.amzDate, scope, sha256Hex(Buffer.from(canonicalRequest, "utf8"))].join("\n");
  let key: Buffer = Buffer.from(`AWS4${input.secretAccessKey}`, "utf8");
  for (const part of [input.amzDate.slice(0, 8), input.region, input.service, "aws4_request"]) key = hmac(key, part);
  return createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
}

/** RFC 3986 encoding: everything but unreserved characters, upper-case hex. */
function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Every service but S3 encodes each path segment of the (already encoded) path once more, and
 * normalizes `.` and `..` segments and repeated slashes.
 */
function canonicalUri(rawPath: string, service: string): string {
  if (service === "s3") return rawPath;
  const segments: string[] = [];
  for (const segment of rawPath.split("/").slice(1)) {
    if (segment === "." || segment === "") continue;
    if (segment === "..") segments.pop();
    else segments.push(uriEncode(segment));
  }
  const trailing = rawPath.length > 1 && rawPath.endsWith("/") ? "/" : "";
  return `/${segments.join("/")}${segments.length > 0 ? trailing : ""}`;
}

function canonicalQuery(rawQuery: string): string {
  if (rawQuery === "") return "";
  return rawQuery
    .split("&")
    .map((pair) => {
      const [name = "", value = ""] = pair.split("=", 2) as [string, string?];
      return [uriEncode(decodeURIComponent(name)), uriEncode(decodeURIComponent(value))] as const;
    })
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([name, value]) => `${name}=${value}`)
    .join("&");
}

function canonicalHeaderValue(value: string | string[] | undefined): string {
  const values = Array.isArray(value) ? value : [value ?? ""];
  return values.map((item) => item.trim().replace(/\s+/g, " ")).join(",");
}

function single(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function sha256Hex(data: Buffer): string {
  return createHash("sha256").update(data).digest("hex");
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}

function amzDateMs(amzDate: string): number {
  const [, y, mo, d, h, mi, s] = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate) as unknown as string[];
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
}

function toAmzDate(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}
