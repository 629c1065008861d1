/**
 * The client side of the Kafka REST proxy's v2 produce API (`POST /topics/<topic>`), as reached
 * through the API Gateway stage: request building and a classification of every answer into
 * acknowledged / failed-per-record / retry-the-request / fatal.
 */
import { Agent as HttpAgent, request as httpRequest } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import type { RequestAuthenticator } from "./auth";

export const PRODUCE_CONTENT_TYPE = "application/vnd.kafka.json.v2+json";
export const PRODUCE_ACCEPT = "application/vnd.kafka.v2+json";

/** `<invoke URL>/topics/<topic>`. */
export function topicUrl(invokeUrl: string, topic: string): URL {
  return new URL(`${invokeUrl.replace(/\/+$/, "")}/topics/${encodeURIComponent(topic)}`);
}

/** `{"records":[{"value":<row>},…]}` from rows already serialised to JSON (each row is serialised once, even if retried). */
export function produceBody(valuesJson: readonly string[]): string {
  let body = '{"records":[';
  for (let i = 0; i < valuesJson.length; i++) body += (i === 0 ? '{"value":' : ',{"value":') + valuesJson[i] + "}";
  return body + "]}";
}

/** The media-type headers of a produce request (the ones SigV4 signs, besides host). */
export const PRODUCE_MEDIA_HEADERS: Readonly<Record<string, string>> = { "Content-Type": PRODUCE_CONTENT_TYPE, Accept: PRODUCE_ACCEPT };

export function produceHeaders(bodyBytes: number, authHeaders?: Readonly<Record<string, string>>): Record<string, string | number> {
  return { ...PRODUCE_MEDIA_HEADERS, "Content-Length": bodyBytes, ...authHeaders };
}

/** Where the cluster wrote a record. */
export interface RecordPosition {
  readonly partition: number;
  readonly offset: number;
}

/** What one produce request came to. */
export type ProduceOutcome =
  /**
   * The proxy answered with one offset per record: record i was written at `positions[i]` when
   * `errors[i]` is null; otherwise `errors[i]` says why not and `positions[i]` is null.
   */
  | { readonly kind: "offsets"; readonly errors: readonly (string | null)[]; readonly positions: readonly (RecordPosition | null)[] }
  /**
   * A transient fault of the whole request (429, 5xx, timeout, reset). `ambiguous` when the
   * records may have been written anyway (the request reached the server), so a retry may duplicate them.
   */
  | {
      readonly kind: "retry";
      readonly reason: string;
      readonly ambiguous: boolean;
      /** The API could not be reached at all (refused, unreachable, TLS failure): nothing was sent. */
      readonly unreachable?: boolean;
    }
  /** Every further request would fail the same way (wrong URL, not a REST proxy, contract violation). */
  | { readonly kind: "fatal"; readonly reason: string };

export interface ProduceTransport {
  readonly agent: HttpAgent | HttpsAgent;
  readonly timeoutMs: number;
}

export interface ProduceClientOptions {
  readonly concurrency: number;
  readonly timeoutMs: number;
  /** Adds auth headers per request; absent for an API without auth. */
  readonly authenticator?: RequestAuthenticator;
}

/**
 * Posts produce requests for any topic under one invoke URL over a keep-alive pool of `concurrency`
 * sockets (one per request in flight, so a request never waits for a socket).
 */
export class ProduceClient {
  private readonly urls = new Map<string, URL>();
  private readonly transport: ProduceTransport;
  private readonly authenticator: RequestAuthenticator | undefined;

  constructor(
    private readonly invokeUrl: string,
    options: ProduceClientOptions,
  ) {
    this.authenticator = options.authenticator;
    const agentOptions = { keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency };
    const agent = new URL(invokeUrl).protocol === "https:" ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.transport = { agent, timeoutMs: options.timeoutMs };
  }

