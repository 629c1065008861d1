/** Every default of `npm run verify`, once. */
export const VERIFY_DEFAULTS = {
  outputsFile: "outputs.json",
  /** No waiting unless asked: one look at the bucket. */
  waitMs: 0,
  /** The longest --wait accepted; a deadline beyond a day is a typo. */
  maxWaitMs: 24 * 60 * 60 * 1000,
  /** Between two looks at the bucket while waiting. */
  pollIntervalMs: 5_000,
  /** Objects downloaded at once. */
  readConcurrency: 16,
  /** How far past an expected offset a record is looked for when the sink skipped some (bounds the work per line). */
  maxLookaheadOffsets: 10_000,
  /** Examples kept per partition of each kind of finding (mismatches, unexplained keys...). */
  maxExamples: 5,
  connectorLogs: {
    /** The worker log window searched for ERROR lines. */
    windowMs: 60 * 60 * 1000,
    filterPattern: "ERROR",
    /** ERROR lines kept for the report. */
    maxLines: 5,
    /** FilterLogEvents pages read at most (a page may be empty while more follow). */
    maxPages: 5,
  },
  ssh: {
    identityFile: "~/.ssh/id_ed25519",
    /** The provisioner's known_hosts, so a host key it recorded is trusted here too. */
    knownHostsFile: ".provision/known_hosts",
    port: 22,
    connectTimeoutMs: 15_000,
    commandTimeoutMs: 90_000,
  },
  /** Progress redraws on a terminal; otherwise one line per look at the bucket. */
  progressIntervalMs: 250,
} as const;
