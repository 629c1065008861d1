/**
 * Reconciliation, pure: what the receipts acknowledged against what the sink's objects hold, per
 * partition, with the topic-wide view that duplicates need (a retried record may land in another
 * partition). Everything is range arithmetic except the few offsets a duplicate check must visit.
 */
import type { PartitionAcks } from "./acks";
import { VERIFY_DEFAULTS } from "./defaults";
import type { Mismatch, ObjectScan } from "./object-scan";
import { type OffsetRange, intersect, normalize, subtract, totalLength } from "./ranges";

export interface PartitionInput {
  readonly partition: number;
  readonly acks: PartitionAcks | undefined;
  readonly scans: readonly ObjectScan[];
}

export interface PartitionReport {
  readonly topic: string;
  readonly partition: number;
  readonly acknowledged: number;
  readonly delivered: number;
  readonly missing: number;
  readonly missingRanges: OffsetRange[];
  /** Acknowledged offsets not in the bucket whose event was delivered at another acknowledged offset: retried records, not lost. */
  readonly deliveredElsewhere: number;
  /** Offsets held by more than one object (the sink rewrote records after a restart). */
  readonly duplicateRecords: number;
  readonly unexplained: number;
  readonly unexplainedRanges: OffsetRange[];
  /** Unexplained records whose event the topic's receipts acknowledged elsewhere. */
  readonly unexplainedRepeats: number;
  readonly objects: number;
  readonly records: number;
  /** The end of the last object: the sink has written up to here. -1 when there is none. */
  readonly lastWrittenOffset: number;
  readonly sampledChecked: number;
  readonly sampleMismatches: number;
  readonly eventMismatches: number;
  readonly mismatchExamples: (Mismatch & { key: string })[];
  readonly unreadable: number;
  readonly receiptConflicts: number;
}

export interface DuplicateAck {
  readonly event: number;
  readonly at: { partition: number; offset: number }[];
}

export interface TopicReport {
  readonly topic: string;
  readonly partitions: PartitionReport[];
  /** Distinct events acknowledged at more than one offset. */
  readonly duplicateEvents: number;
  /** Acknowledgements beyond the first of each event. */
  readonly extraAcks: number;
  readonly duplicateExamples: DuplicateAck[];
}

interface PartitionRanges {
  readonly input: PartitionInput;
  readonly acked: OffsetRange[];
  readonly held: OffsetRange[];
  readonly delivered: OffsetRange[];
  readonly missing: OffsetRange[];
}

export function reconcileTopic(topic: string, inputs: readonly PartitionInput[]): TopicReport {
  const ranges: PartitionRanges[] = inputs.map((input) => {
    const acked = input.acks?.ranges ?? [];
    const held = normalize(input.scans.flatMap((scan) => scan.covered));
    return { input, acked, held, delivered: intersect(acked, held), missing: subtract(acked, held) };
  });
  const duplicates = duplicateEvents(inputs);
  const deliveredDuplicates = deliveredAmong(duplicates.events, ranges);
  const partitions = ranges.map((r) => partitionReport(topic, r, duplicates.events, deliveredDuplicates));
  return {
    topic,
    partitions,
    duplicateEvents: duplicates.events.length,
    extraAcks: duplicates.extraAcks,
    duplicateExamples: duplicateExamples(duplicates.events.subarray(0, VERIFY_DEFAULTS.maxExamples), inputs),
  };
}

function partitionReport(topic: string, r: PartitionRanges, duplicateEvents: Float64Array, deliveredDuplicates: Uint8Array): PartitionReport {
  const { input } = r;
  let missing = r.missing;
  let deliveredElsewhere = 0;
  if (missing.length > 0 && duplicateEvents.length > 0 && input.acks) {
    const split = splitRetried(missing, input.acks, duplicateEvents, deliveredDuplicates);
    missing = split.missing;
    deliveredElsewhere = split.retried;
  }
  const scans = input.scans;
  const sum = (pick: (scan: ObjectScan) => number) => scans.reduce((total, scan) => total + pick(scan), 0);
  const held = r.held;
  const unexplainedRanges = subtract(held, r.acked);
  return {
    topic,
    partition: input.partition,
    acknowledged: totalLength(r.acked),
    delivered: totalLength(r.delivered),
    missing: totalLength(missing),
    missingRanges: missing,
    deliveredElsewhere,
    duplicateRecords: sum((scan) => totalLength(scan.covered)) - totalLength(held),
    unexplained: totalLength(unexplainedRanges),
    unexplainedRanges,
    unexplainedRepeats: sum((scan) => scan.unexplainedRepeats),
    objects: scans.length,
    records: sum((scan) => scan.records),
    lastWrittenOffset: held.length > 0 ? (held[held.length - 1] as OffsetRange)[1] : -1,
    sampledChecked: sum((scan) => scan.sampledChecked),
    sampleMismatches: sum((scan) => scan.sampleMismatches),
    eventMismatches: sum((scan) => scan.eventMismatches),
    mismatchExamples: scans.flatMap((scan) => scan.mismatchExamples.map((m) => ({ ...m, key: scan.key }))).slice(0, VERIFY_DEFAULTS.maxExamples),
    unreadable: sum((scan) => scan.unreadable),
    receiptConflicts: input.acks?.conflicts ?? 0,
  };
}

