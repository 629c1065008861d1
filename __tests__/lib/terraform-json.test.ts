/** lib/terraform-json: the read-only helpers every policy rule and the summary read the stack with. */
import { describe as group, expect, it } from "vitest";
import {
  addressOf,
  attributeAt,
  blockList,
  dataSourcesOfType,
  describe,
  isFalse,
  isTrue,
  nestedBlock,
  refersTo,
  resourcesOfType,
  stringList,
  type TerraformJson,
} from "../../lib/terraform-json";

const TF: TerraformJson = {
  resource: { aws_s3_bucket: { first: { bucket: "a" }, second: { bucket: "b" } }, aws_instance: { host: {} } },
  data: { aws_iam_policy_document: { trust: { statement: [] } } },
};

group("addressOf", () => {
  it("joins type and logical id with a dot", () => {
    expect(addressOf({ type: "aws_s3_bucket", logicalId: "data_1A2B" })).toBe("aws_s3_bucket.data_1A2B");
  });
});

group("resourcesOfType and dataSourcesOfType", () => {
  it("list the blocks of one type in synthesis order, with their address parts", () => {
    expect(resourcesOfType(TF, "aws_s3_bucket")).toEqual([
      { type: "aws_s3_bucket", logicalId: "first", block: { bucket: "a" } },
      { type: "aws_s3_bucket", logicalId: "second", block: { bucket: "b" } },
    ]);
    expect(dataSourcesOfType(TF, "aws_iam_policy_document")).toEqual([{ type: "aws_iam_policy_document", logicalId: "trust", block: { statement: [] } }]);
  });

  it("keep resources and data sources apart", () => {
    expect(resourcesOfType(TF, "aws_iam_policy_document")).toEqual([]);
    expect(dataSourcesOfType(TF, "aws_s3_bucket")).toEqual([]);
  });

  it("return nothing for a stack without the section", () => {
    expect(resourcesOfType({}, "aws_s3_bucket")).toEqual([]);
    expect(dataSourcesOfType({}, "aws_iam_policy_document")).toEqual([]);
  });
});

group("nestedBlock", () => {
  it("reads a block in object form and in Terraform JSON's list form", () => {
    expect(nestedBlock({ http_tokens: "required" })).toEqual({ http_tokens: "required" });
    expect(nestedBlock([{ http_tokens: "required" }, { http_tokens: "optional" }])).toEqual({ http_tokens: "required" });
  });

  it("is undefined for anything that is not a block", () => {
    for (const value of [undefined, null, [], [null], ["x"], "required", 0, true]) expect(nestedBlock(value), JSON.stringify(value)).toBeUndefined();
  });
});

