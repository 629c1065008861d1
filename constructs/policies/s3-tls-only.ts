import { appliesToEveryone, type PolicyStatement, readPolicy } from "./policy-documents";
import { finding, type PolicyRule } from "./rule";
import { companionsOf } from "./s3-buckets";
import { addressOf, resourcesOfType, type StackResource } from "../../lib/terraform-json";

const ID = "s3-tls-only";

/** cdk-nag S3BucketSSLRequestsOnly: a Deny for every principal and s3 action when aws:SecureTransport is false. */
export const s3TlsOnly: PolicyRule = {
  id: ID,
  description: "Every S3 bucket's policy denies all requests without TLS (aws:SecureTransport false) on the bucket and its objects.",
  check(tf) {
    const fix = 'add a Deny statement for principal "*", action "s3:*", the bucket ARN and "<arn>/*", with condition Bool aws:SecureTransport = false';
    return resourcesOfType(tf, "aws_s3_bucket").flatMap((bucket) => {
      const policies = companionsOf(tf, bucket, "aws_s3_bucket_policy");
      if (policies.length === 0) return [finding(ID, addressOf(bucket), "no aws_s3_bucket_policy refers to it", fix)];
      const unreadable: string[] = [];
      for (const policy of policies) {
        const reading = readPolicy(tf, policy.block.policy);
        if ("unreadable" in reading) {
          unreadable.push(`${addressOf(policy)}: ${reading.unreadable}`);
          continue;
        }
        const denials = reading.statements.filter(isInsecureTransportDenial);
        // Stryker disable next-line ArrayDeclaration: a filler resource in place of the empty default covers no bucket
        const resources = denials.flatMap((s) => s.resources ?? []);
        if (resources.some((r) => coversBucket(r, bucket)) && resources.some((r) => coversObjects(r, bucket))) return [];
      }
      if (unreadable.length > 0) {
        return [finding(ID, addressOf(bucket), `its bucket policy cannot be checked (${unreadable.join("; ")})`, "build the policy with DataAwsIamPolicyDocument or JSON.stringify")];
      }
      return [finding(ID, addressOf(bucket), `${policies.map(addressOf).join(", ")} does not deny requests without TLS on the bucket and its objects`, fix)];
    });
  },
};

function isInsecureTransportDenial(statement: PolicyStatement): boolean {
  return (
    statement.effect === "Deny" &&
    appliesToEveryone(statement) &&
    // Stryker disable next-line ArrayDeclaration: a filler action in place of the empty default is not * or s3:*
    (statement.actions ?? []).some((a) => a === "*" || a === "s3:*") &&
    statement.conditions.some((c) => c.test === "Bool" && c.variable === "aws:SecureTransport" && c.values.includes("false"))
  );
}

/** `arn:<partition>:s3:::<name>`, where the partition may be a literal or a reference such as `${data.aws_partition.p.partition}`. */
function isLiteralArn(resource: string, bucket: StackResource, suffix: string): boolean {
  const name = bucket.block.bucket;
  return typeof name === "string" && /^arn:[^:]+:s3:::/.test(resource) && resource.slice(resource.indexOf(":::") + 3) === `${name}${suffix}`;
}

function coversBucket(resource: string, bucket: StackResource): boolean {
  return resource === "*" || resource === `\${${addressOf(bucket)}.arn}` || isLiteralArn(resource, bucket, "");
}

function coversObjects(resource: string, bucket: StackResource): boolean {
  return resource === "*" || resource === `\${${addressOf(bucket)}.arn}/*` || isLiteralArn(resource, bucket, "/*");
}