/** Every event the partitions acknowledged, sorted (8 bytes a record). */
export function sortedEvents(acks: readonly (PartitionAcks | undefined)[]): Float64Array {
  const all = new Float64Array(acks.reduce((sum, a) => sum + (a?.count ?? 0), 0));
  let at = 0;
  for (const a of acks) {
    for (const segment of a?.segments ?? []) {
      all.set(segment.events, at);
      at += segment.events.length;
    }
  }
  return all.sort();
}

/** Events acknowledged more than once in the topic, sorted, and how many acknowledgements are repeats. */
export function duplicateEvents(inputs: readonly PartitionInput[]): { events: Float64Array; extraAcks: number } {
  const all = sortedEvents(inputs.map((input) => input.acks));
  const repeated: number[] = [];
  let extraAcks = 0;
  for (let i = 1; i < all.length; i++) {
    if (all[i] !== all[i - 1]) continue;
    extraAcks++;
    if (repeated[repeated.length - 1] !== all[i]) repeated.push(all[i] as number);
  }
  return { events: Float64Array.from(repeated), extraAcks };
}

/** For each duplicate event, whether some acknowledged offset holding it was delivered. */
function deliveredAmong(events: Float64Array, ranges: readonly PartitionRanges[]): Uint8Array {
  const delivered = new Uint8Array(events.length);
  if (events.length === 0 || ranges.every((r) => r.missing.length === 0)) return delivered;
  for (const r of ranges) {
    for (const [first, last] of r.delivered) {
      for (let offset = first; offset <= last; offset++) {
        const at = indexOf(events, r.input.acks?.eventAt(offset));
        if (at >= 0) delivered[at] = 1;
      }
    }
  }
  return delivered;
}

/** Missing offsets split into retried ones (their event arrived at another offset) and really missing ranges. */
function splitRetried(missing: readonly OffsetRange[], acks: PartitionAcks, events: Float64Array, delivered: Uint8Array): { missing: OffsetRange[]; retried: number } {
  const kept: [number, number][] = [];
  let retried = 0;
  for (const [first, last] of missing) {
    for (let offset = first; offset <= last; offset++) {
      const at = indexOf(events, acks.eventAt(offset));
      if (at >= 0 && delivered[at] === 1) {
        retried++;
        continue;
      }
      const previous = kept[kept.length - 1];
      if (previous && previous[1] + 1 === offset) previous[1] = offset;
      else kept.push([offset, offset]);
    }
  }
  return { missing: kept, retried };
}

function duplicateExamples(events: Float64Array, inputs: readonly PartitionInput[]): DuplicateAck[] {
  const examples: DuplicateAck[] = Array.from(events, (event) => ({ event, at: [] }));
  if (examples.length === 0) return examples;
  for (const input of inputs) {
    for (const segment of input.acks?.segments ?? []) {
      segment.events.forEach((event, i) => {
        const at = indexOf(events, event);
        if (at >= 0) examples[at]?.at.push({ partition: input.partition, offset: segment.start + i });
      });
    }
  }
  return examples;
}

/** Binary search in a sorted array; -1 when absent. */
export function indexOf(sorted: Float64Array, value: number | undefined): number {
  if (value === undefined) return -1;
  let low = 0;
  let high = sorted.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const item = sorted[mid] as number;
    if (item < value) low = mid + 1;
    else if (item > value) high = mid - 1;
    else return mid;
  }
  return -1;
}