  /** Posts these rows' JSON as one request to the topic; never rejects. */
  produce(topic: string, valuesJson: readonly string[]): Promise<ProduceOutcome> {
    const url = this.urlOf(topic);
    const body = produceBody(valuesJson);
    if (this.authenticator === undefined) return produce(url, body, valuesJson.length, this.transport);
    return this.authenticator.headersFor(url, PRODUCE_MEDIA_HEADERS, body).then(
      (authHeaders) => produce(url, body, valuesJson.length, this.transport, authHeaders),
      (err: unknown): ProduceOutcome => ({ kind: "fatal", reason: `cannot sign the request to ${url.origin}: ${err instanceof Error ? err.message.split("\n")[0] : String(err)} (check the AWS credentials)` }),
    );
  }

  close(): void {
    this.transport.agent.destroy();
  }

  private urlOf(topic: string): URL {
    let url = this.urls.get(topic);
    // Stryker disable next-line ConditionalExpression: a cache; building the URL again gives the same URL
    if (url === undefined) {
      url = topicUrl(this.invokeUrl, topic);
      this.urls.set(topic, url);
    }
    return url;
  }
}

/** Errors before the request reached the server (no connection, no TLS session): retrying cannot duplicate records. */
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "EHOSTUNREACH", "ENETUNREACH", "EPROTO", "UNABLE_TO_VERIFY_LEAF_SIGNATURE", "SELF_SIGNED_CERT_IN_CHAIN", "ERR_SSL_WRONG_VERSION_NUMBER"]);
const FATAL_CODES: Readonly<Record<string, string>> = {
  ENOTFOUND: "host not found (check the invoke URL)",
  EAI_AGAIN: "host name lookup failed (check the invoke URL and DNS)",
  ERR_TLS_CERT_ALTNAME_INVALID: "TLS certificate does not match the host (check the invoke URL)",
  CERT_HAS_EXPIRED: "TLS certificate expired",
  DEPTH_ZERO_SELF_SIGNED_CERT: "self-signed TLS certificate",
};

/** Sends one produce request of `recordCount` records and classifies the answer; never rejects. */
export function produce(url: URL, body: string, recordCount: number, transport: ProduceTransport, authHeaders?: Readonly<Record<string, string>>): Promise<ProduceOutcome> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (outcome: ProduceOutcome) => {
      // Stryker disable next-line ConditionalExpression,BlockStatement: a promise settles once; the guard keeps a late error from clearing a timer twice
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(outcome);
    };
    // the transport's agent (HTTP or HTTPS, chosen with the invoke URL) decides plain TCP or TLS
    const req = httpRequest(url, { method: "POST", agent: transport.agent, headers: produceHeaders(Buffer.byteLength(body), authHeaders) }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("error", (err) => finish({ kind: "retry", reason: `response aborted: ${describeSocketError(err)}`, ambiguous: true }));
      res.on("end", () => finish(classifyResponse(url, res.statusCode ?? 0, String(res.headers["content-type"] ?? ""), Buffer.concat(chunks).toString("utf8"), recordCount)));
    });
    const timer = setTimeout(() => {
      // still connecting after the whole timeout: the host does not answer at all, nothing was sent
      const connecting = req.socket === null || req.socket.connecting;
      req.destroy();
      finish(connecting ? { kind: "retry", reason: `${url.origin}: no connection within ${transport.timeoutMs} ms`, ambiguous: false, unreachable: true } : { kind: "retry", reason: `no answer within ${transport.timeoutMs} ms`, ambiguous: true });
    }, transport.timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => {
      const code = err.code ?? "";
      const fatal = FATAL_CODES[code];
      if (fatal) finish({ kind: "fatal", reason: `${url.origin}: ${fatal}` });
      else if (UNREACHABLE_CODES.has(code)) finish({ kind: "retry", reason: `${url.origin}: ${describeSocketError(err)}`, ambiguous: false, unreachable: true });
      else finish({ kind: "retry", reason: describeSocketError(err), ambiguous: true });
    });
    req.end(body);
  });
}

function describeSocketError(err: NodeJS.ErrnoException): string {
  return err.code ? `${err.code} (${err.message})` : err.message;
}

