import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { checkSshCidrPlaceholders, checkSshKeyPlaceholder, checkUserIdPlaceholder } from "../../doctor/local/placeholders";
import { openSshFingerprint } from "../../doctor/local/ssh-keys";
import { sameOpenSshPublicKey } from "../../lib/placeholders";
import { REPO_ROOT } from "../support/paths";

const EXAMPLE_KEY = { path: "example-keys/operator.pub", publicKey: readFileSync(join(REPO_ROOT, "example-keys", "operator.pub"), "utf8") };
const OWN_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICXrHNt+TUsHYrTxU54/w+WOaaaaaaaaaaaaaaaaaaaa me@laptop";

describe("config.user-id", () => {
  it("fails on the example's userId", () => {
    const result = checkUserIdPlaceholder("0a1b2c3d4e5f", "0a1b2c3d4e5f");
    expect(result).toMatchObject({ id: "config.user-id", status: "fail", message: 'userId "0a1b2c3d4e5f" is the example\'s placeholder' });
    expect(result.fix).toContain("AiCore user id");
  });

  it("passes any other userId", () => {
    expect(checkUserIdPlaceholder("12a3b4c5d6e7", "0a1b2c3d4e5f").status).toBe("ok");
  });
});

describe("config.ssh-cidrs", () => {
  it.each([["203.0.113.10/32"], ["192.0.2.0/24"], ["198.51.100.7/32"], ["2001:db8::1/128"]])("fails on the documentation range %s", (cidr) => {
    const result = checkSshCidrPlaceholders(["81.2.69.160/32", cidr]);
    expect(result.status).toBe("fail");
    expect(result.message).toBe(`clientHost.sshAllowedCidrs ${cidr} is a documentation-only range: SSH and provisioning would be refused`);
    expect(result.fix).toContain("x.x.x.x/32");
  });

  it("names every placeholder at once", () => {
    expect(checkSshCidrPlaceholders(["203.0.113.10/32", "192.0.2.4/32"]).message).toBe("clientHost.sshAllowedCidrs 203.0.113.10/32, 192.0.2.4/32 are documentation-only ranges: SSH and provisioning would be refused");
  });

  it("passes real addresses, including neighbours of the documentation ranges", () => {
    expect(checkSshCidrPlaceholders(["81.2.69.160/32", "203.0.114.0/24", "2001:db9::/32"]).status).toBe("ok");
  });
});

describe("config.ssh-key", () => {
  it("fails on the repository's example key, whatever its comment", () => {
    const copy = EXAMPLE_KEY.publicKey.trim().replace(/operator@example$/, "someone-else");
    const result = checkSshKeyPlaceholder(copy, [EXAMPLE_KEY]);
    expect(result.status).toBe("fail");
    expect(result.message).toContain("is the example key example-keys/operator.pub");
    expect(result.fix).toContain("ssh-keygen -t ed25519");
  });

  it("passes a key of one's own and prints its fingerprint as ssh-keygen -l does", () => {
    const result = checkSshKeyPlaceholder(OWN_KEY, [EXAMPLE_KEY]);
    expect(result.status).toBe("ok");
    expect(result.message).toBe(`clientHost.sshPublicKey ${openSshFingerprint(OWN_KEY)}, not an example key`);
    expect(openSshFingerprint(EXAMPLE_KEY.publicKey)).toBe("SHA256:s1fsC0rNUJ2berknkwVIiGofOKF4zgbcfRvePXrP35M");
  });

  it("compares type and body, not the comment", () => {
    expect(sameOpenSshPublicKey("ssh-ed25519 AAAA a", "ssh-ed25519 AAAA b")).toBe(true);
    expect(sameOpenSshPublicKey("ssh-ed25519 AAAA a", "ssh-rsa AAAA a")).toBe(false);
    expect(sameOpenSshPublicKey("ssh-ed25519", "ssh-ed25519")).toBe(false);
  });
});
