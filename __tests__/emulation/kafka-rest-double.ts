/**
 * A stand-in for the Confluent Kafka REST proxy's v2 produce endpoint (behind API Gateway), for
 * tests and benchmarks: the one part of the pipeline that cannot run here. It enforces the real
 * contract (path, media types, body shape with no unknown fields, one offset per record) and can
 * inject the faults a real deployment shows: 500, 429, slow answers, dropped connections, answers
 * lost after the records were written (which makes the client's retry a duplicate), and per-record
 * errors inside a 200. Like API Gateway in front of the proxy it can demand auth first: a SigV4
 * signature it verifies itself (sigv4-verifier.ts, node:crypto only) or an API key, refusing with
 * API Gateway's 403 JSON bodies.
 */
import { createHash } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { mulberry32 } from "../../emulation/random";
import { verifySigV4, type SigV4Credentials, type Verdict } from "./sigv4-verifier";

export type FaultKind = "status500" | "status429" | "slow" | "drop" | "lostResponse";

export interface FaultPlan {
  /** Probability that a request meets one of the faults below (0–1). */
  readonly requestFaultRate: number;
  /** Relative weights of the fault kinds. @default all equal */
  readonly kinds?: Partial<Record<FaultKind, number>>;
  /** Probability that a record of an otherwise good request fails with a per-record error. @default 0 */
  readonly recordErrorRate?: number;
  /** Delay of a "slow" answer. @default 300 */
  readonly slowMs?: number;
}

/** API Gateway's authorization in front of the proxy. */
export type DoubleAuth =
  | { readonly mode: "iam"; readonly credentials: SigV4Credentials; readonly region: string; readonly service?: string; /** Added to the double's clock, to test skew. */ readonly clockSkewMs?: number }
  | { readonly mode: "api-key"; readonly apiKey: string };

export interface KafkaRestDoubleOptions {
  /** Topics that exist; others answer 404 / 40401 like the proxy. */
  readonly topics: readonly string[];
  readonly faults?: FaultPlan;
  /** Seed of the fault dice. @default 1 */
  readonly seed?: number;
  /** Keep every record's value (tests); off for benchmarks, which only count. @default true */
  readonly keepValues?: boolean;
  /** Answer every request with a 200 HTML page, like a web server that is not the proxy. @default false */
  readonly answerHtml?: boolean;
  /** Demand SigV4 or an API key before anything else. @default none */
  readonly auth?: DoubleAuth;
  /**
   * Partitions of every topic. A record goes to its `partition` if it names one (a partition that
   * does not exist answers 404 / 40402 like the proxy), else by a hash of its `key`, else round-robin.
   * Each partition has its own offsets from 0. @default 1
   */
  readonly partitions?: number;
}

export interface ReceivedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly value: Record<string, unknown>;
  /** performance.now() when the record was written. */
  readonly at: number;
}

export interface KafkaRestDouble {
  readonly url: string;
  readonly port: number;
  /** Records written (acknowledged or not), in arrival order; empty with keepValues false. */
  readonly records: ReceivedRecord[];
  /** Records whose 200 answer was handed to the socket (a lost answer's records are written, not acknowledged); empty with keepValues false. */
  readonly acknowledged: ReceivedRecord[];
  /** Records written per topic. */
  readonly written: Record<string, number>;
  readonly requests: { total: number; rejected: number; forbidden: number; faults: Record<FaultKind, number> };
  /** Client connections open now (keep-alive sockets included). */
  openConnections(): Promise<number>;
  close(): Promise<void>;
}

export const V2_JSON = "application/vnd.kafka.json.v2+json";
const RESPONSE_TYPE = "application/vnd.kafka.v2+json";
const ACCEPTABLE = ["application/vnd.kafka.v2+json", "application/vnd.kafka+json", "application/json", "*/*", "application/*"];
const REQUEST_FIELDS = new Set(["records", "key_schema", "key_schema_id", "value_schema", "value_schema_id"]);
const RECORD_FIELDS = new Set(["key", "value", "partition"]);
/** One record of a v2 produce body, as checked above. */
interface ProduceRecord {
  readonly key?: unknown;
  readonly value: Record<string, unknown>;
  readonly partition?: number;
}

