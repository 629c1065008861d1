/**
 * One sink object, line by line, against the acknowledgements of its partition. The object's
 * first record sits at its start offset (the name says so); each further record at the next
 * offset, unless its event index shows the sink skipped some offsets (a record sent to the
 * dead-letter topic, say), in which case it sits at the next acknowledged offset holding that
 * event. The result is the offsets the object covers, as ranges.
 */
import { contentHash } from "../lib/receipts";
import type { PartitionAcks } from "./acks";
import { VERIFY_DEFAULTS } from "./defaults";
import type { OffsetRange } from "./ranges";

export interface Mismatch {
  readonly offset: number;
  readonly expected: string;
  readonly found: string;
}

export interface ObjectScan {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: number;
  readonly records: number;
  /** The offsets this object's records sit at. */
  readonly covered: OffsetRange[];
  /** Records at offsets no receipt acknowledged. */
  readonly unexplained: number;
  /** ...of which carry an event index the topic's receipts acknowledged at another offset (a re-send whose answer was lost). */
  readonly unexplainedRepeats: number;
  /** Records whose event index differs from the one acknowledged at their offset. */
  readonly eventMismatches: number;
  readonly sampledChecked: number;
  /** Sampled records whose content hash differs from the posted one. */
  readonly sampleMismatches: number;
  /** The first few of both kinds of mismatch. */
  readonly mismatchExamples: Mismatch[];
  /** Lines without a readable event index (not JSON, or no `index`/`ind` field). */
  readonly unreadable: number;
}

export interface ScanContext {
  readonly key: string;
  readonly topic: string;
  readonly partition: number;
  readonly startOffset: number;
  readonly acks: PartitionAcks | undefined;
  /** The last offset this object can hold: the next object's start minus one, or unbounded. */
  readonly lastPossibleOffset: number;
  /** Whether the topic's receipts acknowledged this event anywhere. */
  readonly isAckedEvent: (event: number) => boolean;
}

/** The event index of a record line: the top-level `index` (pin) or `ind` (geo, user) field. */
export function eventIndexOf(line: string): number | undefined {
  // an unescaped quote always delimits a string in JSON, so `{"ind":` or `,"ind":` is a key
  const match = /[{,]\s*"ind(?:ex)?"\s*:\s*(\d+)\s*[,}]/.exec(line);
  return match ? Number(match[1]) : undefined;
}

export class ObjectScanner {
  private cursor: number;
  private records = 0;
  private readonly covered: [number, number][] = [];
  private unexplained = 0;
  private unexplainedRepeats = 0;
  private eventMismatches = 0;
  private sampledChecked = 0;
  private sampleMismatches = 0;
  private unreadable = 0;
  private readonly mismatchExamples: Mismatch[] = [];

  constructor(private readonly context: ScanContext) {
    this.cursor = context.startOffset;
  }

  line(text: string): void {
    const { acks } = this.context;
    const event = eventIndexOf(text);
    if (event === undefined) this.unreadable++;
    let offset = this.cursor;
    const acknowledged = acks?.eventAt(offset);
    if (acks && event !== undefined && acknowledged !== undefined && acknowledged !== event) {
      const limit = Math.min(this.context.lastPossibleOffset, offset + VERIFY_DEFAULTS.maxLookaheadOffsets);
      const found = acks.findEvent(event, offset + 1, limit);
      if (found !== undefined) offset = found;
      else {
        this.eventMismatches++;
        this.example({ offset, expected: `event ${acknowledged}`, found: `event ${event}` });
      }
    }
    this.cover(offset);
    this.records++;
    this.cursor = offset + 1;
    if (acks?.eventAt(offset) === undefined) {
      this.unexplained++;
      if (event !== undefined && this.context.isAckedEvent(event)) this.unexplainedRepeats++;
      return;
    }
    const expectedHash = acks.samples.get(offset);
    if (expectedHash === undefined) return;
    this.sampledChecked++;
    let foundHash: string;
    try {
      foundHash = contentHash(text);
    } catch {
      foundHash = "not JSON";
    }
    if (foundHash !== expectedHash) {
      this.sampleMismatches++;
      this.example({ offset, expected: `content ${expectedHash}`, found: foundHash === "not JSON" ? foundHash : `content ${foundHash}` });
    }
  }

  finish(): ObjectScan {
    const { key, topic, partition, startOffset } = this.context;
    return {
      key,
      topic,
      partition,
      startOffset,
      records: this.records,
      covered: this.covered,
      unexplained: this.unexplained,
      unexplainedRepeats: this.unexplainedRepeats,
      eventMismatches: this.eventMismatches,
      sampledChecked: this.sampledChecked,
      sampleMismatches: this.sampleMismatches,
      mismatchExamples: this.mismatchExamples,
      unreadable: this.unreadable,
    };
  }

  private cover(offset: number): void {
    const last = this.covered[this.covered.length - 1];
    if (last && last[1] + 1 === offset) last[1] = offset;
    else this.covered.push([offset, offset]);
  }

  private example(mismatch: Mismatch): void {
    if (this.mismatchExamples.length < VERIFY_DEFAULTS.maxExamples) this.mismatchExamples.push(mismatch);
  }
}

/** Feeds an object's bytes to a scanner, one JSON line at a time (a final line without newline counts too). */
export async function scanLines(body: AsyncIterable<Uint8Array>, scanner: ObjectScanner): Promise<ObjectScan> {
  let carry: Buffer | undefined;
  for await (const chunk of body) {
    // a newline byte never occurs inside a UTF-8 sequence, so splitting bytes is safe
    const buffer: Buffer = carry ? Buffer.concat([carry, chunk]) : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    let start = 0;
    let newline = buffer.indexOf(10, start);
    while (newline !== -1) {
      if (newline > start) scanner.line(buffer.toString("utf8", start, newline));
      start = newline + 1;
      newline = buffer.indexOf(10, start);
    }
    carry = start < buffer.length ? Buffer.from(buffer.subarray(start)) : undefined;
  }
  if (carry && carry.length > 0) scanner.line(carry.toString("utf8"));
  return scanner.finish();
}
