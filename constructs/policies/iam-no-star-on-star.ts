import { type PolicyReading, type PolicyStatement, readDocumentDataSource, readPolicy, referencedDocumentId } from "./policy-documents";
import { finding, type PolicyFinding, type PolicyRule } from "./rule";
import { addressOf, blockList, dataSourcesOfType, resourcesOfType, stringList, type TerraformJson } from "../../lib/terraform-json";

const ID = "iam-no-star-on-star";

/** Resource types whose `policy` argument is a policy document. */
const POLICY_RESOURCES = ["aws_iam_policy", "aws_iam_role_policy", "aws_iam_user_policy", "aws_iam_group_policy", "aws_s3_bucket_policy"] as const;
const ALL_ACTIONS = ["*", "*:*"];
/** Attachment resource types whose `policy_arn` names a managed policy. */
const ATTACHMENT_RESOURCES = ["aws_iam_role_policy_attachment", "aws_iam_user_policy_attachment", "aws_iam_group_policy_attachment", "aws_iam_policy_attachment"] as const;
/** The AWS-managed policy that is `*` on `*`; its text is not in the stack, so it is recognised by ARN. */
const ADMINISTRATOR_ACCESS = /^arn:[^:]+:iam::aws:policy\/AdministratorAccess$/;
const FIX = "name the actions and resources the principal needs";

/**
 * cdk-nag IAMNoWildcardPermissions, narrowed to the administrator grant: Allow of every action on
 * every resource. `NotAction`/`NotResource` in an Allow grant everything not listed, so they
 * count as `*`. Documents referenced from a resource are checked once, as their data source.
 * Attached AWS-managed policies are not in the stack; only AdministratorAccess is known to be `*` on `*`.
 */
export const iamNoStarOnStar: PolicyRule = {
  id: ID,
  description: 'No policy statement allows action "*" on resource "*" (including NotAction/NotResource forms), and no AdministratorAccess attachment.',
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
      // Stryker disable next-line ArrayDeclaration: starting from an empty set finds a self-include one step later, with the same message
      report(`data.${addressOf(document)}`, "", readDocumentDataSource(tf, document.block, new Set([document.logicalId])));
    }
    for (const type of POLICY_RESOURCES) {
      for (const resource of resourcesOfType(tf, type)) checkAttribute(tf, resource.block.policy, (reading) => report(addressOf(resource), "policy ", reading));
    }
    for (const role of resourcesOfType(tf, "aws_iam_role")) {
      blockList(role.block.inline_policy).forEach((inline, index) =>
        checkAttribute(tf, inline.policy, (reading) => report(addressOf(role), `inline_policy ${index} `, reading)),
      );
      if (stringList(role.block.managed_policy_arns).some((arn) => ADMINISTRATOR_ACCESS.test(arn))) {
        findings.push(finding(ID, addressOf(role), "managed_policy_arns includes AdministratorAccess, which allows every action on every resource", FIX));
      }
    }
    for (const attachment of ATTACHMENT_RESOURCES.flatMap((type) => resourcesOfType(tf, type))) {
      if (typeof attachment.block.policy_arn === "string" && ADMINISTRATOR_ACCESS.test(attachment.block.policy_arn)) {
        findings.push(finding(ID, addressOf(attachment), "attaches AdministratorAccess, which allows every action on every resource", FIX));
      }
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
  // Stryker disable next-line ArrayDeclaration: a list without "*" in place of the empty default reads the same
  const everyAction = statement.notActions !== undefined || (statement.actions ?? []).some((a) => ALL_ACTIONS.includes(a));
  // Stryker disable next-line ArrayDeclaration: a list without "*" in place of the empty default reads the same
  const everyResource = statement.notResources !== undefined || (statement.resources ?? []).includes("*");
  return everyAction && everyResource;
}
