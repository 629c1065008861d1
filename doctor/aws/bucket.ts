/**
 * S3 bucket names are global, and AiCore pre-creates exactly user-<userId>-bucket for each
 * student: the stack's CreateBucket then fails at apply (deploy-review row 3).
 */
import { HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import { type CheckInfo, type CheckResult, fail, ok, warn } from "../check";
import { cannotCheck, errorFacts } from "./errors";

export const BUCKET: CheckInfo = { id: "aws.bucket", title: "data bucket name is free or this stack's" };

const RENAME = "set a different bucket name in the config (bucket.name, e.g. user-<userId>-pipeline-data): S3 names are global";

/** What HeadBucket said: its HTTP status and, for a redirect, the bucket's region. */
export interface BucketProbe {
  readonly status: number;
  readonly region?: string;
}

export interface BucketFacts {
  readonly name: string;
  /** bucket_name from --outputs, when the stack is deployed and its outputs were given. */
  readonly deployedBucket?: string;
}

/** HeadBucket with ExpectedBucketOwner: 200 ours, 403 someone else's (or ours without s3:ListBucket), 404 free, 301 in another region. */
export function evaluateBucket(facts: BucketFacts, probe: BucketProbe): CheckResult {
  const { name } = facts;
  if (probe.status === 404) return ok(BUCKET, `${name} is free`);
  if (probe.status === 200) {
    if (facts.deployedBucket === name) return ok(BUCKET, `${name} exists and is this stack's (per --outputs)`);
    return warn(BUCKET, `${name} already exists in this account: a previous deploy of this stack, or pre-created (AiCore creates user-<userId>-bucket); CreateBucket would fail or adopt it`, `if this stack made it, pass --outputs <file>; otherwise ${RENAME}`);
  }
  if (probe.status === 403) {
    return fail(BUCKET, `${name} exists and belongs to another account (or these credentials may not list it): deploy would fail with BucketAlreadyExists`, RENAME);
  }
  if (probe.status === 301) return fail(BUCKET, `${name} exists in region ${probe.region ?? "another region"}: deploy would fail with BucketAlreadyExists`, RENAME);
  return warn(BUCKET, `cannot tell whether ${name} is free: HeadBucket answered HTTP ${probe.status}`, "check by hand: aws s3api head-bucket --bucket " + name);
}

export async function checkBucket(s3: S3Client, account: string, facts: BucketFacts): Promise<CheckResult> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: facts.name, ExpectedBucketOwner: account }));
    return evaluateBucket(facts, { status: 200 });
  } catch (err) {
    const { status } = errorFacts(err);
    // HEAD responses have no body: the SDK names a 403 or 301 "Unknown", so the status code decides
    if (status === undefined) return cannotCheck(BUCKET, err, "s3:ListBucket");
    const region = (err as { $response?: { headers?: Record<string, string> } }).$response?.headers?.["x-amz-bucket-region"];
    return evaluateBucket(facts, { status, ...(region ? { region } : {}) });
  }
}
