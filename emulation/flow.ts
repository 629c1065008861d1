/** Small pure building blocks of the emulator's flow control and statistics. */
import { SEND_TUNING } from "./defaults";
import { mulberry32, shuffle, type Random } from "./random";

/**
 * Exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And Jitter"):
 * a uniform delay in [0, min(cap, base·2^(retry-1))), which spreads retries of many clients apart.
 */
export function backoffDelayMs(retry: number, random: Random, baseMs: number = SEND_TUNING.backoffBaseMs, capMs: number = SEND_TUNING.backoffCapMs): number {
  return random() * Math.min(capMs, baseMs * 2 ** Math.max(0, retry - 1));
}

/**
 * A token bucket on events per second. {@link take} reserves tokens and returns how long the caller
 * must wait before using them, so concurrent callers queue fairly and the long-run rate is exact.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Reserves `count` tokens; returns the wait in milliseconds (0 when they are available now). */
  take(count: number): number {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) * this.ratePerSecond) / 1000);
    this.last = now;
    this.tokens -= count;
    return this.tokens >= 0 ? 0 : (-this.tokens * 1000) / this.ratePerSecond;
  }
}

/** Latencies in a log-scale histogram (2 % resolution): constant memory however long the run. */
export class LatencyHistogram {
  private static readonly MIN_MS = 0.01;
  private static readonly LOG_RATIO = Math.log(1.02);
  private readonly counts: number[] = [];
  private total = 0;

  record(ms: number): void {
    // Stryker disable next-line EqualityOperator: at exactly MIN_MS the formula gives bucket 0 too
    const bucket = ms <= LatencyHistogram.MIN_MS ? 0 : Math.ceil(Math.log(ms / LatencyHistogram.MIN_MS) / LatencyHistogram.LOG_RATIO);
    this.counts[bucket] = (this.counts[bucket] ?? 0) + 1;
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /** The latency at or below which `p` (0–1) of the samples fall, within 2 %; NaN when empty. */
  percentile(p: number): number {
    // Stryker disable next-line ConditionalExpression: an empty histogram falls through the loop to the same NaN; the early return says so
    if (this.total === 0) return Number.NaN;
    const rank = Math.max(1, Math.ceil(p * this.total));
    let seen = 0;
    // Stryker disable next-line EqualityOperator: one step past the end reads an absent bucket as 0 and changes nothing
    for (let bucket = 0; bucket < this.counts.length; bucket++) {
      seen += this.counts[bucket] ?? 0;
      if (seen >= rank) return LatencyHistogram.MIN_MS * Math.exp(bucket * LatencyHistogram.LOG_RATIO);
    }
    return Number.NaN;
  }
}

/**
 * The order events are emulated in: a seeded permutation of the ids, then another, and so on, so
 * every id is used once before any repeats (the original sampled random offsets, with repeats).
 */
export function* eventOrder(ids: readonly number[], seed: number): Generator<number, void, undefined> {
  if (ids.length === 0) return;
  const random = mulberry32(seed);
  for (;;) {
    const pass = shuffle(random, [...ids]);
    yield* pass;
  }
}
