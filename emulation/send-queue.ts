/**
 * The send side of the emulator: a queue of produce jobs drained by `concurrency` senders, which
 * owns everything that happens to a record after it was read: in-flight accounting, retries after
 * a backoff, per-record failures, dead letters and the fatal answer that stops the run.
 *
 * Every record ends up acknowledged or dead-lettered (at-least-once): a job is either sent, or
 * re-queued after its backoff, or dead-lettered with the reason; never dropped.
 */
import { SEND_TUNING } from "./defaults";
import type { DeadLetterFile } from "./dead-letters";
import type { ReceiptsFile } from "./receipts-file";
import { backoffDelayMs, LatencyHistogram } from "./flow";
import type { ProduceOutcome } from "./kafka-rest";
import type { Random } from "./random";

/** One record on its way: its event index, its value's JSON and how often it was sent. */
export interface PendingRecord {
  readonly event: number;
  readonly json: string;
  attempts: number;
}

/** Records for one topic, sent as one produce request. */
export interface ProduceJob {
  readonly topic: string;
  readonly records: PendingRecord[];
}

/** Sends one produce request; never rejects (see `produce` in kafka-rest.ts). */
export type PostJob = (job: ProduceJob) => Promise<ProduceOutcome>;

export interface SendStats {
  /** Records sent at least once. */
  sent: number;
  acknowledged: number;
  /** Re-sends of records (one record retried twice counts 2). */
  retried: number;
  /** Records dead-lettered. */
  failed: number;
  /** Records whose request failed after reaching the server: they may have been written although they were re-sent or dead-lettered. */
  duplicatesSuspected: number;
  requests: number;
}

export interface SendQueueOptions {
  readonly concurrency: number;
  /** Retries per record after its first attempt. */
  readonly maxRetries: number;
  /** Dice of the backoff jitter. */
  readonly jitter: Random;
  readonly post: PostJob;
  readonly deadLetters: DeadLetterFile;
  /** Where acknowledged records' positions go; none when absent. */
  readonly receipts?: ReceiptsFile;
  /**
   * Whether records never sent are dead-lettered when the run stops. Redrive: its records come from
   * a dead-letter file and must all be in the new one unless acknowledged. Run: an event not sent was
   * never taken from the source, so there is nothing to keep. @default false
   */
  readonly deadLetterUnsent?: boolean;
}

interface RecordFailure {
  readonly record: PendingRecord;
  readonly reason: string;
}

/** What happens to a record whose send failed: sent again after a backoff, or dead-lettered with this reason. */
export type FailureAction = { readonly retry: true } | { readonly retry: false; readonly deadLetterReason: string };

/**
 * The retry decision for one failed record, after `attempts` sends: once the run stopped nothing is
 * retried; otherwise a record is retried while it has attempts left (`maxRetries` after the first).
 */
export function failureAction(attempts: number, reason: string, maxRetries: number, stoppedBy: string | undefined): FailureAction {
  if (stoppedBy !== undefined) return { retry: false, deadLetterReason: notRetriedReason(reason, stoppedBy) };
  if (attempts > maxRetries) return { retry: false, deadLetterReason: `${reason} (gave up after ${attempts} attempts)` };
  return { retry: true };
}

/** The dead-letter reason of a failed record not retried because the run stopped. */
export function notRetriedReason(reason: string, stoppedBy: string): string {
  return `${reason}; not retried, the run stopped: ${stoppedBy}`;
}

/**
 * Whether a retryable answer stops the run: an API that was never reached will not be reached by
 * retrying for minutes, so that stops a run that has nothing acknowledged yet; once the API has
 * answered, outages are retried. Returns the reason to stop with, if any.
 */
export function stopReasonForRetry(outcome: Extract<ProduceOutcome, { kind: "retry" }>, acknowledged: number): string | undefined {
  if (!outcome.unreachable || acknowledged > 0) return undefined;
  return `cannot reach the API: ${outcome.reason} (check the invoke URL, the network and that the API is deployed; nothing was acknowledged)`;
}

/**
 * The dead-letter reason of a job abandoned because the run stopped, and the records it covers:
 * those already tried (they must not vanish), and the untried ones too when `deadLetterUnsent`.
 */
export function abandonedRecords(records: readonly PendingRecord[], deadLetterUnsent: boolean, stoppedBy: string): { readonly records: PendingRecord[]; readonly reason: string } {
  const lost = deadLetterUnsent ? [...records] : records.filter((record) => record.attempts > 0);
  return { records: lost, reason: `${lost[0]?.attempts === 0 ? "not sent" : "not retried"}, the run stopped: ${stoppedBy}` };
}

/** Promises that resolve on the next {@link notify}: how senders and the producer wait for each other. */
export class Wakeup {
  private waiters: (() => void)[] = [];

