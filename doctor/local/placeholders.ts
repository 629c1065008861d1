/**
 * Values copied from pipeline.example.yaml that must not reach a deploy: they synthesize and plan
 * fine, then produce a stack nobody can reach (a documentation address range in the SSH rule, the
 * example key) or names that belong to someone else (the example userId).
 */
import { documentationRangeOf, sameOpenSshPublicKey } from "../../lib/placeholders";
import { type CheckInfo, type CheckResult, fail, ok } from "../check";
import { openSshFingerprint } from "./ssh-keys";

export const USER_ID_PLACEHOLDER: CheckInfo = { id: "config.user-id", title: "userId is not the example's" };
export const SSH_CIDR_PLACEHOLDER: CheckInfo = { id: "config.ssh-cidrs", title: "SSH allowed ranges are real addresses" };
export const SSH_KEY_PLACEHOLDER: CheckInfo = { id: "config.ssh-key", title: "SSH public key is not the example key" };

export function checkUserIdPlaceholder(userId: string, exampleUserId: string): CheckResult {
  if (userId === exampleUserId) {
    return fail(USER_ID_PLACEHOLDER, `userId ${JSON.stringify(userId)} is the example's placeholder`, 'set userId to your AiCore user id in quotes, e.g. userId: "1a2b3c4d5e6f"');
  }
  return ok(USER_ID_PLACEHOLDER, `userId ${JSON.stringify(userId)}`);
}

/** Fails on every block whose network address lies in a documentation range (a /32 inside 203.0.113.0/24 as much as the /24 itself). */
export function checkSshCidrPlaceholders(cidrs: readonly string[]): CheckResult {
  const placeholders = cidrs.filter((cidr) => documentationRangeOf(cidr) !== undefined);
  if (placeholders.length > 0) {
    return fail(
      SSH_CIDR_PLACEHOLDER,
      `clientHost.sshAllowedCidrs ${placeholders.join(", ")} ${placeholders.length === 1 ? "is a documentation-only range" : "are documentation-only ranges"}: SSH and provisioning would be refused`,
      "replace it with your public address as x.x.x.x/32 (curl -s https://checkip.amazonaws.com)",
    );
  }
  return ok(SSH_CIDR_PLACEHOLDER, `clientHost.sshAllowedCidrs ${cidrs.join(", ")}`);
}

/** An example public key shipped with the repository, by the path it was read from. */
export interface ExampleKey {
  readonly path: string;
  readonly publicKey: string;
}

export function checkSshKeyPlaceholder(configuredKey: string, exampleKeys: readonly ExampleKey[]): CheckResult {
  const example = exampleKeys.find((key) => sameOpenSshPublicKey(key.publicKey, configuredKey));
  if (example) {
    return fail(
      SSH_KEY_PLACEHOLDER,
      `clientHost.sshPublicKey is the example key ${example.path}: nobody has its private key, so the host would be unreachable`,
      "create your own key with  ssh-keygen -t ed25519  and set clientHost.sshPublicKey: ~/.ssh/id_ed25519.pub",
    );
  }
  return ok(SSH_KEY_PLACEHOLDER, `clientHost.sshPublicKey ${openSshFingerprint(configuredKey)}, not an example key`);
}
