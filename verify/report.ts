/**
 * The two renderings of a verification: a per-topic, per-partition table with one line per
 * finding (terminal), and one JSON document with stable keys (`--json`, schema in docs/verify.md).
 */
import type { Diagnosis, Gap } from "./diagnose";
import type { LookResult } from "./look";
import { formatRanges } from "./ranges";

export interface VerifyReport {
  readonly result: LookResult;
  readonly bucket: string;
  readonly receiptsFiles: string[];
  readonly waitedMs: number;
  readonly diagnosis: Diagnosis | undefined;
  readonly gaps: Gap[];
}

/** The JSON document; keys never change meaning (add, do not rename). */
export function reportJson(report: VerifyReport): object {
  const { result, diagnosis } = report;
  return {
    verdict: result.verdict,
    bucket: report.bucket,
    receiptsFiles: report.receiptsFiles,
    waitedSeconds: Math.round(report.waitedMs / 100) / 10,
    totals: result.totals,
    topics: result.topics.map((t) => ({
      topic: t.topic,
      duplicateEvents: t.duplicateEvents,
      extraAcks: t.extraAcks,
      duplicateExamples: t.duplicateExamples,
      partitions: t.partitions.map((p) => ({
        partition: p.partition,
        acknowledged: p.acknowledged,
        delivered: p.delivered,
        missing: p.missing,
        missingRanges: p.missingRanges,
        deliveredElsewhere: p.deliveredElsewhere,
        duplicateRecords: p.duplicateRecords,
        unexplained: p.unexplained,
        unexplainedRanges: p.unexplainedRanges,
        unexplainedRepeats: p.unexplainedRepeats,
        objects: p.objects,
        records: p.records,
        lastWrittenOffset: p.lastWrittenOffset,
        sampledChecked: p.sampledChecked,
        sampleMismatches: p.sampleMismatches,
        eventMismatches: p.eventMismatches,
        mismatchExamples: p.mismatchExamples,
        unreadable: p.unreadable,
        receiptConflicts: p.receiptConflicts,
      })),
    })),
    unparsedKeys: result.unparsedKeys,
    gaps: report.gaps,
    diagnosis: diagnosis
      ? {
          connector: diagnosis.connector,
          errorLines: diagnosis.errors,
          consumerGroup: diagnosis.consumerGroup.description ?? null,
          consumerGroupUnavailable: diagnosis.consumerGroup.unavailable ?? null,
        }
      : null,
  };
}

const n = (value: number) => value.toLocaleString("en-US");

function table(rows: string[][]): string[] {
  const widths = (rows[0] ?? []).map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  return rows.map((row) => row.map((cell, column) => (column < 2 ? cell.padEnd(widths[column] ?? 0) : cell.padStart(widths[column] ?? 0))).join("  ").trimEnd());
}

