/**
 * An SSH server in the test process, for the ssh2 transport's unit tests: ssh2's own `Server`
 * (the real protocol: key exchange, host key signature, public key authentication, channels) on
 * 127.0.0.1 with an ephemeral port. It accepts one user with one public key, and runs each `exec`
 * request locally with `sh -c`, as sshd runs it through the login shell: stdin, stdout, stderr and
 * the exit status travel over the channel; a "signal" request kills the command's process group,
 * and the client closing the channel closes its pipes (as sshd does without a pty).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import type { AddressInfo, Socket } from "node:net";
import { join } from "node:path";
import { type Connection, Server, utils } from "ssh2";
import { guardChildStreams } from "../../support/child-streams";

/** A real key pair from ssh-keygen in `dir`: the private key's path and text, and the public key blob. */
export interface KeyPair {
  readonly path: string;
  readonly privateKey: string;
  readonly blob: Buffer;
}

export function generateKey(dir: string, name: string, passphrase = ""): KeyPair {
  const path = join(dir, name);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", passphrase, "-C", name, "-f", path]);
  return { path, privateKey: readFileSync(path, "utf8"), blob: Buffer.from(readFileSync(`${path}.pub`, "utf8").split(" ")[1], "base64") };
}

/** What the server saw of one client connection. */
export interface SeenConnection {
  /** Set when the client's connection ended (its 'close' event). */
  closed: boolean;
  /** Resolves on that 'close'. */
  readonly whenClosed: Promise<void>;
  /** The commands of its exec requests, as received. */
  readonly commands: string[];
  /** The signals the client sent. */
  readonly signals: string[];
  /** How each command ended: its exit code, or the signal that killed it. */
  readonly ends: (number | string)[];
  /** Ends the connection from the server's side, as sshd does when it stops. */
  end(): void;
  /** Drops the TCP connection with a reset, as a host that goes away or a NAT that forgets it does. */
  reset(): void;
}

export interface TestSshServer {
  readonly port: number;
  readonly connections: SeenConnection[];
  close(): Promise<void>;
}

export async function startSshServer(options: { hostKey: KeyPair; user: string; clientKey: KeyPair }): Promise<TestSshServer> {
  const allowed = utils.parseKey(options.clientKey.privateKey);
  if (allowed instanceof Error) throw allowed;
  const allowedPublic = Array.isArray(allowed) ? allowed[0] : allowed;
  const connections: SeenConnection[] = [];
  const clients = new Set<Connection>();
  const children = new Set<ChildProcess>();

  const server = new Server({ hostKeys: [options.hostKey.privateKey] }, (client) => {
    clients.add(client);
    let markClosed: () => void = () => {};
    const seen: SeenConnection = {
      closed: false,
      whenClosed: new Promise((resolve) => (markClosed = resolve)),
      commands: [],
      signals: [],
      ends: [],
      end: () => client.end(),
      // ssh2's Connection keeps its socket in `_sock` (1.17.0); a reset needs the socket itself
      reset: () => (client as unknown as { _sock: Socket })._sock.resetAndDestroy(),
    };
    connections.push(seen);
    client.on("close", () => {
      seen.closed = true;
      clients.delete(client);
      markClosed();
    });
    client.on("error", () => {});
    client.on("authentication", (ctx) => {
      if (ctx.method !== "publickey" || ctx.username !== options.user) return ctx.reject(["publickey"]);
      const key = ctx.key;
      if (key.algo !== allowedPublic.type || !key.data.equals(allowedPublic.getPublicSSH())) return ctx.reject(["publickey"]);
      // without a signature the client only asks whether the key would do; with one, it must verify
      if (ctx.signature && ctx.blob && allowedPublic.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true) return ctx.reject(["publickey"]);
      ctx.accept();
    });
    client.on("session", (acceptSession) => {
      const session = acceptSession();
      // ssh2's Server drops every channel request after the client's EOF (it marks the session as
      // ending), but a client ends stdin before it may need to send a "signal"; sshd, and RFC 4254,
      // take requests until the channel is closed. Keep the session open to them.
      Object.defineProperty(session, "_ending", { get: () => false, set: () => {} });
      let child: ChildProcess | undefined;
      session.on("signal", (accept, _reject, info) => {
        seen.signals.push(info.name);
        accept?.();
        if (child) killGroup(child, `SIG${info.name}` as NodeJS.Signals);
      });
      session.on("exec", (accept, _reject, info) => {
        seen.commands.push(info.command);
        const stream = accept();
        const proc = guardChildStreams(spawn("sh", ["-c", info.command], { stdio: ["pipe", "pipe", "pipe"], detached: true }));
        child = proc;
        children.add(proc);
        stream.on("error", () => {});
        stream.pipe(proc.stdin!);
        proc.stdout!.pipe(stream, { end: false });
        proc.stderr!.pipe(stream.stderr, { end: false });
        // The client closed the channel (e.g. after its timeout). Like sshd with a session without
        // a pty, close the command's pipes but do not kill it: only a "signal" request does that.
        let channelClosed = false;
        stream.on("close", () => {
          channelClosed = true;
          stream.unpipe(proc.stdin!);
          proc.stdout!.unpipe(stream);
          proc.stderr!.unpipe(stream.stderr);
          for (const pipe of [proc.stdin, proc.stdout, proc.stderr]) pipe?.destroy();
        });
        proc.on("close", (code, signal) => {
          children.delete(proc);
          seen.ends.push(code ?? signal ?? -1);
          if (channelClosed) return;
          if (code !== null) stream.exit(code);
          else stream.exit(signal?.replace(/^SIG/, "") ?? "KILL", false, "");
          stream.end();
        });
      });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const child of children) killGroup(child, "SIGKILL");
        for (const client of clients) client.end();
        server.close(() => resolve());
      }),
  };
}

/** Signals the command's whole process group (it runs detached, in a group of its own), so a child of `sh` goes too. */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // already gone
  }
}
