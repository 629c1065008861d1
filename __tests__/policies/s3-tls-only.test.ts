import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { describe, expect, it } from "vitest";
import { Fn, type TerraformStack } from "../../lib/cdktf";
import { s3TlsOnly } from "../../constructs/policies/s3-tls-only";
import type { TerraformJson } from "../../constructs/policies";
import { findings } from "./support";

const FIX = '(add a Deny statement for principal "*", action "s3:*", the bucket ARN and "<arn>/*", with condition Bool aws:SecureTransport = false)';

function bucketWithDocument(stack: TerraformStack, statement: (bucket: S3Bucket) => DataAwsIamPolicyDocumentStatement[]): void {
  const bucket = new S3Bucket(stack, "data", { bucket: "user-x-bucket" });
  const document = new DataAwsIamPolicyDocument(stack, "tls-only", { statement: statement(bucket) });
  new S3BucketPolicy(stack, "policy", { bucket: bucket.id, policy: document.json });
}

const denyInsecure = (resources: string[]): DataAwsIamPolicyDocumentStatement => ({
  sid: "DenyInsecureTransport",
  effect: "Deny",
  principals: [{ type: "*", identifiers: ["*"] }],
  actions: ["s3:*"],
  resources,
  condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
});

describe("s3-tls-only", () => {
  it("fails when the bucket has no policy", () => {
    expect(findings(s3TlsOnly, (stack) => new S3Bucket(stack, "data", { bucket: "user-x-bucket" }))).toEqual([
      `[s3-tls-only] aws_s3_bucket.data: no aws_s3_bucket_policy refers to it ${FIX}`,
    ]);
  });

  it("fails when the denial covers the objects but not the bucket itself", () => {
    const messages = findings(s3TlsOnly, (stack) => bucketWithDocument(stack, (bucket) => [denyInsecure([`${bucket.arn}/*`])]));
    expect(messages).toEqual([`[s3-tls-only] aws_s3_bucket.data: aws_s3_bucket_policy.policy does not deny requests without TLS on the bucket and its objects ${FIX}`]);
  });

  it("fails when the statement lacks the SecureTransport condition or is an Allow", () => {
    const messages = findings(s3TlsOnly, (stack) =>
      bucketWithDocument(stack, (bucket) => [
        { ...denyInsecure([bucket.arn, `${bucket.arn}/*`]), condition: [] },
        { ...denyInsecure([bucket.arn, `${bucket.arn}/*`]), effect: "Allow" },
      ]),
    );
    expect(messages).toEqual([`[s3-tls-only] aws_s3_bucket.data: aws_s3_bucket_policy.policy does not deny requests without TLS on the bucket and its objects ${FIX}`]);
  });

  it("fails when the denial is conditioned on secure transport being true", () => {
    const messages = findings(s3TlsOnly, (stack) =>
      bucketWithDocument(stack, (bucket) => [
        { ...denyInsecure([bucket.arn, `${bucket.arn}/*`]), condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["true"] }] },
        { ...denyInsecure([bucket.arn, `${bucket.arn}/*`]), condition: [{ test: "StringEquals", variable: "aws:SecureTransport", values: ["false"] }] },
      ]),
    );
    expect(messages).toEqual([`[s3-tls-only] aws_s3_bucket.data: aws_s3_bucket_policy.policy does not deny requests without TLS on the bucket and its objects ${FIX}`]);
  });

  it("fails when the denial names only some principals", () => {
    const messages = findings(s3TlsOnly, (stack) =>
      bucketWithDocument(stack, (bucket) => [{ ...denyInsecure([bucket.arn, `${bucket.arn}/*`]), principals: [{ type: "AWS", identifiers: ["arn:aws:iam::123456789012:root"] }] }]),
    );
    expect(messages).toEqual([`[s3-tls-only] aws_s3_bucket.data: aws_s3_bucket_policy.policy does not deny requests without TLS on the bucket and its objects ${FIX}`]);
  });

  it("fails when the policy is an HCL expression it cannot read", () => {
    const messages = findings(s3TlsOnly, (stack) => {
      const bucket = new S3Bucket(stack, "data", { bucket: "user-x-bucket" });
      new S3BucketPolicy(stack, "policy", { bucket: bucket.id, policy: Fn.jsonencode({ Statement: [] }) });
    });
    expect(messages).toEqual([
      "[s3-tls-only] aws_s3_bucket.data: its bucket policy cannot be checked (aws_s3_bucket_policy.policy: the policy is neither JSON nor a reference to an aws_iam_policy_document) (build the policy with DataAwsIamPolicyDocument or JSON.stringify)",
    ]);
  });

  it("passes with a policy document that denies insecure transport on the bucket and its objects", () => {
    expect(findings(s3TlsOnly, (stack) => bucketWithDocument(stack, (bucket) => [denyInsecure([bucket.arn, `${bucket.arn}/*`])]))).toEqual([]);
  });

  it("passes with literal JSON naming the bucket ARNs, with a literal or referenced partition", () => {
    const messages = findings(s3TlsOnly, (stack) => {
      const bucket = new S3Bucket(stack, "data", { bucket: "user-x-bucket" });
      const policy = JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Principal: { AWS: "*" },
            Action: "s3:*",
            Resource: ["arn:aws:s3:::user-x-bucket", "arn:${data.aws_partition.current.partition}:s3:::user-x-bucket/*"],
            Condition: { Bool: { "aws:SecureTransport": "false" } },
          },
        ],
      });
      new S3BucketPolicy(stack, "policy", { bucket: bucket.bucket, policy });
    });
    expect(messages).toEqual([]);
  });
});

