import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { describe, expect, it } from "vitest";
import { logsRetention } from "../../constructs/policies/logs-retention";
import { findings } from "./support";

describe("logs-retention", () => {
  it("fails for log groups that keep logs forever", () => {
    const messages = findings(logsRetention, (stack) => {
      new CloudwatchLogGroup(stack, "unset", { name: "/pipeline/unset" });
      new CloudwatchLogGroup(stack, "zero", { name: "/pipeline/zero", retentionInDays: 0 });
    });
    expect(messages).toEqual([
      "[logs-retention] aws_cloudwatch_log_group.unset: retention_in_days is not set, so its logs never expire (set retention_in_days, e.g. 7)",
      "[logs-retention] aws_cloudwatch_log_group.zero: retention_in_days is 0, so its logs never expire (set retention_in_days, e.g. 7)",
    ]);
  });

  it("passes for log groups with a retention", () => {
    expect(findings(logsRetention, (stack) => new CloudwatchLogGroup(stack, "broker", { name: "/pipeline/msk", retentionInDays: 7 }))).toEqual([]);
  });
});

describe("logs-retention: the boundary and the forms a number takes", () => {
  it("accepts 1 day and up, as a number or a string; refuses 0, negatives and text", () => {
    const groups = { zero: 0, one: 1, text_one: "1", minus: -1, word: "week", text_zero: "0", fraction: 0.5 };
    const messages = logsRetention.check({ resource: { aws_cloudwatch_log_group: Object.fromEntries(Object.entries(groups).map(([id, days]) => [id, { retention_in_days: days }])) } }).map((f) => f.address);
    expect(messages).toEqual(["aws_cloudwatch_log_group.zero", "aws_cloudwatch_log_group.minus", "aws_cloudwatch_log_group.word", "aws_cloudwatch_log_group.text_zero"]);
  });
});
