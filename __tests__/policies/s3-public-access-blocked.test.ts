import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { Construct } from "constructs";
import { describe, expect, it } from "vitest";
import { s3PublicAccessBlocked } from "../../constructs/policies/s3-public-access-blocked";
import type { TerraformJson } from "../../constructs/policies";
import { findings } from "./support";

const ALL_BLOCKED = { blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true };

describe("s3-public-access-blocked", () => {
  it("fails when no public access block refers to the bucket", () => {
    expect(findings(s3PublicAccessBlocked, (stack) => new S3Bucket(stack, "data", { bucket: "user-x-bucket" }))).toEqual([
      "[s3-public-access-blocked] aws_s3_bucket.data: no aws_s3_bucket_public_access_block refers to it (add one with block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets all true)",
    ]);
  });

  it("fails when the block leaves flags off", () => {
    const messages = findings(s3PublicAccessBlocked, (stack) => {
      const bucket = new S3Bucket(stack, "data", { bucket: "user-x-bucket" });
      new S3BucketPublicAccessBlock(stack, "block", { bucket: bucket.id, blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false });
    });
    expect(messages).toEqual([
      "[s3-public-access-blocked] aws_s3_bucket.data: aws_s3_bucket_public_access_block.block leaves block_public_policy, restrict_public_buckets off (set all four flags to true)",
    ]);
  });

  it("fails for the bucket whose block belongs to another bucket", () => {
    const messages = findings(s3PublicAccessBlocked, (stack) => {
      const covered = new S3Bucket(stack, "covered", { bucket: "covered" });
      new S3Bucket(stack, "bare", { bucket: "bare" });
      new S3BucketPublicAccessBlock(stack, "block", { bucket: covered.id, ...ALL_BLOCKED });
    });
    expect(messages).toEqual([
      "[s3-public-access-blocked] aws_s3_bucket.bare: no aws_s3_bucket_public_access_block refers to it (add one with block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets all true)",
    ]);
  });

  it("passes when a block refers to the bucket by id, by name or by its literal name, also inside nested constructs", () => {
    const messages = findings(s3PublicAccessBlocked, (stack) => {
      const nested = new Construct(stack, "data-lake");
      const byId = new S3Bucket(nested, "bucket", { bucket: "by-id" });
      new S3BucketPublicAccessBlock(nested, "block", { bucket: byId.id, ...ALL_BLOCKED });
      const byName = new S3Bucket(stack, "by-name", { bucket: "by-name" });
      new S3BucketPublicAccessBlock(stack, "by-name-block", { bucket: byName.bucket, ...ALL_BLOCKED });
      new S3Bucket(stack, "literal", { bucket: "literal-bucket" });
      new S3BucketPublicAccessBlock(stack, "literal-block", { bucket: "literal-bucket", ...ALL_BLOCKED });
    });
    expect(messages).toEqual([]);
  });

  it("does not apply to a stack without buckets", () => {
    expect(findings(s3PublicAccessBlocked, () => {})).toEqual([]);
  });
});

describe("s3-public-access-blocked: several blocks, string booleans, unnamed buckets", () => {
  const check = (resource: TerraformJson["resource"]) => s3PublicAccessBlocked.check({ resource }).map((f) => f.message);
  const FLAGS = { block_public_acls: "true", block_public_policy: true, ignore_public_acls: "true", restrict_public_buckets: true };

  it("passes when any one of several blocks sets all four flags, also as strings", () => {
    expect(
      check({
        aws_s3_bucket: { data: { bucket: "data" } },
        aws_s3_bucket_public_access_block: { partial: { bucket: "${aws_s3_bucket.data.id}", block_public_acls: true }, full: { bucket: "${aws_s3_bucket.data.bucket}", ...FLAGS } },
      }),
    ).toEqual([]);
  });

  it("names the first block's open flags, each flag on its own", () => {
    const messages = check({
      aws_s3_bucket: { a: { bucket: "a" }, b: { bucket: "b" }, c: { bucket: "c" }, d: { bucket: "d" } },
      aws_s3_bucket_public_access_block: {
        a_block: { bucket: "a", ...FLAGS, block_public_acls: "yes" },
        b_block: { bucket: "b", ...FLAGS, block_public_policy: false },
        c_block: { bucket: "c", ...FLAGS, ignore_public_acls: undefined },
        d_block: { bucket: "d", ...FLAGS, restrict_public_buckets: "false" },
      },
    });
    expect(messages).toEqual([
      "[s3-public-access-blocked] aws_s3_bucket.a: aws_s3_bucket_public_access_block.a_block leaves block_public_acls off (set all four flags to true)",
      "[s3-public-access-blocked] aws_s3_bucket.b: aws_s3_bucket_public_access_block.b_block leaves block_public_policy off (set all four flags to true)",
      "[s3-public-access-blocked] aws_s3_bucket.c: aws_s3_bucket_public_access_block.c_block leaves ignore_public_acls off (set all four flags to true)",
      "[s3-public-access-blocked] aws_s3_bucket.d: aws_s3_bucket_public_access_block.d_block leaves restrict_public_buckets off (set all four flags to true)",
    ]);
  });

  it("counts a reference to the bucket's id or name only, not to another attribute", () => {
    const NONE = "[s3-public-access-blocked] aws_s3_bucket.data: no aws_s3_bucket_public_access_block refers to it (add one with block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets all true)";
    const referredBy = (bucket: string) => check({ aws_s3_bucket: { data: { bucket: "data" }, other: { bucket: "other" } }, aws_s3_bucket_public_access_block: { block: { bucket, ...FLAGS }, other_block: { bucket: "other", ...FLAGS } } });
    // each accepted form alone
    expect(referredBy("${aws_s3_bucket.data.id}")).toEqual([]);
    expect(referredBy("${aws_s3_bucket.data.bucket}")).toEqual([]);
    expect(referredBy("data")).toEqual([]);
    // another attribute, or the same attribute of another bucket, is not this bucket's block
    expect(referredBy("${aws_s3_bucket.data.arn}")).toEqual([NONE]);
    expect(referredBy("${aws_s3_bucket.data.region}")).toEqual([NONE]);
    expect(referredBy("${aws_s3_bucket.other.id}")).toEqual([NONE]);
    expect(referredBy("${aws_s3_bucket.data_2.id}")).toEqual([NONE]);
  });

  it("does not give a bucket without a literal name the block of another bucket without one", () => {
    const messages = check({
      aws_s3_bucket: { prefixed: { bucket_prefix: "logs-" } },
      aws_s3_bucket_public_access_block: { orphan: { ...FLAGS } },
    });
    expect(messages).toEqual([
      "[s3-public-access-blocked] aws_s3_bucket.prefixed: no aws_s3_bucket_public_access_block refers to it (add one with block_public_acls, block_public_policy, ignore_public_acls, restrict_public_buckets all true)",
    ]);
  });
});
