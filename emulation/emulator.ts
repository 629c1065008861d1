/**
 * The posting emulator: reads events from the source database in batches ahead of the senders,
 * posts each event's pin, geo and user rows to their topics through the Kafka REST proxy, and
 * makes sure every record ends up acknowledged or in the dead-letter file (at-least-once).
 *
 * Flow: a {@link Prefetcher} reads chunks of events ahead (one `IN (...)` query per table); an
 * {@link EventFeeder} takes rate-limit tokens per event and turns each chunk into three produce jobs
 * (one per topic); the {@link SendQueue} (send-queue.ts) posts them with `concurrency` senders over
 * keep-alive connections, retries failed records (per-record errors, 429, 5xx, timeouts, resets)
 * after an exponential backoff with full jitter, up to `maxRetries` times, then dead-letters them.
 */
import type { RequestAuthenticator } from "./auth";
import { DeadLetterFile, type DeadLetter } from "./dead-letters";
import { ReceiptsFile } from "./receipts-file";
import { SEND_TUNING } from "./defaults";
import { EmulationError } from "./errors";
import { eventOrder, TokenBucket } from "./flow";
import { ProduceClient, produceBody, produceHeaders, topicUrl } from "./kafka-rest";
import { mulberry32 } from "./random";
import { TABLE_ROLES, type EventJson, type TableRole } from "./rows";
import { SendQueue, type ProduceJob, type SendStats } from "./send-queue";

/** Where events go: the API's invoke URL and the topic of each table. */
export interface Targets {
  readonly invokeUrl: string;
  readonly topics: Readonly<Record<TableRole, string>>;
}

/** Where events come from. */
export interface EventSource {
  /** The ids that exist in all three tables. */
  readonly ids: readonly number[];
  /** The events with these ids as JSON, in this order (ids may repeat). */
  fetch(ids: readonly number[]): Promise<EventJson[]>;
}

/** What every sending run (emulation and redrive) is configured with. */
export interface SendSessionOptions {
  readonly invokeUrl: string;
  /** Adds auth headers to every request; absent for an API without auth. */
  readonly authenticator?: RequestAuthenticator;
  /** Records per produce request. */
  readonly batch: number;
  /** Produce requests in flight at once (and sockets in the keep-alive pool). */
  readonly concurrency: number;
  /** Seed of the retry jitter (and of the event order). */
  readonly seed: number;
  /** Retries per record after its first attempt. */
  readonly maxRetries: number;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** NDJSON file for records that could not be delivered; created only if one fails, appended to. */
  readonly deadLetterPath: string;
  /** Receipts file (lib/receipts.ts) for acknowledged records; created at the start, appended to. */
  readonly receiptsPath: string;
  /** Aborting stops starting new records; records in flight finish (or are dead-lettered). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: EmulationProgress) => void;
  /** @default SEND_TUNING.progressIntervalMs */
  readonly progressIntervalMs?: number;
}

export interface EmulationOptions extends Omit<SendSessionOptions, "invokeUrl"> {
  readonly targets: Targets;
  /** Events per second (each event is three records); unlimited when absent. */
  readonly rate?: number;
  /** Events to emulate; unlimited when absent (then `durationSec` or `signal` ends the run). */
  readonly count?: number;
  /** Stop starting new events after this many seconds. */
  readonly durationSec?: number;
}

export interface EmulationProgress extends Readonly<SendStats> {
  readonly events: number;
  readonly seconds: number;
}

export interface EmulationSummary extends EmulationProgress {
  readonly recordsPerSecond: number;
  readonly latencyP50Ms: number;
  readonly latencyP99Ms: number;
  /** The error that stopped the run early, if any. */
  readonly fatal?: string;
  /** Set when records were dead-lettered. */
  readonly deadLetterPath?: string;
  readonly receiptsPath: string;
}

/** The events per chunk: `batch`, or less with a target rate so a chunk is at most 1/10 s of events. */
export function chunkSize(batch: number, rate: number | undefined): number {
  return rate === undefined ? batch : Math.max(1, Math.min(batch, Math.floor(rate / SEND_TUNING.chunksPerSecondAtRate)));
}

