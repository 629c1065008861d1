import { spawnSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { command, renderCommand, shellQuote } from "../../../provision/remote";

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
