import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { command, describeCommand, type ExecResult, type Host, isSudoRefusal, parseKeyValues, RemoteCommandError, renderCommand, run, shellQuote, SudoError } from "../../../provision/remote";

const NASTY = [
  "",
  " ",
  "plain",
  "it's",
  "''",
  `"double"`,
  "$(id -u)",
  "`id`",
  "${HOME}",
  "a;b|c&d",
  "*",
  "?",
  "~",
  "-n",
  "--",
  "new\nline",
  "tab\there",
  "back\\slash",
  "!bang",
  "#hash",
  "unicode ✓ é",
  "=",
  "%s",
];

/** Runs the quoted command line with the real sh and returns the arguments it received. */
function roundTrip(args: readonly string[]): string[] {
  const line = command(["printf", "%s\\0", ...args]);
  const result = spawnSync("sh", ["-c", line], { encoding: "utf8" });
  expect(result.status).toBe(0);
  return result.stdout.split("\0").slice(0, -1);
}

describe("shellQuote", () => {
  it.each(NASTY)("round-trips %j through a real sh -c", (arg) => {
    expect(roundTrip([arg])).toEqual([arg]);
  });

  it("round-trips all the nasty strings as one argv", () => {
    expect(roundTrip(NASTY)).toEqual(NASTY);
  });

  it("leaves safe words bare and single-quotes the rest", () => {
    expect(shellQuote("/opt/kafka_2.13-3.8.1")).toBe("/opt/kafka_2.13-3.8.1");
    expect(shellQuote("it's")).toBe(`'it'\\''s'`);
    expect(shellQuote("")).toBe("''");
    expect(shellQuote("$x")).toBe("'$x'");
  });
});

describe("renderCommand", () => {
  it("adds sudo -n and env with LC_ALL=C before the quoted argv", () => {
    expect(renderCommand(["dnf", "-y", "install", "tar"], { sudo: true })).toBe("sudo -n env LC_ALL=C dnf -y install tar");
    expect(renderCommand(["ls", "a b"], { env: { CLASSPATH: "/opt/x y.jar" } })).toBe("env LC_ALL=C 'CLASSPATH=/opt/x y.jar' ls 'a b'");
  });

  it("passes environment values through a real shell unchanged", () => {
    const value = `a'b "c" $(d)`;
    const result = spawnSync("sh", ["-c", renderCommand(["sh", "-c", 'printf %s "$V"'], { env: { V: value } })], { encoding: "utf8" });
    expect(result.stdout).toBe(value);
  });

  it("fails on environment names a shell would not accept", () => {
    expect(() => renderCommand(["true"], { env: { "A;B": "x" } })).toThrow(/invalid environment variable name/);
  });

  it("fails on an empty argv", () => {
    expect(() => command([])).toThrow(/empty argv/);
  });
});

describe("command", () => {
  it("quotes a first word with = so the shell runs it instead of assigning a variable", () => {
    expect(command(["A=B", "x"])).toBe("'A=B' x");
    const result = spawnSync("sh", ["-c", command(["A=B"])], { encoding: "utf8" });
    expect(result.stderr).toMatch(/A=B: (not found|command not found)/);
  });
});

describe("run: how a command's outcome becomes a result or an error", () => {
  const hostAnswering = (result: ExecResult): Host => ({
    name: "h1",
    user: "ec2-user",
    exec: async () => result,
    close: async () => {},
  } as unknown as Host);

  it("returns stdout when the command exits 0", async () => {
    expect(await run(hostAnswering({ stdout: "a=1\n", stderr: "warning\n", code: 0 }), "probe", ["true"])).toBe("a=1\n");
  });

  it("a failure names host, operation, exit code, the one-line command and the last five lines of stderr (stdout when stderr is empty)", async () => {
    const stderr = ["l1", "l2", "l3", "l4", "l5", "l6", ""].join("\n");
    await expect(run(hostAnswering({ stdout: "", stderr, code: 3 }), "write file", ["sh", "-c", "set -eu\nfalse", "sh", "x y"], { sudo: true })).rejects.toThrow(
      new RemoteCommandError("h1", "write file", "sudo -n env LC_ALL=C sh -c 'set -eu ...' sh 'x y'", 3, stderr),
    );
    const error = await run(hostAnswering({ stdout: "out1\nout2\n", stderr: " \n", code: 1 }), "probe", ["false"]).catch((err: Error) => err);
    expect(error).toBeInstanceOf(RemoteCommandError);
    expect((error as Error).message).toBe("[h1] probe: command exited 1: env LC_ALL=C false: out1 | out2");
    expect(new RemoteCommandError("h1", "probe", "false", 2, "", "").message).toBe("[h1] probe: command exited 2: false");
    expect(new RemoteCommandError("h1", "probe", "false", 2, "l1\nl2\nl3\nl4\nl5\nl6").message).toBe("[h1] probe: command exited 2: false: l2 | l3 | l4 | l5 | l6");
  });

  it("a sudo refusal under sudo is a SudoError naming the user and the sudoers fix; the same text without sudo is a command failure", async () => {
    const refused = { stdout: "", stderr: "sudo: a password is required\nmore\n", code: 1 };
    const error = await run(hostAnswering(refused), "probe", ["true"], { sudo: true }).catch((err: Error) => err);
    expect(error).toBeInstanceOf(SudoError);
    expect((error as Error).message).toBe(
      '[h1] sudo -n failed for user ec2-user: sudo: a password is required (fix: give ec2-user passwordless sudo, e.g. "ec2-user ALL=(ALL) NOPASSWD: ALL" in /etc/sudoers.d/ec2-user, or connect with --user as a user that has it)',
    );
    expect(new SudoError("h1", "u", "  ").message).toContain("sudo -n failed for user u: no output (fix:");
    await expect(run(hostAnswering(refused), "probe", ["true"])).rejects.toBeInstanceOf(RemoteCommandError);
  });

  it.each([
    ["sudo: a password is required", true],
    ["sudo: a terminal is required to read the password; either use the -S option", true],
    ["ec2-user is not in the sudoers file.", false],
    ["sudo: ec2-user is not in the sudoers file.  This incident will be reported.", true],
    ["Sorry, user x is not allowed to execute '/bin/sh' as root on h.", false],
    ["sudo: sorry, user x is not allowed to execute '/bin/sh' as root", true],
    ["sudo: sorry, you must have a tty to run sudo", true],
    ["cat: /etc/x: Permission denied\nsudo: a password is required", true],
    ["mysudo: a password is required", false],
    ["", false],
  ])("isSudoRefusal(%j) is %s", (stderr, refused) => {
    expect(isSudoRefusal(stderr)).toBe(refused);
  });
});

describe("parseKeyValues: the fact probes' output", () => {
  it("splits at the first =, keeps = inside values, lets later keys win and skips lines without a key", () => {
    expect([...parseKeyValues("a=1\nb=x=y\n=nokey\nplain line\na=2\nempty=\n")]).toEqual([
      ["a", "2"],
      ["b", "x=y"],
      ["empty", ""],
    ]);
  });
});

describe("describeCommand: commands in messages", () => {
  it("shortens each multi-line argument to its first line and ...", () => {
    expect(describeCommand(["sh", "-c", "set -eu\nrm -rf /x", "sh", "a\nb"], { sudo: true })).toBe("sudo -n env LC_ALL=C sh -c 'set -eu ...' sh 'a ...'");
    expect(describeCommand(["echo", "one line"])).toBe("env LC_ALL=C echo 'one line'");
  });
});
