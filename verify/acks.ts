/**
 * What the proxy acknowledged, from the receipts files: per (topic, partition) the acknowledged
 * offsets as a few contiguous segments, each with its records' event indexes in one typed array
 * (8 bytes a record, no per-record objects), plus the sampled content hashes.
 */
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { type ReceiptRange, readReceipts } from "../lib/receipts";
import type { OffsetRange } from "./ranges";

/** Offsets `start .. start + events.length - 1`, acknowledged with these event indexes. */
export interface AckSegment {
  readonly start: number;
  readonly events: Float64Array;
}

export class PartitionAcks {
  /** Sorted, disjoint, and not adjacent (adjacent runs are joined). */
  readonly segments: AckSegment[];
  /** Offset → contentHash of the records the receipts sampled. */
  readonly samples: ReadonlyMap<number, string>;
  /** Offsets two receipts acknowledged with different events (receipts of a recreated topic, say). */
  readonly conflicts: number;
  private lastHit = 0;

  constructor(segments: AckSegment[], samples: ReadonlyMap<number, string>, conflicts: number) {
    this.segments = segments;
    this.samples = samples;
    this.conflicts = conflicts;
  }

  get count(): number {
    return this.segments.reduce((sum, segment) => sum + segment.events.length, 0);
  }

  get ranges(): OffsetRange[] {
    return this.segments.map((s) => [s.start, s.start + s.events.length - 1] as const);
  }

  get lastOffset(): number {
    const last = this.segments[this.segments.length - 1];
    return last ? last.start + last.events.length - 1 : -1;
  }

  /** The event acknowledged at `offset`, if any. Consecutive look-ups hit the same segment in O(1). */
  eventAt(offset: number): number | undefined {
    const segment = this.segmentOf(offset);
    return segment ? segment.events[offset - segment.start] : undefined;
  }

  /** The first acknowledged offset in [from, to] holding `event`. */
  findEvent(event: number, from: number, to: number): number | undefined {
    for (let offset = from; offset <= to; offset++) {
      const segment = this.segmentOf(offset);
      if (!segment) {
        const next = this.segments.find((s) => s.start > offset);
        if (!next) return undefined;
        offset = next.start - 1;
        continue;
      }
      if (segment.events[offset - segment.start] === event) return offset;
    }
    return undefined;
  }

  private segmentOf(offset: number): AckSegment | undefined {
    const cached = this.segments[this.lastHit];
    if (cached && offset >= cached.start && offset < cached.start + cached.events.length) return cached;
    let low = 0;
    let high = this.segments.length - 1;
    while (low <= high) {
      const mid = (low + high) >> 1;
      const segment = this.segments[mid] as AckSegment;
      if (offset < segment.start) high = mid - 1;
      else if (offset >= segment.start + segment.events.length) low = mid + 1;
      else {
        this.lastHit = mid;
        return segment;
      }
    }
    return undefined;
  }
}

export function partitionId(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

/** Every acknowledgement, by (topic, partition). */
export class AckIndex {
  constructor(readonly partitions: ReadonlyMap<string, { topic: string; partition: number; acks: PartitionAcks }>) {}

  get(topic: string, partition: number): PartitionAcks | undefined {
    return this.partitions.get(partitionId(topic, partition))?.acks;
  }

  get topics(): string[] {
    return [...new Set([...this.partitions.values()].map((p) => p.topic))].sort();
  }
}

/** Collects receipt ranges (in any order) into an {@link AckIndex}. */
export class AckIndexBuilder {
  private readonly runs = new Map<string, { topic: string; partition: number; runs: AckSegment[]; samples: Map<number, string> }>();

  add(range: ReceiptRange): void {
    const id = partitionId(range.topic, range.partition);
    let entry = this.runs.get(id);
    if (!entry) {
      entry = { topic: range.topic, partition: range.partition, runs: [], samples: new Map() };
      this.runs.set(id, entry);
    }
    entry.runs.push({ start: range.offset, events: Float64Array.from(range.events) });
    for (const [offset, hash] of range.sample ?? []) entry.samples.set(offset, hash);
  }

  build(): AckIndex {
    const partitions = new Map<string, { topic: string; partition: number; acks: PartitionAcks }>();
    for (const [id, entry] of this.runs) {
      const { segments, conflicts } = joinRuns(entry.runs);
      partitions.set(id, { topic: entry.topic, partition: entry.partition, acks: new PartitionAcks(segments, entry.samples, conflicts) });
    }
    return new AckIndex(partitions);
  }
}

/** Sorts runs and joins adjacent and overlapping ones; an overlapping offset with another event is a conflict. */
export function joinRuns(runs: readonly AckSegment[]): { segments: AckSegment[]; conflicts: number } {
  const sorted = [...runs].sort((a, b) => a.start - b.start);
  const segments: AckSegment[] = [];
  let conflicts = 0;
  let group: AckSegment[] = [];
  let groupEnd = -1;
  const flush = () => {
    if (group.length === 0) return;
    const first = group[0] as AckSegment;
    const events = new Float64Array(groupEnd - first.start + 1);
    for (const run of group) events.set(run.events, run.start - first.start);
    segments.push({ start: first.start, events });
    group = [];
  };
  for (const run of sorted) {
    const runEnd = run.start + run.events.length - 1;
    if (group.length > 0 && run.start <= groupEnd) {
      // a repeated receipt (the same file passed twice) agrees; anything else is a conflict
      const overlapEnd = Math.min(runEnd, groupEnd);
      for (let offset = run.start; offset <= overlapEnd; offset++) {
        if (eventInRuns(group, offset) !== run.events[offset - run.start]) conflicts++;
      }
      if (runEnd > groupEnd) {
        group.push({ start: groupEnd + 1, events: run.events.subarray(groupEnd + 1 - run.start) });
        groupEnd = runEnd;
      }
      continue;
    }
    if (group.length > 0 && run.start === groupEnd + 1) {
      group.push(run);
      groupEnd = runEnd;
      continue;
    }
    flush();
    group = [run];
    groupEnd = runEnd;
  }
  flush();
  return { segments, conflicts };
}

/** The event at `offset` in contiguous runs sorted by start. */
function eventInRuns(runs: readonly AckSegment[], offset: number): number | undefined {
  let low = 0;
  let high = runs.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const run = runs[mid] as AckSegment;
    if (offset < run.start) high = mid - 1;
    else if (offset >= run.start + run.events.length) low = mid + 1;
    else return run.events[offset - run.start];
  }
  return undefined;
}

/** The receipts files named: files as given, directories as every regular file in them (sorted). */
export function receiptsFiles(paths: readonly string[]): string[] {
  return paths.flatMap((path) => {
    if (!statSync(path).isDirectory()) return [path];
    return readdirSync(path)
      .sort()
      .map((name) => join(path, name))
      .filter((file) => statSync(file).isFile());
  });
}

/** Streams every receipts file into one index. Throws ReceiptsError for a malformed line. */
export async function loadAcks(files: readonly string[]): Promise<AckIndex> {
  const builder = new AckIndexBuilder();
  for (const file of files) {
    for await (const range of readReceipts(file)) builder.add(range);
  }
  return builder.build();
}