export function reportLines(report: VerifyReport): string[] {
  const { result } = report;
  const t = result.totals;
  const rows = [["topic", "partition", "acknowledged", "delivered", "missing", "retried", "rewritten", "unexplained", "objects", "sampled", "mismatched"]];
  for (const topic of result.topics) {
    for (const p of topic.partitions) {
      rows.push([topic.topic, `${p.partition}`, n(p.acknowledged), n(p.delivered), n(p.missing), n(p.deliveredElsewhere), n(p.duplicateRecords), n(p.unexplained), n(p.objects), n(p.sampledChecked), n(p.sampleMismatches + p.eventMismatches)]);
    }
  }
  const lines = table(rows);
  const partitions = result.topics.flatMap((topic) => topic.partitions);
  for (const p of partitions.filter((p) => p.missing > 0)) {
    const gap = report.gaps.find((g) => g.topic === p.topic && g.partition === p.partition);
    lines.push(`missing: ${p.topic} partition ${p.partition}: offsets ${formatRanges(p.missingRanges)} (${n(p.missing)} records)${gap ? `: ${gap.line}` : ""}`);
  }
  for (const topic of result.topics.filter((topic) => topic.duplicateEvents > 0)) {
    const examples = topic.duplicateExamples.map((d) => `event ${d.event} at ${d.at.map((a) => `${a.partition}:${a.offset}`).join(", ")}`).join("; ");
    lines.push(`duplicates: ${topic.topic}: ${n(topic.duplicateEvents)} events acknowledged at several offsets (${n(topic.extraAcks)} re-sends), e.g. ${examples}`);
  }
  for (const p of partitions.filter((p) => p.deliveredElsewhere > 0)) {
    lines.push(`retried: ${p.topic} partition ${p.partition}: ${n(p.deliveredElsewhere)} acknowledged offsets are not in the bucket but their events arrived at another offset (not counted as missing)`);
  }
  for (const p of partitions.filter((p) => p.duplicateRecords > 0)) {
    lines.push(`rewritten: ${p.topic} partition ${p.partition}: ${n(p.duplicateRecords)} records are in more than one object (the sink wrote them again after a restart)`);
  }
  for (const p of partitions.filter((p) => p.unexplained > 0)) {
    const repeats = p.unexplainedRepeats > 0 ? `, ${n(p.unexplainedRepeats)} of them carry events acknowledged at other offsets (re-sends whose answer was lost)` : "";
    lines.push(`unexplained: ${p.topic} partition ${p.partition}: offsets ${formatRanges(p.unexplainedRanges)} (${n(p.unexplained)} records no receipt acknowledged${repeats})`);
  }
  for (const p of partitions.filter((p) => p.sampleMismatches + p.eventMismatches > 0)) {
    const examples = p.mismatchExamples.map((m) => `offset ${m.offset}: expected ${m.expected}, found ${m.found} (${m.key})`).join("; ");
    lines.push(`different: ${p.topic} partition ${p.partition}: ${n(p.sampleMismatches)} sampled records differ in content, ${n(p.eventMismatches)} hold another event than acknowledged: ${examples}`);
  }
  for (const p of partitions.filter((p) => p.unreadable > 0)) lines.push(`unreadable: ${p.topic} partition ${p.partition}: ${n(p.unreadable)} lines carry no index/ind field`);
  for (const p of partitions.filter((p) => p.receiptConflicts > 0)) lines.push(`receipts disagree: ${p.topic} partition ${p.partition}: ${n(p.receiptConflicts)} offsets acknowledged with different events (receipts of a recreated topic mixed in?)`);
  for (const key of result.unparsedKeys.slice(0, 10)) lines.push(`not a sink object: ${key.key}: ${key.reason}`);
  if (result.unparsedKeys.length > 10) lines.push(`not a sink object: ... and ${result.unparsedKeys.length - 10} more`);
  if (report.diagnosis) {
    const { connector, errors, consumerGroup } = report.diagnosis;
    lines.push(`connector: ${connector.name}: ${connector.state ?? `state unknown (${connector.error})`}${connector.reason ? `: ${connector.reason}` : ""}`);
    lines.push(errors.error ? `connector log: ${errors.logGroup}: not read (${errors.error})` : `connector log: ${errors.logGroup}: ${errors.lines.length} ERROR lines in the window`);
    for (const line of errors.lines) lines.push(`  ${line}`);
    if (consumerGroup.unavailable) lines.push(`consumer group: ${consumerGroup.unavailable}`);
    else if (consumerGroup.description) {
      const g = consumerGroup.description;
      const positions = g.positions.map((p) => `${p.topic}:${p.partition} at ${p.currentOffset ?? "-"} of ${p.logEndOffset ?? "-"}`).join(", ");
      lines.push(`consumer group: ${g.group}: ${g.missing ? "does not exist" : positions || "no positions"}${g.noActiveMembers ? " (no active members)" : ""}`);
    }
  }
  const waited = report.waitedMs > 0 ? ` after ${Math.round(report.waitedMs / 1000)} s` : "";
  const verdict =
    result.verdict === "delivered"
      ? `DELIVERED: all ${n(t.acknowledged)} acknowledged records are in s3://${report.bucket}${waited}`
      : result.verdict === "missing"
        ? `MISSING: ${n(t.missing)} of ${n(t.acknowledged)} acknowledged records are not in s3://${report.bucket}${waited}`
        : `DIFFERENT: ${n(t.sampleMismatches + t.eventMismatches)} delivered records differ from what was posted`;
  lines.push(verdict);
  return lines;
}

/** The progress line while waiting: a bar on a terminal, plain text otherwise. */
export function progressLine(result: LookResult, remainingMs: number, tty: boolean): string {
  const { acknowledged, delivered } = result.totals;
  const fraction = acknowledged === 0 ? 1 : delivered / acknowledged;
  const text = `${n(delivered)}/${n(acknowledged)} delivered (${(fraction * 100).toFixed(1)}%), ${Math.ceil(remainingMs / 1000)} s left`;
  if (!tty) return `verify: ${text}`;
  const width = 30;
  const filled = Math.round(fraction * width);
  return `[${"#".repeat(filled)}${".".repeat(width - filled)}] ${text}`;
}
