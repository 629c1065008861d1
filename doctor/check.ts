/**
 * What every doctor check returns: an id (stable, for scripts reading `--json`), a status, one
 * line saying what was found and, unless it is ok, one line saying what to do about it.
 */

export type CheckStatus = "ok" | "warn" | "fail" | "skip";

export interface CheckResult {
  /** Stable, dotted: `local.node`, `aws.bucket`. */
  readonly id: string;
  /** What the check looks at, for docs and `--json`. */
  readonly title: string;
  readonly status: CheckStatus;
  /** What was found, one line. */
  readonly message: string;
  /** What to do, one line; absent when nothing needs doing. */
  readonly fix?: string;
}

/** A check's identity: its id and title, shared by every result it returns. */
export interface CheckInfo {
  readonly id: string;
  readonly title: string;
}

export const ok = (check: CheckInfo, message: string): CheckResult => ({ ...check, status: "ok", message });
export const warn = (check: CheckInfo, message: string, fix: string): CheckResult => ({ ...check, status: "warn", message, fix });
export const fail = (check: CheckInfo, message: string, fix: string): CheckResult => ({ ...check, status: "fail", message, fix });
export const skip = (check: CheckInfo, message: string, fix?: string): CheckResult => ({ ...check, status: "skip", message, ...(fix ? { fix } : {}) });
