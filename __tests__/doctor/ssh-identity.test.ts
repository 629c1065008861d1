import { afterAll, describe, expect, it } from "vitest";
import { checkSshIdentity } from "../../doctor/local/ssh-identity";
import { openSshFingerprint } from "../../doctor/local/ssh-keys";
import { scratchDir, sshKeyPair } from "./support";

const scratch = scratchDir("doctor-ssh-");
afterAll(scratch.cleanup);
const mine = sshKeyPair(scratch.dir, "mine");
const other = sshKeyPair(scratch.dir, "other");
const locked = sshKeyPair(scratch.dir, "locked", "correct horse");

describe("local.ssh-identity", () => {
  it("passes when the private key derives the configured public key", () => {
    const result = checkSshIdentity({ identityPath: mine.path, identity: mine.privateKey, agentAvailable: false, configuredPublicKey: mine.publicKey });
    expect(result).toMatchObject({ id: "local.ssh-identity", status: "ok", message: `${mine.path} matches clientHost.sshPublicKey (${openSshFingerprint(mine.publicKey)})` });
  });

  it("fails when the private key belongs to another public key, naming both fingerprints", () => {
    const result = checkSshIdentity({ identityPath: other.path, identity: other.privateKey, agentAvailable: false, configuredPublicKey: mine.publicKey });
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`${other.path} is key ${openSshFingerprint(other.publicKey)}, but clientHost.sshPublicKey is ${openSshFingerprint(mine.publicKey)}: provision could not log in`);
  });

  it("warns that a passphrase-protected key cannot be checked", () => {
    const result = checkSshIdentity({ identityPath: locked.path, identity: locked.privateKey, agentAvailable: false, configuredPublicKey: locked.publicKey });
    expect(result.status).toBe("warn");
    expect(result.message).toBe(`cannot check, ${locked.path} is passphrase-protected`);
    expect(result.fix).toContain(`ssh-keygen -y -f ${locked.path}`);
  });

  it("fails on a missing key without an agent, warns with one", () => {
    const missing = { identityPath: "/nowhere/id_ed25519", identity: undefined, configuredPublicKey: mine.publicKey };
    expect(checkSshIdentity({ ...missing, agentAvailable: false })).toMatchObject({ status: "fail", message: "/nowhere/id_ed25519 does not exist" });
    expect(checkSshIdentity({ ...missing, agentAvailable: true }).status).toBe("warn");
  });

  it("fails on a public key or a non-key file given as the identity", () => {
    expect(checkSshIdentity({ identityPath: `${mine.path}.pub`, identity: Buffer.from(mine.publicKey), agentAvailable: false, configuredPublicKey: mine.publicKey })).toMatchObject({ status: "fail", message: `${mine.path}.pub is a public key` });
    expect(checkSshIdentity({ identityPath: "/etc/hostname", identity: Buffer.from("myhost\n"), agentAvailable: false, configuredPublicKey: mine.publicKey }).message).toMatch(/^\/etc\/hostname is not an SSH private key/);
  });
});
