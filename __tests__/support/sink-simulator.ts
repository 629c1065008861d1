/**
 * A stand-in for MSK Connect's Confluent S3 sink (kafka-connect-s3 10.6.0, JsonFormat,
 * DefaultPartitioner): given the records the REST proxy accepted, it writes objects the way the
 * connector does into a real S3 API server, through the real SDK:
 *
 * - key `topics/<topic>/partition=<p>/<topic>+<p>+<first offset, zero-padded to 10>.json`;
 * - a file rotates when it holds `flush.size` records, so across skipped offsets a file still holds
 *   flush.size records and is named after its first one;
 * - one JSON value per record, each followed by a newline;
 * - values re-serialized from a Java HashMap: keys in HashMap iteration order, characters above
 *   U+FFFF escaped as surrogate pairs.
 *
 * Its input, {@link AcceptedRecord}, is what a Kafka REST v2 double knows after acknowledging:
 * topic, partition, offset and the value's JSON, so such a double's log can be fed in directly.
 * It also writes the matching receipts with lib/receipts.ts, as the emulator does.
 */
import { appendFileSync } from "node:fs";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { contentHash, formatReceipt, isSampled } from "../../lib/receipts";

export interface AcceptedRecord {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  /** The record value's JSON as posted. */
  readonly value: string;
}

export interface OffsetSpan {
  readonly topic: string;
  readonly partition: number;
  /** Inclusive. */
  readonly from: number;
  readonly to: number;
}

export interface SinkOptions {
  readonly bucket: string;
  /** `flush.size`. */
  readonly flushSize: number;
  /** Records the sink never writes (sent to the dead-letter topic, say); files still rotate by count. */
  readonly skip?: OffsetSpan;
  /** The task fails at this offset: nothing from it on is written, and the open file before it is lost. */
  readonly stopAt?: { readonly topic: string; readonly partition: number; readonly offset: number };
  /** After the normal files, these records are written again in one more file named after `from` (a rewrite after a restart). */
  readonly duplicate?: OffsetSpan;
  /** Close the last, partial file of each partition as a rotation interval would. @default true */
  readonly flushPartial?: boolean;
  /** PUTs in flight. @default 8 */
  readonly concurrency?: number;
}

export interface SinkObject {
  readonly key: string;
  readonly body: string;
}

const PAD_WIDTH = 10;

/** The connector's object key, built independently of the code under test. */
export function sinkObjectKey(topic: string, partition: number, startOffset: number): string {
  return `topics/${topic}/partition=${partition}/${topic}+${partition}+${String(startOffset).padStart(PAD_WIDTH, "0")}.json`;
}

/** Java's String.hashCode. */
function javaHash(text: string): number {
  let hash = 0;
  for (let i = 0; i < text.length; i++) hash = (Math.imul(31, hash) + text.charCodeAt(i)) | 0;
  return hash;
}

