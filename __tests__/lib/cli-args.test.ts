/** lib/cli-args: the shared flag parser (node:util parseArgs tokens + zod values). */
import { describe, expect, it } from "vitest";
import { booleanFlag, enumFlag, integerFlag, numberFlag, parseFlags, repeatedStringFlag, schemaFlag, stringFlag, UsageError } from "../../lib/cli-args";
import { z } from "zod";

const SPECS = {
  name: stringFlag(),
  count: integerFlag({ min: 1, max: 100, example: "10" }),
  rate: numberFlag({ min: 0.1, max: 1000, example: "50" }),
  mode: enumFlag(["iam", "api-key", "none"]),
  even: schemaFlag(z.string().transform(Number).pipe(z.number().int().multipleOf(2)), "an even integer", "4"),
  json: booleanFlag(),
  help: booleanFlag({ short: "h" }),
};

/** The UsageError a parse throws, as [exit code, message]. */
function failure(args: string[]): [number, string] {
  try {
    parseFlags(args, SPECS);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return [(err as UsageError).exitCode, (err as Error).message];
  }
  throw new Error(`expected ${JSON.stringify(args)} to be refused`);
}

describe("parseFlags", () => {
  it("parses every kind of flag into typed values, absent flags stay undefined", () => {
    expect(parseFlags(["--name", "a b", "--count=7", "--rate", ".5", "--mode", "api-key", "--even", "4", "--json", "-h"], SPECS)).toEqual({
      name: "a b",
      count: 7,
      rate: 0.5,
      mode: "api-key",
      even: 4,
      json: true,
      help: true,
    });
    expect(parseFlags([], SPECS)).toEqual({});
    // the last occurrence wins, like most CLIs
    expect(parseFlags(["--count", "1", "--count", "2"], SPECS)).toEqual({ count: 2 });
    // a value may start with one dash when given inline or as a number-like text
    expect(parseFlags(["--name=--odd"], SPECS)).toEqual({ name: "--odd" });
    expect(parseFlags(["--name", "-"], SPECS)).toEqual({ name: "-" });
  });

  it("bad numbers name the flag, the value, the range and an example", () => {
    expect(failure(["--count", "0"])).toEqual([2, '--count: got "0", expected an integer 1-100 (e.g. --count 10)']);
    expect(failure(["--count", "1e2"])).toEqual([2, '--count: got "1e2", expected an integer 1-100 (e.g. --count 10)']);
    expect(failure(["--count", "0x10"])[1]).toBe('--count: got "0x10", expected an integer 1-100 (e.g. --count 10)');
    expect(failure(["--count", "2.5"])[1]).toBe('--count: got "2.5", expected an integer 1-100 (e.g. --count 10)');
    expect(failure(["--rate", "-5"])).toEqual([2, '--rate: got "-5", expected a number 0.1-1000 (e.g. --rate 50)']);
    expect(failure(["--rate", "fast"])[1]).toBe('--rate: got "fast", expected a number 0.1-1000 (e.g. --rate 50)');
    expect(failure(["--rate", ""])[1]).toBe('--rate: got "", expected a number 0.1-1000 (e.g. --rate 50)');
  });

  it("enums and custom schemas", () => {
    expect(failure(["--mode", "oauth"])).toEqual([2, '--mode: got "oauth", expected one of iam, api-key, none (e.g. --mode iam)']);
    expect(failure(["--even", "3"])[1]).toBe('--even: got "3", expected an even integer (e.g. --even 4)');
  });

  it("syntax problems: unknown flags, missing values, values on switches, stray arguments", () => {
    expect(failure(["--bogus"])).toEqual([2, "unknown flag --bogus"]);
    expect(failure(["-x"])[1]).toBe("unknown flag -x");
    expect(failure(["--count"])[1]).toBe("--count needs a value");
    expect(failure(["--name", "--json"])[1]).toBe("--name needs a value");
    expect(failure(["--json=yes"])[1]).toBe('--json takes no value, got "yes"');
    expect(failure(["stray"])[1]).toBe('unexpected argument "stray"');
    expect(failure(["--", "--json"])[1]).toBe('unexpected argument "--json"');
    // an unknown flag is reported before the value that follows it
    expect(failure(["--bogus", "5"])[1]).toBe("unknown flag --bogus");
    // prototype keys are not flags
    expect(failure(["--constructor"])[1]).toBe("unknown flag --constructor");
  });
});

