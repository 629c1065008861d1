/**
 * The emulate command line beyond its defaults (units.test.ts): every flag's refusal line in full,
 * the usage text against the parser, values trimmed, and parsed commands that hold only what was given.
 */
import { describe, expect, it } from "vitest";
import { parseCommand, USAGE } from "../../emulation/args";

const HINT = "(see: npm run emulate -- --help)";

/** The message of the usage error `argv` (with `env`) must raise. */
function refusal(argv: string[], env: Record<string, string> = {}): string {
  try {
    parseCommand(argv, env);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`expected ${JSON.stringify(argv)} with ${JSON.stringify(env)} to be refused`);
}

describe("emulate flags", () => {
  it("every checked flag's refusal names the flag, the value, what it expects and an example", () => {
    const lines: [string[], string][] = [
      [["seed-db", "--rows", "0"], '--rows: got "0", expected an integer 1-10000000 (e.g. --rows 11154)'],
      [["seed-db", "--rows", "1", "--seed", "-1"], '--seed: got "-1", expected an integer 0-4294967295 (e.g. --seed 100)'],
      [["run", "--url", "ftp://x"], '--url: got "ftp://x", expected the API invoke URL like https://<api>.execute-api.<region>.amazonaws.com/<stage> (e.g. --url https://abc123.execute-api.us-east-1.amazonaws.com/prod)'],
      [["run", "--outputs", "o.json", "--auth", "sigv4"], '--auth: got "sigv4", expected one of iam, api-key, none (e.g. --auth iam)'],
      [["run", "--url", "https://x/p", "--user-id", "u", "--region", "Europe"], '--region: got "Europe", expected an AWS region (e.g. --region us-east-1)'],
      [["run", "--concurrency", "257"], '--concurrency: got "257", expected an integer 1-256 (e.g. --concurrency 8)'],
      [["run", "--seed", "4294967296"], '--seed: got "4294967296", expected an integer 0-4294967295 (e.g. --seed 100)'],
      [["run", "--max-retries", "101"], '--max-retries: got "101", expected an integer 0-100 (e.g. --max-retries 5)'],
      [["run", "--timeout-ms", "9"], '--timeout-ms: got "9", expected an integer 10-600000 (e.g. --timeout-ms 10000)'],
      [["run", "--url", "https://x/p", "--topics", "a,b"], '--topics: got "a,b", expected three topic names pin,geo,user (e.g. --topics 0a1b2c3d4e5f.pin,0a1b2c3d4e5f.geo,0a1b2c3d4e5f.user)'],
      [["run", "--count", "0"], '--count: got "0", expected an integer 1-1000000000 (e.g. --count 1000)'],
      [["run", "--duration", "0"], '--duration: got "0", expected a number 0.1-604800 (e.g. --duration 60)'],
      [["redrive", "--batch", "0"], '--batch: got "0", expected an integer 1-10000 (e.g. --batch 500)'],
    ];
    for (const [argv, line] of lines) expect(refusal(argv)).toBe(`${line} ${HINT}`);
  });

  it("trims the URL and the region it is given", () => {
    expect(parseCommand(["redrive", "--url", "  https://x.example/prod  ", "--auth", "iam", "--region", " eu-west-1 "])).toMatchObject({ url: "https://x.example/prod", auth: { mode: "iam", region: "eu-west-1" } });
  });

  it("-h asks for help after every command", () => {
    for (const command of ["seed-db", "run", "redrive"]) expect(parseCommand([command, "-h"])).toEqual({ kind: "help" });
  });

  it("parsed commands hold only what was given: an absent option is absent, never a key with no value", () => {
    const commands = [
      ["run"],
      ["run", "--url", "http://x/dev", "--user-id", "u"],
      ["run", "--url", "http://x/dev", "--topics", "p,g,u", "--auth", "iam", "--region", "eu-west-1"],
      ["run", "--url", "http://x/dev", "--user-id", "u", "--auth", "api-key", "--api-key", "k"],
      ["run", "--duration", "5"],
      ["redrive"],
      ["redrive", "--url", "http://x/dev"],
      ["seed-db", "--rows", "3"],
    ];
    for (const argv of commands) {
      const command = parseCommand(argv) as unknown as Record<string, unknown>;
      expect([argv, Object.keys(command).filter((key) => command[key] === undefined)]).toEqual([argv, []]);
    }
  });
});

