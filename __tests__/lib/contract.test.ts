/**
 * lib/contract.ts: reading the stack outputs file every command depends on (its three shapes, each
 * output's check, every problem at once) and the small facts derived from the contract.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { kafkaLine, loadStackOutputs, OutputsError, outputDescription, pickStackOutputs, SENSITIVE_OUTPUTS, STACK_OUTPUT_NAMES } from "../../lib/contract";

const dir = mkdtempSync(join(tmpdir(), "contract-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function outputsFile(content: string): string {
  const path = join(dir, `outputs-${++files}.json`);
  writeFileSync(path, content);
  return path;
}

/** The error a call throws; fails the test when it returns. */
function thrown(call: () => unknown): OutputsError {
  try {
    call();
  } catch (err) {
    expect(err).toBeInstanceOf(OutputsError);
    return err as OutputsError;
  }
  throw new Error("returned, expected an OutputsError");
}

const INVOKE_URL = "https://abc123.execute-api.us-east-1.amazonaws.com/prod";

describe("kafkaLine", () => {
  it("is the major.minor of a release or an MSK version line", () => {
    expect(kafkaLine("3.8.1")).toBe("3.8");
    expect(kafkaLine("3.9.x")).toBe("3.9");
    expect(kafkaLine("10.12.3")).toBe("10.12");
  });
});

describe("the outputs schema's facts", () => {
  it("describes an output in the stack's own words, and keeps only the API key out of logs", () => {
    expect(outputDescription("bucket_name")).toBe("the data bucket, user-<userId>-bucket");
    expect([...SENSITIVE_OUTPUTS]).toEqual(["api_key"]);
    expect(STACK_OUTPUT_NAMES).toContain("invoke_url");
    expect(STACK_OUTPUT_NAMES).toHaveLength(new Set(STACK_OUTPUT_NAMES).size);
  });
});

