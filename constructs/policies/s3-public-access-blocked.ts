import { finding, type PolicyRule } from "./rule";
import { companionsOf } from "./s3-buckets";
import { addressOf, isTrue, resourcesOfType } from "../../lib/terraform-json";

const ID = "s3-public-access-blocked";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"] as const;

/** cdk-nag S3BucketLevelPublicAccessProhibited: the bucket's own public access block turns everything off. */
export const s3PublicAccessBlocked: PolicyRule = {
  id: ID,
  description: "Every S3 bucket has a public access block with all four flags true.",
  check(tf) {
    return resourcesOfType(tf, "aws_s3_bucket").flatMap((bucket) => {
      const blocks = companionsOf(tf, bucket, "aws_s3_bucket_public_access_block");
      if (blocks.length === 0) {
        return [finding(ID, addressOf(bucket), "no aws_s3_bucket_public_access_block refers to it", `add one with ${FLAGS.join(", ")} all true`)];
      }
      if (blocks.some(({ block }) => FLAGS.every((flag) => isTrue(block[flag])))) return [];
      const open = FLAGS.filter((flag) => !isTrue(blocks[0].block[flag]));
      return [finding(ID, addressOf(bucket), `${addressOf(blocks[0])} leaves ${open.join(", ")} off`, "set all four flags to true")];
    });
  },
};
