import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { describe, expect, it } from "vitest";
import { mskBrokerLogs } from "../../constructs/policies/msk-broker-logs";
import { findings, MSK_REQUIRED } from "./support";

const MESSAGE =
  "[msk-broker-logs] aws_msk_cluster.cluster: logging_info.broker_logs enables no destination (set logging_info.broker_logs.cloudwatch_logs to enabled: true with a log group)";

describe("msk-broker-logs", () => {
  it("fails when the cluster has no logging_info", () => {
    expect(findings(mskBrokerLogs, (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED }))).toEqual([MESSAGE]);
  });

  it("fails when every destination is disabled", () => {
    const messages = findings(
      mskBrokerLogs,
      (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: false, logGroup: "msk" }, s3: { enabled: false } } } }),
    );
    expect(messages).toEqual([MESSAGE]);
  });

  it("passes when any destination is enabled", () => {
    const messages = findings(mskBrokerLogs, (stack) => {
      new MskCluster(stack, "cloudwatch", { ...MSK_REQUIRED, loggingInfo: { brokerLogs: { cloudwatchLogs: { enabled: true, logGroup: "msk" } } } });
      new MskCluster(stack, "s3", { ...MSK_REQUIRED, loggingInfo: { brokerLogs: { s3: { enabled: true, bucket: "logs" } } } });
    });
    expect(messages).toEqual([]);
  });
});

describe("msk-broker-logs: each destination on its own", () => {
  it("passes for each destination enabled alone, also as the string true; fails for other values", () => {
    const cluster = (destination: string, enabled: unknown) => ({ logging_info: { broker_logs: { [destination]: { enabled } } } });
    const found = mskBrokerLogs
      .check({
        resource: {
          aws_msk_cluster: {
            cloudwatch: cluster("cloudwatch_logs", true),
            firehose: cluster("firehose", "true"),
            s3: cluster("s3", true),
            yes: cluster("s3", "yes"),
            other: cluster("kinesis", true),
          },
        },
      })
      .map((f) => f.address);
    expect(found).toEqual(["aws_msk_cluster.yes", "aws_msk_cluster.other"]);
  });
});
