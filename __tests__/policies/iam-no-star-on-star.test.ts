import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamPolicy } from "@cdktf/provider-aws/lib/iam-policy";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { describe, expect, it } from "vitest";
import { Fn } from "../../lib/cdktf";
import { iamNoStarOnStar } from "../../constructs/policies/iam-no-star-on-star";
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
