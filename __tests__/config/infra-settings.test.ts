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

describe("monitoring settings", () => {
  it("defaults to no e-mail, 5% API 5XX and 80% broker disk", () => {
    expect(parse(MINIMAL).monitoring).toEqual({ api5xxRatePercent: 5, brokerDiskUsedPercent: 80 });
  });

  it("accepts an alarm e-mail address and thresholds", () => {
    expect(parse(withSettings({ "monitoring.alarmEmail": "ops@example.com", "monitoring.api5xxRatePercent": 0.5, "monitoring.brokerDiskUsedPercent": 90 })).monitoring).toEqual({
      alarmEmail: "ops@example.com",
      api5xxRatePercent: 0.5,
      brokerDiskUsedPercent: 90,
    });
  });

  it("reports every bad monitoring setting at once", () => {
    expect(problemsOf(withSettings({ "monitoring.alarmEmail": "ops at example", "monitoring.api5xxRatePercent": 0, "monitoring.brokerDiskUsedPercent": 100 }))).toEqual([
      'monitoring.alarmEmail: got "ops at example", expected an e-mail address like ops@example.com (the alarm topic e-mails it; AWS asks the recipient to confirm)',
      "monitoring.api5xxRatePercent: got 0, expected a percentage above 0 and at most 100 (alarm when more than this share of API requests fail with a 5XX)",
      "monitoring.brokerDiskUsedPercent: got 100, expected a percentage above 0 and below 100 (alarm when a broker's data volume is fuller than this)",
    ]);
  });
});
