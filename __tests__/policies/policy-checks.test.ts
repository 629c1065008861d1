import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { Construct } from "constructs";
import { afterAll, describe, expect, it } from "vitest";
import { addPolicyChecks, checkPolicies, isPolicyViolation, POLICY_RULES } from "../../constructs/policies";
import { App, TerraformStack, Testing } from "../../lib/cdktf";
import { newStack, synthesize } from "./support";

const RETENTION = "[logs-retention] aws_cloudwatch_log_group.forever: retention_in_days is not set, so its logs never expire (set retention_in_days, e.g. 7)";
const SSH =
  "[ec2-no-ssh-from-anywhere] aws_security_group.client: ingress 0 allows tcp port 22 from 0.0.0.0/0 (restrict the source to your address as x.x.x.x/32 through clientHost.sshAllowedCidrs)";

function nonCompliant(stack: TerraformStack): void {
  new CloudwatchLogGroup(stack, "forever", { name: "/pipeline/forever" });
  new SecurityGroup(stack, "client", { ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }] });
}

/** A data bucket as the pipeline builds it, one construct level down so logical ids are hashed. */
class SecureBucket extends Construct {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    const bucket = new S3Bucket(this, "bucket", { bucket: "user-x-bucket" });
    new S3BucketPublicAccessBlock(this, "public-access", { bucket: bucket.id, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", { bucket: bucket.id, rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] });
    const tlsOnly = new DataAwsIamPolicyDocument(this, "tls-only", {
      statement: [
        {
          effect: "Deny",
          principals: [{ type: "*", identifiers: ["*"] }],
          actions: ["s3:*"],
          resources: [bucket.arn, `${bucket.arn}/*`],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        },
      ],
    });
    new S3BucketPolicy(this, "policy", { bucket: bucket.id, policy: tlsOnly.json });
  }
}

describe("POLICY_RULES", () => {
  it("describes each rule in one sentence", () => {
    expect(POLICY_RULES).toHaveLength(13);
    for (const rule of POLICY_RULES) expect(rule.description, rule.id).toMatch(/^[A-Z][^\n]{20,}\.$/);
  });

  it("has the thirteen documented rule ids, each once", () => {
    expect(POLICY_RULES.map((rule) => rule.id)).toEqual([
      "s3-public-access-blocked",
      "s3-encrypted",
      "s3-tls-only",
      "msk-tls-in-transit",
      "msk-iam-auth-only",
      "msk-broker-logs",
      "ec2-imdsv2",
      "ec2-no-ssh-from-anywhere",
      "ec2-no-rest-proxy-from-anywhere",
      "iam-no-star-on-star",
      "api-access-logging",
      "api-method-authorization",
      "logs-retention",
    ]);
  });
});

describe("checkPolicies", () => {
  it("fails with every finding of every rule", () => {
    const stack = newStack();
    nonCompliant(stack);
    expect(checkPolicies(synthesize(stack))).toEqual([SSH, RETENTION]);
  });

  it("fails for a suppression with an unknown rule id or an empty reason", () => {
    expect(checkPolicies({}, [{ ruleId: "s3-versioned", reason: "not needed" }, { ruleId: "logs-retention", reason: " " }])).toEqual([
      `[policy-suppression] "s3-versioned": got an unknown rule id, expected one of ${POLICY_RULES.map((r) => r.id).join(", ")} (fix the ruleId or remove the suppression)`,
      "[policy-suppression] logs-retention: got an empty reason, expected why the rule does not apply to this stack (write the reason; it is the audit trail)",
    ]);
  });

  it("drops exactly the findings of a suppressed rule", () => {
    const stack = newStack();
    nonCompliant(stack);
    expect(checkPolicies(synthesize(stack), [{ ruleId: "ec2-no-ssh-from-anywhere", reason: "config acknowledges SSH from anywhere" }])).toEqual([RETENTION]);
  });

  it("passes for a compliant stack with hashed logical ids", () => {
    const stack = newStack();
    new SecureBucket(stack, "data");
    expect(checkPolicies(synthesize(stack))).toEqual([]);
  });
});

describe("addPolicyChecks", () => {
  const outdir = mkdtempSync(join(tmpdir(), "policy-checks-"));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  function appStack(): { app: App; stack: TerraformStack } {
    const app = new App({ outdir: mkdtempSync(join(outdir, "app-")) });
    const stack = new TerraformStack(app, "pipeline");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    return { app, stack };
  }

  it("fails Testing.synth with validations, naming each finding", () => {
    const { stack } = appStack();
    nonCompliant(stack);
    addPolicyChecks(stack);
    expect(() => Testing.synth(stack, true)).toThrow(`[pipeline] ${SSH}\n  [pipeline] ${RETENTION}`);
  });

  it("fails app.synth() (what cdktf synth runs) and writes no stack", () => {
    const { app, stack } = appStack();
    nonCompliant(stack);
    addPolicyChecks(stack);
    expect(() => app.synth()).toThrow(`[pipeline] ${SSH}`);
    expect(existsSync(join(app.outdir, "stacks", "pipeline", "cdk.tf.json"))).toBe(false);
  });

  it("fails synth for a malformed suppression", () => {
    const { stack } = appStack();
    addPolicyChecks(stack, { suppressions: [{ ruleId: "logs-retention", reason: "" }] });
    expect(() => Testing.synth(stack, true)).toThrow("[policy-suppression] logs-retention: got an empty reason");
  });

  it("lets a suppressed rule's findings through synth and still reports the others", () => {
    const { stack } = appStack();
    nonCompliant(stack);
    addPolicyChecks(stack, { suppressions: [{ ruleId: "ec2-no-ssh-from-anywhere", reason: "config acknowledges SSH from anywhere" }] });
    let message = "";
    try {
      Testing.synth(stack, true);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain(RETENTION);
    expect(message).not.toContain("ec2-no-ssh-from-anywhere");
  });

  it("passes app.synth() for a compliant stack, resolving references at validation time", () => {
    const { app, stack } = appStack();
    new SecureBucket(stack, "data");
    addPolicyChecks(stack);
    expect(() => app.synth()).not.toThrow();
    expect(existsSync(join(app.outdir, "stacks", "pipeline", "cdk.tf.json"))).toBe(true);
    expect(JSON.parse(Testing.synth(stack, true)).resource.aws_s3_bucket_policy).toBeDefined();
  });
});

describe("isPolicyViolation", () => {
  it("is true only for an Error whose message starts with cdktf's Validation failed", () => {
    expect(isPolicyViolation(new Error("Validation failed with the following errors:\n  [pipeline] ..."))).toBe(true);
    expect(isPolicyViolation(new Error("synth: Validation failed"))).toBe(false);
    expect(isPolicyViolation(new Error("ENOENT"))).toBe(false);
    expect(isPolicyViolation({ message: "Validation failed" })).toBe(false);
    expect(isPolicyViolation("Validation failed")).toBe(false);
  });
});

describe("checkPolicies: suppressions", () => {
  it("runs every rule when no suppressions are given, and keeps good suppressions apart from bad ones", () => {
    const stack = newStack();
    nonCompliant(stack);
    const tf = synthesize(stack);
    expect(checkPolicies(tf)).toEqual([SSH, RETENTION]);
    expect(checkPolicies(tf, [{ ruleId: "logs-retention", reason: "short-lived test stack" }, { ruleId: "ec2-no-ssh-from-anywhere", reason: "" }])).toEqual([
      "[policy-suppression] ec2-no-ssh-from-anywhere: got an empty reason, expected why the rule does not apply to this stack (write the reason; it is the audit trail)",
      SSH,
    ]);
  });
});
