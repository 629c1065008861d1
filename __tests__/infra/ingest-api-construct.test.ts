/** The IngestApi construct alone, in a bare stack: the defaults its props document, as a caller that omits them gets them. */
import { describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "../../lib/cdktf";
import { IngestApi, RestProxyBackend } from "../../constructs/ingest-api";
import type { KafkaClientHost } from "../../constructs/kafka-client-host";
import { scratchDir } from "./helpers";

/** The synthesized resources of an API in the seed's layout (the backend only needs the host's public DNS name). */
function synthApi(props: { manageAccountCloudWatchRole?: boolean } = {}): Record<string, Record<string, unknown>> {
  const scratch = scratchDir("infra-ingest-api-");
  try {
    const stack = new TerraformStack(Testing.app({ outdir: scratch.dir }), "api");
    const host = { publicDns: "ec2-198-51-100-7.compute-1.amazonaws.com" } as KafkaClientHost;
    new IngestApi(stack, "api", { apiName: "u1", backend: RestProxyBackend.seedPublicProxy(host), topics: ["u1.pin"], ...props });
    return (JSON.parse(Testing.synth(stack)) as { resource: Record<string, Record<string, unknown>> }).resource;
  } finally {
    scratch.cleanup();
  }
}

describe("IngestApi defaults", () => {
  it("manageAccountCloudWatchRole: sets the region's API Gateway CloudWatch role unless told the account has one", () => {
    const byDefault = synthApi();
    expect(Object.keys(byDefault.aws_api_gateway_account ?? {})).toHaveLength(1);
    expect(Object.values(byDefault.aws_iam_role ?? {}).map((role) => (role as { name: string }).name)).toEqual(["u1-apigateway-cloudwatch"]);
    const shared = synthApi({ manageAccountCloudWatchRole: false });
    expect(shared.aws_api_gateway_account).toBeUndefined();
    expect(shared.aws_iam_role).toBeUndefined();
  });
});
