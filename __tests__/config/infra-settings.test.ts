/** The settings of the sink's delivery, the monitoring, the zones, the bucket name and the state backend. */
import { describe, expect, it } from "vitest";
import { MINIMAL, parse, problemsOf, withSetting, withSettings } from "./support";

describe("connector delivery settings", () => {
  it("defaults to 1000 records per object, committed at least once a minute", () => {
    expect(parse(MINIMAL).connector).toMatchObject({ flushSize: 1000, rotateScheduleIntervalMs: 60000 });
  });

  it("keeps the seed's flush.size 1 configurable", () => {
    expect(parse(withSettings({ "connector.flushSize": 1, "connector.rotateScheduleIntervalMs": 5000 })).connector).toMatchObject({ flushSize: 1, rotateScheduleIntervalMs: 5000 });
  });

  it.each([
    [999, "connector.rotateScheduleIntervalMs: got 999, expected milliseconds from 1000 to 86400000 (records reach S3 at least this often; 60000 is a minute)"],
    [86_400_001, "connector.rotateScheduleIntervalMs: got 86400001, expected milliseconds from 1000 to 86400000 (records reach S3 at least this often; 60000 is a minute)"],
    ["1m", 'connector.rotateScheduleIntervalMs: got "1m", expected milliseconds from 1000 to 86400000 (records reach S3 at least this often; 60000 is a minute)'],
  ])("refuses connector.rotateScheduleIntervalMs %s", (value, message) => {
    expect(problemsOf(withSetting("connector.rotateScheduleIntervalMs", value))).toEqual([message]);
  });
});
