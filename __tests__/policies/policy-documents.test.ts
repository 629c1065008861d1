/** constructs/policies/policy-documents: reading IAM policies from literal JSON and from document data sources. */
import { describe, expect, it } from "vitest";
import { appliesToEveryone, type PolicyStatement, readDocumentDataSource, readPolicy, referencedDocumentId } from "../../constructs/policies/policy-documents";
import type { TerraformJson } from "../../constructs/policies";

const json = (statement: unknown) => JSON.stringify({ Version: "2012-10-17", Statement: statement });
const ALLOW_ALL: PolicyStatement = { effect: "Allow", actions: ["*"], notActions: undefined, resources: ["*"], notResources: undefined, principals: undefined, conditions: [] };

describe("referencedDocumentId", () => {
  it("takes the logical id from a json or minified_json reference, and nothing else", () => {
    expect(referencedDocumentId("${data.aws_iam_policy_document.tls-only_1A.json}")).toBe("tls-only_1A");
    expect(referencedDocumentId("${data.aws_iam_policy_document.trust.minified_json}")).toBe("trust");
    expect(referencedDocumentId("${data.aws_iam_policy_document.trust.id}")).toBeUndefined();
    expect(referencedDocumentId("x${data.aws_iam_policy_document.trust.json}")).toBeUndefined();
    expect(referencedDocumentId("${data.aws_iam_policy_document.trust.json}x")).toBeUndefined();
    expect(referencedDocumentId("${aws_iam_policy_document.trust.json}")).toBeUndefined();
    expect(referencedDocumentId(undefined)).toBeUndefined();
  });
});

describe("readPolicy", () => {
  it("reads literal JSON with a statement list or a lone statement, dropping entries that are not objects", () => {
    expect(readPolicy({}, json([{ Effect: "Allow", Action: "*", Resource: "*" }, "junk", null, ["x"]]))).toEqual({ statements: [ALLOW_ALL] });
    expect(readPolicy({}, json({ Effect: "Allow", Action: ["*"], Resource: ["*"] }))).toEqual({ statements: [ALLOW_ALL] });
  });

  it("reads every element of a JSON statement", () => {
    const policy = json({
      Effect: "Deny",
      NotAction: ["iam:*"],
      NotResource: "arn:aws:s3:::b",
      Principal: { AWS: "*", Service: ["ec2.amazonaws.com"] },
      Condition: { Bool: { "aws:SecureTransport": "false" }, StringEquals: { "aws:Region": ["us-east-1", "eu-west-1"] }, Null: "junk" },
    });
    expect(readPolicy({}, policy)).toEqual({
      statements: [
        {
          effect: "Deny",
          actions: undefined,
          notActions: ["iam:*"],
          resources: undefined,
          notResources: ["arn:aws:s3:::b"],
          principals: [
            { type: "AWS", identifiers: ["*"] },
            { type: "Service", identifiers: ["ec2.amazonaws.com"] },
          ],
          conditions: [
            { test: "Bool", variable: "aws:SecureTransport", values: ["false"] },
            { test: "StringEquals", variable: "aws:Region", values: ["us-east-1", "eu-west-1"] },
          ],
        },
      ],
    });
  });

  it('reads Principal "*" as everyone, other scalar principals as none, and an unknown Effect as Allow', () => {
    const [everyone, scalar, effect, nulls] = (readPolicy({}, json([{ Principal: "*" }, { Principal: "arn:aws:iam::1:root" }, { Effect: "deny" }, { Action: null, Condition: null }])) as { statements: PolicyStatement[] }).statements;
    expect(everyone.principals).toEqual([{ type: "*", identifiers: ["*"] }]);
    expect(scalar.principals).toEqual([]);
    expect(effect.effect).toBe("Allow");
    expect([nulls.actions, nulls.principals, nulls.conditions]).toEqual([undefined, undefined, []]);
  });

  it("refuses what it cannot read, saying why", () => {
    expect(readPolicy({}, undefined)).toEqual({ unreadable: "the policy is empty" });
    expect(readPolicy({}, "  ")).toEqual({ unreadable: "the policy is empty" });
    expect(readPolicy({}, '${jsonencode({"Statement":[]})}')).toEqual({ unreadable: "the policy is neither JSON nor a reference to an aws_iam_policy_document" });
    expect(readPolicy({}, '{"Version":"2012-10-17"}')).toEqual({ unreadable: "the policy JSON has no Statement" });
    expect(readPolicy({}, "null")).toEqual({ unreadable: "the policy JSON has no Statement" });
    expect(readPolicy({}, '"Statement"')).toEqual({ unreadable: "the policy JSON has no Statement" });
    expect(readPolicy({}, "${data.aws_iam_policy_document.gone.json}")).toEqual({ unreadable: "data.aws_iam_policy_document.gone is not in this stack" });
  });

  it("follows a reference to a document data source", () => {
    const tf: TerraformJson = { data: { aws_iam_policy_document: { admin: { statement: [{ actions: ["*"], resources: ["*"] }] } } } };
    expect(readPolicy(tf, "${data.aws_iam_policy_document.admin.json}")).toEqual({ statements: [ALLOW_ALL] });
  });
});

