import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import {
  HostKeyError,
  entryMatches,
  fingerprint,
  hostKeyDecision,
  hostKeyErrorMessage,
  keyTypeOf,
  knownHostsLine,
  knownHostsName,
  parseKnownHosts,
  preferredHostKeyAlgorithms,
  verifyHostKey,
} from "../../../provision/known-hosts";

const dir = mkdtempSync(join(tmpdir(), "known-hosts-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A real key pair from ssh-keygen; returns the public key blob and the .pub path. */
function realKey(name: string, type: "ed25519" | "ecdsa" | "rsa"): { blob: Buffer; pub: string } {
  const path = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", type, ...(type === "rsa" ? ["-b", "2048"] : []), "-N", "", "-f", path]);
  const pub = `${path}.pub`;
  return { blob: Buffer.from(readFileSync(pub, "utf8").split(" ")[1], "base64"), pub };
}

const server = realKey("server", "ed25519");
const rebuilt = realKey("rebuilt", "ed25519");
const serverRsa = realKey("server-rsa", "rsa");
const NAME = "[127.0.0.1]:2222";

describe("known_hosts names and keys", () => {
  it("names hosts the way OpenSSH does", () => {
    expect(knownHostsName("ec2-1-2-3-4.compute.amazonaws.com", 22)).toBe("ec2-1-2-3-4.compute.amazonaws.com");
    expect(knownHostsName("127.0.0.1", 2222)).toBe("[127.0.0.1]:2222");
  });

  it("reads the key type from the blob and fingerprints like ssh-keygen -l", () => {
    expect(keyTypeOf(server.blob)).toBe("ssh-ed25519");
    expect(keyTypeOf(serverRsa.blob)).toBe("ssh-rsa");
    const sshKeygen = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", server.pub], { encoding: "utf8" }).split(" ")[1];
    expect(fingerprint(server.blob)).toBe(sshKeygen);
  });

  it("writes lines ssh-keygen can find again", () => {
    const file = join(dir, "written_hosts");
    writeFileSync(file, `${knownHostsLine(NAME, server.blob)}\n`);
    const found = execFileSync("ssh-keygen", ["-F", NAME, "-f", file], { encoding: "utf8" });
    expect(found).toContain(server.blob.toString("base64"));
  });
});

describe("verifyHostKey", () => {
  const line = (name: string, blob: Buffer) => knownHostsLine(name, blob);
  // the texts are built inside the test, and the titles name the case and the verdict only: the keys are
  // generated per run, so a title with a key in it would differ between mutation testing's runs
  it.each([
    ["an empty file", "unknown", (): string => ""],
    ["another host's entry", "unknown", (): string => line("[127.0.0.1]:2223", server.blob)],
    ["the same key", "known", (): string => line(NAME, server.blob)],
    ["the same key among other hosts and comments", "known", (): string => `# comment\n\n${line("other", rebuilt.blob)}\n${line(NAME, server.blob)}`],
    ["a different key of the same type", "changed", (): string => line(NAME, rebuilt.blob)],
    ["only a key of another type", "changed", (): string => line(NAME, serverRsa.blob)],
    ["a wildcard entry", "known", (): string => line("[127.0.0.*]:2222", server.blob)],
    ["a negated pattern", "unknown", (): string => `!${NAME},[127.0.0.*]:2222 ssh-ed25519 ${server.blob.toString("base64")}`],
    ["a revoked key", "revoked", (): string => `@revoked * ssh-ed25519 ${server.blob.toString("base64")}\n${line(NAME, server.blob)}`],
  ] as const)("%s → %s", (_label, status, text) => {
    expect(verifyHostKey(parseKnownHosts(text()), NAME, server.blob).status).toBe(status);
  });

  it("matches hashed entries written by ssh-keygen -H", () => {
    const file = join(dir, "hashed_hosts");
    writeFileSync(file, `${line(NAME, server.blob)}\n`);
    execFileSync("ssh-keygen", ["-H", "-f", file], { stdio: "ignore" });
    const text = readFileSync(file, "utf8");
    expect(text).toMatch(/^\|1\|/);
    const entries = parseKnownHosts(text);
    expect(entryMatches(entries[0], NAME)).toBe(true);
    expect(entryMatches(entries[0], "[127.0.0.1]:2223")).toBe(false);
    expect(verifyHostKey(entries, NAME, server.blob).status).toBe("known");
    expect(verifyHostKey(entries, NAME, rebuilt.blob).status).toBe("changed");
  });

  it("reports the line and the expected fingerprint of a changed key", () => {
    const verdict = verifyHostKey(parseKnownHosts(`${line("x", serverRsa.blob)}\n${line(NAME, rebuilt.blob)}\n`), NAME, server.blob);
    expect(verdict).toEqual({ status: "changed", line: 2, expected: `ssh-ed25519 ${fingerprint(rebuilt.blob)}` });
  });
});

describe("hostKeyDecision: the accept-or-refuse decision of provision/ssh.ts", () => {
  const FILE = ".provision/known_hosts";
  const decide = (text: string, acceptNew: boolean, blob = server.blob) => hostKeyDecision(parseKnownHosts(text), NAME, blob, { acceptNew, file: FILE });
  const known = () => knownHostsLine(NAME, server.blob);

  it("trusts a known key and records nothing, whether or not new keys are accepted", () => {
    expect(decide(known(), false)).toEqual({ trust: true });
    expect(decide(known(), true)).toEqual({ trust: true });
  });

  it("refuses an unknown key by default, with the message that names the fingerprint and the flag", () => {
    expect(decide("", false)).toEqual({ trust: false, problem: hostKeyErrorMessage({ status: "unknown" }, NAME, server.blob, FILE) });
  });

  it("trusts an unknown key on first use only when asked, and returns the exact line to record", () => {
    expect(decide(knownHostsLine("other-host", rebuilt.blob), true)).toEqual({ trust: true, record: `${NAME} ssh-ed25519 ${server.blob.toString("base64")}` });
  });

  it("refuses a changed key even when new keys are accepted (accepting would hide an interception)", () => {
    const changed = knownHostsLine(NAME, rebuilt.blob);
    const expected = { trust: false, problem: hostKeyErrorMessage({ status: "changed", line: 1, expected: `ssh-ed25519 ${fingerprint(rebuilt.blob)}` }, NAME, server.blob, FILE) };
    expect(decide(changed, true)).toEqual(expected);
    expect(decide(changed, false)).toEqual(expected);
  });

  it("refuses a revoked key even when it is also listed as known and new keys are accepted", () => {
    const text = `${known}
@revoked * ssh-ed25519 ${server.blob.toString("base64")}`;
    expect(decide(text, true)).toEqual({ trust: false, problem: hostKeyErrorMessage({ status: "revoked", line: 2 }, NAME, server.blob, FILE) });
  });
});

describe("host key messages", () => {
  it("a changed key names the file, both fingerprints and the ssh-keygen -R fix", () => {
    const message = hostKeyErrorMessage({ status: "changed", line: 3, expected: "ssh-ed25519 SHA256:old" }, NAME, server.blob, ".provision/known_hosts");
    expect(message).toBe(
      `host key of [127.0.0.1]:2222 has CHANGED: the server presented ssh-ed25519 ${fingerprint(server.blob)}, .provision/known_hosts line 3 has ssh-ed25519 SHA256:old; ` +
        `refusing to connect (someone may be intercepting the connection). If the host was rebuilt, remove the stale entry with: ssh-keygen -R '[127.0.0.1]:2222' -f .provision/known_hosts`,
    );
  });

  it("an unknown key names the fingerprint and --accept-new-host-key", () => {
    const message = hostKeyErrorMessage({ status: "unknown" }, NAME, server.blob, ".provision/known_hosts");
    expect(message).toContain(fingerprint(server.blob));
    expect(message).toContain("--accept-new-host-key");
    expect(message).not.toContain("\n");
  });
});

describe("preferredHostKeyAlgorithms", () => {
  const supported = ["ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];
  it("asks for the key types known_hosts has for this host first", () => {
    const entries = parseKnownHosts(knownHostsLine(NAME, serverRsa.blob));
    expect(preferredHostKeyAlgorithms(entries, NAME, supported)).toEqual(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa", "ssh-ed25519", "ecdsa-sha2-nistp256"]);
  });
  it("keeps the default order for an unknown host", () => {
    expect(preferredHostKeyAlgorithms([], NAME, supported)).toEqual(supported);
  });
});

describe("parseKnownHosts and entryMatches: OpenSSH's file format", () => {
  it("skips blank lines, comments (indented too) and lines of fewer than three fields, numbering lines from 1", () => {
    const text = ["# comment", "", "   # indented comment", "only-two ssh-ed25519", "  host1,host2\tssh-ed25519   AAAA  trailing comment  ", "@revoked * ssh-rsa BBBB", "@cert-authority *.example.com ssh-ed25519 CCCC", "@revoked short", ""].join("\n");
    expect(parseKnownHosts(text)).toEqual([
      { line: 5, patterns: ["host1", "host2"], keyType: "ssh-ed25519", keyBase64: "AAAA" },
      { line: 6, patterns: ["*"], keyType: "ssh-rsa", keyBase64: "BBBB", marker: "@revoked" },
      { line: 7, patterns: ["*.example.com"], keyType: "ssh-ed25519", keyBase64: "CCCC", marker: "@cert-authority" },
    ]);
  });

  it("a # inside a line does not make it a comment", () => {
    expect(parseKnownHosts("host# ssh-ed25519 AAAA")).toEqual([{ line: 1, patterns: ["host#"], keyType: "ssh-ed25519", keyBase64: "AAAA" }]);
  });

  const entry = (patterns: string[]) => ({ line: 1, patterns, keyType: "ssh-ed25519", keyBase64: "AAAA" });

  it.each([
    ["a literal name", ["db.example.com"], "db.example.com", true],
    ["any case", ["DB.Example.com"], "db.example.com", true],
    ["a dot is not a wildcard", ["db.example.com"], "dbxexample.com", false],
    ["a plus is literal", ["a+b"], "aab", false],
    ["brackets and the port are literal", ["[10.0.0.1]:2222"], "[10.0.0.1]:2222", true],
    ["another port", ["[10.0.0.1]:2222"], "[10.0.0.1]:2223", false],
    ["* spans any run of characters", ["*.example.com"], "a.b.example.com", true],
    ["? is exactly one character", ["10.0.0.?"], "10.0.0.12", false],
    ["? matches one", ["10.0.0.?"], "10.0.0.7", true],
    ["the whole name, not a part of it", ["example"], "example.com", false],
    ["the whole name, not its end", ["example.com"], "db.example.com", false],
    ["any of a list", ["a", "b"], "b", true],
    ["a negation excludes even when another pattern matches", ["*", "!secret"], "secret", false],
    ["a negation alone includes nothing", ["!secret"], "other", false],
    ["a hashed entry without a hash", ["|1|c2FsdA==|"], "host", false],
    ["a hashed entry without a salt", ["|1||aGFzaA=="], "host", false],
  ] as const)("%s", (_what, patterns, name, matches) => {
    expect(entryMatches(entry([...patterns]), name)).toBe(matches);
  });
});

describe("what only plain entries for the host decide", () => {
  it("a @cert-authority line with the host's key does not make the key known", () => {
    const entries = parseKnownHosts(`@cert-authority ${NAME} ssh-ed25519 ${server.blob.toString("base64")}`);
    expect(verifyHostKey(entries, NAME, server.blob)).toEqual({ status: "unknown" });
    expect(preferredHostKeyAlgorithms(parseKnownHosts(`@cert-authority ${NAME} ssh-rsa ${serverRsa.blob.toString("base64")}`), NAME, ["ssh-ed25519", "ssh-rsa"])).toEqual(["ssh-ed25519", "ssh-rsa"]);
  });

  it("a changed key is compared with the entry of its own type, whichever line comes first", () => {
    const text = `${knownHostsLine(NAME, serverRsa.blob)}\n${knownHostsLine(NAME, rebuilt.blob)}\n`;
    expect(verifyHostKey(parseKnownHosts(text), NAME, server.blob)).toEqual({ status: "changed", line: 2, expected: `ssh-ed25519 ${fingerprint(rebuilt.blob)}` });
    // with no entry of its type, the first entry for the host is the one named
    expect(verifyHostKey(parseKnownHosts(`${knownHostsLine("other", rebuilt.blob)}\n${knownHostsLine(NAME, serverRsa.blob)}\n`), NAME, server.blob)).toEqual({
      status: "changed",
      line: 2,
      expected: `ssh-rsa ${fingerprint(serverRsa.blob)}`,
    });
  });

  // stricter than OpenSSH, which reads only the lines that match the host: a revoked key is compromised wherever it is listed
  it("a key revoked for any host is refused, even from a line for other hosts", () => {
    expect(verifyHostKey(parseKnownHosts(`@revoked other-host ssh-ed25519 ${server.blob.toString("base64")}`), NAME, server.blob)).toEqual({ status: "revoked", line: 1 });
  });
});

describe("HostKeyError", () => {
  it("names itself and exits 1 by the CLI convention", () => {
    const error = new HostKeyError("changed");
    expect([error.name, error.message, error.exitCode]).toEqual(["HostKeyError", "changed", 1]);
  });
});