/** The media type without parameters, lower case. */
function mediaType(contentType: string): string {
  return contentType.split(";")[0]?.trim().toLowerCase() ?? "";
}

/**
 * Classifies an HTTP answer to a produce request of `recordCount` records.
 * Exported for unit tests; {@link produce} is the caller.
 */
export function classifyResponse(url: URL, status: number, contentType: string, text: string, recordCount: number): ProduceOutcome {
  const type = mediaType(contentType);
  if (status === 429 || status >= 500) {
    return { kind: "retry", reason: `HTTP ${status}${messageOf(text) ? `: ${messageOf(text)}` : ""}`, ambiguous: status !== 429 };
  }
  if (!type.includes("json")) {
    return { kind: "fatal", reason: `${url.href} answered ${type || "no content type"}, expected the Kafka REST proxy's JSON: check the invoke URL and that the REST proxy runs` };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return { kind: "fatal", reason: `${url.href} answered ${status} with invalid JSON, expected the Kafka REST proxy's JSON: check the invoke URL and that the REST proxy runs` };
  }
  if (status < 200 || status >= 300) {
    const message = messageOf(text) ?? "no message";
    const hint =
      status === 403 ? forbiddenHint(message)
      : status === 404 ? "check the topic names (topics output or --topics) exist on the cluster"
      : status === 422 || status === 400 ? "the request does not match the REST proxy's v2 produce contract"
      : status === 415 || status === 406 ? "the REST proxy rejected the media type"
      : "see the REST proxy's log";
    return { kind: "fatal", reason: `${url.href} answered ${status}: ${message} (${hint})` };
  }
  const offsets = (parsed as { offsets?: unknown } | null)?.offsets;
  if (!Array.isArray(offsets) || offsets.length !== recordCount) {
    const got = Array.isArray(offsets) ? `${offsets.length} offsets for ${recordCount} records` : 'no "offsets"';
    return { kind: "fatal", reason: `${url.href} answered ${status} with ${got}, expected the Kafka REST proxy's v2 produce response: check the invoke URL points at the REST proxy` };
  }
  const errors: (string | null)[] = [];
  const positions: (RecordPosition | null)[] = [];
  for (const entry of offsets as unknown[]) {
    const { error_code: code, error, partition, offset } = (entry ?? {}) as { error_code?: unknown; error?: unknown; partition?: unknown; offset?: unknown };
    if (code !== null && code !== undefined) {
      errors.push(`error_code ${String(code)}: ${String(error ?? "")}`);
      positions.push(null);
    } else if (isCount(partition) && isCount(offset)) {
      errors.push(null);
      positions.push({ partition, offset });
    } else {
      return { kind: "fatal", reason: `${url.href} answered ${status} with an offset without partition and offset (${JSON.stringify(entry)}), expected the Kafka REST proxy's v2 produce response` };
    }
  }
  return { kind: "offsets", errors, positions };
}

function isCount(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value >= 0;
}

/**
 * What to check after API Gateway's 403, by its message: an unknown path and an unsigned request to
 * an IAM API both read "Missing Authentication Token".
 */
function forbiddenHint(message: string): string {
  if (/authentication token/i.test(message)) return "the path does not exist on the API: check the invoke URL includes the stage; if the API's api_auth is iam, requests must be signed (--auth iam)";
  if (/signature|security token|credential should be scoped/i.test(message)) return "the API refused the SigV4 signature: check the AWS credentials, the clock and the region (outputs region or --region)";
  if (/^forbidden$/i.test(message.trim())) return "the API wants a valid API key: check the api_key output, --api-key or PIPELINE_API_KEY";
  return "the API refused the caller: check its api_auth and the credentials";
}

/** The `message` of a JSON error body (REST proxy and API Gateway both use it), or a short text excerpt. */
function messageOf(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { message?: unknown };
    if (typeof parsed?.message === "string") return parsed.message;
  } catch {
    // not JSON: fall through to an excerpt
  }
  const excerpt = text.replace(/\s+/g, " ").trim().slice(0, 120);
  return excerpt === "" ? undefined : excerpt;
}