/** Posts events read from the source until the count, the duration, an abort or a fatal answer. */
export function runEmulation(source: EventSource, options: EmulationOptions): Promise<EmulationSummary> {
  if (source.ids.length === 0) throw new EmulationError("the source tables have no events (fill them with: npm run emulate -- seed-db --rows 10000)");
  return runSendSession({ ...options, invokeUrl: options.targets.invokeUrl }, (queue, started) => new EventFeeder(source, queue, options, started), { deadLetterUnsent: false });
}

/** Re-posts dead-lettered records (see dead-letters.ts), each with a fresh set of retries. */
export function redriveDeadLetters(records: readonly DeadLetter[], options: SendSessionOptions): Promise<EmulationSummary> {
  return runSendSession(options, (queue) => new DeadLetterFeeder(records, queue, options), { deadLetterUnsent: true });
}

/** What feeds a send session: it pushes jobs until done, then closes the queue. */
interface Feeder {
  /** Events (redrive: records) handed to the queue so far. */
  readonly events: number;
  run(): Promise<void>;
}

/** Wires a feeder, the send queue and progress reporting together, and sums the run up. */
async function runSendSession(
  options: SendSessionOptions,
  createFeeder: (queue: SendQueue, started: number) => Feeder,
  { deadLetterUnsent }: { readonly deadLetterUnsent: boolean },
): Promise<EmulationSummary> {
  const started = performance.now();
  const receipts = new ReceiptsFile(options.receiptsPath);
  const client = new ProduceClient(options.invokeUrl, options);
  const deadLetters = new DeadLetterFile(options.deadLetterPath);
  const queue = new SendQueue({
    receipts,
    deadLetterUnsent,
    concurrency: options.concurrency,
    maxRetries: options.maxRetries,
    jitter: mulberry32(options.seed ^ 0x6a177e4),
    deadLetters,
    post: (job) => client.produce(job.topic, job.records.map((record) => record.json)),
  });
  const feeder = createFeeder(queue, started);
  const snapshot = (): EmulationProgress => ({ events: feeder.events, ...queue.stats, seconds: (performance.now() - started) / 1000 });
  const ticker = options.onProgress ? setInterval(() => options.onProgress?.(snapshot()), options.progressIntervalMs ?? SEND_TUNING.progressIntervalMs) : undefined;
  const onAbort = () => queue.wakeup.notify();
  options.signal?.addEventListener("abort", onAbort);
  try {
    await Promise.all([feeder.run(), queue.drain()]);
  } finally {
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener("abort", onAbort);
    client.close();
    deadLetters.close();
    receipts.close();
  }
  const progress = snapshot();
  return {
    ...progress,
    recordsPerSecond: progress.seconds > 0 ? progress.acknowledged / progress.seconds : 0,
    latencyP50Ms: queue.latency.percentile(0.5),
    latencyP99Ms: queue.latency.percentile(0.99),
    ...(queue.fatal === undefined ? {} : { fatal: queue.fatal }),
    ...(deadLetters.written > 0 ? { deadLetterPath: options.deadLetterPath } : {}),
    receiptsPath: options.receiptsPath,
  };
}

/** Hands dead-lettered records to the queue, `batch` per job of one topic, in file order, while the queue has room. */
class DeadLetterFeeder implements Feeder {
  events = 0;

  constructor(
    private readonly records: readonly DeadLetter[],
    private readonly queue: SendQueue,
    private readonly options: SendSessionOptions,
  ) {}

  async run(): Promise<void> {
    try {
      for (const job of jobsByTopic(this.records, this.options.batch)) {
        while (!this.queue.hasRoom && !this.stopRequested()) await this.queue.wakeup.next();
        this.events += job.records.length;
        // once stopped, the rest goes straight to the new dead-letter file: nothing read may vanish
        if (this.stopRequested()) this.queue.abandon(job, this.queue.fatal ?? "interrupted");
        else this.queue.push(job);
      }
    } finally {
      this.queue.close();
    }
  }

  private stopRequested(): boolean {
    return this.queue.fatal !== undefined || this.options.signal?.aborted === true;
  }
}

