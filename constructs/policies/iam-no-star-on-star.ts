import { type PolicyReading, type PolicyStatement, readDocumentDataSource, readPolicy, referencedDocumentId } from "./policy-documents";
import { finding, type PolicyFinding, type PolicyRule } from "./rule";
import { addressOf, blockList, dataSourcesOfType, resourcesOfType, type TerraformJson } from "./terraform-json";

const ID = "iam-no-star-on-star";

/** Resource types whose `policy` argument is a policy document. */
const POLICY_RESOURCES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_s3_bucket_policy"] as const;
const ALL_ACTIONS = ["*", "*:*"];
const FIX = "name the actions and resources the principal needs";

/**
 * cdk-nag IAMNoWildcardPermissions, narrowed to the administrator grant: Allow of every action on
 * every resource. `NotAction`/`NotResource` in an Allow grant everything not listed, so they
 * count as `*`. Documents referenced from a resource are checked once, as their data source.
 */
export const iamNoStarOnStar: PolicyRule = {
  id: ID,
  description: 'No policy statement allows action "*" on resource "*" (including NotAction/NotResource forms).',
  check(tf) {
    const findings: PolicyFinding[] = [];
    const report = (address: string, where: string, reading: PolicyReading) => {
      if ("unreadable" in reading) {
        findings.push(finding(ID, address, `${where}cannot be checked: ${reading.unreadable}`, "build it with DataAwsIamPolicyDocument or JSON.stringify"));
        return;
      }
      reading.statements.forEach((statement, index) => {
        if (grantsEverything(statement)) findings.push(finding(ID, address, `${where}statement ${index} allows every action on every resource`, FIX));
      });
    };
    for (const document of dataSourcesOfType(tf, "aws_iam_policy_document")) {
      report(`data.${addressOf(document)}`, "", readDocumentDataSource(tf, document.block, new Set([document.logicalId])));
    }
    for (const type of POLICY_RESOURCES) {
      for (const resource of resourcesOfType(tf, type)) checkAttribute(tf, resource.block.policy, (reading) => report(addressOf(resource), "policy ", reading));
    }
    for (const role of resourcesOfType(tf, "aws_iam_role")) {
      blockList(role.block.inline_policy).forEach((inline, index) =>
        checkAttribute(tf, inline.policy, (reading) => report(addressOf(role), `inline_policy ${index} `, reading)),
      );
    }
    return findings;
  },
};

/** Literal policies are read here; references to a document data source are left to that data source's own check. */
function checkAttribute(tf: TerraformJson, policy: unknown, report: (reading: PolicyReading) => void): void {
  // an inline_policy block without a policy is the provider's way to say "no inline policies"
  if (policy === undefined || policy === null) return;
  const documentId = referencedDocumentId(policy);
  if (documentId !== undefined && tf.data?.aws_iam_policy_document?.[documentId] !== undefined) return;
  report(readPolicy(tf, policy));
}

function grantsEverything(statement: PolicyStatement): boolean {
  if (statement.effect !== "Allow") return false;
  const everyAction = statement.notActions !== undefined || (statement.actions ?? []).some((a) => ALL_ACTIONS.includes(a));
  const everyResource = statement.notResources !== undefined || (statement.resources ?? []).includes("*");
  return everyAction && everyResource;
}
