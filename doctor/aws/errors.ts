import { type CheckInfo, type CheckResult, warn } from "../check";

/** An SDK error's name and HTTP status, whatever shape it arrived in. */
export function errorFacts(err: unknown): { name: string; message: string; status?: number } {
  const e = err as { name?: unknown; message?: unknown; $metadata?: { httpStatusCode?: number } };
  return {
    name: typeof e?.name === "string" ? e.name : "Error",
    message: typeof e?.message === "string" ? e.message : String(err),
    ...(e?.$metadata?.httpStatusCode !== undefined ? { status: e.$metadata.httpStatusCode } : {}),
  };
}

/** The call a check depends on failed (denied, throttled, unreachable): say so without guessing. */
export function cannotCheck(check: CheckInfo, err: unknown, permission: string): CheckResult {
  const { name, message } = errorFacts(err);
  return warn(check, `cannot check: ${name}: ${message}`, `allow ${permission} for these credentials, or check this by hand`);
}
