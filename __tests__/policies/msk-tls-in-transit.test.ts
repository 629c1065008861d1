import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { describe, expect, it } from "vitest";
import { mskTlsInTransit } from "../../constructs/policies/msk-tls-in-transit";
import { findings, MSK_REQUIRED } from "./support";

describe("msk-tls-in-transit", () => {
  it("fails when client-broker encryption is left to the provider default", () => {
    expect(findings(mskTlsInTransit, (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED }))).toEqual([
      '[msk-tls-in-transit] aws_msk_cluster.cluster: encryption_info.encryption_in_transit.client_broker is not set (set it to "TLS")',
    ]);
  });

  it("fails when clients may use plaintext and brokers talk in the clear", () => {
    const messages = findings(
      mskTlsInTransit,
      (stack) => new MskCluster(stack, "cluster", { ...MSK_REQUIRED, encryptionInfo: { encryptionInTransit: { clientBroker: "TLS_PLAINTEXT", inCluster: false } } }),
    );
    expect(messages).toEqual([
      '[msk-tls-in-transit] aws_msk_cluster.cluster: encryption_info.encryption_in_transit.client_broker is "TLS_PLAINTEXT" (set it to "TLS")',
      "[msk-tls-in-transit] aws_msk_cluster.cluster: encryption_info.encryption_in_transit.in_cluster is false (set it to true or leave it out)",
    ]);
  });

  it("passes with explicit TLS and in-cluster encryption on or defaulted", () => {
    const messages = findings(mskTlsInTransit, (stack) => {
      new MskCluster(stack, "explicit", { ...MSK_REQUIRED, encryptionInfo: { encryptionInTransit: { clientBroker: "TLS", inCluster: true } } });
      new MskCluster(stack, "defaulted", { ...MSK_REQUIRED, encryptionInfo: { encryptionInTransit: { clientBroker: "TLS" } } });
    });
    expect(messages).toEqual([]);
  });
});

describe("msk-tls-in-transit: exact values", () => {
  it('needs "TLS" exactly and reads in_cluster "false" as false', () => {
    const messages = mskTlsInTransit
      .check({ resource: { aws_msk_cluster: { c: { encryption_info: { encryption_in_transit: { client_broker: "tls", in_cluster: "false" } } }, ok: { encryption_info: { encryption_in_transit: { client_broker: "TLS", in_cluster: "true" } } } } } })
      .map((f) => f.message);
    expect(messages).toEqual([
      '[msk-tls-in-transit] aws_msk_cluster.c: encryption_info.encryption_in_transit.client_broker is "tls" (set it to "TLS")',
      "[msk-tls-in-transit] aws_msk_cluster.c: encryption_info.encryption_in_transit.in_cluster is false (set it to true or leave it out)",
    ]);
  });
});
