/**
 * The S3 sink's object names: `<topics.dir>/<topic>/partition=<p>/<topic>+<p>+<start offset>.json`
 * (DefaultPartitioner, `+` delimiter, start offset zero-padded to filename.offset.zero.pad.width).
 */
import { SINK_LAYOUT } from "../lib/contract";

export interface SinkObjectName {
  readonly topic: string;
  readonly partition: number;
  /** The offset of the object's first record. */
  readonly startOffset: number;
}

export type ParsedKey = { readonly ok: true; readonly name: SinkObjectName } | { readonly ok: false; readonly reason: string };

/** The prefix under which the sink writes one topic's objects. */
export function topicPrefix(topic: string): string {
  return `${SINK_LAYOUT.topicsDir}/${topic}/`;
}

/** Parses one key listed under {@link topicPrefix}; a key that is not the sink's says why. */
export function parseSinkKey(key: string, topic: string): ParsedKey {
  const prefix = topicPrefix(topic);
  if (!key.startsWith(prefix)) return { ok: false, reason: `not under ${prefix}` };
  const rest = key.slice(prefix.length);
  const match = /^partition=(\d+)\/(.+)$/.exec(rest);
  if (!match) return { ok: false, reason: "not under partition=<n>/" };
  const partition = Number(match[1]);
  const file = match[2] as string;
  const expectedStart = `${topic}+${partition}+`;
  if (!file.startsWith(expectedStart) || !file.endsWith(".json")) return { ok: false, reason: `file name is not ${expectedStart}<offset>.json` };
  const digits = file.slice(expectedStart.length, -".json".length);
  // the sink pads to the width but never truncates, so longer offsets are valid
  if (!/^\d+$/.test(digits) || digits.length < SINK_LAYOUT.offsetZeroPadWidth) {
    return { ok: false, reason: `start offset ${JSON.stringify(digits)} is not a number zero-padded to ${SINK_LAYOUT.offsetZeroPadWidth} digits` };
  }
  const startOffset = Number(digits);
  if (!Number.isSafeInteger(startOffset)) return { ok: false, reason: `start offset ${digits} is too large` };
  return { ok: true, name: { topic, partition, startOffset } };
}