describe("the usage text", () => {
  /** The flags the usage lists under a heading, up to the next blank line. */
  function listedFlags(heading: string): string[] {
    const start = USAGE.indexOf(heading);
    expect(start).toBeGreaterThanOrEqual(0);
    const section = USAGE.slice(start).split("\n\n")[0] ?? "";
    return [...section.matchAll(/^ {2}(--[a-z-]+)(?: ([A-Z,]+))?/gm)].map(([, flag, value]) => (value === undefined ? flag! : `${flag} ${value}`));
  }

  it("lists each command's flags", () => {
    expect(USAGE.startsWith("Usage: npm run emulate -- <command> [flags]\n")).toBe(true);
    expect(listedFlags("seed-db flags:")).toEqual(["--rows N", "--seed S", "--creds FILE"]);
    expect(listedFlags("run flags:")).toEqual([
      "--outputs FILE", "--url URL", "--user-id ID", "--topics P,G,U", "--batch N", "--concurrency N", "--rate R", "--count N", "--duration S", "--seed S",
      "--max-retries N", "--timeout-ms N", "--dead-letter FILE", "--receipts FILE", "--auth MODE", "--region R", "--api-key KEY", "--dry-run", "--json", "--creds FILE",
    ]);
    expect(listedFlags("redrive flags")).toEqual(["--dead-letter FILE"]);
  });

  it("every flag it lists is one the command accepts, with a value exactly when it shows one", () => {
    for (const [command, heading] of [["seed-db", "seed-db flags:"], ["run", "run flags:"], ["redrive", "redrive flags"]] as const) {
      for (const listed of listedFlags(heading)) {
        const [flag, value] = listed.split(" ") as [string, string?];
        let message = "";
        try {
          parseCommand([command, flag, ...(value === undefined ? [] : ["1"])]);
        } catch (err) {
          message = (err as Error).message;
        }
        expect([command, flag, message]).not.toEqual([command, flag, expect.stringMatching(/^(unknown flag|--[a-z-]+ (takes no value|needs a value))/)]);
      }
    }
  });
});

describe("auth with --url: blank values are missing values", () => {
  const url = ["run", "--url", "https://abc.execute-api.us-east-1.amazonaws.com/prod", "--user-id", "u"];

  it("a blank API key or region, from a flag or the environment, is refused like a missing one", () => {
    const noKey = `--auth api-key needs the API key: pass --api-key <key> or set PIPELINE_API_KEY (the stack's api_key output) ${HINT}`;
    expect(refusal([...url, "--auth", "api-key"], { PIPELINE_API_KEY: "  " })).toBe(noKey);
    expect(refusal([...url, "--auth", "api-key", "--api-key", " "], {})).toBe(noKey);
    const noRegion = `--auth iam needs the API's region: pass --region <region> (e.g. --region us-east-1) or set AWS_REGION ${HINT}`;
    expect(refusal([...url, "--auth", "iam"], { AWS_REGION: " " })).toBe(noRegion);
    expect(refusal([...url, "--auth", "iam"], { AWS_DEFAULT_REGION: "" })).toBe(noRegion);
  });

  it("with --url the API key lives in auth only; with an outputs file it rides beside it", () => {
    const withUrl = parseCommand([...url, "--auth", "api-key", "--api-key", "k"], {});
    expect(withUrl).toMatchObject({ url: "https://abc.execute-api.us-east-1.amazonaws.com/prod", auth: { mode: "api-key", apiKey: "k" } });
    expect(withUrl).not.toHaveProperty("apiKey");
    expect(parseCommand(["run", "--outputs", "o.json"], { PIPELINE_API_KEY: "k" })).toHaveProperty("apiKey", "k");
  });
});
