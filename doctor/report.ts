import type { CheckResult, CheckStatus } from "./check";

/** 1 when any check failed, else 0 (warnings and skips do not block a deploy). */
export function exitCode(results: readonly CheckResult[]): number {
  return results.some((r) => r.status === "fail") ? 1 : 0;
}

/** `fail  aws.bucket  user-x-bucket exists ... -- fix: ...` */
export function formatLine(result: CheckResult): string {
  return `${result.status.padEnd(4)}  ${result.id}  ${result.message}${result.fix ? ` -- fix: ${result.fix}` : ""}`;
}

export function summaryLine(results: readonly CheckResult[]): string {
  const count = (status: CheckStatus) => results.filter((r) => r.status === status).length;
  return `doctor: ${count("fail")} fail, ${count("warn")} warn, ${count("ok")} ok, ${count("skip")} skip`;
}

/** One JSON document: every check with the same fields, `fix` null when there is nothing to do. */
export function jsonReport(results: readonly CheckResult[]): string {
  return JSON.stringify(
    {
      exitCode: exitCode(results),
      checks: results.map((r) => ({ id: r.id, title: r.title, status: r.status, message: r.message, fix: r.fix ?? null })),
    },
    null,
    2,
  );
}
