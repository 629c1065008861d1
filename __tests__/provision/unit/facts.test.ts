/** parseOsFacts (provision/facts.ts): the OS probe's output as facts, and the hosts it refuses before any change. */
import { describe, expect, it } from "vitest";
import { UnsupportedHostError, parseOsFacts } from "../../../provision/facts";
import { SudoError } from "../../../provision/remote";

const HOST = { name: "h", user: "ec2-user" };
const probe = (lines: Record<string, string>, extra: string[] = []) => [...Object.entries(lines).map(([key, value]) => `${key}=${value}`), ...extra, ""].join("\n");
const AMAZON = { id: "amzn", id_like: "fedora", version_id: "2023", arch: "x86_64", pm: "dnf", systemd: "yes", sudo: "ok" };

describe("parseOsFacts", () => {
  it("Amazon Linux 2023 with dnf: every fact, pending handlers once each in their order", () => {
    expect(parseOsFacts(probe(AMAZON, ["pending=restart kafka-rest", "pending=daemon-reload", "pending=restart kafka-rest"]), HOST)).toEqual({
      id: "amzn",
      idLike: ["fedora"],
      versionId: "2023",
      family: "amazon",
      packageManager: "dnf",
      arch: "x86_64",
      systemd: true,
      pendingHandlers: ["restart kafka-rest", "daemon-reload"],
    });
  });

  it("Debian itself, and a distribution like Debian (Ubuntu's ID_LIKE), with apt; systemd absent", () => {
    expect(parseOsFacts(probe({ id: "debian", version_id: "12", arch: "aarch64", pm: "apt", systemd: "no", sudo: "ok" }), HOST)).toEqual({
      id: "debian",
      idLike: [],
      versionId: "12",
      family: "debian",
      packageManager: "apt",
      arch: "aarch64",
      systemd: false,
      pendingHandlers: [],
    });
    expect(parseOsFacts(probe({ id: "ubuntu", id_like: "  ubuntu   debian ", version_id: "24.04", pm: "apt", sudo: "ok" }), HOST)).toMatchObject({ idLike: ["ubuntu", "debian"], family: "debian", arch: "", systemd: false });
  });

  it.each([
    ["Amazon Linux with apt", { ...AMAZON, pm: "apt" }, "ID=amzn VERSION_ID=2023 package manager apt"],
    ["Debian with dnf", { id: "debian", version_id: "12", pm: "dnf", sudo: "ok" }, "ID=debian VERSION_ID=12 package manager dnf"],
    ["Fedora with dnf", { id: "fedora", id_like: "", version_id: "40", pm: "dnf", sudo: "ok" }, "ID=fedora VERSION_ID=40 package manager dnf"],
    ["a distribution that only mentions debian in its name", { id: "notdebian", id_like: "debianish", pm: "apt", sudo: "ok" }, "ID=notdebian VERSION_ID=? package manager apt"],
    ["nothing known", { sudo: "ok" }, "ID=? VERSION_ID=? package manager none"],
  ])("refuses %s, naming what it found", (_what, lines, found) => {
    const refuse = () => parseOsFacts(probe(lines), HOST);
    expect(refuse).toThrow(UnsupportedHostError);
    expect(refuse).toThrow(`[h] unsupported OS: ${found} (the play supports Amazon Linux 2023 with dnf and Debian-family hosts with apt)`);
  });

  it("a sudo that is not ok stops first, with what sudo said (or that it said nothing)", () => {
    expect(() => parseOsFacts(probe({ ...AMAZON, sudo: "sudo: a password is required" }), HOST)).toThrow(SudoError);
    expect(() => parseOsFacts(probe({ ...AMAZON, sudo: "sudo: a password is required" }), HOST)).toThrow("[h] sudo -n failed for user ec2-user: sudo: a password is required (fix:");
    const { sudo: _sudo, ...noSudoLine } = AMAZON;
    expect(() => parseOsFacts(probe(noSudoLine), HOST)).toThrow("[h] sudo -n failed for user ec2-user: no output (fix:");
  });

  it("the refusal error names its class and exits 1", () => {
    const error = new UnsupportedHostError("x");
    expect([error.name, error.exitCode]).toEqual(["UnsupportedHostError", 1]);
  });
});
