/**
 * The stack gives its roles and its connector fixed names under the userId. When they already
 * exist (an earlier deploy whose state is gone, or the role AiCore created for the student) the
 * apply stops with EntityAlreadyExists / ConflictException after MSK has been created.
 */
import { GetRoleCommand, type IAMClient } from "@aws-sdk/client-iam";
import { type KafkaConnectClient, ListConnectorsCommand } from "@aws-sdk/client-kafkaconnect";
import { resourceNames } from "../../lib/names";
import { type CheckInfo, type CheckResult, ok, warn } from "../check";
import { cannotCheck, errorFacts } from "./errors";

export const EXISTING_ROLES: CheckInfo = { id: "aws.existing-roles", title: "IAM roles under this userId's names" };
export const EXISTING_CONNECTOR: CheckInfo = { id: "aws.existing-connector", title: "MSK Connect connectors under this userId's names" };

/** The role names the constructs give, from lib/names.ts. */
export function stackRoleNames(userId: string): string[] {
  const names = resourceNames(userId);
  return [names.accessRole, names.instanceRole, names.produceRole, names.connectorRole, names.apiCloudWatchRole];
}

/** What --outputs says this config's deployed stack owns; absent without --outputs or when its user_id is another. */
export interface DeployedStack {
  readonly userId: string;
  readonly roleArns: readonly string[];
  readonly connectorArn: string;
}

export interface ExistingRole {
  readonly name: string;
  readonly arn: string;
}

export function evaluateExistingRoles(existing: readonly ExistingRole[], deployed: DeployedStack | undefined): CheckResult {
  if (existing.length === 0) return ok(EXISTING_ROLES, "none of the stack's role names exist yet");
  const names = existing.map((role) => role.name).join(", ");
  if (deployed) {
    // the outputs name two of the roles by ARN; an ARN that differs is a role recreated by hand
    const foreign = existing.filter((role) => role.name.endsWith("-access-role") || role.name.endsWith("-produce-role")).filter((role) => !deployed.roleArns.includes(role.arn));
    if (foreign.length === 0) return ok(EXISTING_ROLES, `${names} exist and belong to this stack (outputs user_id ${deployed.userId})`);
    return warn(EXISTING_ROLES, `${foreign.map((r) => r.arn).join(", ")} differ from the ARNs in --outputs`, "re-run npx cdktf deploy --outputs-file <file> so the outputs describe the account");
  }
  return warn(
    EXISTING_ROLES,
    `${names} already exist${existing.length === 1 ? "s" : ""}: a previous deploy of this userId, or a role AiCore created; a fresh deploy stops with EntityAlreadyExists`,
    "if this stack made them, pass --outputs <file>; otherwise delete or import them before deploying",
  );
}

export async function findExistingRoles(iam: IAMClient, userId: string): Promise<{ roles: ExistingRole[] } | { error: CheckResult }> {
  const roles: ExistingRole[] = [];
  for (const name of stackRoleNames(userId)) {
    try {
      const { Role } = await iam.send(new GetRoleCommand({ RoleName: name }));
      if (Role?.Arn) roles.push({ name, arn: Role.Arn });
    } catch (err) {
      if (errorFacts(err).name === "NoSuchEntityException") continue;
      return { error: cannotCheck(EXISTING_ROLES, err, "iam:GetRole") };
    }
  }
  return { roles };
}

export async function checkExistingRoles(iam: IAMClient, userId: string, deployed: DeployedStack | undefined): Promise<CheckResult> {
  const found = await findExistingRoles(iam, userId);
  return "error" in found ? found.error : evaluateExistingRoles(found.roles, deployed);
}

export interface ExistingConnector {
  readonly name: string;
  readonly arn: string;
}

export function evaluateExistingConnectors(existing: readonly ExistingConnector[], deployed: DeployedStack | undefined): CheckResult {
  const foreign = existing.filter((connector) => connector.arn !== deployed?.connectorArn);
  if (existing.length === 0) return ok(EXISTING_CONNECTOR, "no connector is named under this userId yet");
  if (foreign.length === 0) return ok(EXISTING_CONNECTOR, `${existing.map((c) => c.name).join(", ")} is this stack's (per --outputs)`);
  return warn(
    EXISTING_CONNECTOR,
    `${foreign.map((c) => c.name).join(", ")} already exist${foreign.length === 1 ? "s" : ""}: a previous deploy of this userId; a fresh deploy stops with ConflictException`,
    "if this stack made it, pass --outputs <file>; otherwise delete it (aws kafkaconnect delete-connector) before deploying",
  );
}

export async function checkExistingConnectors(kafkaConnect: KafkaConnectClient, userId: string, deployed: DeployedStack | undefined): Promise<CheckResult> {
  const connectors: ExistingConnector[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = await kafkaConnect.send(new ListConnectorsCommand({ connectorNamePrefix: `${userId}-`, ...(nextToken ? { nextToken } : {}) }));
      for (const c of page.connectors ?? []) if (c.connectorName && c.connectorArn) connectors.push({ name: c.connectorName, arn: c.connectorArn });
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (err) {
    return cannotCheck(EXISTING_CONNECTOR, err, "kafkaconnect:ListConnectors");
  }
  return evaluateExistingConnectors(connectors, deployed);
}
