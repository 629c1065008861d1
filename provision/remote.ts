/**
 * The remote host as the engine sees it: a command runner plus file transfer, and the ONE
 * function that turns an argument array into a POSIX shell command line.
 *
 * Every remote command is built here from an argv array. Values never reach a shell unquoted:
 * compound steps are constant `sh -c` scripts that read their inputs from positional
 * parameters (`"$1"`), so a path or URL with spaces, quotes or `$(...)` stays a plain string.
 */

/** POSIX single-quote quoting: `it's` → `'it'\''s'`. Safe words are left bare for readable logs. */
export function shellQuote(arg: string): string {
  if (arg !== "" && /^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** Quotes every argument and joins them: the command line a remote login shell will split back into `argv`. */
export function command(argv: readonly string[]): string {
  if (argv.length === 0) throw new Error("command: empty argv");
  // a bare NAME=value first word would be a variable assignment, not the command
  const [first, ...rest] = argv;
  const head = first.includes("=") ? `'${first.replace(/'/g, `'\\''`)}'` : shellQuote(first);
  return [head, ...rest.map(shellQuote)].join(" ");
}

export interface ExecOptions {
  /** Run through `sudo -n` (never prompts; a password requirement becomes a {@link SudoError}). @default false */
  readonly sudo?: boolean;
  /** Kill the command and fail after this long. @default 60_000 */
  readonly timeoutMs?: number;
  /** Bytes written to the command's stdin, which is then closed. @default - empty stdin */
  readonly stdin?: string | Buffer;
  /** Extra environment variables, set with `env` after sudo so they survive sudo's env reset. @default {} */
  readonly env?: Readonly<Record<string, string>>;
}

export interface ExecResult {
  readonly stdout: string;
  readonly stderr: string;
  readonly code: number;
}

export const DEFAULT_EXEC_TIMEOUT_MS = 60_000;

/**
 * The full command line for `argv` with its options: `[sudo -n] env LC_ALL=C [K=V...] argv...`.
 * `LC_ALL=C` keeps every parsed output (stat, systemctl, dpkg) in one stable format.
 */
export function renderCommand(argv: readonly string[], options: ExecOptions = {}): string {
  const env = Object.entries(options.env ?? {}).map(([key, value]) => {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`renderCommand: invalid environment variable name ${JSON.stringify(key)}`);
    return `${key}=${value}`;
  });
  return command([...(options.sudo ? ["sudo", "-n"] : []), "env", "LC_ALL=C", ...env, ...argv]);
}

/** A host the engine can act on. The ssh2 transport implements it; unit tests use in-memory and local ones. */
export interface Host {
  /** The name printed in `[host]` and in errors. */
  readonly name: string;
  /** The login user, named in sudo errors. */
  readonly user: string;
  /** Runs `argv` (see {@link renderCommand}); resolves with any exit code, rejects only on transport errors and timeouts. */
  exec(argv: readonly string[], options?: ExecOptions): Promise<ExecResult>;
  /** Commands sent so far: the round trips of the run. */
  readonly roundTrips: number;
  close(): Promise<void>;
}

/** The command line for messages: one line, each multi-line script shortened to its first line. */
export function describeCommand(argv: readonly string[], options: ExecOptions = {}): string {
  return renderCommand(
    argv.map((arg) => (arg.includes("\n") ? `${arg.split("\n")[0]} ...` : arg)),
    options,
  );
}

/** A remote command that failed: carries the operation, the command, the exit code and stderr. */
export class RemoteCommandError extends Error {
  /** A failure, by the CLI convention of lib/cli-run.ts. */
  readonly exitCode: number = 1;
  constructor(
    readonly host: string,
    readonly operation: string,
    readonly commandLine: string,
    readonly code: number,
    readonly stderr: string,
    readonly stdout = "",
  ) {
    const detail = (stderr.trim() || stdout.trim()).split("\n").slice(-5).join(" | ");
    super(`[${host}] ${operation}: command exited ${code}: ${commandLine}${detail ? `: ${detail}` : ""}`);
    this.name = "RemoteCommandError";
  }
}

/** sudo -n refused to run without a password: a setup problem of the host, reported as bad input. */
export class SudoError extends Error {
  /** A failure, by the CLI convention of lib/cli-run.ts. */
  readonly exitCode: number = 1;
  constructor(host: string, user: string, reason: string) {
    super(
      `[${host}] sudo -n failed for user ${user}: ${reason.trim() || "no output"} ` +
        `(fix: give ${user} passwordless sudo, e.g. "${user} ALL=(ALL) NOPASSWD: ALL" in /etc/sudoers.d/${user}, or connect with --user as a user that has it)`,
    );
    this.name = "SudoError";
  }
}

/** True when sudo's stderr says it would have prompted or refused (as opposed to the command failing). */
export function isSudoRefusal(stderr: string): boolean {
  return /^sudo: (a password is required|a terminal is required|.*is not in the sudoers file|.*not allowed to execute|sorry, you must have a tty)/m.test(stderr);
}

/**
 * Runs a command and returns its stdout, turning a non-zero exit into a {@link RemoteCommandError}
 * and a sudo prompt into a {@link SudoError}.
 */
export async function run(host: Host, operation: string, argv: readonly string[], options: ExecOptions = {}): Promise<string> {
  const result = await host.exec(argv, options);
  if (result.code !== 0) {
    if (options.sudo && isSudoRefusal(result.stderr)) throw new SudoError(host.name, host.user, result.stderr.split("\n")[0]);
    throw new RemoteCommandError(host.name, operation, describeCommand(argv, options), result.code, result.stderr, result.stdout);
  }
  return result.stdout;
}

/** `sh -c <script> sh args...`: a constant script with its inputs as positional parameters. */
export function shScript(script: string, ...args: readonly string[]): string[] {
  return ["sh", "-c", script, "sh", ...args];
}

/** Parses `key=value` lines (the format every fact probe prints). Later keys win. */
export function parseKeyValues(text: string): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of text.split("\n")) {
    const eq = line.indexOf("=");
    if (eq > 0) values.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return values;
}
