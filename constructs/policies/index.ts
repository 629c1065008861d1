export { addPolicyChecks, checkPolicies, isPolicyViolation, POLICY_RULES } from "./policy-checks";
export type { PolicyCheckOptions, PolicySuppression } from "./policy-checks";
export type { PolicyFinding, PolicyRule } from "./rule";
export type { TerraformJson } from "../../lib/terraform-json";