describe("parseFlags: range boundaries and number forms", () => {
  it("accepts the limits of a range and refuses just past them", () => {
    expect(parseFlags(["--count", "1"], SPECS)).toEqual({ count: 1 });
    expect(parseFlags(["--count", "100"], SPECS)).toEqual({ count: 100 });
    expect(failure(["--count", "101"])[1]).toBe('--count: got "101", expected an integer 1-100 (e.g. --count 10)');
    expect(parseFlags(["--rate", "0.1"], SPECS)).toEqual({ rate: 0.1 });
    expect(parseFlags(["--rate", "1000"], SPECS)).toEqual({ rate: 1000 });
    expect(failure(["--rate", "0.09"])[1]).toBe('--rate: got "0.09", expected a number 0.1-1000 (e.g. --rate 50)');
    expect(failure(["--rate", "1000.5"])[1]).toBe('--rate: got "1000.5", expected a number 0.1-1000 (e.g. --rate 50)');
  });

  it("reads signs, surrounding spaces and trailing dots; refuses text around the digits", () => {
    expect(parseFlags(["--count", "+7"], SPECS)).toEqual({ count: 7 });
    expect(parseFlags(["--count", " 7 "], SPECS)).toEqual({ count: 7 });
    expect(parseFlags(["--rate", "2."], SPECS)).toEqual({ rate: 2 });
    expect(parseFlags(["--rate", "+2.5"], SPECS)).toEqual({ rate: 2.5 });
    expect(parseFlags(["--rate", ".25"], SPECS)).toEqual({ rate: 0.25 });
    expect(parseFlags(["--rate", " 2.5 "], SPECS)).toEqual({ rate: 2.5 });
    for (const bad of ["a7", "7a", "7 7"]) expect(failure(["--count", bad])[1], bad).toBe(`--count: got "${bad}", expected an integer 1-100 (e.g. --count 10)`);
    for (const bad of ["a2.5", "2.5a", "1.5.5", ".", "1e2", "Infinity"]) expect(failure(["--rate", bad])[1], bad).toBe(`--rate: got "${bad}", expected a number 0.1-1000 (e.g. --rate 50)`);
  });

  it("takes an enum's example when given, and short aliases on string flags", () => {
    const specs = { mode: enumFlag(["iam", "none"], "none"), name: stringFlag({ short: "n" }) };
    expect(parseFlags(["-n", "x"], specs)).toEqual({ name: "x" });
    try {
      parseFlags(["--mode", "x"], specs);
      expect.unreachable("refused");
    } catch (err) {
      expect((err as Error).message).toBe('--mode: got "x", expected one of iam, none (e.g. --mode none)');
    }
  });

  it("a boolean flag's value is true", () => {
    expect(booleanFlag().parse("", "--json")).toBe(true);
  });

  it("reads nothing after a lone option terminator", () => {
    expect(parseFlags(["--json", "--"], SPECS)).toEqual({ json: true });
  });

  it("UsageError is an Error named UsageError with exit code 2", () => {
    const err = new UsageError("x");
    expect(err).toBeInstanceOf(Error);
    expect([err.name, err.message, err.exitCode]).toEqual(["UsageError", "x", 2]);
  });
});


describe("parseFlags: repeated flags", () => {
  const specs = { receipts: repeatedStringFlag(), outputs: stringFlag() };

  it("collects every value of a repeatable flag in order, inline or separate", () => {
    expect(parseFlags(["--receipts", "a.ndjson", "--outputs", "o.json", "--receipts=b.ndjson"], specs)).toEqual({ receipts: ["a.ndjson", "b.ndjson"], outputs: "o.json" });
  });

  it("leaves it absent when not given, and keeps the last value of a plain string flag", () => {
    expect(parseFlags(["--outputs", "x", "--outputs", "y"], specs)).toEqual({ outputs: "y" });
  });

  it("refuses a repeatable flag without a value", () => {
    expect(() => parseFlags(["--receipts"], specs)).toThrow(new UsageError("--receipts needs a value"));
  });
});
