import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkNodeVersion } from "../../doctor/local/node-version";
import { checkProviderMirror, providerMirrorDir } from "../../doctor/local/provider-mirror";
import { checkTerraformVersion } from "../../doctor/local/terraform-version";
import { AWS_PROVIDER_VERSION } from "../../scripts/lib/offline-plan";

const AFTER_NODE_20_EOL = new Date("2026-12-02T00:00:00Z");
const BEFORE_NODE_20_EOL = new Date("2026-01-15T00:00:00Z");

describe("local.node", () => {
  it("fails below Node 20 with the install fix", () => {
    const result = checkNodeVersion("v18.20.4", AFTER_NODE_20_EOL);
    expect(result).toMatchObject({ id: "local.node", status: "fail", message: "Node v18.20.4 is older than 20" });
    expect(result.fix).toContain("Node 22 LTS");
  });

  it("warns on Node 20 once it is past its end of life, and passes it before", () => {
    const result = checkNodeVersion("v20.20.2", AFTER_NODE_20_EOL);
    expect(result.status).toBe("warn");
    expect(result.message).toContain("end of life on 2026-04-30");
    expect(checkNodeVersion("v20.20.2", BEFORE_NODE_20_EOL).status).toBe("ok");
  });

  it("passes Node 22", () => {
    expect(checkNodeVersion("v22.12.0", AFTER_NODE_20_EOL)).toEqual({ id: "local.node", title: "Node.js version", status: "ok", message: "Node v22.12.0" });
  });
});

describe("local.terraform", () => {
  it("fails when terraform cannot run, naming the binary", () => {
    const result = checkTerraformVersion("terraform", { error: "spawnSync terraform ENOENT" });
    expect(result.status).toBe("fail");
    expect(result.message).toBe('"terraform" is not runnable: spawnSync terraform ENOENT');
    expect(result.fix).toContain("TERRAFORM_BINARY_NAME");
  });

  it("fails below 1.5 and on output that is not terraform's", () => {
    expect(checkTerraformVersion("terraform", { stdout: '{"terraform_version":"1.4.7","platform":"linux_amd64"}' })).toMatchObject({ status: "fail", message: "Terraform 1.4.7 is older than 1.5" });
    expect(checkTerraformVersion("tofu-ish", { stdout: "Usage: something" })).toMatchObject({ status: "fail", message: '"tofu-ish" printed no version (is it Terraform?)' });
  });

  it("passes 1.5 and later", () => {
    expect(checkTerraformVersion("terraform", { stdout: '{"terraform_version":"1.11.4","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}' })).toMatchObject({
      status: "ok",
      message: "Terraform 1.11.4 (terraform)",
    });
    expect(checkTerraformVersion("terraform", { stdout: '{"terraform_version":"1.5.0"}' }).status).toBe("ok");
  });
});

describe("local.provider-mirror", () => {
  it("looks where plan:offline looks", () => {
    expect(providerMirrorDir("/opt/tf-plugins")).toBe(join("/opt/tf-plugins", "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION));
  });

  it("warns, not fails, when only the registry can provide the provider", () => {
    const result = checkProviderMirror("/nowhere", false);
    expect(result.status).toBe("warn");
    expect(result.message).toContain(`hashicorp/aws ${AWS_PROVIDER_VERSION} is not in the plugin mirror /nowhere/registry.terraform.io/hashicorp/aws/${AWS_PROVIDER_VERSION}`);
    expect(result.fix).toContain("terraform providers mirror /nowhere");
  });

  it("passes when the mirror holds the provider", () => {
    expect(checkProviderMirror("/opt/tf-plugins", true).status).toBe("ok");
  });
});
