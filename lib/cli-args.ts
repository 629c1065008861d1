/**
 * Command-line flags for the project's CLIs: `node:util` `parseArgs` reads the syntax, zod checks
 * the values, and every problem is one {@link UsageError} line naming the flag, what it got and an
 * example of what it expects (exit code 2 by convention).
 *
 * ```ts
 * const RUN_FLAGS = {
 *   batch: integerFlag({ min: 1, max: 10_000, example: "500" }),
 *   auth: enumFlag(["iam", "api-key", "none"], "iam"),
 *   url: stringFlag(),
 *   json: booleanFlag(),
 *   help: booleanFlag({ short: "h" }),
 * };
 * const flags = parseFlags(argv, RUN_FLAGS); // { batch?: number; auth?: "iam" | "api-key" | "none"; url?: string; ... }
 * const batch = flags.batch ?? DEFAULTS.batch;
 * ```
 *
 * Values are `undefined` when a flag is absent: callers apply their defaults from their one
 * defaults module, and can tell "not given" from "given the default" (for conflicts between flags).
 * The parser reads `parseArgs`' tokens instead of its error messages, so a wording change in a Node
 * release cannot change ours. A string flag's value may start with one dash (`--rate -5` is then
 * reported as a bad number, naming -5), but not with two (`--creds --json` means the value is missing).
 */
import { parseArgs } from "node:util";
import { z } from "zod";

/** Bad command-line usage: the message is one line, the process should exit with {@link UsageError.exitCode}. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** How one flag is written and what its text becomes. */
export interface FlagSpec<T> {
  /** `boolean` flags take no value; `string` flags take one (`--name value` or `--name=value`). */
  readonly type: "string" | "boolean";
  /** A one-letter alias, e.g. `h` for `-h`. */
  readonly short?: string;
  /** Turns the flag's text into its value; throws {@link UsageError} naming `flag` when the text is bad. */
  readonly parse: (text: string, flag: string) => T;
  /** The flag may be given more than once; its values (arrays) are concatenated in order. */
  readonly repeatable?: boolean;
}

type FlagSpecs = Readonly<Record<string, FlagSpec<unknown>>>;

/** The parsed values: each flag's value type, absent when the flag was not given. */
export type FlagValues<S extends FlagSpecs> = { -readonly [K in keyof S]?: S[K] extends FlagSpec<infer T> ? T : never };

export function stringFlag(options: { readonly short?: string } = {}): FlagSpec<string> {
  return { type: "string", ...options, parse: (text) => text };
}

/** A string flag that may be repeated (`--receipts a --receipts b`): all its values, in order. */
export function repeatedStringFlag(): FlagSpec<string[]> {
  return { type: "string", repeatable: true, parse: (text) => [text] };
}

export function booleanFlag(options: { readonly short?: string } = {}): FlagSpec<boolean> {
  return { type: "boolean", ...options, parse: () => true };
}

/**
 * A flag whose text must pass `schema`; a failure reads
 * `--flag: got "<text>", expected <expected> (e.g. --flag <example>)`.
 */
export function schemaFlag<T>(schema: z.ZodType<T, string>, expected: string, example: string): FlagSpec<T> {
  return {
    type: "string",
    parse: (text, flag) => {
      const checked = schema.safeParse(text);
      if (!checked.success) throw new UsageError(`${flag}: got ${JSON.stringify(text)}, expected ${expected} (e.g. ${flag} ${example})`);
      return checked.data;
    },
  };
}

export interface RangeOptions {
  readonly min: number;
  readonly max: number;
  /** A good value, shown in the message. */
  readonly example: string;
}

const DECIMAL_INTEGER = /^[+-]?\d+$/;
const DECIMAL_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

/** A whole number in [min, max], written in decimal digits (no `1e3`, no `0x10`). */
export function integerFlag({ min, max, example }: RangeOptions): FlagSpec<number> {
  const schema = z.string().trim().regex(DECIMAL_INTEGER).transform(Number).pipe(z.number().int().min(min).max(max));
  return schemaFlag(schema, `an integer ${min}-${max}`, example);
}

/** A number in [min, max], written in decimal (`2.5`, `.5`). */
export function numberFlag({ min, max, example }: RangeOptions): FlagSpec<number> {
  const schema = z.string().trim().regex(DECIMAL_NUMBER).transform(Number).pipe(z.number().min(min).max(max));
  return schemaFlag(schema, `a number ${min}-${max}`, example);
}

/** One of a fixed set of words. */
export function enumFlag<const V extends readonly [string, ...string[]]>(values: V, example: V[number] = values[0]): FlagSpec<V[number]> {
  return schemaFlag(z.enum(values) as unknown as z.ZodType<V[number], string>, `one of ${values.join(", ")}`, example);
}

/**
 * Parses `args` (no command name, no node and script paths) against `specs`. Throws
 * {@link UsageError} for an unknown flag, a missing or unexpected value, a bad value, or a positional argument.
 */
export function parseFlags<S extends FlagSpecs>(args: readonly string[], specs: S): FlagValues<S> {
  const options = Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, { type: spec.type, ...(spec.short ? { short: spec.short } : {}) }]));
  // strict: false so unknown flags and missing values arrive as tokens we word ourselves
  const { tokens } = parseArgs({ args: [...args], options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, unknown> = {};
  for (const token of tokens) {
    if (token.kind === "positional") throw new UsageError(`unexpected argument ${JSON.stringify(token.value)}`);
    if (token.kind === "option-terminator") continue;
    const spec = Object.hasOwn(specs, token.name) ? specs[token.name] : undefined;
    if (spec === undefined) throw new UsageError(`unknown flag ${token.rawName}`);
    const flag = `--${token.name}`;
    if (spec.type === "boolean") {
      if (token.value !== undefined) throw new UsageError(`${flag} takes no value, got ${JSON.stringify(token.value)}`);
      values[token.name] = true;
      continue;
    }
    if (token.value === undefined || (!token.inlineValue && token.value.startsWith("--"))) throw new UsageError(`${flag} needs a value`);
    const value = spec.parse(token.value, flag);
    values[token.name] = spec.repeatable ? [...((values[token.name] as unknown[] | undefined) ?? []), ...(value as unknown[])] : value;
  }
  return values as FlagValues<S>;
}
