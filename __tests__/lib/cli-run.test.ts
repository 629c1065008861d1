/** lib/cli-run: exit codes, the error line and the no-stack-trace rule every command follows. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CommandFailure, errorText, EXIT, exitCodeOf, runCli } from "../../lib/cli-run";
import { REPO_ROOT } from "../support/paths";

class ActionableError extends Error {
  readonly exitCode = 2;
}

describe("EXIT", () => {
  it("has the codes of the README's exit-code table, each with its meaning", () => {
    const readme = readFileSync(join(REPO_ROOT, "README.md"), "utf8").split("\n");
    const header = readme.indexOf("| code | meaning |");
    expect(header).toBeGreaterThan(0);
    const after = readme.slice(header + 2);
    const rows = after.slice(0, after.findIndex((line) => !line.startsWith("| ")));
    const documented = new Map(rows.map((row) => { const [, code, meaning] = row.split("|").map((cell) => cell.trim()); return [Number(code), meaning] as const; }));
    expect([...documented.keys()]).toEqual([0, 1, 2, 3]);
    expect(Object.keys(EXIT)).toEqual(["ok", "failure", "usage", "drift"]);
    expect(documented.get(EXIT.ok)).toMatch(/^success/);
    expect(documented.get(EXIT.failure)).toMatch(/^failure/);
    expect(documented.get(EXIT.usage)).toMatch(/^bad usage or input/);
    expect(documented.get(EXIT.drift)).toMatch(/found drift/);
  });
});

describe("CommandFailure", () => {
  it("is an Error named CommandFailure with exit code 1", () => {
    const err = new CommandFailure("3 records missing");
    expect(err).toBeInstanceOf(Error);
    expect([err.name, err.message, err.exitCode]).toEqual(["CommandFailure", "3 records missing", 1]);
  });
});

describe("exitCodeOf", () => {
  it("takes a positive whole exit code from the error", () => {
    expect(exitCodeOf(new ActionableError("bad"))).toBe(2);
    expect(exitCodeOf({ exitCode: 3 })).toBe(3);
    expect(exitCodeOf({ exitCode: 1 })).toBe(1);
  });

  it("is 1 for anything else, including 0, negative, fractional and non-numeric codes", () => {
    for (const err of [new Error("x"), "text", undefined, null, { exitCode: 0 }, { exitCode: -2 }, { exitCode: 2.5 }, { exitCode: "2" }]) {
      expect(exitCodeOf(err), JSON.stringify(err)).toBe(1);
    }
  });
});

describe("errorText", () => {
  it("prints an expected error as command: message", () => {
    expect(errorText("verify", new ActionableError("--bucket needs a value"), {})).toBe("verify: --bucket needs a value");
    expect(errorText("verify", new CommandFailure("2 records missing"), { PIPELINE_DEBUG: "1" })).toBe("verify: 2 records missing");
  });

  it("marks an unexpected error and points at PIPELINE_DEBUG, without the stack", () => {
    expect(errorText("synth", new TypeError("x is undefined"), {})).toBe("synth: x is undefined (set PIPELINE_DEBUG=1 for the stack trace)");
    expect(errorText("synth", new TypeError("x is undefined"), { PIPELINE_DEBUG: "0" })).toBe("synth: x is undefined (set PIPELINE_DEBUG=1 for the stack trace)");
    expect(errorText("synth", "thrown text", { PIPELINE_DEBUG: "1" })).toBe("synth: thrown text (set PIPELINE_DEBUG=1 for the stack trace)");
  });

  it("adds the stack under PIPELINE_DEBUG=1", () => {
    const err = new Error("boom");
    err.stack = "Error: boom\n    at main (main.ts:1:1)";
    expect(errorText("synth", err, { PIPELINE_DEBUG: "1" })).toBe("synth: boom\nError: boom\n    at main (main.ts:1:1)");
    err.stack = "";
    expect(errorText("synth", err, { PIPELINE_DEBUG: "1" })).toBe("synth: boom (set PIPELINE_DEBUG=1 for the stack trace)");
  });

  it("reads PIPELINE_DEBUG from the process environment by default", () => {
    vi.stubEnv("PIPELINE_DEBUG", "1");
    const err = new Error("boom");
    err.stack = "STACK";
    expect(errorText("synth", err)).toBe("synth: boom\nSTACK");
  });
});

describe("runCli", () => {
  const saved = process.exitCode;
  afterEach(() => {
    process.exitCode = saved;
    vi.restoreAllMocks();
    vi.unstubAllEnvs();
  });

  function stderr() {
    return vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  }

  it("exits with the code main returns, sync or async, and prints nothing", async () => {
    const write = stderr();
    await runCli("provision", () => EXIT.drift);
    expect(process.exitCode).toBe(3);
    await runCli("provision", async () => EXIT.ok);
    expect(process.exitCode).toBe(0);
    expect(write).not.toHaveBeenCalled();
  });

  it("prints one error line and exits with the error's code", async () => {
    vi.stubEnv("PIPELINE_DEBUG", "");
    const write = stderr();
    await runCli("verify", async () => {
      throw new ActionableError("--bucket needs a value");
    });
    expect(process.exitCode).toBe(2);
    await runCli("verify", () => {
      throw new Error("socket hang up");
    });
    expect(process.exitCode).toBe(1);
    expect(write.mock.calls).toEqual([["verify: --bucket needs a value\n"], ["verify: socket hang up (set PIPELINE_DEBUG=1 for the stack trace)\n"]]);
  });
});
