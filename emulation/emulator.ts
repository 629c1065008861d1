/**
 * The posting emulator: reads events from the source database in batches ahead of the senders,
 * posts each event's pin, geo and user rows to their topics through the Kafka REST proxy, and
 * makes sure every record ends up acknowledged or in the dead-letter file (at-least-once).
 *
 * Flow: a reader prefetches chunks of events (one `IN (...)` query per table); a dispatcher takes
 * rate-limit tokens per event and turns each chunk into three produce requests (one per topic);
 * `concurrency` senders post them over keep-alive connections. Failed records (per-record errors,
 * 429, 5xx, timeouts, resets) are retried as a smaller request after an exponential backoff with
 * full jitter, up to `maxRetries` times, then dead-lettered with the reason.
 */
import { closeSync, openSync, writeSync } from "node:fs";
import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { EmulationError } from "./errors";
import { backoffDelayMs, eventOrder, LatencyHistogram, TokenBucket } from "./flow";
import { produce, produceBody, produceHeaders, topicUrl, type ProduceOutcome } from "./kafka-rest";
import { mulberry32 } from "./random";
import { TABLE_ROLES, type EventJson, type TableRole } from "./rows";

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

export interface EmulationOptions {
  readonly targets: Targets;
  /** Records per produce request (events per chunk; each chunk makes one request per topic). */
  readonly batch: number;
  /** Produce requests in flight at once (and sockets in the keep-alive pool). */
  readonly concurrency: number;
  /** Events per second (each event is three records); unlimited when absent. */
  readonly rate?: number;
  /** Events to emulate; unlimited when absent (then `durationSec` or `signal` ends the run). */
  readonly count?: number;
  /** Stop starting new events after this many seconds. */
  readonly durationSec?: number;
  /** Seed of the event order and the retry jitter. */
  readonly seed: number;
  /** Retries per record after its first attempt. */
  readonly maxRetries: number;
  /** Per-request timeout. */
  readonly timeoutMs: number;
  /** NDJSON file for records that could not be delivered; created only if one fails. */
  readonly deadLetterPath: string;
  /** Aborting stops starting new events; records in flight finish (or are dead-lettered). */
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: EmulationProgress) => void;
  /** @default 1000 */
  readonly progressIntervalMs?: number;
}

export interface EmulationProgress {
  readonly events: number;
  /** Records sent at least once. */
  readonly sent: number;
  readonly acknowledged: number;
  /** Re-sends of records (one record retried twice counts 2). */
  readonly retried: number;
  /** Records dead-lettered. */
  readonly failed: number;
  /** Records whose request failed after reaching the server (timeout, reset, 5xx): they may have been written although they were re-sent or dead-lettered. */
  readonly duplicatesSuspected: number;
  readonly requests: number;
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
}

/**
 * Jobs waiting for a free sender, and chunks read ahead of the dispatcher: enough that a sender never
 * waits for the database, few enough that the events held in memory stay a handful of chunks.
 */
const QUEUED_JOBS = 3;
const PREFETCH_CHUNKS = 2;

/** With a target rate, one chunk carries at most this fraction of a second's events, keeping the flow smooth. */
const CHUNKS_PER_SECOND_AT_RATE = 10;

interface PendingRecord {
  readonly event: number;
  readonly json: string;
  attempts: number;
}

interface ProduceJob {
  readonly role: TableRole;
  readonly records: PendingRecord[];
}

/** The events per chunk: `batch`, or less with a target rate so a chunk is at most 1/10 s of events. */
export function chunkSize(batch: number, rate: number | undefined): number {
  return rate === undefined ? batch : Math.max(1, Math.min(batch, Math.floor(rate / CHUNKS_PER_SECOND_AT_RATE)));
}

