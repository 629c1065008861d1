import { join } from "node:path";
import { AWS_PROVIDER_VERSION } from "../../scripts/lib/offline-plan";
import { type CheckInfo, type CheckResult, ok, warn } from "../check";

export const PROVIDER_MIRROR: CheckInfo = { id: "local.provider-mirror", title: "aws provider for plan and deploy" };

/** Where plan:offline expects the provider: the same path scripts/lib/offline-plan.ts tests. */
export function providerMirrorDir(pluginMirror: string): string {
  return join(pluginMirror, "registry.terraform.io", "hashicorp", "aws", AWS_PROVIDER_VERSION);
}

/**
 * plan:offline needs hashicorp/aws in the filesystem mirror; cdktf deploy can also download it from
 * registry.terraform.io, which doctor cannot verify without a network call, hence only a warning.
 */
export function checkProviderMirror(pluginMirror: string, mirrorExists: boolean): CheckResult {
  const dir = providerMirrorDir(pluginMirror);
  if (mirrorExists) return ok(PROVIDER_MIRROR, `hashicorp/aws ${AWS_PROVIDER_VERSION} in the plugin mirror ${dir}`);
  return warn(
    PROVIDER_MIRROR,
    `hashicorp/aws ${AWS_PROVIDER_VERSION} is not in the plugin mirror ${dir}: plan:offline cannot run, and deploy must download it from registry.terraform.io`,
    `on a machine with registry access run  terraform providers mirror ${pluginMirror}  in a directory requiring hashicorp/aws ${AWS_PROVIDER_VERSION} (or set TF_PLUGIN_MIRROR to an existing mirror)`,
  );
}
