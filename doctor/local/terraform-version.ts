import { type CheckInfo, type CheckResult, fail, ok } from "../check";

export const TERRAFORM_VERSION: CheckInfo = { id: "local.terraform", title: "Terraform version" };

/** cdktf's moveTo/moved blocks (refactoring without replacing resources) need Terraform 1.5 or later. */
const MINIMUM: readonly [number, number] = [1, 5];
const INSTALL = "install Terraform >= 1.5 from https://developer.hashicorp.com/terraform/install and put it on PATH, or set TERRAFORM_BINARY_NAME";

/** What running `<terraform> version -json` gave: its stdout, or why it could not run. */
export type TerraformProbe = { readonly stdout: string } | { readonly error: string };

/** Checks the output of `terraform version -json` (`{"terraform_version":"1.11.4",...}`). */
export function checkTerraformVersion(binary: string, probe: TerraformProbe): CheckResult {
  if ("error" in probe) return fail(TERRAFORM_VERSION, `${JSON.stringify(binary)} is not runnable: ${probe.error}`, INSTALL);
  let version: unknown;
  try {
    version = (JSON.parse(probe.stdout) as { terraform_version?: unknown }).terraform_version;
  } catch {
    version = undefined;
  }
  const match = typeof version === "string" ? /^(\d+)\.(\d+)\.\d+/.exec(version) : null;
  if (!match) return fail(TERRAFORM_VERSION, `${JSON.stringify(binary)} printed no version (is it Terraform?)`, INSTALL);
  const [major, minor] = [Number(match[1]), Number(match[2])];
  if (major < MINIMUM[0] || (major === MINIMUM[0] && minor < MINIMUM[1])) {
    return fail(TERRAFORM_VERSION, `Terraform ${String(version)} is older than ${MINIMUM.join(".")}`, INSTALL);
  }
  return ok(TERRAFORM_VERSION, `Terraform ${String(version)} (${binary})`);
}
