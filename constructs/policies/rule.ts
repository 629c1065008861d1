import type { TerraformJson } from "../../lib/terraform-json";

/** One violation: which rule, which resource, and the full message shown at synth. */
export interface PolicyFinding {
  readonly ruleId: string;
  /** The Terraform address, e.g. `aws_s3_bucket.data_bucket_1A2B` or `data.aws_iam_policy_document.trust`. */
  readonly address: string;
  /** `[<rule-id>] <address>: <what is wrong> (<how to fix>)` */
  readonly message: string;
}

/**
 * A policy rule in the cdk-nag style: a pure check over the synthesized stack. A rule with no
 * resources of its kind in the stack returns no findings (not applicable).
 */
export interface PolicyRule {
  /** Stable id used in messages and suppressions; it is an API. */
  readonly id: string;
  /** What a compliant stack looks like, one sentence. */
  readonly description: string;
  check(tf: TerraformJson): PolicyFinding[];
}

/** Builds a finding with the project's message shape. */
export function finding(ruleId: string, address: string, problem: string, fix: string): PolicyFinding {
  return { ruleId, address, message: `[${ruleId}] ${address}: ${problem} (${fix})` };
}
