/**
 * Host key verification against an OpenSSH-format known_hosts file of the project's own.
 *
 * Lines are `patterns keytype base64 [comment]`, patterns being comma-separated host names,
 * `[host]:port` for non-default ports, hashed `|1|salt|hmac` entries (as `ssh-keyscan -H` and
 * HashKnownHosts write them), `*`/`?` wildcards and `!` negations; `@revoked` marks a key that
 * is refused everywhere. Unknown hosts are refused unless the caller accepts them on first use;
 * a changed key is always refused.
 */
import { createHash, createHmac } from "node:crypto";

export interface KnownHostEntry {
  /** 1-based line number, for messages. */
  readonly line: number;
  readonly patterns: readonly string[];
  readonly keyType: string;
  readonly keyBase64: string;
  readonly marker?: "@revoked" | "@cert-authority";
}

export type HostKeyVerdict =
  | { readonly status: "known"; readonly line: number }
  | { readonly status: "unknown" }
  | { readonly status: "revoked"; readonly line: number }
  | { readonly status: "changed"; readonly line: number; readonly expected: string };

/** The name OpenSSH looks a host up by: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  return port === 22 ? host : `[${host}]:${port}`;
}

export function parseKnownHosts(text: string): KnownHostEntry[] {
  const entries: KnownHostEntry[] = [];
  text.split("\n").forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const fields = line.split(/\s+/);
    const marker = fields[0] === "@revoked" || fields[0] === "@cert-authority" ? (fields.shift() as KnownHostEntry["marker"]) : undefined;
    if (fields.length < 3) return;
    entries.push({ line: index + 1, patterns: fields[0].split(","), keyType: fields[1], keyBase64: fields[2], ...(marker ? { marker } : {}) });
  });
  return entries;
}

function matchesPattern(pattern: string, name: string): boolean {
  if (pattern.startsWith("|1|")) {
    const [, , salt, hash] = pattern.split("|");
    if (!salt || !hash) return false;
    return createHmac("sha1", Buffer.from(salt, "base64")).update(name).digest("base64") === hash;
  }
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(name);
}

/** OpenSSH semantics: any negated pattern that matches excludes the line; otherwise any positive match includes it. */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  let matched = false;
  for (const pattern of entry.patterns) {
    if (pattern.startsWith("!")) {
      if (matchesPattern(pattern.slice(1), name)) return false;
    } else if (matchesPattern(pattern, name)) {
      matched = true;
    }
  }
  return matched;
}

/** The key type named inside an SSH public key blob (its first string). */
export function keyTypeOf(blob: Buffer): string {
  const length = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + length).toString("latin1");
}

/** `SHA256:<base64 without padding>`, as `ssh-keygen -l` prints it. */
export function fingerprint(blob: Buffer): string {
  // Stryker disable next-line Regex: a SHA-256 digest in base64 always ends in exactly one "=", and only there
  return `SHA256:${createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

export function knownHostsLine(name: string, blob: Buffer): string {
  return `${name} ${keyTypeOf(blob)} ${blob.toString("base64")}`;
}

/** Compares the server's key with the file's entries for `name`. */
export function verifyHostKey(entries: readonly KnownHostEntry[], name: string, blob: Buffer): HostKeyVerdict {
  const base64 = blob.toString("base64");
  const type = keyTypeOf(blob);
  const forHost = entries.filter((entry) => entry.marker !== "@cert-authority" && entryMatches(entry, name));
  const revoked = entries.find((entry) => entry.marker === "@revoked" && entry.keyBase64 === base64);
  if (revoked) return { status: "revoked", line: revoked.line };
  const plain = forHost.filter((entry) => !entry.marker);
  const same = plain.find((entry) => entry.keyBase64 === base64);
  if (same) return { status: "known", line: same.line };
  if (plain.length === 0) return { status: "unknown" };
  const sameType = plain.find((entry) => entry.keyType === type) ?? plain[0];
  const expected = `${sameType.keyType} ${fingerprint(Buffer.from(sameType.keyBase64, "base64"))}`;
  return { status: "changed", line: sameType.line, expected };
}

/** Whether to connect to a host presenting a key, and what to record: see {@link hostKeyDecision}. */
export type HostKeyDecision = { readonly trust: true; /** The known_hosts line to append once the login succeeded. */ readonly record?: string } | { readonly trust: false; readonly problem: string };

/**
 * The security decision on the key a server presents: a known key is trusted; an unknown one only
 * when the caller accepts new keys (trust on first use), and then recorded; a changed or revoked
 * key is refused whatever the caller accepts, with the message that says why and what to do.
 */
export function hostKeyDecision(entries: readonly KnownHostEntry[], name: string, blob: Buffer, policy: { readonly acceptNew: boolean; readonly file: string }): HostKeyDecision {
  const verdict = verifyHostKey(entries, name, blob);
  if (verdict.status === "known") return { trust: true };
  if (verdict.status === "unknown" && policy.acceptNew) return { trust: true, record: knownHostsLine(name, blob) };
  return { trust: false, problem: hostKeyErrorMessage(verdict, name, blob, policy.file) };
}

/**
 * Host key algorithms to offer, known types first, so a host with an ed25519 entry is asked for
 * its ed25519 key rather than whatever the server prefers (which would look like a changed key).
 */
export function preferredHostKeyAlgorithms(entries: readonly KnownHostEntry[], name: string, supported: readonly string[]): string[] {
  const knownTypes = new Set(entries.filter((entry) => !entry.marker && entryMatches(entry, name)).map((entry) => entry.keyType));
  const algorithmType = (algorithm: string) => (algorithm === "rsa-sha2-256" || algorithm === "rsa-sha2-512" ? "ssh-rsa" : algorithm);
  return [...supported.filter((a) => knownTypes.has(algorithmType(a))), ...supported.filter((a) => !knownTypes.has(algorithmType(a)))];
}

/** A host key problem: unknown (without --accept-new-host-key), changed or revoked. */
export class HostKeyError extends Error {
  /** A failure, by the CLI convention of lib/cli-run.ts. */
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = "HostKeyError";
  }
}

export function hostKeyErrorMessage(verdict: Exclude<HostKeyVerdict, { status: "known" }>, name: string, blob: Buffer, file: string): string {
  const presented = `${keyTypeOf(blob)} ${fingerprint(blob)}`;
  switch (verdict.status) {
    case "unknown":
      return `host key of ${name} is not in ${file} (the server presented ${presented}); check that fingerprint, then re-run with --accept-new-host-key to trust it and record it`;
    case "revoked":
      return `host key of ${name} (${presented}) is marked @revoked in ${file} line ${verdict.line}; refusing to connect`;
    case "changed":
      return (
        `host key of ${name} has CHANGED: the server presented ${presented}, ${file} line ${verdict.line} has ${verdict.expected}; ` +
        `refusing to connect (someone may be intercepting the connection). If the host was rebuilt, remove the stale entry with: ssh-keygen -R '${name}' -f ${file}`
      );
  }
}
