/** lib/receipts: the receipts file `emulate run` writes and `verify` reads. */
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { canonicalJson, contentHash, formatReceipt, isSampled, type ReceiptRange, ReceiptsError, readReceipts, SAMPLE_EVERY } from "../../lib/receipts";

const dir = mkdtempSync(join(tmpdir(), "receipts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let files = 0;

function receiptsFile(text: string): string {
  const path = join(dir, `r${files++}.ndjson`);
  writeFileSync(path, text);
  return path;
}

async function readAll(path: string): Promise<ReceiptRange[]> {
  const ranges: ReceiptRange[] = [];
  for await (const range of readReceipts(path)) ranges.push(range);
  return ranges;
}

/** The ReceiptsError reading the file throws, as its message. */
async function readError(path: string): Promise<string> {
  try {
    await readAll(path);
  } catch (err) {
    expect(err).toBeInstanceOf(ReceiptsError);
    expect((err as Error).name).toBe("ReceiptsError");
    return (err as Error).message;
  }
  throw new Error(`expected ${path} to be refused`);
}

const A: ReceiptRange = { topic: "u.pin", partition: 0, offset: 1200, events: [7528, 2863, 5730], sample: [[1201, "9f86d081884c7d65"]] };
const B: ReceiptRange = { topic: "u.geo", partition: 2, offset: 0, events: [0] };

describe("isSampled", () => {
  it("picks one event index in SAMPLE_EVERY, starting at 0", () => {
    expect([0, 1, 100, 101, 102, 202, 203].map(isSampled)).toEqual([true, false, false, true, false, true, false]);
    // one in SAMPLE_EVERY over any whole number of periods
    expect(Array.from({ length: SAMPLE_EVERY * 7 }, (_, i) => i + 5).filter(isSampled)).toHaveLength(7);
  });
});

describe("canonicalJson", () => {
  it("sorts object keys at every level and keeps array order", () => {
    expect(canonicalJson({ b: 1, a: [3, { d: null, c: "x" }, 1], C: true })).toBe('{"C":true,"a":[3,{"c":"x","d":null},1],"b":1}');
  });

  it("sorts many keys whatever their order (longer objects take another sort path)", () => {
    const keys = Array.from({ length: 60 }, (_, i) => `k${String((i * 37) % 60).padStart(2, "0")}`);
    const sorted = [...keys].sort();
    expect(keys).not.toEqual(sorted);
    expect(canonicalJson(Object.fromEntries(keys.map((k) => [k, 0])))).toBe(`{${sorted.map((k) => `"${k}":0`).join(",")}}`);
  });

  it("writes scalars as JSON", () => {
    expect([1e7, "a\"b", null, false, []].map(canonicalJson)).toEqual(["10000000", '"a\\"b"', "null", "false", "[]"]);
    expect(canonicalJson({})).toBe("{}");
  });
});

describe("contentHash", () => {
  it("is 16 hex digits of the SHA-256 of the canonical JSON, equal for equal parsed values", () => {
    const expected = createHash("sha256").update('{"a":1,"b":[2,{"c":3,"d":4}]}').digest("hex").slice(0, 16);
    expect(contentHash('{"b":[2,{"d":4,"c":3}],"a":1}')).toBe(expected);
    expect(contentHash('{ "a": 1.0, "b": [2, {"c": 3, "d": 4}] }')).toBe(expected);
    expect(expected).toMatch(/^[0-9a-f]{16}$/);
    expect(contentHash('{"a":2,"b":[2,{"c":3,"d":4}]}')).not.toBe(expected);
  });
});

describe("formatReceipt", () => {
  it("writes one JSON line with its newline", () => {
    expect(formatReceipt(B)).toBe('{"topic":"u.geo","partition":2,"offset":0,"events":[0]}\n');
  });
});

describe("readReceipts", () => {
  it("reads every line back, skipping blank lines", async () => {
    const path = receiptsFile(`${formatReceipt(A)}\n   \n${formatReceipt(B)}`);
    expect(await readAll(path)).toEqual([A, B]);
  });

  it("reads CRLF line ends", async () => {
    expect(await readAll(receiptsFile(`${JSON.stringify(A)}\r\n${JSON.stringify(B)}\r\n`))).toEqual([A, B]);
  });

  it("skips a torn last line (no newline), valid lines before it are read", async () => {
    expect(await readAll(receiptsFile(`${formatReceipt(A)}{"topic":"u.pin","parti`))).toEqual([A]);
    expect(await readAll(receiptsFile(`${formatReceipt(A)}{"topic":"u.pin","partition":0}`))).toEqual([A]);
  });

  it("refuses a line that is not JSON, naming the file and the line (blank lines counted)", async () => {
    const path = receiptsFile(`${formatReceipt(A)}\n{oops\n${formatReceipt(B)}`);
    expect(await readError(path)).toBe(`receipts file ${path}: line 3 is not JSON (was it written by npm run emulate -- run?)`);
  });

  it("refuses a line that breaks the schema, naming the field and the problem", async () => {
    const partition = receiptsFile(`${JSON.stringify({ ...B, partition: -1 })}\n${formatReceipt(A)}`);
    expect(await readError(partition)).toBe(`receipts file ${partition}: line 1: partition: Too small: expected number to be >=0`);
    const sample = receiptsFile(`${formatReceipt(A)}${JSON.stringify({ ...A, sample: [[1201, "XYZ"]] })}\n${formatReceipt(B)}`);
    expect(await readError(sample)).toBe(`receipts file ${sample}: line 2: sample.0.1: Invalid string: must match pattern /^[0-9a-f]{16}$/`);
    const array = receiptsFile(`[]\n${formatReceipt(B)}`);
    expect(await readError(array)).toBe(`receipts file ${array}: line 1: line: Invalid input: expected object, received array`);
  });

  it("refuses a malformed last line that has its newline: only a line without one can be a torn write", async () => {
    const path = receiptsFile(`${formatReceipt(A)}{oops\n`);
    expect(await readError(path)).toBe(`receipts file ${path}: line 2 is not JSON (was it written by npm run emulate -- run?)`);
  });

  it("refuses a bad line followed by more lines even when the last line is torn", async () => {
    const path = receiptsFile(`${formatReceipt(A)}{oops\n${formatReceipt(B)}{"topic":"u.pin","parti`);
    expect(await readError(path)).toBe(`receipts file ${path}: line 2 is not JSON (was it written by npm run emulate -- run?)`);
  });

  it("reads an empty file as no ranges", async () => {
    expect(await readAll(receiptsFile(""))).toEqual([]);
  });
});