/** The iteration order of a java.util.HashMap filled with these keys (default capacity 16, load factor 0.75). */
export function hashMapOrder(keys: readonly string[]): string[] {
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const bucket = (key: string) => {
    const h = javaHash(key);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return keys.map((key, i) => ({ key, i, b: bucket(key) })).sort((a, b) => a.b - b.b || a.i - b.i).map((e) => e.key);
}

/** A value as the JsonConverter writes it back: HashMap key order, non-BMP characters as escaped surrogates. */
export function reserialize(json: string): string {
  const write = (value: unknown): string => {
    if (Array.isArray(value)) return `[${value.map(write).join(",")}]`;
    if (value !== null && typeof value === "object") {
      const record = value as Record<string, unknown>;
      return `{${hashMapOrder(Object.keys(record)).map((key) => `${write(key)}:${write(record[key])}`).join(",")}}`;
    }
    const text = JSON.stringify(value);
    return typeof value === "string" ? text.replace(/[\u{10000}-\u{10FFFF}]/gu, (c) => c.split("").map((unit) => `\\u${unit.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`).join("")) : text;
  };
  return write(JSON.parse(json));
}

const inSpan = (span: OffsetSpan | undefined, r: AcceptedRecord) => span !== undefined && span.topic === r.topic && span.partition === r.partition && r.offset >= span.from && r.offset <= span.to;

/** The objects the sink writes for these records, in write order. */
export function* sinkObjects(records: Iterable<AcceptedRecord>, options: Omit<SinkOptions, "bucket" | "concurrency">): Generator<SinkObject> {
  const open = new Map<string, { topic: string; partition: number; start: number; lines: string[] }>();
  const stopped = (r: AcceptedRecord) => options.stopAt !== undefined && options.stopAt.topic === r.topic && options.stopAt.partition === r.partition && r.offset >= options.stopAt.offset;
  const duplicateLines: string[] = [];
  for (const record of records) {
    if (inSpan(options.duplicate, record)) duplicateLines.push(reserialize(record.value));
    if (inSpan(options.skip, record) || stopped(record)) continue;
    const id = `${record.topic}\u0000${record.partition}`;
    let file = open.get(id);
    if (!file) {
      file = { topic: record.topic, partition: record.partition, start: record.offset, lines: [] };
      open.set(id, file);
    }
    file.lines.push(reserialize(record.value));
    if (file.lines.length >= options.flushSize) {
      yield { key: sinkObjectKey(file.topic, file.partition, file.start), body: file.lines.map((line) => `${line}\n`).join("") };
      open.delete(id);
    }
  }
  for (const file of open.values()) {
    const failedHere = options.stopAt !== undefined && options.stopAt.topic === file.topic && options.stopAt.partition === file.partition;
    if ((options.flushPartial ?? true) && !failedHere) yield { key: sinkObjectKey(file.topic, file.partition, file.start), body: file.lines.map((line) => `${line}\n`).join("") };
  }
  if (options.duplicate && duplicateLines.length > 0) {
    const { topic, partition, from } = options.duplicate;
    yield { key: sinkObjectKey(topic, partition, from), body: duplicateLines.map((line) => `${line}\n`).join("") };
  }
}

/** Writes the sink's objects into the bucket; returns their keys. */
export async function runSink(client: S3Client, records: Iterable<AcceptedRecord>, options: SinkOptions): Promise<string[]> {
  const keys: string[] = [];
  const inFlight = new Set<Promise<void>>();
  for (const object of sinkObjects(records, options)) {
    keys.push(object.key);
    const put = client.send(new PutObjectCommand({ Bucket: options.bucket, Key: object.key, Body: object.body, ContentType: "application/json" })).then(() => {
      inFlight.delete(put);
    });
    inFlight.add(put);
    if (inFlight.size >= (options.concurrency ?? 8)) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  return keys;
}

/** The event index of a posted value: `index` (pin) or `ind` (geo, user). */
export function eventOf(value: string): number {
  const row = JSON.parse(value) as { index?: number; ind?: number };
  const event = row.index ?? row.ind;
  if (typeof event !== "number") throw new Error(`value has no index/ind: ${value.slice(0, 80)}`);
  return event;
}

/**
 * The receipts lines the emulator writes for these acknowledgements (in acknowledgement order):
 * consecutive offsets of one partition share a line, at most `perLine` records each.
 * `contentOf` overrides the posted content of a record (to make a sample differ).
 */
export function receiptLines(records: Iterable<AcceptedRecord>, perLine = 100, contentOf: (r: AcceptedRecord) => string = (r) => r.value): string[] {
  const lines: string[] = [];
  let current: { topic: string; partition: number; offset: number; events: number[]; sample: [number, string][] } | undefined;
  const close = () => {
    if (!current) return;
    const { sample, ...rest } = current;
    lines.push(formatReceipt(sample.length > 0 ? { ...rest, sample } : rest));
    current = undefined;
  };
  for (const record of records) {
    const continues = current && current.topic === record.topic && current.partition === record.partition && current.offset + current.events.length === record.offset && current.events.length < perLine;
    if (!continues) {
      close();
      current = { topic: record.topic, partition: record.partition, offset: record.offset, events: [], sample: [] };
    }
    const event = eventOf(record.value);
    current?.events.push(event);
    if (isSampled(event)) current?.sample.push([record.offset, contentHash(contentOf(record))]);
  }
  close();
  return lines;
}

export function writeReceipts(file: string, lines: readonly string[]): void {
  appendFileSync(file, lines.join(""));
}

/** Rows shaped like the three source tables, keyed by event index. */
export function eventValue(suffix: "pin" | "geo" | "user", event: number): string {
  if (suffix === "pin") {
    return JSON.stringify({
      index: event,
      unique_id: `fbe53c66-3442-4773-b19e-${String(event).padStart(12, "0")}`,
      title: `Pin ${event} 🌵 No Title Data Available`,
      description: "No description available Story format",
      poster_name: "User Info Error",
      follower_count: `${event % 1000}k`,
      tag_list: "N,o, ,T,a,g,s, ,A,v,a,i,l,a,b,l,e",
      is_image_or_video: "image",
      image_src: `https://i.pinimg.com/originals/65/bb/ea/${event}.jpg`,
      downloaded: event % 2,
      save_location: "Local save in /data/mens-fashion",
      category: "mens-fashion",
    });
  }
  if (suffix === "geo") return JSON.stringify({ ind: event, timestamp: "2020-08-28 03:52:47", latitude: -89.9787, longitude: -173.293 + event / 1000, country: "Albania" });
  return JSON.stringify({ ind: event, first_name: "Abigail", last_name: "Ali", age: 20 + (event % 40), date_joined: "2015-10-24 11:23:51" });
}

/**
 * What a REST v2 double accepts for `events` posted to the three topics: each topic's records go
 * round-robin over its partitions in batches of `batch`, offsets counting up per partition.
 */
export function* acceptedEvents(userId: string, events: Iterable<number>, partitions = 1, batch = 100): Generator<AcceptedRecord> {
  const next = new Map<string, number>();
  let chunk: number[] = [];
  let chunkNumber = 0;
  const emit = function* (): Generator<AcceptedRecord> {
    for (const suffix of ["pin", "geo", "user"] as const) {
      const topic = `${userId}.${suffix}`;
      const partition = chunkNumber % partitions;
      for (const event of chunk) {
        const id = `${topic}\u0000${partition}`;
        const offset = next.get(id) ?? 0;
        next.set(id, offset + 1);
        yield { topic, partition, offset, value: eventValue(suffix, event) };
      }
    }
    chunkNumber++;
    chunk = [];
  };
  for (const event of events) {
    chunk.push(event);
    if (chunk.length >= batch) yield* emit();
  }
  if (chunk.length > 0) yield* emit();
}

export function range(first: number, count: number): number[] {
  return Array.from({ length: count }, (_, i) => first + i);
}
