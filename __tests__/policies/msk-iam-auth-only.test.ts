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
    expect(messages).toEqual(["[msk-iam-auth-only] aws_msk_cluster.cluster: client_authentication.sasl.iam is false (set it to true)"]);
  });

  it("passes with SASL/IAM and unauthenticated access off", () => {
    const messages = findings(
      mskIamAuthOnly,
      (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, clientAuthentication: { sasl: { iam: true }, unauthenticated: false } }),
    );
    expect(messages).toEqual([]);
  });
});