/** Jobs of at most `batch` records of one topic each, topics in order of first appearance. */
function* jobsByTopic(records: readonly DeadLetter[], batch: number): Generator<ProduceJob> {
  const byTopic = new Map<string, DeadLetter[]>();
  for (const record of records) {
    const list = byTopic.get(record.topic) ?? [];
    list.push(record);
    byTopic.set(record.topic, list);
  }
  for (const [topic, list] of byTopic) {
    for (let i = 0; i < list.length; i += batch) yield { topic, records: list.slice(i, i + batch).map((record) => ({ event: record.event, json: record.json, attempts: 0 })) };
  }
}

/**
 * Turns chunks of events into jobs, one per topic, at the target rate: takes rate-limit tokens per
 * chunk, waits while the send queue is full, and stops at the count, the deadline, an abort or a fatal answer.
 */
class EventFeeder implements Feeder {
  /** Events handed to the send queue. */
  events = 0;
  private readonly size: number;
  private readonly bucket: TokenBucket | undefined;
  private readonly deadline: number;

  constructor(
    private readonly source: EventSource,
    private readonly queue: SendQueue,
    private readonly options: EmulationOptions,
    started: number,
  ) {
    this.size = chunkSize(options.batch, options.rate);
    this.bucket = options.rate === undefined ? undefined : new TokenBucket(options.rate, this.size);
    this.deadline = options.durationSec === undefined ? Number.POSITIVE_INFINITY : started + options.durationSec * 1000;
  }

  async run(): Promise<void> {
    const reader = new Prefetcher(this.source, eventOrder(this.source.ids, this.options.seed), this.size, this.options.count ?? Number.POSITIVE_INFINITY, SEND_TUNING.prefetchChunks);
    try {
      while (!this.stopRequested()) {
        const chunk = await reader.next();
        if (chunk === undefined) break;
        await this.waitForTokens(chunk.length);
        while (!this.queue.hasRoom && !this.stopRequested()) await this.queue.wakeup.next();
        if (this.stopRequested()) break;
        this.events += chunk.length;
        for (const role of TABLE_ROLES) this.queue.push({ topic: this.options.targets.topics[role], records: chunk.map((event) => ({ event: event.id, json: event[role], attempts: 0 })) });
      }
    } catch (err) {
      this.queue.stop(err instanceof Error ? err.message : String(err));
    } finally {
      this.queue.close();
    }
  }

  private stopRequested(): boolean {
    return this.queue.fatal !== undefined || this.options.signal?.aborted === true || performance.now() >= this.deadline;
  }

  private async waitForTokens(events: number): Promise<void> {
    if (this.bucket === undefined) return;
    const until = performance.now() + this.bucket.take(events);
    // short sleeps so a deadline or an abort is noticed while waiting for tokens
    while (performance.now() < until && !this.stopRequested()) await sleep(Math.min(until - performance.now(), 100));
  }
}

/** One produce request as `--dry-run` prints it: method, URL, headers and the exact body. */
export function describeRequests(events: readonly EventJson[], targets: Targets): string {
  return TABLE_ROLES.map((role) => {
    const url = topicUrl(targets.invokeUrl, targets.topics[role]);
    const body = produceBody(events.map((event) => event[role]));
    const headers = Object.entries(produceHeaders(Buffer.byteLength(body))).map(([name, value]) => `${name}: ${value}`);
    return [`POST ${url.href}`, ...headers, "", body, ""].join("\n");
  }).join("\n");
}

/** Keeps `depth` chunk reads in flight ahead of the dispatcher. */
class Prefetcher {
  private readonly pending: Promise<EventJson[]>[] = [];

  constructor(
    private readonly source: EventSource,
    private readonly order: Iterator<number>,
    private readonly size: number,
    private remaining: number,
    private readonly depth: number,
  ) {}

  async next(): Promise<EventJson[] | undefined> {
    this.fill();
    const chunk = this.pending.shift();
    if (chunk === undefined) return undefined;
    const events = await chunk;
    this.fill();
    return events;
  }

  private fill(): void {
    while (this.pending.length < this.depth && this.remaining > 0) {
      const ids: number[] = [];
      while (ids.length < Math.min(this.size, this.remaining)) {
        const next = this.order.next();
        if (next.done) break;
        ids.push(next.value);
      }
      if (ids.length === 0) {
        this.remaining = 0;
        return;
      }
      this.remaining -= ids.length;
      const read = this.source.fetch(ids);
      // awaited later by next(); until then a failure must not count as unhandled
      read.catch(() => undefined);
      this.pending.push(read);
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
