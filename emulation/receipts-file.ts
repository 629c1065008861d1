/**
 * Writes the receipts of acknowledged records as they arrive, in lib/receipts.ts's format: per
 * answer, one line per run of consecutive offsets of one (topic, partition), with the records'
 * event indexes and the content hashes of the sampled ones. Appended with one write per answer,
 * so a killed run leaves whole lines (plus at most one torn last line, which readers skip).
 */
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import { contentHash, formatReceipt, isSampled, type ReceiptRange } from "../lib/receipts";
import { EmulationError } from "./errors";
import type { RecordPosition } from "./kafka-rest";

/** What a receipt needs from a record. */
export interface ReceiptRecord {
  readonly event: number;
  readonly json: string;
}

/** The ranges under construction for one answer; a range closes when its partition's next offset is not the following one. */
class RangeBuilder {
  readonly lines: string[] = [];
  private readonly open = new Map<number, { offset: number; events: number[]; sample: [number, string][] }>();

  constructor(private readonly topic: string) {}

  add(record: ReceiptRecord, { partition, offset }: RecordPosition): void {
    let range = this.open.get(partition);
    if (range !== undefined && range.offset + range.events.length !== offset) {
      this.close(partition);
      range = undefined;
    }
    if (range === undefined) {
      range = { offset, events: [], sample: [] };
      this.open.set(partition, range);
    }
    range.events.push(record.event);
    if (isSampled(record.event)) range.sample.push([offset, contentHash(record.json)]);
  }

  /** Every line, the still open ranges last in the order they were opened. */
  finish(): string {
    for (const partition of [...this.open.keys()]) this.close(partition);
    return this.lines.join("");
  }

  private close(partition: number): void {
    const range = this.open.get(partition);
    if (range === undefined) return;
    this.open.delete(partition);
    const receipt: ReceiptRange = { topic: this.topic, partition, offset: range.offset, events: range.events, ...(range.sample.length > 0 ? { sample: range.sample } : {}) };
    this.lines.push(formatReceipt(receipt));
  }
}

/** Created (or appended to) before anything is posted, so an unwritable path stops the run before it starts. */
export class ReceiptsFile {
  private fd: number | undefined;
  /** Records with a receipt. */
  written = 0;

  constructor(readonly path: string) {
    this.fd = this.open();
  }

  /** Records the acknowledged ones of `records` (those with a position). */
  record(topic: string, records: readonly ReceiptRecord[], positions: readonly (RecordPosition | null)[]): void {
    const builder = new RangeBuilder(topic);
    let acknowledged = 0;
    records.forEach((record, i) => {
      const position = positions[i];
      if (position === null || position === undefined) return;
      builder.add(record, position);
      acknowledged++;
    });
    if (acknowledged === 0) return;
    this.fd ??= this.open();
    writeSync(this.fd, builder.finish());
    this.written += acknowledged;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private open(): number {
    try {
      mkdirSync(dirname(this.path), { recursive: true });
      return openSync(this.path, "a");
    } catch (err) {
      throw new EmulationError(`--receipts ${this.path}: cannot write (${(err as Error).message}); pass a writable path`);
    }
  }
}

/** `<dir>/<UTC timestamp>.ndjson`, e.g. `receipts/20261127T073000.123Z.ndjson`: a fresh file per run. */
export function defaultReceiptsPath(dir: string, now: Date = new Date()): string {
  return `${dir}/${now.toISOString().replace(/[-:]/g, "")}.ndjson`;
}
