import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { describe, expect, it } from "vitest";
import { apiAccessLogging } from "../../constructs/policies/api-access-logging";
import { findings } from "./support";

const STAGE = { restApiId: "abc123", deploymentId: "dep123", stageName: "prod" } as const;
const FIX = "(set access_log_settings.destination_arn to a log group ARN and access_log_settings.format)";

describe("api-access-logging", () => {
  it("fails for a stage without access logging", () => {
    expect(findings(apiAccessLogging, (stack) => new ApiGatewayStage(stack, "stage", { ...STAGE }))).toEqual([
      `[api-access-logging] aws_api_gateway_stage.stage: access_log_settings has no destination_arn and no format ${FIX}`,
    ]);
  });

  it("fails for a stage whose access log has an empty format", () => {
    const messages = findings(apiAccessLogging, (stack) => {
      const group = new CloudwatchLogGroup(stack, "access", { retentionInDays: 30 });
      new ApiGatewayStage(stack, "stage", { ...STAGE, accessLogSettings: { destinationArn: group.arn, format: "" } });
    });
    expect(messages).toEqual([`[api-access-logging] aws_api_gateway_stage.stage: access_log_settings has no format ${FIX}`]);
  });

  it("passes for a stage logging to a log group with a format", () => {
    const messages = findings(apiAccessLogging, (stack) => {
      const group = new CloudwatchLogGroup(stack, "access", { retentionInDays: 30 });
      new ApiGatewayStage(stack, "stage", { ...STAGE, accessLogSettings: { destinationArn: group.arn, format: JSON.stringify({ requestId: "$context.requestId" }) } });
    });
    expect(messages).toEqual([]);
  });
});

describe("api-access-logging: both stage types and blank values", () => {
  it("checks HTTP API (v2) stages too and treats blank or non-text values as missing", () => {
    const messages = apiAccessLogging
      .check({
        resource: {
          aws_api_gateway_stage: { blank: { access_log_settings: { destination_arn: "  ", format: "$context.requestId" } } },
          aws_apigatewayv2_stage: {
            none: {},
            number: { access_log_settings: [{ destination_arn: "arn:aws:logs:us-east-1:1:log-group:a", format: 5 }] },
            ok: { access_log_settings: { destination_arn: "arn:aws:logs:us-east-1:1:log-group:a", format: "$context.requestId" } },
          },
        },
      })
      .map((f) => f.message);
    expect(messages).toEqual([
      `[api-access-logging] aws_api_gateway_stage.blank: access_log_settings has no destination_arn ${FIX}`,
      `[api-access-logging] aws_apigatewayv2_stage.none: access_log_settings has no destination_arn and no format ${FIX}`,
      `[api-access-logging] aws_apigatewayv2_stage.number: access_log_settings has no format ${FIX}`,
    ]);
  });
});
