import { finding, type PolicyRule } from "./rule";
import { addressOf, describe, resourcesOfType } from "../../lib/terraform-json";

const ID = "logs-retention";

/** Logs that never expire cost money forever; CloudWatch's default is to keep them. */
export const logsRetention: PolicyRule = {
  id: ID,
  description: "Every CloudWatch log group sets retention_in_days to a positive number of days.",
  check(tf) {
    return resourcesOfType(tf, "aws_cloudwatch_log_group")
      .filter(({ block }) => !(Number(block.retention_in_days) > 0))
      .map((group) => finding(ID, addressOf(group), `retention_in_days is ${describe(group.block.retention_in_days)}, so its logs never expire`, "set retention_in_days, e.g. 7"));
  },
};
