/**
 * Hosts for unit tests, implementing the same {@link Host} interface as the ssh2 transport.
 *
 * - FakeHost: in memory. It records every command (argv, options and the rendered command line)
 *   and answers through a responder the test supplies.
 * - LocalHost: runs the rendered command line with the real `sh -c` on this machine, the way a
 *   remote login shell would, so the operations' shell scripts are exercised for real inside a
 *   temp directory. It drops `sudo -n` (the scripts still run as the current user).
 */
import { guardChildStreams } from "../../support/child-streams";
import { spawn } from "node:child_process";
import type { OsFacts } from "../../../provision/facts";
import { type ExecOptions, type ExecResult, type Host, renderCommand } from "../../../provision/remote";

/** OS facts of the two families the play supports, as gatherOsFacts reports them. */
export const AMAZON: OsFacts = { id: "amzn", idLike: ["fedora"], versionId: "2023", family: "amazon", packageManager: "dnf", arch: "x86_64", systemd: true, pendingHandlers: [] };
export const DEBIAN: OsFacts = { id: "debian", idLike: [], versionId: "12", family: "debian", packageManager: "apt", arch: "x86_64", systemd: true, pendingHandlers: [] };

export interface RecordedCommand {
  readonly argv: readonly string[];
  readonly options: ExecOptions;
  /** The exact line the remote shell receives. */
  readonly line: string;
}

export type Responder = (command: RecordedCommand) => Partial<ExecResult> | undefined;

export class FakeHost implements Host {
  readonly name = "fake";
  readonly user = "ec2-user";
  readonly commands: RecordedCommand[] = [];
  roundTrips = 0;

  constructor(private readonly responder: Responder = () => undefined) {}

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.roundTrips++;
    const command = { argv, options, line: renderCommand(argv, options) };
    this.commands.push(command);
    const answer = this.responder(command) ?? {};
    return { stdout: answer.stdout ?? "", stderr: answer.stderr ?? "", code: answer.code ?? 0 };
  }

  async close(): Promise<void> {}

  /** The command lines sent, in order. */
  get lines(): string[] {
    return this.commands.map((c) => c.line);
  }
}

export class LocalHost implements Host {
  readonly name = "local";
  readonly user = process.env.USER ?? "root";
  readonly lines: string[] = [];
  roundTrips = 0;

  async exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    this.roundTrips++;
    const line = renderCommand(argv, { ...options, sudo: false });
    this.lines.push(line);
    return new Promise((resolve, reject) => {
      const child = guardChildStreams(spawn("sh", ["-c", line], { stdio: ["pipe", "pipe", "pipe"] }));
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
      child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), code: code ?? -1 }));
      child.stdin.end(options.stdin ?? "");
    });
  }

  async close(): Promise<void> {}
}
