/**
 * The data bucket the S3 sink writes to (`user-<userId>-bucket`, the name the seed's notebooks
 * read): no public access, default encryption, owner-enforced objects, TLS-only requests, and a
 * lifecycle rule that aborts multipart uploads left unfinished.
 */
import { Construct } from "constructs";
import { DEFAULTS } from "../lib/defaults";
import { S3Bucket, S3BucketLifecycleConfiguration, S3BucketOwnershipControls, S3BucketPolicy, S3BucketPublicAccessBlock, S3BucketServerSideEncryptionConfigurationA } from "./aws";
import { policyDocument, type PolicyStatement } from "./iam";

export interface DataBucketProps {
  /** The bucket's globally unique name. */
  readonly bucketName: string;
  /**
   * Whether destroying the stack also deletes the objects in the bucket.
   * @default false, so destroy fails while the bucket holds data
   */
  readonly forceDestroy?: boolean;
  /**
   * Days after which S3 aborts an unfinished multipart upload (the sink uploads every object in
   * parts; a task that fails mid-object leaves parts that are billed until aborted).
   * @default 1
   */
  readonly abortIncompleteMultipartUploadDays?: number;
}

/** Denies every request that does not use TLS, for the bucket and its objects. */
export function tlsOnlyStatement(bucketArn: string): PolicyStatement {
  return {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    actions: ["s3:*"],
    resources: [bucketArn, `${bucketArn}/*`],
    principals: [{ type: "*", identifiers: ["*"] }],
    condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
  };
}

export class DataBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: DataBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, "bucket", { bucket: props.bucketName, forceDestroy: props.forceDestroy ?? DEFAULTS.bucket.forceDestroy });
    const publicAccess = new S3BucketPublicAccessBlock(this, "public-access", {
      bucket: this.bucket.id,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
      bucket: this.bucket.id,
      rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "abort-incomplete-multipart-uploads",
          status: "Enabled",
          // an empty prefix: the whole bucket
          filter: [{ prefix: "" }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: props.abortIncompleteMultipartUploadDays ?? DEFAULTS.bucket.abortIncompleteMultipartUploadDays }],
        },
      ],
    });
    new S3BucketOwnershipControls(this, "ownership", { bucket: this.bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } });
    const policy = policyDocument(this, "policy-document", [tlsOnlyStatement(this.bucket.arn)]);
    // S3 rejects a bucket policy while the public access block is being written
    new S3BucketPolicy(this, "policy", { bucket: this.bucket.id, policy: policy.json, dependsOn: [publicAccess] });
  }

  /** The bucket's name. */
  get bucketName(): string {
    return this.bucket.bucket;
  }

  /** The bucket's ARN. */
  get bucketArn(): string {
    return this.bucket.arn;
  }
}
