import type { TerraformStack } from "../../lib/cdktf";
import { apiAccessLogging } from "./api-access-logging";
import { apiMethodAuthorization } from "./api-method-authorization";
import { ec2Imdsv2 } from "./ec2-imdsv2";
import { ec2NoRestProxyFromAnywhere } from "./ec2-no-rest-proxy-from-anywhere";
import { ec2NoSshFromAnywhere } from "./ec2-no-ssh-from-anywhere";
import { iamNoStarOnStar } from "./iam-no-star-on-star";
import { logsRetention } from "./logs-retention";
import { mskBrokerLogs } from "./msk-broker-logs";
import { mskIamAuthOnly } from "./msk-iam-auth-only";
import { mskTlsInTransit } from "./msk-tls-in-transit";
import type { PolicyRule } from "./rule";
import { s3Encrypted } from "./s3-encrypted";
import { s3PublicAccessBlocked } from "./s3-public-access-blocked";
import { s3TlsOnly } from "./s3-tls-only";
import type { TerraformJson } from "../../lib/terraform-json";

/** Whether `err` is the synth abort that carries policy findings (cdktf reports failed stack validations so). */
export function isPolicyViolation(err: unknown): err is Error {
  return err instanceof Error && err.message.startsWith("Validation failed");
}

/** Every rule, run on every synth. */
export const POLICY_RULES: readonly PolicyRule[] = [
  s3PublicAccessBlocked,
  s3Encrypted,
  s3TlsOnly,
  mskTlsInTransit,
  mskIamAuthOnly,
  mskBrokerLogs,
  ec2Imdsv2,
  ec2NoSshFromAnywhere,
  ec2NoRestProxyFromAnywhere,
  iamNoStarOnStar,
  apiAccessLogging,
  apiMethodAuthorization,
  logsRetention,
];

/** An accepted exception: every finding of rule `ruleId` is dropped, and `reason` records why. */
export interface PolicySuppression {
  readonly ruleId: string;
  /** Why the rule does not apply to this stack; it is the audit trail, so it may not be empty. */
  readonly reason: string;
}

export interface PolicyCheckOptions {
  /**
   * Rules to silence for this stack, each with its reason.
   * @default - no suppressions: every finding fails the synth
   */
  readonly suppressions?: readonly PolicySuppression[];
}

/**
 * Runs every rule over a synthesized stack and returns one message per unsuppressed finding,
 * plus one per malformed suppression (unknown rule id, empty reason). Empty means compliant.
 */
export function checkPolicies(tf: TerraformJson, suppressions: readonly PolicySuppression[] = []): string[] {
  const knownIds = POLICY_RULES.map((rule) => rule.id);
  const problems: string[] = [];
  const suppressed = new Set<string>();
  for (const { ruleId, reason } of suppressions) {
    if (!knownIds.includes(ruleId)) {
      problems.push(`[policy-suppression] ${JSON.stringify(ruleId)}: got an unknown rule id, expected one of ${knownIds.join(", ")} (fix the ruleId or remove the suppression)`);
    } else if (reason.trim() === "") {
      problems.push(`[policy-suppression] ${ruleId}: got an empty reason, expected why the rule does not apply to this stack (write the reason; it is the audit trail)`);
    } else {
      suppressed.add(ruleId);
    }
  }
  for (const rule of POLICY_RULES) {
    if (suppressed.has(rule.id)) continue;
    problems.push(...rule.check(tf).map((f) => f.message));
  }
  return problems;
}

/**
 * Makes every synth of `stack` (`app.synth()`, `cdktf synth`, `Testing.synth(stack, true)`) fail
 * with the findings of {@link POLICY_RULES}. The rules read the stack as Terraform will see it,
 * so they run as a validation, after every construct and aspect has finished.
 */
export function addPolicyChecks(stack: TerraformStack, options: PolicyCheckOptions = {}): void {
  const suppressions = options.suppressions ?? [];
  stack.node.addValidation({ validate: () => checkPolicies(stack.toTerraform() as TerraformJson, suppressions) });
}