describe("loadStackOutputs", () => {
  it("reads cdktf's { pipeline: { name: value } }, terraform's { name: { value, type } } and a flat { name: value } alike", () => {
    const shapes = [
      { pipeline: { invoke_url: INVOKE_URL, topic_partitions: 3 } },
      { invoke_url: { value: INVOKE_URL, type: "string", sensitive: false }, topic_partitions: { value: 3, type: "number" } },
      { invoke_url: INVOKE_URL, topic_partitions: 3 },
    ];
    for (const shape of shapes) {
      expect(loadStackOutputs(outputsFile(JSON.stringify(shape)), ["invoke_url", "topic_partitions"])).toEqual({ invoke_url: INVOKE_URL, topic_partitions: 3 });
    }
  });

  it("takes an object with `value` but no `type` as the value itself", () => {
    const topics = { value: "x" };
    const error = thrown(() => pickStackOutputs({ topics }, ["topics"], "o.json"));
    expect(error.message).toBe('outputs file o.json: topics is {"value":"x"}, expected the Kafka topic names, <userId>.<suffix> (re-run npx cdktf deploy --outputs-file o.json)');
  });

  it("returns only the outputs asked for, and leaves an absent optional output out", () => {
    const path = outputsFile(JSON.stringify({ pipeline: { region: "eu-west-1", user_id: "abc", api_auth: "iam" } }));
    const picked = loadStackOutputs(path, ["region", "api_key"]);
    expect(picked).toEqual({ region: "eu-west-1" });
    expect("api_key" in picked).toBe(false);
    expect(loadStackOutputs(path, ["api_auth"])).toEqual({ api_auth: "iam" });
  });

  it("a missing file: one line with the deploy command", () => {
    const path = join(dir, "absent.json");
    expect(thrown(() => loadStackOutputs(path, ["region"])).message).toBe(`outputs file ${path}: not found (run: npx cdktf deploy --outputs-file ${path})`);
  });

  it("a file that cannot be read: the system's reason", () => {
    const path = join(dir, "a-directory.json");
    mkdirSync(path);
    expect(thrown(() => loadStackOutputs(path, ["region"])).message).toBe(
      `outputs file ${path}: EISDIR: illegal operation on a directory, read (run: npx cdktf deploy --outputs-file ${path})`,
    );
  });

  it("a file that is not JSON", () => {
    const path = outputsFile("invoke_url = https://x");
    expect(thrown(() => loadStackOutputs(path, ["region"])).message).toBe(`outputs file ${path}: not JSON (it should be what cdktf deploy --outputs-file wrote)`);
  });

  it("one problem: one line naming the output, what it got and what it should hold, exit code 2", () => {
    const path = outputsFile(JSON.stringify({ pipeline: { region: "eu-west-1" } }));
    const error = thrown(() => loadStackOutputs(path, ["region", "bucket_name"]));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe(`outputs file ${path}: bucket_name is missing, expected the data bucket, user-<userId>-bucket (re-run npx cdktf deploy --outputs-file ${path})`);
  });

  it("several problems: a count, then one indented line each, in the order asked", () => {
    const path = outputsFile(JSON.stringify({ pipeline: { topics: [], topic_partitions: 0 } }));
    expect(thrown(() => loadStackOutputs(path, ["topic_partitions", "region", "topics"])).message).toBe(
      [
        `outputs file ${path}: 3 problems (re-run npx cdktf deploy --outputs-file ${path})`,
        "  topic_partitions is 0, expected the partition count of each topic",
        "  region is missing, expected the AWS region of the stack",
        "  topics is [], expected the Kafka topic names, <userId>.<suffix>",
      ].join("\n"),
    );
  });

  it.each([
    ["no JSON object at all", null],
    ["a list", [{ invoke_url: INVOKE_URL }]],
    ["a string", INVOKE_URL],
  ])("reads %s as holding no outputs", (_what, parsed) => {
    expect(thrown(() => pickStackOutputs(parsed, ["invoke_url"], "o.json")).message).toMatch(/^outputs file o\.json: invoke_url is missing, expected /);
  });

  it("reads a `pipeline` key that is not an object as an output of that name, not as the stack's outputs", () => {
    expect(pickStackOutputs({ pipeline: "x", region: "eu-west-1" }, ["region"], "o.json")).toEqual({ region: "eu-west-1" });
  });

  it.each([
    ["invoke_url", "ftp://x.example/prod"],
    ["invoke_url", ` ${INVOKE_URL}`],
    ["invoke_url", `${INVOKE_URL} x`],
    ["invoke_url", "https://"],
    ["kafka_cli_version", "3.8"],
    ["kafka_cli_version", "v3.8.1"],
    ["kafka_cli_version", "3.8.1-rc1"],
    ["msk_kafka_version", "3.7.x"],
    ["dashboard_url", "http://console.aws.amazon.com/cloudwatch"],
    ["dashboard_url", "https://console.aws.amazon.com/cloudwatch x"],
    ["api_auth", "sigv4"],
    ["api_exposure", "internal"],
    ["topic_partitions", 1.5],
    ["topics", [""]],
    ["region", ""],
  ] as const)("refuses %s = %j", (name, value) => {
    expect(thrown(() => pickStackOutputs({ [name]: value }, [name], "o.json")).message).toBe(
      `outputs file o.json: ${name} is ${JSON.stringify(value)}, expected ${outputDescription(name)} (re-run npx cdktf deploy --outputs-file o.json)`,
    );
  });

  it.each([
    ["invoke_url", "http://127.0.0.1:8080/prod"],
    ["kafka_cli_version", "3.9.1"],
    ["msk_kafka_version", "3.9.x"],
    ["dashboard_url", "https://console.aws.amazon.com/cloudwatch/home#dashboards:name=abc"],
    ["topic_partitions", 1],
    ["topics", ["abc.pin"]],
  ] as const)("accepts %s = %j", (name, value) => {
    expect(pickStackOutputs({ [name]: value }, [name], "o.json")).toEqual({ [name]: value });
  });
});
