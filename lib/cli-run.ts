/**
 * The one CLI convention of every command (`synth`, `plan:offline`, `plugin-zip`, `provision`,
 * `emulate`, `verify`, `doctor`): the exit codes, the error line and the no-stack-trace rule.
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success (for `provision --check`: nothing would change) |
 * | 1 | failure: something did not work (a failed operation, a record not delivered, a failed check, a plan error) |
 * | 2 | bad usage or bad input: an unknown flag, a bad value, an invalid config, credentials or outputs file |
 * | 3 | `provision --check` found drift: changes are pending (terraform's `plan -detailed-exitcode` says 2 for this; here 2 already means bad input) |
 *
 * Errors print as `<command>: <message>` on stderr, never with a stack trace, unless
 * `PIPELINE_DEBUG=1` is set (then an unexpected error's stack follows its line).
 */

export const EXIT = {
  ok: 0,
  failure: 1,
  usage: 2,
  drift: 3,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An expected failure whose message is complete for the user (exit 1, no "unexpected" note). */
export class CommandFailure extends Error {
  readonly exitCode: number = EXIT.failure;
  constructor(message: string) {
    super(message);
    this.name = "CommandFailure";
  }
}

/**
 * An error class the user can act on carries its exit code (e.g. `UsageError`, `ConfigError`,
 * `OutputsError`: 2). Anything else is a failure (1).
 */
export function exitCodeOf(err: unknown): number {
  const code = (err as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === "number" && Number.isInteger(code) && code > 0 ? code : EXIT.failure;
}

/** Whether an error is one of the expected, actionable kinds (it carries an exit code). */
function isExpected(err: unknown): boolean {
  return typeof (err as { exitCode?: unknown } | undefined)?.exitCode === "number";
}

/** The `<command>: <message>` text of an error; unexpected errors say so, with the stack under PIPELINE_DEBUG. */
export function errorText(command: string, err: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = err instanceof Error ? err.message : String(err);
  if (isExpected(err)) return `${command}: ${message}`;
  const stack = env.PIPELINE_DEBUG === "1" && err instanceof Error && err.stack ? `\n${err.stack}` : " (set PIPELINE_DEBUG=1 for the stack trace)";
  return `${command}: ${message}${stack}`;
}

/**
 * Runs a command's main function and exits by the convention: its returned code, or the error's
 * code after printing one error line.
 */
export async function runCli(command: string, main: () => number | Promise<number>): Promise<void> {
  try {
    process.exitCode = await main();
  } catch (err) {
    process.stderr.write(`${errorText(command, err)}\n`);
    process.exitCode = exitCodeOf(err);
  }
}