const FAULT_KINDS: readonly FaultKind[] = ["status500", "status429", "slow", "drop", "lostResponse"];

export async function startKafkaRestDouble(options: KafkaRestDoubleOptions): Promise<KafkaRestDouble> {
  const dice = mulberry32(options.seed ?? 1);
  const keepValues = options.keepValues ?? true;
  const topics = new Set(options.topics);
  const records: ReceivedRecord[] = [];
  const acknowledged: ReceivedRecord[] = [];
  const partitions = options.partitions ?? 1;
  const nextPartition: Record<string, number> = {};
  const written: Record<string, number> = Object.fromEntries(options.topics.map((topic) => [topic, 0]));
  const nextOffset = new Map<string, number>();
  const requests = { total: 0, rejected: 0, forbidden: 0, faults: Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number> };
  const weights = FAULT_KINDS.map((kind) => options.faults?.kinds?.[kind] ?? (options.faults?.kinds ? 0 : 1));
  const weightSum = weights.reduce((a, b) => a + b, 0);

  const pickFault = (): FaultKind | undefined => {
    const plan = options.faults;
    if (!plan || dice() >= plan.requestFaultRate || weightSum === 0) return undefined;
    let roll = dice() * weightSum;
    for (let i = 0; i < FAULT_KINDS.length; i++) {
      roll -= weights[i] as number;
      if (roll < 0) return FAULT_KINDS[i];
    }
    return FAULT_KINDS[FAULT_KINDS.length - 1];
  };

  const reject = (res: ServerResponse, status: number, errorCode: number, message: string) => {
    requests.rejected++;
    sendJson(res, status, { error_code: errorCode, message });
  };

  /** The partition a record goes to: its own, else its key's hash, else the topic's next in turn. */
  const partitionOf = (topic: string, record: ProduceRecord): number => {
    if (record.partition !== undefined) return record.partition;
    if (record.key !== undefined && record.key !== null) return createHash("sha256").update(JSON.stringify(record.key)).digest().readUInt32BE(0) % partitions;
    const next = nextPartition[topic] ?? 0;
    nextPartition[topic] = (next + 1) % partitions;
    return next;
  };

  /** Appends records to their partitions; returns what was written, with partitions and offsets. */
  const write = (topic: string, produced: readonly ProduceRecord[]): ReceivedRecord[] => {
    const at = performance.now();
    written[topic] = (written[topic] ?? 0) + produced.length;
    const out = produced.map((record) => {
      const partition = partitionOf(topic, record);
      const offset = nextOffset.get(`${topic}/${partition}`) ?? 0;
      nextOffset.set(`${topic}/${partition}`, offset + 1);
      return { topic, partition, offset, value: record.value, at };
    });
    if (keepValues) records.push(...out);
    return out;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer) => {
    requests.total++;
    const refusal = options.auth ? authorize(options.auth, req, raw) : null;
    if (refusal !== null) {
      requests.forbidden++;
      // API Gateway's own answer: JSON with only a message, no error_code
      return sendJson(res, 403, refusal, "application/json");
    }
    const body = raw.toString("utf8");
    if (options.answerHtml) {
      res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" });
      res.end("<!DOCTYPE html><html><body><h1>Welcome to nginx!</h1></body></html>");
      return;
    }
    const match = /^\/topics\/([^/?]+)$/.exec(req.url ?? "");
    if (req.method !== "POST" || !match) return reject(res, 404, 404, "HTTP 404 Not Found");
    const topic = decodeURIComponent(match[1] as string);
    if (!topics.has(topic)) return reject(res, 404, 40401, "Topic not found.");
    const contentType = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
    if (contentType !== V2_JSON) return reject(res, 415, 415, "HTTP 415 Unsupported Media Type");
    const accept = req.headers.accept;
    if (accept !== undefined && !accept.split(",").some((type) => ACCEPTABLE.includes(type.split(";")[0]?.trim().toLowerCase() ?? ""))) {
      return reject(res, 406, 406, "HTTP 406 Not Acceptable");
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      return reject(res, 400, 400, "Unexpected character in request body");
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return reject(res, 422, 422, "Request body must be a JSON object");
    const unknownField = Object.keys(parsed).find((key) => !REQUEST_FIELDS.has(key));
    if (unknownField !== undefined) return reject(res, 422, 422, `Unrecognized field: ${unknownField}`);
    const recordList = (parsed as { records?: unknown }).records;
    if (!Array.isArray(recordList) || recordList.length === 0) return reject(res, 422, 42201, "records may not be empty");
    for (const record of recordList) {
      if (record === null || typeof record !== "object" || Array.isArray(record)) return reject(res, 422, 422, "Each record must be a JSON object");
      const unknownRecordField = Object.keys(record).find((key) => !RECORD_FIELDS.has(key));
      if (unknownRecordField !== undefined) return reject(res, 422, 422, `Unrecognized field: ${unknownRecordField}`);
      if (!("value" in record)) return reject(res, 422, 42202, "value is required");
      const partition = (record as { partition?: unknown }).partition;
      if (partition !== undefined && !(Number.isInteger(partition) && (partition as number) >= 0)) return reject(res, 422, 422, "partition must be a non-negative integer");
      if (partition !== undefined && (partition as number) >= partitions) return reject(res, 404, 40402, "Partition not found.");
    }
    const values = recordList as ProduceRecord[];

    const fault = pickFault();
    if (fault) requests.faults[fault]++;
    switch (fault) {
      case "status500":
        return sendJson(res, 500, { error_code: 500, message: "Internal Server Error" });
      case "status429":
        return sendJson(res, 429, { message: "Too Many Requests" });
      case "drop":
        req.socket.destroy();
        return;
      case "lostResponse":
        write(topic, values);
        req.socket.destroy();
        return;
      case "slow":
        setTimeout(() => acknowledge(res, topic, values), options.faults?.slowMs ?? 300);
        return;
      case undefined:
        return acknowledge(res, topic, values);
    }
  };

  const acknowledge = (res: ServerResponse, topic: string, values: readonly ProduceRecord[]) => {
    const recordErrorRate = options.faults?.recordErrorRate ?? 0;
    const failed = values.map(() => recordErrorRate > 0 && dice() < recordErrorRate);
    const ok = write(topic, values.filter((_, i) => !failed[i]));
    let next = 0;
    const offsets = failed.map((fails) => {
      if (fails) return { partition: null, offset: null, error_code: 2, error: "This server is not the leader for that topic-partition." };
      const { partition, offset } = ok[next++] as ReceivedRecord;
      return { partition, offset, error_code: null, error: null };
    });
    if (res.destroyed) return;
    sendJson(res, 200, { offsets, key_schema_id: null, value_schema_id: null });
    if (keepValues) acknowledged.push(...ok);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
    req.on("error", () => undefined);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    records,
    acknowledged,
    written,
    requests,
    openConnections: () => new Promise<number>((resolve, reject) => server.getConnections((err, count) => (err ? reject(err) : resolve(count)))),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function authorize(auth: DoubleAuth, req: IncomingMessage, body: Buffer): Verdict {
  if (auth.mode === "api-key") return req.headers["x-api-key"] === auth.apiKey ? null : { message: "Forbidden" };
  return verifySigV4(
    { method: req.method ?? "", url: req.url ?? "/", headers: req.headers, body },
    { credentials: auth.credentials, region: auth.region, ...(auth.service ? { service: auth.service } : {}), now: Date.now() + (auth.clockSkewMs ?? 0) },
  );
}

function sendJson(res: ServerResponse, status: number, body: unknown, contentType = RESPONSE_TYPE): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text) });
  res.end(text);
}
