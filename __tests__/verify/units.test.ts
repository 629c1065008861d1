/** The pure parts: ranges, key parsing, receipts joining, line alignment, durations. */
import { describe, expect, it } from "vitest";
import { contentHash } from "../../lib/receipts";
import { AckIndexBuilder, joinRuns } from "../../verify/acks";
import { parseDuration } from "../../verify/args";
import { ObjectScanner, eventIndexOf } from "../../verify/object-scan";
import { formatRanges, intersect, normalize, subtract } from "../../verify/ranges";
import { parseSinkKey } from "../../verify/sink-keys";
import { hashMapOrder, reserialize, sinkObjectKey } from "../support/sink-simulator";

describe("ranges", () => {
  it("normalizes, subtracts and intersects", () => {
    expect(normalize([[5, 9], [0, 2], [3, 4], [20, 20]])).toEqual([[0, 9], [20, 20]]);
    expect(subtract([[0, 99]], [[0, 56], [82, 99]])).toEqual([[57, 81]]);
    expect(subtract([[0, 9], [20, 29]], [[5, 24]])).toEqual([[0, 4], [25, 29]]);
    expect(intersect([[0, 9], [20, 29]], [[5, 24]])).toEqual([[5, 9], [20, 24]]);
    expect(formatRanges([[1, 1], [3, 7]])).toBe("1, 3-7");
  });
});

describe("parseSinkKey", () => {
  it("parses the connector's names and explains the others", () => {
    expect(parseSinkKey(sinkObjectKey("u.pin", 2, 1200), "u.pin")).toEqual({ ok: true, name: { topic: "u.pin", partition: 2, startOffset: 1200 } });
    expect(parseSinkKey("topics/u.pin/partition=0/u.pin+0+12345678901.json", "u.pin")).toEqual({ ok: true, name: { topic: "u.pin", partition: 0, startOffset: 12345678901 } });
    expect(parseSinkKey("topics/u.pin/partition=0/u.pin+0+1200.json", "u.pin")).toEqual({ ok: false, reason: 'start offset "1200" is not a number zero-padded to 10 digits' });
    expect(parseSinkKey("topics/u.pin/partition=0/u.pin+1+0000000000.json", "u.pin")).toEqual({ ok: false, reason: "file name is not u.pin+0+<offset>.json" });
    expect(parseSinkKey("topics/u.pin/u.pin+0+0000000000.json", "u.pin")).toEqual({ ok: false, reason: "not under partition=<n>/" });
  });
});

describe("joinRuns", () => {
  const run = (start: number, events: number[]) => ({ start, events: Float64Array.from(events) });
  it("joins adjacent runs, keeps gaps, and counts overlapping offsets that disagree", () => {
    const { segments, conflicts } = joinRuns([run(3, [13, 14]), run(0, [10, 11, 12]), run(10, [20]), run(4, [14, 99])]);
    expect(segments.map((s) => [s.start, [...s.events]])).toEqual([[0, [10, 11, 12, 13, 14, 99]], [10, [20]]]);
    expect(conflicts).toBe(0);
    expect(joinRuns([run(0, [1, 2]), run(1, [7])]).conflicts).toBe(1);
  });
});

describe("ObjectScanner", () => {
  const acks = () => {
    const builder = new AckIndexBuilder();
    builder.add({ topic: "u.geo", partition: 0, offset: 100, events: [50, 51, 52, 53, 54, 55], sample: [[103, contentHash('{"ind":53,"country":"Albania"}')]] });
    return builder.build().get("u.geo", 0);
  };
  const scan = (lines: string[], isAckedEvent = (_: number) => false) => {
    const scanner = new ObjectScanner({ key: "k", topic: "u.geo", partition: 0, startOffset: 100, acks: acks(), lastPossibleOffset: Number.MAX_SAFE_INTEGER, isAckedEvent });
    for (const line of lines) scanner.line(line);
    return scanner.finish();
  };

  it("places records after skipped offsets where their event was acknowledged", () => {
    const result = scan(['{"ind":50}', '{"ind":51}', '{"country":"Albania","ind":53}', '{"ind":54}']);
    expect(result.covered).toEqual([[100, 101], [103, 104]]);
    expect(result.sampledChecked).toBe(1);
    expect(result.sampleMismatches).toBe(0);
    expect(result.eventMismatches).toBe(0);
  });

  it("reports another event than acknowledged, and records beyond the receipts", () => {
    const result = scan(['{"ind":50}', '{"ind":77}', '{"ind":52}', '{"ind":53}', '{"ind":54}', '{"ind":55}', '{"ind":51}'], (event) => event === 51);
    expect(result.eventMismatches).toBe(1);
    expect(result.mismatchExamples[0]).toEqual({ offset: 101, expected: "event 51", found: "event 77" });
    expect(result.unexplained).toBe(1);
    expect(result.unexplainedRepeats).toBe(1);
    expect(result.covered).toEqual([[100, 106]]);
  });

  it("reads the event index only from a top-level key", () => {
    expect(eventIndexOf('{"title":"\\"ind\\":5","index":7528}')).toBe(7528);
    expect(eventIndexOf('{"ind":12,"x":1}')).toBe(12);
    expect(eventIndexOf('{"title":"no index"}')).toBeUndefined();
  });
});

describe("sink simulator re-serialization", () => {
  it("orders keys as a Java HashMap does and keeps the parsed value", () => {
    const value = '{"index":7528,"unique_id":"u","title":"t 🌵","description":"d","poster_name":"p","follower_count":"1k","tag_list":"a","is_image_or_video":"image","image_src":"s","downloaded":0,"save_location":"l","category":"c"}';
    const written = reserialize(value);
    expect(Object.keys(JSON.parse(written))).toEqual(hashMapOrder(Object.keys(JSON.parse(value))));
    expect(Object.keys(JSON.parse(written))).not.toEqual(Object.keys(JSON.parse(value)));
    expect(written).toContain("\\uD83C\\uDF35");
    expect(contentHash(written)).toBe(contentHash(value));
  });
});

describe("parseDuration", () => {
  it("accepts ms, s, m, h and bare seconds", () => {
    expect([parseDuration("500ms"), parseDuration("90s"), parseDuration("5m"), parseDuration("1h"), parseDuration("30")]).toEqual([500, 90_000, 300_000, 3_600_000, 30_000]);
    expect(parseDuration("soon")).toBeUndefined();
  });
});
