import { createHash } from "node:crypto";
import { openSshKeyParts } from "../../lib/placeholders";

/** `SHA256:...` as `ssh-keygen -lf` prints it, so users can compare with their own tools. */
export function openSshFingerprint(publicKey: string): string {
  const body = openSshKeyParts(publicKey)?.[1] ?? "";
  return `SHA256:${createHash("sha256").update(Buffer.from(body, "base64")).digest("base64").replace(/=+$/, "")}`;
}
