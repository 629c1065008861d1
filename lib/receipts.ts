/**
 * The receipts file: what `emulate run` (and `redrive`) write and `verify` reads. The contract
 * between the two halves of "did every acknowledged record reach S3".
 *
 * Format: NDJSON, one line per run of records acknowledged at consecutive offsets of one
 * (topic, partition), in the order the acknowledgements arrived:
 *
 *   {"topic":"u.pin","partition":0,"offset":1200,"events":[7528,2863,5730],"sample":[[1201,"9f86d081884c7d65"]]}
 *
 * - `offset` is the first record's offset; the i-th event of `events` was acknowledged at `offset + i`.
 * - `events` holds each record's event index (the `index`/`ind` column the three tables share).
 * - `sample` holds `[offset, contentHash(value)]` for the records whose event index
 *   {@link isSampled} picks, so `verify` can compare what arrived with what was posted without
 *   the receipts growing by a hash per record.
 *
 * A line is written only after its records were acknowledged, and files are appended to, never
 * truncated; a run killed mid-way leaves whole lines plus at most one partial last line, which
 * readers skip.
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { createInterface } from "node:readline";
import { z } from "zod";

/** One record in this many (by event index) carries a content hash. */
export const SAMPLE_EVERY = 101;

const offset = z.number().int().min(0);

export const receiptRangeSchema = z.object({
  topic: z.string().min(1),
  partition: z.number().int().min(0),
  offset,
  events: z.array(z.number().int().min(0)).min(1),
  sample: z.array(z.tuple([offset, z.string().regex(/^[0-9a-f]{16}$/)])).optional(),
});
export type ReceiptRange = z.output<typeof receiptRangeSchema>;

/** Whether the record of this event index carries a content hash in its receipt. */
export function isSampled(event: number): boolean {
  return event % SAMPLE_EVERY === 0;
}

/**
 * JSON with object keys sorted at every level. The S3 sink re-serializes records from a Java
 * HashMap (keys in hash order, doubles as `1.0E7`), so only parsed values can be compared.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    // the default sort orders by UTF-16 code units, as `<` does: the order every stored hash was made with
    const keys = Object.keys(record).sort();
    return `{${keys.map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

/** 16 hex digits of the SHA-256 of a record value's canonical JSON; equal for equal parsed values. */
export function contentHash(json: string): string {
  return createHash("sha256").update(canonicalJson(JSON.parse(json))).digest("hex").slice(0, 16);
}

/** One receipts line, newline included. */
export function formatReceipt(range: ReceiptRange): string {
  return `${JSON.stringify(range)}\n`;
}

/** A receipts line that does not parse; `verify` reports it with its line number. */
export class ReceiptsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ReceiptsError";
  }
}

/**
 * Streams the ranges of a receipts file. A malformed line throws {@link ReceiptsError} naming the
 * file and line, except a final line without its newline (a run killed mid-write), which is skipped.
 */
export async function* readReceipts(path: string): AsyncGenerator<ReceiptRange> {
  // Stryker disable next-line ObjectLiteral: readline decodes a byte stream as UTF-8 by itself
  const input = createReadStream(path, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  let lineNumber = 0;
  let pendingError: ReceiptsError | undefined;
  for await (const line of lines) {
    // an error is only final once another line follows it (the last line may be a torn write)
    if (pendingError) throw pendingError;
    lineNumber++;
    if (line.trim() === "") continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      pendingError = new ReceiptsError(`receipts file ${path}: line ${lineNumber} is not JSON (was it written by npm run emulate -- run?)`);
      continue;
    }
    const checked = receiptRangeSchema.safeParse(parsed);
    if (!checked.success) {
      // a failed safeParse has at least one issue
      const issue = checked.error.issues[0]!;
      pendingError = new ReceiptsError(`receipts file ${path}: line ${lineNumber}: ${issue.path.join(".") || "line"}: ${issue.message}`);
      continue;
    }
    yield checked.data;
  }
  // a malformed last line that has its newline was written whole: it is not a torn write
  if (pendingError && (await endsWithNewline(path))) throw pendingError;
}

/** Only called once a line was read, so the file is not empty. */
async function endsWithNewline(path: string): Promise<boolean> {
  const file = await open(path, "r");
  try {
    const { size } = await file.stat();
    const last = Buffer.alloc(1);
    await file.read(last, 0, 1, size - 1);
    return last[0] === 0x0a;
  } finally {
    // a kept mutation survivor (BENCHMARKS.md, TESTING): emptying this block leaks a descriptor, which no test observes
    await file.close();
  }
}
