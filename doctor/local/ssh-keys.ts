import { createHash } from "node:crypto";

/** The `type base64` of an OpenSSH public key line, without its comment. */
function keyParts(publicKey: string): [string, string] | undefined {
  const [type, body] = publicKey.trim().split(/\s+/);
  return type && body ? [type, body] : undefined;
}

/** Compares key type and body only: the comment may differ in a copy. */
export function sameOpenSshPublicKey(a: string, b: string): boolean {
  const [pa, pb] = [keyParts(a), keyParts(b)];
  return pa !== undefined && pb !== undefined && pa[0] === pb[0] && pa[1] === pb[1];
}

/** `SHA256:...` as `ssh-keygen -lf` prints it, so users can compare with their own tools. */
export function openSshFingerprint(publicKey: string): string {
  const body = keyParts(publicKey)?.[1] ?? "";
  return `SHA256:${createHash("sha256").update(Buffer.from(body, "base64")).digest("base64").replace(/=+$/, "")}`;
}
