import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { describe, expect, it } from "vitest";
import { Fn } from "../../lib/cdktf";
import { iamNoStarOnStar } from "../../constructs/policies/iam-no-star-on-star";
import type { TerraformJson } from "../../constructs/policies";
import { findings } from "./support";

const FIX = "(name the actions and resources the principal needs)";
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
const policyJson = (...statements: object[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("iam-no-star-on-star", () => {
  it("fails for a managed policy whose literal JSON allows * on *", () => {
    const messages = findings(iamNoStarOnStar, (stack) => {
      new IamPolicy(stack, "admin", { policy: policyJson({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Allow", Action: "*", Resource: "*" }) });
    });
    expect(messages).toEqual([`[iam-no-star-on-star] aws_iam_policy.admin: policy statement 1 allows every action on every resource ${FIX}`]);
  });

  it("fails once, at the data source, for a policy document with *:* on * used by a role policy", () => {
    const messages = findings(iamNoStarOnStar, (stack) => {
      const role = new IamRole(stack, "role", { assumeRolePolicy: TRUST });
      const document = new DataAwsIamPolicyDocument(stack, "everything", { statement: [{ actions: ["*:*"], resources: ["*"] }] });
      new IamRolePolicy(stack, "grant", { role: role.name, policy: document.json });
    });
    expect(messages).toEqual([`[iam-no-star-on-star] data.aws_iam_policy_document.everything: statement 0 allows every action on every resource ${FIX}`]);
  });

  it("fails for a role's inline policy that allows everything but IAM on every resource (NotAction)", () => {
    const messages = findings(iamNoStarOnStar, (stack) => {
      new IamRole(stack, "role", {
        assumeRolePolicy: TRUST,
        inlinePolicy: [{ name: "broad", policy: policyJson({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) }],
      });
    });
    expect(messages).toEqual([`[iam-no-star-on-star] aws_iam_role.role: inline_policy 0 statement 0 allows every action on every resource ${FIX}`]);
  });

  it("fails for a policy it cannot read", () => {
    const messages = findings(iamNoStarOnStar, (stack) => {
      new IamPolicy(stack, "opaque", { policy: Fn.jsonencode({ Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }] }) });
    });
    expect(messages).toEqual([
      "[iam-no-star-on-star] aws_iam_policy.opaque: policy cannot be checked: the policy is neither JSON nor a reference to an aws_iam_policy_document (build it with DataAwsIamPolicyDocument or JSON.stringify)",
    ]);
  });

  it("fails for AdministratorAccess attached to a role or listed in its managed policies", () => {
    const messages = findings(iamNoStarOnStar, (stack) => {
      const role = new IamRole(stack, "role", { assumeRolePolicy: TRUST, managedPolicyArns: ["arn:aws:iam::aws:policy/AdministratorAccess"] });
      new IamRolePolicyAttachment(stack, "admin", { role: role.name, policyArn: "arn:aws-us-gov:iam::aws:policy/AdministratorAccess" });
      new IamRolePolicyAttachment(stack, "ssm", { role: role.name, policyArn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" });
    });
    expect(messages).toEqual([
      `[iam-no-star-on-star] aws_iam_role.role: managed_policy_arns includes AdministratorAccess, which allows every action on every resource ${FIX}`,
      `[iam-no-star-on-star] aws_iam_role_policy_attachment.admin: attaches AdministratorAccess, which allows every action on every resource ${FIX}`,
    ]);
  });

  it("passes for scoped kafka-cluster grants, a Deny on * and a trust policy", () => {
    const messages = findings(iamNoStarOnStar, (stack) => {
      const trust = new DataAwsIamPolicyDocument(stack, "trust", {
        statement: [{ actions: ["sts:AssumeRole"], principals: [{ type: "Service", identifiers: ["ec2.amazonaws.com"] }] }],
      });
      const role = new IamRole(stack, "role", { assumeRolePolicy: trust.json, inlinePolicy: [{}] });
      const access = new DataAwsIamPolicyDocument(stack, "access", {
        statement: [
          { actions: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], resources: ["arn:aws:kafka:us-east-1:123456789012:cluster/pipeline/*"] },
          { effect: "Deny", actions: ["*"], resources: ["*"], condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }] },
        ],
      });
      new IamRolePolicy(stack, "access-policy", { role: role.name, policy: access.json });
      new IamPolicy(stack, "read", { policy: policyJson({ Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::user-x-bucket/*" }) });
    });
    expect(messages).toEqual([]);
  });
});

describe("iam-no-star-on-star: every resource type, ARN form and statement shape", () => {
  const check = (tf: TerraformJson) => iamNoStarOnStar.check(tf).map((f) => f.message);
  const ADMIN = policyJson({ Effect: "Allow", Action: "*", Resource: "*" });

  it("reads the policy of every policy-carrying resource type", () => {
    const messages = check({
      resource: {
        aws_iam_user_policy: { u: { policy: ADMIN } },
        aws_iam_group_policy: { g: { policy: ADMIN } },
        aws_s3_bucket_policy: { b: { policy: ADMIN } },
        aws_iam_role_policy: { r: { policy: ADMIN } },
      },
    });
    expect(messages).toEqual(
      ["aws_iam_role_policy.r", "aws_iam_user_policy.u", "aws_iam_group_policy.g", "aws_s3_bucket_policy.b"].map((a) => `[iam-no-star-on-star] ${a}: policy statement 0 allows every action on every resource ${FIX}`),
    );
  });

  it("finds AdministratorAccess in every attachment type, by the AWS-managed ARN only", () => {
    const attach = (policy_arn: unknown) => ({ policy_arn });
    const messages = check({
      resource: {
        aws_iam_role_policy_attachment: { role: attach("arn:aws:iam::aws:policy/AdministratorAccess"), ssm: attach("arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore") },
        aws_iam_user_policy_attachment: { user: attach("arn:aws-cn:iam::aws:policy/AdministratorAccess"), ref: attach("${aws_iam_policy.p.arn}") },
        aws_iam_group_policy_attachment: { group: attach("arn:aws:iam::aws:policy/AdministratorAccess"), none: attach(undefined) },
        aws_iam_policy_attachment: {
          any: attach("arn:aws:iam::aws:policy/AdministratorAccess"),
          customer: attach("arn:aws:iam::123456789012:policy/AdministratorAccess"),
          longer: attach("arn:aws:iam::aws:policy/AdministratorAccessV2"),
          prefixed: attach("xarn:aws:iam::aws:policy/AdministratorAccess"),
          no_partition: attach("arn::iam::aws:policy/AdministratorAccess"),
          list: attach(["arn:aws:iam::aws:policy/AdministratorAccess"]),
        },
      },
    });
    expect(messages).toEqual(
      ["aws_iam_role_policy_attachment.role", "aws_iam_user_policy_attachment.user", "aws_iam_group_policy_attachment.group", "aws_iam_policy_attachment.any"].map(
        (a) => `[iam-no-star-on-star] ${a}: attaches AdministratorAccess, which allows every action on every resource ${FIX}`,
      ),
    );
  });

  it("needs Allow, every action (*, *:* or NotAction) and every resource (* or NotResource) in one statement", () => {
    const messages = check({
      resource: {
        aws_iam_policy: {
          p: {
            policy: policyJson(
              { Effect: "Deny", Action: "*", Resource: "*" },
              { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::b" },
              { Effect: "Allow", Action: ["s3:*", "ec2:*"], Resource: "*" },
              { Effect: "Allow", Action: "*" },
              { Effect: "Allow", Resource: "*" },
              { Effect: "Allow", Action: "*", NotResource: "arn:aws:iam::*:role/admin" },
              { Effect: "Allow", Action: ["s3:GetObject", "*:*"], Resource: ["arn:aws:s3:::b", "*"] },
            ),
          },
        },
      },
    });
    expect(messages).toEqual([5, 6].map((i) => `[iam-no-star-on-star] aws_iam_policy.p: policy statement ${i} allows every action on every resource ${FIX}`));
  });

  it("reports a reference to a missing document and an unreadable document data source; skips absent policies", () => {
    const messages = check({
      resource: {
        aws_iam_policy: { missing: { policy: "${data.aws_iam_policy_document.gone.json}" }, empty: { policy: null } },
        aws_iam_role: { r: { inline_policy: [{ name: "x", policy: "" }, { name: "none" }] } },
      },
      data: { aws_iam_policy_document: { opaque: { source_policy_documents: ["${jsonencode(local.p)}"] } } },
    });
    expect(messages).toEqual([
      "[iam-no-star-on-star] data.aws_iam_policy_document.opaque: cannot be checked: the policy is neither JSON nor a reference to an aws_iam_policy_document (build it with DataAwsIamPolicyDocument or JSON.stringify)",
      "[iam-no-star-on-star] aws_iam_policy.missing: policy cannot be checked: data.aws_iam_policy_document.gone is not in this stack (build it with DataAwsIamPolicyDocument or JSON.stringify)",
      "[iam-no-star-on-star] aws_iam_role.r: inline_policy 0 cannot be checked: the policy is empty (build it with DataAwsIamPolicyDocument or JSON.stringify)",
    ]);
  });

  it("reports a reference to a document in a stack whose data sources are of other types only", () => {
    const messages = check({ resource: { aws_iam_policy: { p: { policy: "${data.aws_iam_policy_document.gone.json}" } } }, data: { aws_partition: { current: {} } } });
    expect(messages).toEqual([
      "[iam-no-star-on-star] aws_iam_policy.p: policy cannot be checked: data.aws_iam_policy_document.gone is not in this stack (build it with DataAwsIamPolicyDocument or JSON.stringify)",
    ]);
  });

  it("checks a role's managed_policy_arns one by one", () => {
    const messages = check({ resource: { aws_iam_role: { ok: { managed_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess"] }, admin: { managed_policy_arns: ["arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/AdministratorAccess"] } } } });
    expect(messages).toEqual([`[iam-no-star-on-star] aws_iam_role.admin: managed_policy_arns includes AdministratorAccess, which allows every action on every resource ${FIX}`]);
  });
});
