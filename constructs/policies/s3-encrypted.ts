import { finding, type PolicyRule } from "./rule";
import { companionsOf } from "./s3-buckets";
import { addressOf, resourcesOfType } from "../../lib/terraform-json";

const ID = "s3-encrypted";

/** Default encryption is declared, not left to the account's implicit SSE-S3. */
export const s3Encrypted: PolicyRule = {
  id: ID,
  description: "Every S3 bucket has a server-side encryption configuration.",
  check(tf) {
    return resourcesOfType(tf, "aws_s3_bucket")
      .filter((bucket) => companionsOf(tf, bucket, "aws_s3_bucket_server_side_encryption_configuration").length === 0)
      .map((bucket) =>
        finding(ID, addressOf(bucket), "no aws_s3_bucket_server_side_encryption_configuration refers to it", 'add one whose rule sets apply_server_side_encryption_by_default.sse_algorithm to "aws:kms" or "AES256"'),
      );
  },
};
