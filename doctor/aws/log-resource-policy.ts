/**
 * MSK broker logs and MSK Connect worker logs are delivered by AWS, which appends each log group
 * outside /aws/vendedlogs/ to the account's CloudWatch Logs resource policy. That policy is capped
 * at 5,120 characters and an account has at most 10; in a busy account the delivery setup fails
 * at apply (deploy-review row 8).
 */
import { resourceNames } from "../../lib/names";
import { type CloudWatchLogsClient, DescribeResourcePoliciesCommand, type ResourcePolicy } from "@aws-sdk/client-cloudwatch-logs";
import { type CheckInfo, type CheckResult, fail, ok, warn } from "../check";
import { cannotCheck } from "./errors";

export const LOG_RESOURCE_POLICY: CheckInfo = { id: "aws.log-resource-policy", title: "room in the CloudWatch Logs resource policy" };

/** CloudWatch Logs quotas: characters per resource policy, account-level policies per region. */
export const POLICY_MAX_CHARACTERS = 5120;
export const MAX_ACCOUNT_POLICIES = 10;
/** The policy AWS log delivery creates and extends. */
const DELIVERY_POLICY_PREFIX = "AWSLogDeliveryWrite";

/**
 * The delivered log groups, as lib/names.ts names them. They live under /aws/vendedlogs/, so an
 * entry that already covers that prefix covers them too; the estimate below still counts their
 * own ARNs when no such entry exists, which over-estimates (safe for a preflight).
 */
export function deliveredLogGroups(userId: string): string[] {
  const names = resourceNames(userId);
  return [names.brokerLogGroup, names.connectorLogGroup];
}

export interface LogPolicyFacts {
  readonly region: string;
  readonly account: string;
  readonly userId: string;
}

/** An estimate: each group adds its log-stream ARN as one more quoted, comma-separated Resource entry. */
function addedCharacters(facts: LogPolicyFacts, document: string): number {
  return deliveredLogGroups(facts.userId)
    .map((group) => `arn:aws:logs:${facts.region}:${facts.account}:log-group:${group}:log-stream:*`)
    .filter((arn) => !document.includes(arn))
    .reduce((sum, arn) => sum + arn.length + 3, 0);
}

export function evaluateLogResourcePolicies(facts: LogPolicyFacts, policies: readonly ResourcePolicy[]): CheckResult {
  const accountPolicies = policies.filter((p) => !p.resourceArn);
  const delivery = accountPolicies.find((p) => p.policyName?.startsWith(DELIVERY_POLICY_PREFIX));
  if (!delivery) {
    if (accountPolicies.length >= MAX_ACCOUNT_POLICIES) {
      return fail(LOG_RESOURCE_POLICY, `the account has ${accountPolicies.length} CloudWatch Logs resource policies in ${facts.region}, the maximum: log delivery cannot add its own`, "delete an unused one (aws logs describe-resource-policies, then aws logs delete-resource-policy --policy-name <name>)");
    }
    return ok(LOG_RESOURCE_POLICY, `no log delivery policy yet; ${accountPolicies.length} of ${MAX_ACCOUNT_POLICIES} resource policies used`);
  }
  const used = delivery.policyDocument?.length ?? 0;
  const after = used + addedCharacters(facts, delivery.policyDocument ?? "");
  const summary = `${delivery.policyName} uses ${used} of ${POLICY_MAX_CHARACTERS} characters, about ${after} after this stack's ${deliveredLogGroups(facts.userId).join(" and ")}`;
  const prune = `remove log groups that no longer exist from ${delivery.policyName} (aws logs describe-resource-policies, then aws logs put-resource-policy)`;
  if (after > POLICY_MAX_CHARACTERS) return fail(LOG_RESOURCE_POLICY, `${summary}: broker and connector log delivery would fail`, prune);
  if (after > POLICY_MAX_CHARACTERS * 0.9) return warn(LOG_RESOURCE_POLICY, `${summary}: close to the limit`, prune);
  return ok(LOG_RESOURCE_POLICY, summary);
}

export async function checkLogResourcePolicies(logs: CloudWatchLogsClient, facts: LogPolicyFacts): Promise<CheckResult> {
  const policies: ResourcePolicy[] = [];
  try {
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new DescribeResourcePoliciesCommand(nextToken ? { nextToken } : {}));
      policies.push(...(page.resourcePolicies ?? []));
      nextToken = page.nextToken;
    } while (nextToken);
  } catch (err) {
    return cannotCheck(LOG_RESOURCE_POLICY, err, "logs:DescribeResourcePolicies");
  }
  return evaluateLogResourcePolicies(facts, policies);
}
