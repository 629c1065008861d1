import { finding, type PolicyRule } from "./rule";
import { addressOf, attributeAt, resourcesOfType } from "../../lib/terraform-json";

const ID = "api-access-logging";

const STAGE_TYPES = ["aws_api_gateway_stage", "aws_apigatewayv2_stage"] as const;

/** cdk-nag APIGWAccessLogging: every stage writes access logs with a format. */
export const apiAccessLogging: PolicyRule = {
  id: ID,
  description: "Every API Gateway stage has access_log_settings with a destination_arn and a format.",
  check(tf) {
    return STAGE_TYPES.flatMap((type) => resourcesOfType(tf, type)).flatMap((stage) => {
      const missing = ["destination_arn", "format"].filter((key) => {
        const value = attributeAt(stage.block, `access_log_settings.${key}`);
        return typeof value !== "string" || value.trim() === "";
      });
      if (missing.length === 0) return [];
      return [
        finding(ID, addressOf(stage), `access_log_settings has no ${missing.join(" and no ")}`, "set access_log_settings.destination_arn to a log group ARN and access_log_settings.format"),
      ];
    });
  },
};