describe("s3-tls-only: several policies, resource forms and actions", () => {
  const check = (resource: TerraformJson["resource"]) => s3TlsOnly.check({ resource }).map((f) => f.message);
  const deny = (over: object = {}) => ({
    Effect: "Deny",
    Principal: "*",
    Action: "s3:*",
    Resource: ["arn:aws:s3:::user-x-bucket", "arn:aws:s3:::user-x-bucket/*"],
    Condition: { Bool: { "aws:SecureTransport": ["true", "false"] } },
    ...over,
  });
  const policy = (...statements: object[]) => ({ bucket: "${aws_s3_bucket.data.id}", policy: JSON.stringify({ Statement: statements }) });
  const NOT_DENIED = `[s3-tls-only] aws_s3_bucket.data: aws_s3_bucket_policy.p does not deny requests without TLS on the bucket and its objects ${FIX}`;
  const bucket = { aws_s3_bucket: { data: { bucket: "user-x-bucket" } } };

  it('passes for Resource "*", action "*", and the bucket ARN by reference', () => {
    expect(check({ ...bucket, aws_s3_bucket_policy: { p: policy(deny({ Resource: "*", Action: "*" })) } })).toEqual([]);
    expect(check({ ...bucket, aws_s3_bucket_policy: { p: policy(deny({ Resource: ["${aws_s3_bucket.data.arn}", "${aws_s3_bucket.data.arn}/*"] })) } })).toEqual([]);
    // the two resources may come from two denials
    expect(check({ ...bucket, aws_s3_bucket_policy: { p: policy(deny({ Resource: "arn:aws:s3:::user-x-bucket" }), deny({ Resource: "arn:aws:s3:::user-x-bucket/*" })) } })).toEqual([]);
  });

  it("fails for other buckets' ARNs, ARNs that are not S3's, narrower actions and objects-only or bucket-only denials", () => {
    for (const over of [
      { Resource: ["arn:aws:s3:::user-x-bucket-2", "arn:aws:s3:::user-x-bucket-2/*"] },
      { Resource: ["arn:aws:s3:::other/user-x-bucket", "arn:aws:s3:::user-x-bucket/*"] },
      { Resource: ["arn:aws:sqs:::user-x-bucket", "arn:aws:s3:::user-x-bucket/*"] },
      { Resource: ["xarn:aws:s3:::user-x-bucket", "arn:aws:s3:::user-x-bucket/*"] },
      { Resource: ["arn::s3:::user-x-bucket", "arn:aws:s3:::user-x-bucket/*"] },
      { Resource: ["arn:aws:s3:::user-x-bucket", "arn:aws:s3:::user-x-bucket/x"] },
      { Resource: ["arn:aws:s3:::user-x-bucket", "arn:aws:s3:::user-x-bucket"] },
      { Resource: ["${aws_s3_bucket.data.arn}", "${aws_s3_bucket.data.arn}"] },
      { Resource: ["${aws_s3_bucket.data.arn}/*", "${aws_s3_bucket.data.arn}/*"] },
      { Resource: ["${aws_s3_bucket.data.id}", "${aws_s3_bucket.data.id}/*"] },
      { Action: ["s3:GetObject", "s3:PutObject"] },
      { Action: undefined, NotAction: "s3:GetObject" },
      { Condition: { Bool: { "aws:SecureTransport": "False" } } },
      { Condition: { Bool: { "aws:SecureTransportX": "false" } } },
      { Principal: undefined },
    ]) {
      expect(check({ ...bucket, aws_s3_bucket_policy: { p: policy(deny(over)) } }), JSON.stringify(over)).toEqual([NOT_DENIED]);
    }
  });

  it("needs the bucket's literal name to read literal ARNs", () => {
    const resource = { aws_s3_bucket: { data: { bucket_prefix: "user-x-bucket" } }, aws_s3_bucket_policy: { p: policy(deny()) } };
    expect(check(resource)).toEqual([NOT_DENIED]);
    const undefinedName = { ...resource, aws_s3_bucket_policy: { p: policy(deny({ Resource: ["arn:aws:s3:::undefined", "arn:aws:s3:::undefined/*"] })) } };
    expect(check(undefinedName)).toEqual([NOT_DENIED]);
  });

  it("passes when one of several policies denies insecure transport, even if another cannot be read", () => {
    const opaque = { bucket: "user-x-bucket", policy: "${jsonencode(local.p)}" };
    expect(check({ ...bucket, aws_s3_bucket_policy: { a_opaque: opaque, p: policy(deny()) } })).toEqual([]);
    expect(check({ ...bucket, aws_s3_bucket_policy: { p: policy(deny()), z_opaque: opaque } })).toEqual([]);
  });

  it("reports the unreadable policies when no readable one denies, and every policy when all are readable", () => {
    const opaque = { bucket: "user-x-bucket", policy: "${jsonencode(local.p)}" };
    const empty = { bucket: "user-x-bucket", policy: "" };
    expect(check({ ...bucket, aws_s3_bucket_policy: { opaque, p: policy(deny({ Effect: "Allow" })), empty } })).toEqual([
      "[s3-tls-only] aws_s3_bucket.data: its bucket policy cannot be checked (aws_s3_bucket_policy.opaque: the policy is neither JSON nor a reference to an aws_iam_policy_document; aws_s3_bucket_policy.empty: the policy is empty) (build the policy with DataAwsIamPolicyDocument or JSON.stringify)",
    ]);
    expect(check({ ...bucket, aws_s3_bucket_policy: { p: policy(deny({ Effect: "Allow" })), q: policy() } })).toEqual([
      `[s3-tls-only] aws_s3_bucket.data: aws_s3_bucket_policy.p, aws_s3_bucket_policy.q does not deny requests without TLS on the bucket and its objects ${FIX}`,
    ]);
  });
});
