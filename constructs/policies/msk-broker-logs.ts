import { finding, type PolicyRule } from "./rule";
import { addressOf, attributeAt, isTrue, resourcesOfType } from "../../lib/terraform-json";

const ID = "msk-broker-logs";

const DESTINATIONS = ["cloudwatch_logs", "firehose", "s3"] as const;

/** cdk-nag MSKBrokerLogging: broker logs go somewhere. */
export const mskBrokerLogs: PolicyRule = {
  id: ID,
  description: "Every MSK cluster sends broker logs to CloudWatch Logs, Firehose or S3.",
  check(tf) {
    return resourcesOfType(tf, "aws_msk_cluster")
      .filter(({ block }) => !DESTINATIONS.some((d) => isTrue(attributeAt(block, `logging_info.broker_logs.${d}.enabled`))))
      .map((cluster) =>
        finding(ID, addressOf(cluster), "logging_info.broker_logs enables no destination", "set logging_info.broker_logs.cloudwatch_logs to enabled: true with a log group"),
      );
  },
};
