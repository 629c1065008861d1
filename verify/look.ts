/**
 * One look at the bucket: list every topic's objects, scan the ones not scanned before (a scan is
 * reused while the object and its successor are unchanged), and reconcile against the receipts.
 */
import type { S3Client } from "@aws-sdk/client-s3";
import type { AckIndex } from "./acks";
import { type ListedObject, type UnparsedKey, listTopic, mapConcurrent, openObject } from "./bucket";
import { VERIFY_DEFAULTS } from "./defaults";
import { type ObjectScan, ObjectScanner, scanLines } from "./object-scan";
import { type PartitionInput, type TopicReport, indexOf, reconcileTopic, sortedEvents } from "./reconcile";

export interface VerifyTarget {
  readonly bucket: string;
  readonly topics: readonly string[];
  /** Partitions each topic has: all of them appear in the report, written to or not. */
  readonly partitions: number;
}

export interface Totals {
  readonly acknowledged: number;
  readonly delivered: number;
  readonly missing: number;
  readonly deliveredElsewhere: number;
  readonly duplicateEvents: number;
  readonly extraAcks: number;
  readonly duplicateRecords: number;
  readonly unexplained: number;
  readonly unexplainedRepeats: number;
  readonly objects: number;
  readonly records: number;
  readonly sampledChecked: number;
  readonly sampleMismatches: number;
  readonly eventMismatches: number;
  readonly unreadable: number;
  readonly unparsedKeys: number;
  readonly receiptConflicts: number;
}

export type Verdict = "delivered" | "missing" | "mismatch";

export interface LookResult {
  readonly verdict: Verdict;
  readonly totals: Totals;
  readonly topics: TopicReport[];
  readonly unparsedKeys: UnparsedKey[];
}

export class BucketReconciler {
  private readonly scans = new Map<string, ObjectScan>();
  private readonly topicEvents = new Map<string, Float64Array>();

  constructor(
    private readonly client: S3Client,
    private readonly target: VerifyTarget,
    private readonly acks: AckIndex,
    private readonly concurrency: number = VERIFY_DEFAULTS.readConcurrency,
  ) {}

  /** The topics looked at: the stack's and any the receipts name. */
  get topics(): string[] {
    return [...new Set([...this.target.topics, ...this.acks.topics])];
  }

  async look(): Promise<LookResult> {
    const topics: TopicReport[] = [];
    const unparsedKeys: UnparsedKey[] = [];
    for (const topic of this.topics) {
      const listing = await listTopic(this.client, this.target.bucket, topic);
      unparsedKeys.push(...listing.unparsed);
      topics.push(await this.reconcile(topic, listing.objects));
    }
    const totals = sumTotals(topics, unparsedKeys.length);
    const verdict: Verdict = totals.missing > 0 ? "missing" : totals.sampleMismatches + totals.eventMismatches > 0 ? "mismatch" : "delivered";
    return { verdict, totals, topics, unparsedKeys };
  }

  private async reconcile(topic: string, objects: readonly ListedObject[]): Promise<TopicReport> {
    const partitionNumbers = new Set<number>(Array.from({ length: this.target.partitions }, (_, p) => p));
    for (const { topic: t, partition } of this.acks.partitions.values()) if (t === topic) partitionNumbers.add(partition);
    for (const object of objects) partitionNumbers.add(object.partition);

    const byPartition = new Map<number, ListedObject[]>();
    for (const object of objects) byPartition.set(object.partition, [...(byPartition.get(object.partition) ?? []), object]);
    const jobs: { object: ListedObject; lastPossibleOffset: number }[] = [];
    for (const list of byPartition.values()) {
      list.sort((a, b) => a.startOffset - b.startOffset);
      list.forEach((object, i) => jobs.push({ object, lastPossibleOffset: (list[i + 1]?.startOffset ?? Number.MAX_SAFE_INTEGER) - 1 }));
    }
    const scans = await mapConcurrent(jobs, this.concurrency, (job) => this.scan(topic, job.object, job.lastPossibleOffset));
    const inputs: PartitionInput[] = [...partitionNumbers]
      .sort((a, b) => a - b)
      .map((partition) => ({ partition, acks: this.acks.get(topic, partition), scans: scans.filter((scan) => scan.partition === partition) }));
    return reconcileTopic(topic, inputs);
  }

  private async scan(topic: string, object: ListedObject, lastPossibleOffset: number): Promise<ObjectScan> {
    const cacheKey = `${object.key}\u0000${object.etag}\u0000${lastPossibleOffset}`;
    const cached = this.scans.get(cacheKey);
    if (cached) return cached;
    const scanner = new ObjectScanner({
      key: object.key,
      topic,
      partition: object.partition,
      startOffset: object.startOffset,
      acks: this.acks.get(topic, object.partition),
      lastPossibleOffset,
      isAckedEvent: (event) => indexOf(this.eventsOf(topic), event) >= 0,
    });
    const scan = await scanLines(await openObject(this.client, this.target.bucket, object.key), scanner);
    this.scans.set(cacheKey, scan);
    return scan;
  }

  /** The topic's acknowledged events, sorted; built only when a record no receipt explains turns up. */
  private eventsOf(topic: string): Float64Array {
    let events = this.topicEvents.get(topic);
    if (!events) {
      events = sortedEvents([...this.acks.partitions.values()].filter((p) => p.topic === topic).map((p) => p.acks));
      this.topicEvents.set(topic, events);
    }
    return events;
  }
}

function sumTotals(topics: readonly TopicReport[], unparsedKeys: number): Totals {
  const partitions = topics.flatMap((t) => t.partitions);
  const sum = (pick: (p: (typeof partitions)[number]) => number) => partitions.reduce((total, p) => total + pick(p), 0);
  return {
    acknowledged: sum((p) => p.acknowledged),
    delivered: sum((p) => p.delivered),
    missing: sum((p) => p.missing),
    deliveredElsewhere: sum((p) => p.deliveredElsewhere),
    duplicateEvents: topics.reduce((total, t) => total + t.duplicateEvents, 0),
    extraAcks: topics.reduce((total, t) => total + t.extraAcks, 0),
    duplicateRecords: sum((p) => p.duplicateRecords),
    unexplained: sum((p) => p.unexplained),
    unexplainedRepeats: sum((p) => p.unexplainedRepeats),
    objects: sum((p) => p.objects),
    records: sum((p) => p.records),
    sampledChecked: sum((p) => p.sampledChecked),
    sampleMismatches: sum((p) => p.sampleMismatches),
    eventMismatches: sum((p) => p.eventMismatches),
    unreadable: sum((p) => p.unreadable),
    unparsedKeys,
    receiptConflicts: sum((p) => p.receiptConflicts),
  };
}
