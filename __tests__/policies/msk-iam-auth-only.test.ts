import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { describe, expect, it } from "vitest";
import { mskIamAuthOnly } from "../../constructs/policies/msk-iam-auth-only";
import { findings, MSK_REQUIRED } from "./support";

describe("msk-iam-auth-only", () => {
  it("fails when client authentication is not configured", () => {
    expect(findings(mskIamAuthOnly, (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED }))).toEqual([
      "[msk-iam-auth-only] aws_msk_cluster.cluster: client_authentication.sasl.iam is not set (set it to true)",
    ]);
  });

  it("fails when IAM is on but unauthenticated clients are allowed too", () => {
    const messages = findings(
      mskIamAuthOnly,
      (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, clientAuthentication: { sasl: { iam: true }, unauthenticated: true } }),
    );
    expect(messages).toEqual(["[msk-iam-auth-only] aws_msk_cluster.cluster: client_authentication.unauthenticated is true (set it to false or leave it out)"]);
  });

  it("fails when SASL is configured with IAM off", () => {
    const messages = findings(mskIamAuthOnly, (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, clientAuthentication: { sasl: { iam: false, scram: true } } }));
    expect(messages).toEqual([
      "[msk-iam-auth-only] aws_msk_cluster.cluster: client_authentication.sasl.iam is false (set it to true)",
      "[msk-iam-auth-only] aws_msk_cluster.cluster: client_authentication.sasl.scram is true (set it to false or leave it out: clients authenticate with IAM only)",
    ]);
  });

  it("fails when SASL/SCRAM passwords are allowed beside IAM", () => {
    const messages = findings(mskIamAuthOnly, (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, clientAuthentication: { sasl: { iam: true, scram: true } } }));
    expect(messages).toEqual(["[msk-iam-auth-only] aws_msk_cluster.cluster: client_authentication.sasl.scram is true (set it to false or leave it out: clients authenticate with IAM only)"]);
  });

  it("fails when TLS client certificates are allowed beside IAM", () => {
    const ca = "arn:aws:acm-pca:us-east-1:123456789012:certificate-authority/abc";
    const messages = findings(mskIamAuthOnly, (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, clientAuthentication: { sasl: { iam: true }, tls: { certificateAuthorityArns: [ca] } } }));
    expect(messages).toEqual([`[msk-iam-auth-only] aws_msk_cluster.cluster: client_authentication.tls.certificate_authority_arns is ["${ca}"] (remove the tls block: clients authenticate with IAM only)`]);
  });

  it("passes with SCRAM explicitly off and a TLS block without certificate authorities", () => {
    const messages = findings(
      mskIamAuthOnly,
      (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, clientAuthentication: { sasl: { iam: true, scram: false }, tls: { certificateAuthorityArns: [] }, unauthenticated: false } }),
    );
    expect(messages).toEqual([]);
  });

  it("passes with SASL/IAM and unauthenticated access off", () => {
    const messages = findings(
      mskIamAuthOnly,
      (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, clientAuthentication: { sasl: { iam: true }, unauthenticated: false } }),
    );
    expect(messages).toEqual([]);
  });
});

describe("msk-iam-auth-only: Terraform's string booleans", () => {
  it('reads "true" as true for both settings', () => {
    const messages = mskIamAuthOnly
      .check({ resource: { aws_msk_cluster: { c: { client_authentication: { sasl: { iam: "true" }, unauthenticated: "true" } }, ok: { client_authentication: { sasl: { iam: "true" }, unauthenticated: "false" } } } } })
      .map((f) => f.message);
    expect(messages).toEqual(["[msk-iam-auth-only] aws_msk_cluster.c: client_authentication.unauthenticated is true (set it to false or leave it out)"]);
  });

  it("reports both problems of one cluster, IAM first", () => {
    const messages = mskIamAuthOnly.check({ resource: { aws_msk_cluster: { c: { client_authentication: { sasl: { iam: "false" }, unauthenticated: true } } } } }).map((f) => f.message);
    expect(messages).toEqual([
      '[msk-iam-auth-only] aws_msk_cluster.c: client_authentication.sasl.iam is "false" (set it to true)',
      "[msk-iam-auth-only] aws_msk_cluster.c: client_authentication.unauthenticated is true (set it to false or leave it out)",
    ]);
  });
});
