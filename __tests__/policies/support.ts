/** Minimal real stacks for the policy rule tests: real provider classes, synthesized by cdktf. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { MskClusterConfig } from "@cdktf/provider-aws/lib/msk-cluster";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { afterAll } from "vitest";
import { TerraformStack, Testing } from "../../lib/cdktf";
import type { PolicyRule, TerraformJson } from "../../constructs/policies";

let outdir: string | undefined;
afterAll(() => {
  if (outdir !== undefined) rmSync(outdir, { recursive: true, force: true });
  outdir = undefined;
});

/** A fresh stack with the AWS provider, in an app whose output folder is removed after the file's tests. */
export function newStack(): TerraformStack {
  outdir ??= mkdtempSync(join(tmpdir(), "policy-tests-"));
  const stack = new TerraformStack(Testing.app({ outdir }), "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return stack;
}

/** The stack as Terraform JSON, exactly as `cdktf synth` would write it (minus metadata). */
export function synthesize(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

/** Builds a stack and returns the messages of one rule's findings on it. */
export function findings(rule: PolicyRule, build: (stack: TerraformStack) => void): string[] {
  const stack = newStack();
  build(stack);
  return rule.check(synthesize(stack)).map((f) => f.message);
}

/** The arguments every `MskCluster` needs, without the settings the MSK rules look at. */
export const MSK_REQUIRED: MskClusterConfig = {
  clusterName: "pipeline",
  kafkaVersion: "3.8.x",
  numberOfBrokerNodes: 2,
  brokerNodeGroupInfo: { clientSubnets: ["subnet-a", "subnet-b"], instanceType: "kafka.t3.small", securityGroups: ["sg-msk"] },
};
