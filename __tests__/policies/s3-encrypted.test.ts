import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { describe, expect, it } from "vitest";
import { s3Encrypted } from "../../constructs/policies/s3-encrypted";
import { findings } from "./support";

const SSE_RULE = [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }];

describe("s3-encrypted", () => {
  it("fails when no encryption configuration refers to the bucket", () => {
    const messages = findings(s3Encrypted, (stack) => {
      const other = new S3Bucket(stack, "other", { bucket: "other" });
      new S3BucketServerSideEncryptionConfigurationA(stack, "other-sse", { bucket: other.id, rule: SSE_RULE });
      new S3Bucket(stack, "data", { bucket: "user-x-bucket" });
    });
    expect(messages).toEqual([
      '[s3-encrypted] aws_s3_bucket.data: no aws_s3_bucket_server_side_encryption_configuration refers to it (add one whose rule sets apply_server_side_encryption_by_default.sse_algorithm to "aws:kms" or "AES256")',
    ]);
  });

  it("passes when an encryption configuration refers to the bucket", () => {
    const messages = findings(s3Encrypted, (stack) => {
      const bucket = new S3Bucket(stack, "data", { bucket: "user-x-bucket" });
      new S3BucketServerSideEncryptionConfigurationA(stack, "sse", { bucket: bucket.bucket, rule: SSE_RULE });
    });
    expect(messages).toEqual([]);
  });
});
