/** synthesizePipeline, the one synth path of main.ts and the commands: where it writes, what it returns, how a finding fails it. */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { synthesizePipeline } from "../../constructs/pipeline-stack";
import { CommandFailure } from "../../lib/cli-run";
import { STACK_ID } from "../../lib/contract";
import { exampleConfig, scratchDir } from "./helpers";

const scratches: (() => void)[] = [];
function scratch(): string {
  const { dir, cleanup } = scratchDir("infra-synthesize-");
  scratches.push(cleanup);
  return dir;
}
afterEach(() => {
  vi.unstubAllEnvs();
  for (const cleanup of scratches.splice(0)) cleanup();
});

describe("synthesizePipeline", () => {
  it("writes the stack under <outdir>/stacks/<stack id> and returns that directory and its cdk.tf.json, parsed", () => {
    const outdir = scratch();
    const { stack, stackDir, terraform } = synthesizePipeline(exampleConfig(), outdir);
    expect(stackDir).toBe(join(outdir, "stacks", STACK_ID));
    expect(terraform).toEqual(JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")));
    expect(Object.keys(terraform.resource ?? {})).toContain("aws_msk_cluster");
    expect(stack.node.id).toBe(STACK_ID);
  });

  it("without an outdir, writes where cdktf would ($CDKTF_OUTDIR)", () => {
    const outdir = scratch();
    vi.stubEnv("CDKTF_OUTDIR", outdir);
    const { stackDir } = synthesizePipeline(exampleConfig());
    expect(stackDir).toBe(join(outdir, "stacks", STACK_ID));
    expect(existsSync(join(stackDir, "cdk.tf.json"))).toBe(true);
  });

  it("a policy finding is a CommandFailure naming the rule and the resource, not a crash", () => {
    const config = exampleConfig();
    // what the config loader refuses, built past it to reach the synth-time check
    const open = { ...config, clientHost: { ...config.clientHost, sshAllowedCidrs: ["0.0.0.0/0"] } };
    const outdir = scratch();
    let failure: unknown;
    try {
      synthesizePipeline(open, outdir);
    } catch (err) {
      failure = err;
    }
    expect(failure).toBeInstanceOf(CommandFailure);
    expect((failure as Error).message).toContain("[ec2-no-ssh-from-anywhere] aws_vpc_security_group_ingress_rule.network_client-ssh-0_");
    expect(existsSync(join(outdir, "stacks", STACK_ID, "cdk.tf.json"))).toBe(false);
  });
});
