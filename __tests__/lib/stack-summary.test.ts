/** lib/stack-summary: the resource counts and the human summary `synth --summary` prints. */
import { describe, expect, it } from "vitest";
import { managedResourceCount, resourceCounts, summarizeStack } from "../../lib/stack-summary";
import type { TerraformJson } from "../../lib/terraform-json";

const STACK: TerraformJson = {
  resource: {
    aws_s3_bucket: { data: {}, logs: {} },
    aws_msk_cluster: { cluster: {} },
    aws_iam_role: { a: {}, b: {}, c: {} },
  },
  data: { aws_partition: { current: {} }, aws_iam_policy_document: { trust: {}, access: {} } },
  output: { bucket_name: { value: "b" }, region: { value: "us-east-1" } },
};

describe("resourceCounts", () => {
  it("counts resources by type, sorted by type", () => {
    expect([...resourceCounts(STACK)]).toEqual([
      ["aws_iam_role", 3],
      ["aws_msk_cluster", 1],
      ["aws_s3_bucket", 2],
    ]);
    expect([...resourceCounts({})]).toEqual([]);
  });
});

describe("managedResourceCount", () => {
  it("adds up every type's count", () => {
    expect(managedResourceCount(STACK)).toBe(6);
    expect(managedResourceCount({})).toBe(0);
  });
});

describe("summarizeStack", () => {
  it("lists resources by type in an aligned column, then data sources and outputs", () => {
    expect(summarizeStack(STACK)).toBe(
      [
        "6 resources:",
        "  aws_iam_role     3",
        "  aws_msk_cluster  1",
        "  aws_s3_bucket    2",
        "3 data sources (all offline): aws_iam_policy_document, aws_partition",
        "2 outputs: bucket_name, region",
      ].join("\n"),
    );
  });

  it("says none for a stack without data sources and outputs", () => {
    expect(summarizeStack({ resource: { aws_s3_bucket: { data: {} } } })).toBe(["1 resources:", "  aws_s3_bucket  1", "0 data sources (all offline): none", "0 outputs: "].join("\n"));
  });
});