export async function runEmulation(source: EventSource, options: EmulationOptions): Promise<EmulationSummary> {
  if (source.ids.length === 0) throw new EmulationError("the source tables have no events (fill them with: npm run emulate -- seed-db --rows 10000)");
  const started = performance.now();
  const urls = Object.fromEntries(TABLE_ROLES.map((role) => [role, topicUrl(options.targets.invokeUrl, options.targets.topics[role])])) as Record<TableRole, URL>;
  const agentOptions = { keepAlive: true, maxSockets: options.concurrency, maxFreeSockets: options.concurrency };
  const agent = urls.pin.protocol === "https:" ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
  const transport = { agent, timeoutMs: options.timeoutMs };
  const jitter = mulberry32(options.seed ^ 0x6a177e4);
  const latency = new LatencyHistogram();
  const deadLetters = new DeadLetterFile(options.deadLetterPath);
  const size = chunkSize(options.batch, options.rate);
  const bucket = options.rate === undefined ? undefined : new TokenBucket(options.rate, size);
  const deadline = options.durationSec === undefined ? Number.POSITIVE_INFINITY : started + options.durationSec * 1000;

  const stats = { events: 0, sent: 0, acknowledged: 0, retried: 0, failed: 0, duplicatesSuspected: 0, requests: 0 };
  const queue: ProduceJob[] = [];
  let inFlight = 0;
  let pendingRetries = 0;
  let producing = true;
  let fatal: string | undefined;

  let waiters: (() => void)[] = [];
  const notify = () => {
    const woken = waiters;
    waiters = [];
    for (const wake of woken) wake();
  };
  const changed = () => new Promise<void>((resolve) => waiters.push(resolve));
  const stopRequested = () => fatal !== undefined || options.signal?.aborted === true || performance.now() >= deadline;
  const onAbort = () => notify();
  options.signal?.addEventListener("abort", onAbort);

  const snapshot = (): EmulationProgress => ({ ...stats, seconds: (performance.now() - started) / 1000 });
  const ticker = options.onProgress ? setInterval(() => options.onProgress?.(snapshot()), options.progressIntervalMs ?? 1000) : undefined;

  const deadLetter = (role: TableRole, records: readonly PendingRecord[], reason: string) => {
    for (const record of records) deadLetters.write(options.targets.topics[role], record, reason);
    stats.failed += records.length;
  };

  const handleFailures = (role: TableRole, failures: readonly { record: PendingRecord; reason: string }[]) => {
    const retry: PendingRecord[] = [];
    let lastReason = "";
    for (const { record, reason } of failures) {
      if (fatal !== undefined) deadLetter(role, [record], `${reason}; not retried, the run stopped: ${fatal}`);
      else if (record.attempts > options.maxRetries) deadLetter(role, [record], `${reason} (gave up after ${record.attempts} attempts)`);
      else {
        retry.push(record);
        lastReason = reason;
      }
    }
    if (retry.length === 0) return;
    const attempts = Math.max(...retry.map((record) => record.attempts));
    pendingRetries++;
    setTimeout(() => {
      pendingRetries--;
      if (fatal !== undefined) deadLetter(role, retry, `${lastReason}; not retried, the run stopped: ${fatal}`);
      else queue.unshift({ role, records: retry });
      notify();
    }, backoffDelayMs(attempts, jitter));
  };

  const send = async (job: ProduceJob) => {
    for (const record of job.records) {
      if (record.attempts === 0) stats.sent++;
      else stats.retried++;
      record.attempts++;
    }
    stats.requests++;
    const body = produceBody(job.records.map((record) => record.json));
    const sentAt = performance.now();
    const outcome: ProduceOutcome = await produce(urls[job.role], body, job.records.length, transport);
    latency.record(performance.now() - sentAt);
    switch (outcome.kind) {
      case "offsets": {
        const failures: { record: PendingRecord; reason: string }[] = [];
        outcome.errors.forEach((error, i) => {
          const record = job.records[i] as PendingRecord;
          if (error === null) stats.acknowledged++;
          else failures.push({ record, reason: error });
        });
        handleFailures(job.role, failures);
        break;
      }
      case "retry":
        if (outcome.ambiguous) stats.duplicatesSuspected += job.records.length;
        handleFailures(job.role, job.records.map((record) => ({ record, reason: outcome.reason })));
        break;
      case "fatal":
        fatal ??= outcome.reason;
        deadLetter(job.role, job.records, outcome.reason);
        break;
    }
  };

  const sender = async () => {
    for (;;) {
      const job = queue.shift();
      if (job === undefined) {
        if (!producing && inFlight === 0 && pendingRetries === 0) {
          notify();
          return;
        }
        await changed();
        continue;
      }
      if (fatal !== undefined) {
        const tried = job.records.filter((record) => record.attempts > 0);
        if (tried.length > 0) deadLetter(job.role, tried, `not retried, the run stopped: ${fatal}`);
        continue;
      }
      inFlight++;
      notify();
      await send(job);
      inFlight--;
      notify();
    }
  };

  const dispatcher = async () => {
    const reader = new Prefetcher(source, eventOrder(source.ids, options.seed), size, options.count ?? Number.POSITIVE_INFINITY, PREFETCH_CHUNKS);
    try {
      while (!stopRequested()) {
        const chunk = await reader.next();
        if (chunk === undefined) break;
        if (bucket) {
          const until = performance.now() + bucket.take(chunk.length);
          // short sleeps so a deadline or an abort is noticed while waiting for tokens
          while (performance.now() < until && !stopRequested()) await sleep(Math.min(until - performance.now(), 100));
        }
        while (queue.length >= QUEUED_JOBS && !stopRequested()) await changed();
        if (stopRequested()) break;
        stats.events += chunk.length;
        for (const role of TABLE_ROLES) queue.push({ role, records: chunk.map((event) => ({ event: event.id, json: event[role], attempts: 0 })) });
        notify();
      }
    } catch (err) {
      fatal ??= err instanceof Error ? err.message : String(err);
    } finally {
      producing = false;
      notify();
    }
  };

  try {
    await Promise.all([dispatcher(), ...Array.from({ length: options.concurrency }, sender)]);
  } finally {
    if (ticker) clearInterval(ticker);
    options.signal?.removeEventListener("abort", onAbort);
    agent.destroy();
    deadLetters.close();
  }
  const progress = snapshot();
  return {
    ...progress,
    recordsPerSecond: progress.seconds > 0 ? progress.acknowledged / progress.seconds : 0,
    latencyP50Ms: latency.percentile(0.5),
    latencyP99Ms: latency.percentile(0.99),
    ...(fatal === undefined ? {} : { fatal }),
    ...(deadLetters.written > 0 ? { deadLetterPath: options.deadLetterPath } : {}),
  };
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

/** The dead-letter NDJSON file, opened (and truncated) on the first failed record only. */
class DeadLetterFile {
  private fd: number | undefined;
  written = 0;

  constructor(private readonly path: string) {}

  write(topic: string, record: PendingRecord, reason: string): void {
    if (this.fd === undefined) {
      try {
        this.fd = openSync(this.path, "w");
      } catch (err) {
        throw new EmulationError(`--dead-letter ${this.path}: cannot write (${(err as Error).message}); pass a writable path`);
      }
    }
    writeSync(this.fd, `{"topic":${JSON.stringify(topic)},"event":${record.event},"reason":${JSON.stringify(reason)},"attempts":${record.attempts},"value":${record.json}}\n`);
    this.written++;
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