  notify(): void {
    const woken = this.waiters;
    this.waiters = [];
    for (const wake of woken) wake();
  }

  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

export class SendQueue {
  readonly stats: SendStats = { sent: 0, acknowledged: 0, retried: 0, failed: 0, duplicatesSuspected: 0, requests: 0 };
  readonly latency = new LatencyHistogram();
  readonly wakeup = new Wakeup();
  private readonly jobs: ProduceJob[] = [];
  private inFlight = 0;
  private pendingRetries = 0;
  private producing = true;
  private fatalReason: string | undefined;

  constructor(private readonly options: SendQueueOptions) {}

  /** The answer (or error) that stopped the run, if any. */
  get fatal(): string | undefined {
    return this.fatalReason;
  }

  /** Stops the run: nothing more is sent, records not yet acknowledged are dead-lettered. */
  stop(reason: string): void {
    this.fatalReason ??= reason;
    this.wakeup.notify();
  }

  /** Whether the producer may add a job now without the queue growing past its bound. */
  get hasRoom(): boolean {
    return this.jobs.length < SEND_TUNING.queuedJobs;
  }

  push(job: ProduceJob): void {
    this.jobs.push(job);
    this.wakeup.notify();
  }

  /** The producer is done: senders return once the queue, the requests in flight and the pending retries are empty. */
  close(): void {
    this.producing = false;
    this.wakeup.notify();
  }

  /** Runs the senders until {@link close} was called and every record is acknowledged or dead-lettered. */
  async drain(): Promise<void> {
    await Promise.all(Array.from({ length: this.options.concurrency }, () => this.sender()));
  }

  private async sender(): Promise<void> {
    for (;;) {
      const job = this.jobs.shift();
      if (job === undefined) {
        if (!this.producing && this.inFlight === 0 && this.pendingRetries === 0) {
          this.wakeup.notify();
          return;
        }
        await this.wakeup.next();
        continue;
      }
      if (this.fatalReason !== undefined) {
        this.abandon(job, this.fatalReason);
        continue;
      }
      this.inFlight++;
      this.wakeup.notify();
      await this.send(job);
      this.inFlight--;
      this.wakeup.notify();
    }
  }

  private async send(job: ProduceJob): Promise<void> {
    for (const record of job.records) {
      if (record.attempts === 0) this.stats.sent++;
      else this.stats.retried++;
      record.attempts++;
    }
    this.stats.requests++;
    const sentAt = performance.now();
    const outcome = await this.options.post(job);
    this.latency.record(performance.now() - sentAt);
    switch (outcome.kind) {
      case "offsets": {
        const failures: RecordFailure[] = [];
        outcome.errors.forEach((error, i) => {
          if (error === null) this.stats.acknowledged++;
          else failures.push({ record: job.records[i] as PendingRecord, reason: error });
        });
        this.options.receipts?.record(job.topic, job.records, outcome.positions);
        this.handleFailures(job.topic, failures);
        break;
      }
      case "retry": {
        if (outcome.ambiguous) this.stats.duplicatesSuspected += job.records.length;
        const stopReason = stopReasonForRetry(outcome, this.stats.acknowledged);
        if (stopReason !== undefined) this.stop(stopReason);
        this.handleFailures(job.topic, job.records.map((record) => ({ record, reason: outcome.reason })));
        break;
      }
      case "fatal":
        this.stop(outcome.reason);
        this.deadLetter(job.topic, job.records, outcome.reason);
        break;
    }
  }

  /**
   * A job that will not be sent because the run stopped: records already tried are dead-lettered
   * (they must not vanish), untried ones too when {@link SendQueueOptions.deadLetterUnsent}.
   */
  abandon(job: ProduceJob, reason: string): void {
    const { records, reason: deadLetterReason } = abandonedRecords(job.records, this.options.deadLetterUnsent === true, reason);
    if (records.length > 0) this.deadLetter(job.topic, records, deadLetterReason);
  }

  /** Dead-letters the records out of retries (or all, once the run stopped) and re-queues the rest after one backoff. */
  private handleFailures(topic: string, failures: readonly RecordFailure[]): void {
    const retry: PendingRecord[] = [];
    let lastReason = "";
    for (const { record, reason } of failures) {
      const action = failureAction(record.attempts, reason, this.options.maxRetries, this.fatalReason);
      if (!action.retry) this.deadLetter(topic, [record], action.deadLetterReason);
      else {
        retry.push(record);
        lastReason = reason;
      }
    }
    if (retry.length === 0) return;
    const attempts = Math.max(...retry.map((record) => record.attempts));
    this.pendingRetries++;
    setTimeout(() => {
      this.pendingRetries--;
      if (this.fatalReason !== undefined) this.deadLetter(topic, retry, notRetriedReason(lastReason, this.fatalReason));
      else this.jobs.unshift({ topic, records: retry });
      this.wakeup.notify();
    }, backoffDelayMs(attempts, this.options.jitter));
  }

  private deadLetter(topic: string, records: readonly PendingRecord[], reason: string): void {
    for (const record of records) this.options.deadLetters.write(topic, record, reason);
    this.stats.failed += records.length;
  }
}
