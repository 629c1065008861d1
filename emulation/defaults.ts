/**
 * Every default of the emulator, once: the flags' defaults (args.ts reads them, the usage text
 * prints them) and the flow-control constants of the send path. Nothing here has dependencies.
 */
export const EMULATE_DEFAULTS = {
  credsFile: "db_creds.yaml",
  outputsFile: "outputs.json",
  /** Appended to, never truncated: a later run cannot destroy the records an earlier one could not deliver. */
  deadLetterFile: "dead-letter.ndjson",
  /** Receipts go to `<receiptsDir>/<UTC timestamp>.ndjson`, a fresh file per run. */
  receiptsDir: "receipts",
  /** The original emulator seeded Python's random with 100. */
  seed: 100,
  /** Events when neither --count nor --duration is given: runs stay bounded unless asked otherwise. */
  count: 1000,
  batch: 100,
  concurrency: 4,
  maxRetries: 5,
  timeoutMs: 10_000,
  auth: "none",
  /** Events shown by --dry-run: enough to see the body shape without flooding the terminal. */
  dryRunEvents: 3,
  /** Ids of the generated rows --dry-run shows when the database cannot be read: the original's size. */
  dryRunGeneratedRows: 11_154,
  /** Environment variable holding the API key when --url is used without --api-key. */
  apiKeyEnv: "PIPELINE_API_KEY",
} as const;

/** Flow control of the send path (tuned by bench:emulate) and the CLI's reporting: not flags. */
export const SEND_TUNING = {
  /**
   * Jobs waiting for a free sender, and chunks read ahead of the dispatcher: enough that a sender
   * never waits for the database, few enough that the events held in memory stay a handful of chunks.
   */
  queuedJobs: 3,
  prefetchChunks: 2,
  /** With a target rate, one chunk carries at most this fraction of a second's events, keeping the flow smooth. */
  chunksPerSecondAtRate: 10,
  /** Connections to the database while posting: the reader's three queries per chunk, two chunks ahead. */
  dbConnections: 6,
  progressIntervalMs: 1000,
  /** The CLI's progress line: redrawn in place on a terminal, one line every 5 s in a log. */
  progressIntervalTtyMs: 250,
  progressIntervalLogMs: 5000,
  /** --dry-run reads one chunk: one query per table. */
  dryRunDbConnections: 3,
  /** Backoff of a retried request: full jitter under base·2^(retry-1), capped. */
  backoffBaseMs: 100,
  backoffCapMs: 5000,
} as const;
