/**
 * The ssh2 transport: one connection per host for the whole run, over a socket of our own
 * with TCP_NODELAY (small request/response exchanges otherwise wait on Nagle's algorithm),
 * keepalives, a timeout on every command, and host key verification against known_hosts.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import { Socket } from "node:net";
import { dirname } from "node:path";
import { Client, type ClientChannel } from "ssh2";
import { HostKeyError, hostKeyDecision, knownHostsName, parseKnownHosts, preferredHostKeyAlgorithms } from "./known-hosts";
import { DEFAULT_EXEC_TIMEOUT_MS, type ExecOptions, type ExecResult, type Host, RemoteCommandError, describeCommand, renderCommand } from "./remote";

export interface SshTarget {
  readonly host: string;
  /** @default 22 */
  readonly port?: number;
  readonly user: string;
  /** The private key's text. */
  readonly privateKey?: string | Buffer;
  /** The passphrase of an encrypted private key. @default - the key is not encrypted */
  readonly passphrase?: string;
  /** Where the private key came from, for error messages. */
  readonly identityFile?: string;
  /** An ssh-agent socket to try as well. @default - no agent */
  readonly agent?: string;
  readonly knownHostsFile: string;
  /** Trust and record an unknown host key (a changed key is refused regardless). @default false */
  readonly acceptNewHostKey?: boolean;
  /** TCP connect plus SSH handshake and authentication. @default 20_000 */
  readonly connectTimeoutMs?: number;
}

/** The connection could not be set up: unreachable, refused, or authentication failed. */
export class ConnectError extends Error {
  /** A failure, by the CLI convention of lib/cli-run.ts. */
  readonly exitCode: number = 1;
  constructor(message: string) {
    super(message);
    this.name = "ConnectError";
  }
}

/** How long close() waits for the peer to end the connection before dropping the socket. */
const CLOSE_GRACE_MS = 5_000;

/** Host key algorithms ssh2 supports, in its default order. */
const HOST_KEY_ALGORITHMS = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"];

export class SshHost implements Host {
  readonly name: string;
  readonly user: string;
  private requests = 0;
  /** Why the connection ended, once it has; commands then fail with it instead of an exit code. */
  private lost: string | undefined;
  private readonly ended: Promise<void>;

  private constructor(
    private readonly client: Client,
    private readonly sock: Socket,
    target: SshTarget,
  ) {
    this.name = target.host;
    this.user = target.user;
    // An error on the live connection (a reset, the keepalives going unanswered) must not reach
    // Node as an unhandled 'error' event: it ends the connection, and each command reports it.
    client.on("error", (err: Error) => {
      this.lost ??= err.message;
    });
    // ssh2 emits 'close' before it closes the open channels, so a command cut off reads `lost`
    this.ended = new Promise((resolve) =>
      client.once("close", () => {
        this.lost ??= "the connection closed";
        resolve();
      }),
    );
  }

  get roundTrips(): number {
    return this.requests;
  }

  /** Opens the one connection this host uses; throws {@link ConnectError} or {@link HostKeyError}. */
  static async connect(target: SshTarget): Promise<SshHost> {
    const port = target.port ?? 22;
    const timeoutMs = target.connectTimeoutMs ?? 20_000;
    const knownText = existsSync(target.knownHostsFile) ? readFileSync(target.knownHostsFile, "utf8") : "";
    const hostKeys = new HostKeyCheck(parseKnownHosts(knownText), knownHostsName(target.host, port), target);
    const sock = await openSocket(target.host, port, timeoutMs);
    const client = await handshake(sock, target, port, timeoutMs, hostKeys);
    if (hostKeys.acceptedLine) recordAcceptedKey(target.knownHostsFile, knownText, hostKeys.acceptedLine);
    return new SshHost(client, sock, target);
  }

  exec(argv: readonly string[], options: ExecOptions = {}): Promise<ExecResult> {
    const line = renderCommand(argv, options);
    const timeoutMs = options.timeoutMs ?? DEFAULT_EXEC_TIMEOUT_MS;
    const failure = (reason: string) => new RemoteCommandError(this.name, "exec", describeCommand(argv, options), -1, reason);
    const lostFailure = () => failure(`connection lost: ${this.lost}`);
    if (this.lost !== undefined) return Promise.reject(lostFailure());
    this.requests++;
    return new Promise((resolve, reject) => {
      this.client.exec(line, (err, stream: ClientChannel) => {
        if (err) return reject(this.lost === undefined ? failure(err.message) : lostFailure());
        const stdout: Buffer[] = [];
        const stderr: Buffer[] = [];
        let code = -1;
        let exited = false;
        const timer = setTimeout(() => {
          sendSignal(stream, "KILL");
          stream.close();
          reject(failure(`timed out after ${timeoutMs / 1000} s`));
        }, timeoutMs);
        stream.on("data", (chunk: Buffer) => stdout.push(chunk));
        stream.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
        stream.on("exit", (exitCode: number | null) => {
          exited = true;
          code = exitCode ?? -1;
        });
        stream.on("close", () => {
          clearTimeout(timer);
          // no exit status because the connection went: the command's outcome is unknown, not -1
          if (!exited && this.lost !== undefined) return reject(lostFailure());
          resolve({ stdout: Buffer.concat(stdout).toString("utf8"), stderr: Buffer.concat(stderr).toString("utf8"), code });
        });
        stream.end(options.stdin ?? "");
      });
    });
  }

  /** Ends the connection and resolves once it has closed. */
  async close(): Promise<void> {
    this.lost ??= "closed by this side";
    this.client.end();
    // a peer that never answers the disconnect must not hold the run open
    const timer = setTimeout(() => this.sock.destroy(), CLOSE_GRACE_MS);
    await this.ended;
    clearTimeout(timer);
  }
}

