import { refersTo, resourcesOfType, type StackResource, type TerraformJson } from "../../lib/terraform-json";

/**
 * The companion resources (`aws_s3_bucket_public_access_block`, ...) of a bucket: those whose
 * `bucket` argument references it by id or name, or repeats its literal name.
 */
export function companionsOf(tf: TerraformJson, bucket: StackResource, companionType: string): StackResource[] {
  const name = bucket.block.bucket;
  return resourcesOfType(tf, companionType).filter(
    ({ block }) => refersTo(block.bucket, bucket, ["id", "bucket"]) || (typeof name === "string" && block.bucket === name),
  );
}