describe("readDocumentDataSource", () => {
  it("reads every element of a statement block; absent lists stay undefined", () => {
    const document = {
      statement: [
        {
          effect: "Deny",
          not_actions: ["iam:*"],
          not_resources: ["arn:aws:s3:::b"],
          principals: [{ type: "*", identifiers: ["*"] }],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        { actions: ["s3:GetObject"], principals: [] },
      ],
    };
    expect(readDocumentDataSource({}, document)).toEqual({
      statements: [
        {
          effect: "Deny",
          actions: undefined,
          notActions: ["iam:*"],
          resources: undefined,
          notResources: ["arn:aws:s3:::b"],
          principals: [{ type: "*", identifiers: ["*"] }],
          conditions: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
        { effect: "Allow", actions: ["s3:GetObject"], notActions: undefined, resources: undefined, notResources: undefined, principals: undefined, conditions: [] },
      ],
    });
  });

  it("merges the source and override documents before its own statements", () => {
    const tf: TerraformJson = {
      data: {
        aws_iam_policy_document: {
          base: { statement: [{ actions: ["a:1"] }] },
          extra: { statement: [{ actions: ["a:2"] }] },
        },
      },
    };
    const document = { source_policy_documents: ["${data.aws_iam_policy_document.base.json}"], override_policy_documents: [json({ Action: "a:3" })], statement: [{ actions: ["a:4"] }] };
    const reading = readDocumentDataSource(tf, document) as { statements: PolicyStatement[] };
    expect(reading.statements.map((s) => s.actions)).toEqual([["a:1"], ["a:3"], ["a:4"]]);
  });

  it("refuses a document whose included document is unreadable or includes itself", () => {
    const tf: TerraformJson = {
      data: {
        aws_iam_policy_document: {
          loop: { source_policy_documents: ["${data.aws_iam_policy_document.loop.json}"], statement: [{ actions: ["*"] }] },
          a: { source_policy_documents: ["${data.aws_iam_policy_document.b.json}"] },
          b: { override_policy_documents: ["${data.aws_iam_policy_document.a.json}"] },
          opaque: { source_policy_documents: ["${jsonencode(local.p)}"], statement: [{ actions: ["*"] }] },
        },
      },
    };
    const documents = tf.data!.aws_iam_policy_document;
    expect(readDocumentDataSource(tf, documents.loop, new Set(["loop"]))).toEqual({ unreadable: "data.aws_iam_policy_document.loop includes itself" });
    expect(readDocumentDataSource(tf, documents.a, new Set(["a"]))).toEqual({ unreadable: "data.aws_iam_policy_document.a includes itself" });
    expect(readDocumentDataSource(tf, documents.opaque)).toEqual({ unreadable: "the policy is neither JSON nor a reference to an aws_iam_policy_document" });
    // without the starting id, a loop is found one step later
    expect(readDocumentDataSource(tf, documents.loop)).toEqual({ unreadable: "data.aws_iam_policy_document.loop includes itself" });
  });
});

describe("appliesToEveryone", () => {
  const statement = (principals: PolicyStatement["principals"]): PolicyStatement => ({ effect: "Deny", principals, conditions: [] });

  it('is true for "*" and for AWS "*"', () => {
    expect(appliesToEveryone(statement([{ type: "*", identifiers: ["*"] }]))).toBe(true);
    expect(appliesToEveryone(statement([{ type: "Service", identifiers: ["ec2.amazonaws.com"] }, { type: "AWS", identifiers: ["arn:aws:iam::1:root", "*"] }]))).toBe(true);
  });

  it("is false for named principals, a Service *, and no principals", () => {
    expect(appliesToEveryone(statement([{ type: "AWS", identifiers: ["arn:aws:iam::1:root"] }]))).toBe(false);
    expect(appliesToEveryone(statement([{ type: "Service", identifiers: ["*"] }]))).toBe(false);
    expect(appliesToEveryone(statement([{ type: "*", identifiers: ["arn:aws:iam::1:root"] }]))).toBe(false);
    expect(appliesToEveryone(statement(undefined))).toBe(false);
  });
});