/**
 * The verdict on the key the server presents, kept for after the handshake: ssh2 only hears
 * true/false from the verifier, so the reason for a refusal and the line to record live here.
 */
class HostKeyCheck {
  /** Why the key was refused, when it was. */
  problem: string | undefined;
  /** The known_hosts line of a newly trusted key, to append once the login succeeded. */
  acceptedLine: string | undefined;

  constructor(
    readonly entries: ReturnType<typeof parseKnownHosts>,
    readonly name: string,
    private readonly target: Pick<SshTarget, "acceptNewHostKey" | "knownHostsFile">,
  ) {}

  verify(key: Buffer): boolean {
    const decision = hostKeyDecision(this.entries, this.name, key, { acceptNew: this.target.acceptNewHostKey === true, file: this.target.knownHostsFile });
    if (decision.trust) this.acceptedLine = decision.record;
    else this.problem = decision.problem;
    return decision.trust;
  }
}

/** A TCP connection with TCP_NODELAY, or a {@link ConnectError} naming the host and port. */
function openSocket(host: string, port: number, timeoutMs: number): Promise<Socket> {
  const sock = new Socket();
  sock.setNoDelay(true);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new ConnectError(`cannot reach ${host}:${port}: no answer within ${timeoutMs / 1000} s (check --host/--port and that the security group allows your address)`));
    }, timeoutMs);
    sock.once("error", (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(new ConnectError(`cannot reach ${host}:${port}: ${err.code ?? err.message} (check --host/--port, that the host is running and that the security group allows your address)`));
    });
    sock.connect(port, host, () => {
      clearTimeout(timer);
      sock.removeAllListeners("error");
      resolve(sock);
    });
  });
}

/**
 * Sends a "signal" channel request. ssh2's `stream.signal()` sends nothing once our side of the
 * channel is at EOF (it requires the stream writable and the channel 'open'), and exec ends stdin
 * at once, so the KILL of a timed-out command never left; RFC 4254 allows requests after EOF.
 */
function sendSignal(stream: ClientChannel, name: string): void {
  // ssh2 internals (pinned at 1.17.0, where the unit tests check the KILL arrives); the public call otherwise
  const channel = stream as unknown as { outgoing?: { id: number; state: string }; _client?: { _protocol?: { signal(id: number, name: string): void } } };
  const protocol = channel._client?._protocol;
  if (protocol && channel.outgoing && (channel.outgoing.state === "open" || channel.outgoing.state === "eof")) protocol.signal(channel.outgoing.id, name);
  else stream.signal(name);
}

/** SSH handshake, host key check and authentication over `sock`; the client is ready when it resolves. */
function handshake(sock: Socket, target: SshTarget, port: number, timeoutMs: number, hostKeys: HostKeyCheck): Promise<Client> {
  const client = new Client();
  return new Promise((resolve, reject) => {
    const onError = (err: Error & { level?: string }) => {
      sock.destroy();
      reject(handshakeError(err, target, port, timeoutMs, hostKeys));
    };
    // `on`, not `once`: a failed handshake can emit a second error as the socket goes (a timeout is
    // followed by "Connection lost before handshake"), which would otherwise crash the process;
    // the first error settles the promise and names the problem
    client.on("error", onError);
    client.once("ready", () => {
      // from here SshHost listens to the live connection's errors
      client.removeListener("error", onError);
      resolve(client);
    });
    client.on("close", () => sock.destroy());
    try {
      client.connect({
        sock,
        username: target.user,
        ...(target.privateKey ? { privateKey: target.privateKey } : {}),
        ...(target.passphrase ? { passphrase: target.passphrase } : {}),
        ...(target.agent ? { agent: target.agent } : {}),
        readyTimeout: timeoutMs,
        keepaliveInterval: 15_000,
        keepaliveCountMax: 4,
        algorithms: { serverHostKey: preferredHostKeyAlgorithms(hostKeys.entries, hostKeys.name, HOST_KEY_ALGORITHMS) as never },
        hostVerifier: (key: Buffer) => hostKeys.verify(key),
      });
    } catch (err) {
      // ssh2 throws synchronously for unusable keys (e.g. a passphrase-protected one)
      sock.destroy();
      reject(new ConnectError(`cannot use identity ${target.identityFile ?? "(key text)"}: ${(err as Error).message} (pass an unencrypted key with --identity, or load it into ssh-agent)`));
    }
  });
}

function handshakeError(err: Error & { level?: string }, target: SshTarget, port: number, timeoutMs: number, hostKeys: HostKeyCheck): Error {
  if (hostKeys.problem) return new HostKeyError(hostKeys.problem);
  if (err.level === "client-authentication") {
    const how = [target.identityFile && `key ${target.identityFile}`, target.agent && "ssh-agent"].filter(Boolean).join(" or ") || "no key";
    return new ConnectError(`SSH authentication failed for ${target.user}@${target.host}:${port} with ${how} (check --user and --identity; the host must have the matching public key in ~${target.user}/.ssh/authorized_keys)`);
  }
  if (err.level === "client-timeout") return new ConnectError(`SSH handshake with ${target.host}:${port} timed out after ${timeoutMs / 1000} s`);
  return new ConnectError(`SSH connection to ${target.host}:${port} failed: ${err.message}`);
}

/** Appends a newly trusted key to the known_hosts file (created 0600 if missing), on a line of its own. */
function recordAcceptedKey(knownHostsFile: string, knownText: string, line: string): void {
  mkdirSync(dirname(knownHostsFile), { recursive: true });
  const separator = knownText === "" || knownText.endsWith("\n") ? "" : "\n";
  appendFileSync(knownHostsFile, `${separator}${line}\n`, { mode: 0o600 });
}