group("blockList", () => {
  it("keeps the blocks of a list and drops the rest", () => {
    expect(blockList([{ a: 1 }, null, "x", 3, { b: 2 }])).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it("reads a lone block as a one-block list, and absent or scalar values as none", () => {
    expect(blockList({ a: 1 })).toEqual([{ a: 1 }]);
    expect(blockList(undefined)).toEqual([]);
    expect(blockList(null)).toEqual([]);
    expect(blockList("x")).toEqual([]);
  });
});

group("attributeAt", () => {
  const block = { metadata_options: [{ http_tokens: "required", hop: 0, nested: { flag: false } }], name: "n" };

  it("follows a dotted path through object and list blocks, returning the leaf as it is", () => {
    expect(attributeAt(block, "metadata_options.http_tokens")).toBe("required");
    expect(attributeAt(block, "metadata_options.hop")).toBe(0);
    expect(attributeAt(block, "metadata_options.nested.flag")).toBe(false);
    expect(attributeAt(block, "metadata_options.nested")).toEqual({ flag: false });
    expect(attributeAt(block, "name")).toBe("n");
  });

  it("is undefined when a step is missing or is not a block", () => {
    expect(attributeAt(block, "metadata_options.missing")).toBeUndefined();
    expect(attributeAt(block, "missing.http_tokens")).toBeUndefined();
    expect(attributeAt(block, "name.length")).toBeUndefined();
    expect(attributeAt(undefined, "name")).toBeUndefined();
  });
});

group("isTrue and isFalse", () => {
  it("accept the boolean and its string form only", () => {
    expect([true, "true"].map(isTrue)).toEqual([true, true]);
    expect([false, "false", "TRUE", 1, "yes", undefined, null].map(isTrue)).toEqual([false, false, false, false, false, false, false]);
    expect([false, "false"].map(isFalse)).toEqual([true, true]);
    expect([true, "true", "FALSE", 0, "", undefined, null].map(isFalse)).toEqual([false, false, false, false, false, false, false]);
  });
});

group("stringList", () => {
  it("keeps strings, numbers and booleans of a list as strings and drops the rest", () => {
    expect(stringList(["a", 1, true, null, undefined, { b: 1 }, ["c"]])).toEqual(["a", "1", "true"]);
  });

  it("reads a lone scalar as a one-element list, and absent values or objects as none", () => {
    expect(stringList("0.0.0.0/0")).toEqual(["0.0.0.0/0"]);
    expect(stringList(22)).toEqual(["22"]);
    expect(stringList(false)).toEqual(["false"]);
    expect(stringList(undefined)).toEqual([]);
    expect(stringList(null)).toEqual([]);
    expect(stringList({ a: "b" })).toEqual([]);
  });
});

group("refersTo", () => {
  const bucket = { type: "aws_s3_bucket", logicalId: "data_1A2B" };

  it("finds a reference to one of the attributes, alone or inside a template or function call", () => {
    expect(refersTo("${aws_s3_bucket.data_1A2B.id}", bucket, ["id", "bucket"])).toBe(true);
    expect(refersTo("${aws_s3_bucket.data_1A2B.bucket}", bucket, ["id", "bucket"])).toBe(true);
    expect(refersTo("${aws_s3_bucket.data_1A2B.arn}/*", bucket, ["arn"])).toBe(true);
    expect(refersTo("prefix-${element(aws_s3_bucket.data_1A2B.id, 0)}", bucket, ["id"])).toBe(true);
  });

  it("ignores other attributes, longer attribute names, other resources and data sources", () => {
    expect(refersTo("${aws_s3_bucket.data_1A2B.arn}", bucket, ["id", "bucket"])).toBe(false);
    expect(refersTo("${aws_s3_bucket.data_1A2B.identity}", bucket, ["id"])).toBe(false);
    expect(refersTo("${aws_s3_bucket.data_1A2BC.id}", bucket, ["id"])).toBe(false);
    expect(refersTo("${aws_s3_bucket.other.id}", bucket, ["id"])).toBe(false);
    expect(refersTo("${data.aws_s3_bucket.data_1A2B.id}", bucket, ["id"])).toBe(false);
    expect(refersTo("${my_aws_s3_bucket.data_1A2B.id}", bucket, ["id"])).toBe(false);
  });

  it("needs an interpolation around the reference", () => {
    expect(refersTo("aws_s3_bucket.data_1A2B.id", bucket, ["id"])).toBe(false);
    expect(refersTo("${var.x} aws_s3_bucket.data_1A2B.id", bucket, ["id"])).toBe(false);
  });

  it("matches names literally, not as patterns", () => {
    const dotted = { type: "aws_s3_bucket", logicalId: "a.b" };
    expect(refersTo("${aws_s3_bucket.a.b.id}", dotted, ["id"])).toBe(true);
    expect(refersTo("${aws_s3_bucket.axb.id}", dotted, ["id"])).toBe(false);
    expect(refersTo("${aws_s3_bucket.data_1A2B.i.d}", bucket, ["i.d"])).toBe(true);
    expect(refersTo("${aws_s3_bucket.data_1A2B.ixd}", bucket, ["i.d"])).toBe(false);
  });

  it("is false for values that are not strings", () => {
    expect(refersTo(undefined, bucket, ["id"])).toBe(false);
    expect(refersTo(["${aws_s3_bucket.data_1A2B.id}"], bucket, ["id"])).toBe(false);
  });
});

group("describe", () => {
  it("quotes strings, shows other values as JSON and absent ones as not set", () => {
    expect(describe("optional")).toBe('"optional"');
    expect(describe(0)).toBe("0");
    expect(describe(false)).toBe("false");
    expect(describe(undefined)).toBe("not set");
    expect(describe(null)).toBe("not set");
  });
});
