/**
 * API Gateway has one CloudWatch role per account and region. A stack that manages it replaces
 * another team's role and resets it on destroy (deploy-review row 6); a stack that does not manage
 * it needs one to exist, or access logging fails at apply.
 */
import { resourceNames } from "../../lib/names";
import { type APIGatewayClient, GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { type CheckInfo, type CheckResult, fail, ok } from "../check";
import { cannotCheck } from "./errors";

export const API_LOGGING_ROLE: CheckInfo = { id: "aws.api-logging-role", title: "API Gateway account CloudWatch role" };

/** The role constructs/ingest-api.ts creates when it manages the account setting. */
export function stackLoggingRoleName(userId: string): string {
  return resourceNames(userId).apiCloudWatchRole;
}

export function evaluateApiLoggingRole(cloudwatchRoleArn: string | undefined, manageAccountLoggingRole: boolean, userId: string): CheckResult {
  const ours = cloudwatchRoleArn?.endsWith(`/${stackLoggingRoleName(userId)}`) ?? false;
  if (!cloudwatchRoleArn) {
    return manageAccountLoggingRole
      ? ok(API_LOGGING_ROLE, `no account CloudWatch role is set; this stack sets ${stackLoggingRoleName(userId)}`)
      : fail(API_LOGGING_ROLE, "no account CloudWatch role is set and api.manageAccountLoggingRole is false: the stage's access logging fails at apply", "set api.manageAccountLoggingRole: true");
  }
  if (ours) return ok(API_LOGGING_ROLE, `the account uses this stack's role ${cloudwatchRoleArn}`);
  if (manageAccountLoggingRole) {
    return fail(
      API_LOGGING_ROLE,
      `the account already uses ${cloudwatchRoleArn}: this stack would replace it for every API in the region and reset it on destroy`,
      "set api.manageAccountLoggingRole: false to keep and use that role",
    );
  }
  return ok(API_LOGGING_ROLE, `the stack uses the account's role ${cloudwatchRoleArn} (api.manageAccountLoggingRole: false)`);
}

export async function checkApiLoggingRole(apiGateway: APIGatewayClient, manageAccountLoggingRole: boolean, userId: string): Promise<CheckResult> {
  try {
    const { cloudwatchRoleArn } = await apiGateway.send(new GetAccountCommand({}));
    return evaluateApiLoggingRole(cloudwatchRoleArn, manageAccountLoggingRole, userId);
  } catch (err) {
    return cannotCheck(API_LOGGING_ROLE, err, "apigateway:GET on arn:aws:apigateway:<region>::/account");
  }
}
