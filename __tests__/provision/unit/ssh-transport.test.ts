/**
 * The ssh2 transport (provision/ssh.ts) against an SSH server in this process (./ssh-server.ts:
 * ssh2's own Server, real key exchange and public key authentication, commands run with `sh -c`):
 * no root, no sshd, no containers. Covers command execution, host key verification against
 * known_hosts, recording trusted-on-first-use keys, and each connection failure's message.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { type AddressInfo, type Socket, createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { HostKeyError, fingerprint, hostKeyErrorMessage, knownHostsLine } from "../../../provision/known-hosts";
import { RemoteCommandError } from "../../../provision/remote";
import { ConnectError, SshHost, type SshTarget } from "../../../provision/ssh";
import { freePort } from "../../support/net";
import { type KeyPair, type SeenConnection, type TestSshServer, generateKey, startSshServer } from "./ssh-server";

const USER = "tester";

let dir: string;
let hostKey: KeyPair;
let otherHostKey: KeyPair;
let clientKey: KeyPair;
let wrongClientKey: KeyPair;
let encryptedClientKey: KeyPair;
let server: TestSshServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "ssh-transport-"));
  hostKey = generateKey(dir, "host");
  otherHostKey = generateKey(dir, "other-host");
  clientKey = generateKey(dir, "client");
  wrongClientKey = generateKey(dir, "wrong-client");
  encryptedClientKey = generateKey(dir, "encrypted-client", "secret passphrase");
  server = await startSshServer({ hostKey, user: USER, clientKey });
});

afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const opened: SshHost[] = [];
afterEach(async () => {
  for (const host of opened.splice(0)) await host.close();
});

let files = 0;
/** A fresh known_hosts path in a directory of its own: written with `content` when given, else neither file nor directory exists. */
function knownHostsFile(content?: string): string {
  const caseDir = join(dir, `case-${++files}`);
  const file = join(caseDir, "known_hosts");
  if (content !== undefined) {
    mkdirSync(caseDir);
    writeFileSync(file, content);
  }
  return file;
}

/** The name the server is recorded under: `[127.0.0.1]:port`, the port not being 22. */
function serverName(): string {
  return `[127.0.0.1]:${server.port}`;
}

function target(knownHosts: string, overrides: Partial<SshTarget> = {}): SshTarget {
  return { host: "127.0.0.1", port: server.port, user: USER, privateKey: clientKey.privateKey, identityFile: clientKey.path, knownHostsFile: knownHosts, connectTimeoutMs: 5_000, ...overrides };
}

async function connect(t: SshTarget): Promise<SshHost> {
  const host = await SshHost.connect(t);
  opened.push(host);
  return host;
}

/** Connects expecting a refusal; returns the error. */
async function connectError(t: SshTarget): Promise<Error> {
  const error = await connect(t).then(
    () => undefined,
    (err: Error) => err,
  );
  if (!error) throw new Error("connected, expected a refusal");
  return error;
}

describe("exec over a connection to a known host", () => {
  it("returns stdout, stderr and the exit code, and counts the round trips", async () => {
    const host = await connect(target(knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`)));
    expect(host.name).toBe("127.0.0.1");
    expect(host.user).toBe(USER);
    expect(host.roundTrips).toBe(0);
    expect(await host.exec(["sh", "-c", "echo out; echo err >&2; exit 3"])).toEqual({ stdout: "out\n", stderr: "err\n", code: 3 });
    expect(host.roundTrips).toBe(1);
    expect(await host.exec(["true"])).toEqual({ stdout: "", stderr: "", code: 0 });
    expect(host.roundTrips).toBe(2);
    expect(server.connections.at(-1)?.commands).toEqual(["env LC_ALL=C sh -c 'echo out; echo err >&2; exit 3'", "env LC_ALL=C true"]);
  });

  it("delivers stdin, then closes it", async () => {
    const host = await connect(target(knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`)));
    expect(await host.exec(["cat"], { stdin: "abc" })).toEqual({ stdout: "abc", stderr: "", code: 0 });
    expect(await host.exec(["cat"], { stdin: Buffer.from("line 1\nline 2\n") })).toEqual({ stdout: "line 1\nline 2\n", stderr: "", code: 0 });
    // no stdin option: an empty stdin that is closed, so cat ends at once
    expect(await host.exec(["cat"], { timeoutMs: 2_000 })).toEqual({ stdout: "", stderr: "", code: 0 });
  });

  it("sets the env option's variables and LC_ALL=C for the command", async () => {
    const host = await connect(target(knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`)));
    const result = await host.exec(["sh", "-c", 'printf "%s|%s|" "$LC_ALL" "$K"'], { env: { K: "v w's $(x)" } });
    expect(result).toEqual({ stdout: "C|v w's $(x)|", stderr: "", code: 0 });
  });

  it("passes arguments with spaces, quotes and $(...) as the same argv", async () => {
    const host = await connect(target(knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`)));
    expect(await host.exec(["printf", "%s|", "a b", "it's", "$(id)", "", "`id`", '"q"', "a\nb"])).toEqual({ stdout: "a b|it's|$(id)||`id`|\"q\"|a\nb|", stderr: "", code: 0 });
  });

  it("a command past its timeout: RemoteCommandError, the command is sent KILL, the connection still works", async () => {
    const host = await connect(target(knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`)));
    const seen = server.connections.at(-1)!;
    const started = Date.now();
    const error = await host.exec(["sleep", "5"], { timeoutMs: 300 }).then(
      () => undefined,
      (err: Error) => err,
    );
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(error).toBeInstanceOf(RemoteCommandError);
    expect(error?.message).toBe("[127.0.0.1] exec: command exited -1: env LC_ALL=C sleep 5: timed out after 0.3 s");
    expect((error as RemoteCommandError).code).toBe(-1);
    // the server got the signal request and the command died of it (closing the channel alone leaves it running)
    await vi.waitFor(() => expect(seen.ends).toEqual(["SIGKILL"]), { timeout: 2_000 });
    expect(seen.signals).toEqual(["KILL"]);
    expect(await host.exec(["echo", "still here"])).toEqual({ stdout: "still here\n", stderr: "", code: 0 });
    expect(host.roundTrips).toBe(2);
  });

  it("close() ends the connection; a command after it fails at once, without a request", async () => {
    const host = await connect(target(knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`)));
    const seen = server.connections.at(-1)!;
    expect(seen.closed).toBe(false);
    await host.close();
    await seen.whenClosed;
    expect(seen.closed).toBe(true);
    await expect(host.exec(["true"])).rejects.toThrow(new RemoteCommandError("127.0.0.1", "exec", "env LC_ALL=C true", -1, "connection lost: closed by this side"));
    expect(host.roundTrips).toBe(0);
    expect(seen.commands).toEqual([]);
    await host.close();
  });
});

describe("the connection going away under a run", () => {
  /** Connects to the known server and starts a command that runs until the connection goes, waiting until the server runs it. */
  async function commandInFlight(): Promise<{ host: SshHost; seen: SeenConnection; outcome: Promise<Error | undefined> }> {
    const host = await connect(target(knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`)));
    const seen = server.connections.at(-1)!;
    const outcome = host.exec(["sleep", "30"], { timeoutMs: 10_000 }).then(
      () => undefined,
      (err: Error) => err,
    );
    await vi.waitFor(() => expect(seen.commands).toEqual(["env LC_ALL=C sleep 30"]), { timeout: 2_000 });
    // wrapped: an async function returning the promise itself would wait for the command to end
    return { host, seen, outcome };
  }

  it("the server ends it during a command: that command and the next fail with 'connection lost', not an exit code", async () => {
    const { host, seen, outcome } = await commandInFlight();
    seen.end();
    const error = await outcome;
    expect(error).toBeInstanceOf(RemoteCommandError);
    expect(error?.message).toBe("[127.0.0.1] exec: command exited -1: env LC_ALL=C sleep 30: connection lost: the connection closed");
    await expect(host.exec(["true"])).rejects.toThrow("[127.0.0.1] exec: command exited -1: env LC_ALL=C true: connection lost: the connection closed");
    expect(host.roundTrips).toBe(1);
  });

  it("a reset: the socket error is the reason, not an unhandled 'error' event, and close() still resolves", async () => {
    const { host, seen, outcome } = await commandInFlight();
    seen.reset();
    const error = await outcome;
    // the reset surfaces on whichever socket call meets it first: a read, or a keepalive's write
    expect(error?.message).toMatch(/^\[127\.0\.0\.1\] exec: command exited -1: env LC_ALL=C sleep 30: connection lost: (read|write) ECONNRESET$/);
    await expect(host.exec(["true"])).rejects.toThrow(/^\[127\.0\.0\.1\] exec: command exited -1: env LC_ALL=C true: connection lost: (read|write) ECONNRESET$/);
    await host.close();
  });
});

describe("host key verification", () => {
  it("an unknown key without acceptNewHostKey: HostKeyError, and no known_hosts file is written", async () => {
    const file = knownHostsFile();
    const error = await connectError(target(file));
    expect(error).toBeInstanceOf(HostKeyError);
    expect(error.message).toBe(hostKeyErrorMessage({ status: "unknown" }, serverName(), hostKey.blob, file));
    expect(existsSync(file)).toBe(false);
    // acceptNewHostKey: false says the same
    expect((await connectError(target(file, { acceptNewHostKey: false }))).message).toBe(error.message);
    expect(existsSync(file)).toBe(false);
  });

  it("an unknown key with acceptNewHostKey: connects, creates the file 0600 with the one line, which is then trusted", async () => {
    const file = knownHostsFile();
    const host = await connect(target(file, { acceptNewHostKey: true }));
    expect(await host.exec(["echo", "ok"])).toEqual({ stdout: "ok\n", stderr: "", code: 0 });
    expect(readFileSync(file, "utf8")).toBe(`${knownHostsLine(serverName(), hostKey.blob)}\n`);
    expect(readFileSync(file, "utf8")).toMatch(/^\[127\.0\.0\.1\]:\d+ ssh-ed25519 /);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    // the recorded key is now known: a second connection needs no acceptance and adds nothing
    await connect(target(file));
    expect(readFileSync(file, "utf8")).toBe(`${knownHostsLine(serverName(), hostKey.blob)}\n`);
  });

  it("appends the accepted key on a line of its own, whether or not the file ends with a newline", async () => {
    const other = `other.example ssh-ed25519 ${otherHostKey.blob.toString("base64")}`;
    const withoutNewline = knownHostsFile(`# mine\n${other}`);
    await connect(target(withoutNewline, { acceptNewHostKey: true }));
    expect(readFileSync(withoutNewline, "utf8")).toBe(`# mine\n${other}\n${knownHostsLine(serverName(), hostKey.blob)}\n`);

    const withNewline = knownHostsFile(`${other}\n`);
    await connect(target(withNewline, { acceptNewHostKey: true }));
    expect(readFileSync(withNewline, "utf8")).toBe(`${other}\n${knownHostsLine(serverName(), hostKey.blob)}\n`);
  });

  it("records nothing when the login fails after the key was accepted", async () => {
    const file = knownHostsFile();
    const error = await connectError(target(file, { acceptNewHostKey: true, privateKey: wrongClientKey.privateKey, identityFile: wrongClientKey.path }));
    expect(error).toBeInstanceOf(ConnectError);
    expect(existsSync(file)).toBe(false);
  });

  it.each([false, true])("a changed key (acceptNewHostKey %s): HostKeyError, the file unchanged byte for byte", async (acceptNewHostKey) => {
    const content = `# hosts\n${knownHostsLine(serverName(), otherHostKey.blob)}`;
    const file = knownHostsFile(content);
    const error = await connectError(target(file, { acceptNewHostKey }));
    expect(error).toBeInstanceOf(HostKeyError);
    expect(error.message).toBe(hostKeyErrorMessage({ status: "changed", line: 2, expected: `ssh-ed25519 ${fingerprint(otherHostKey.blob)}` }, serverName(), hostKey.blob, file));
    expect(readFileSync(file, "utf8")).toBe(content);
  });

  it.each([false, true])("a revoked key (acceptNewHostKey %s): HostKeyError, even with a known entry for it", async (acceptNewHostKey) => {
    const content = `@revoked * ssh-ed25519 ${hostKey.blob.toString("base64")}\n${knownHostsLine(serverName(), hostKey.blob)}\n`;
    const file = knownHostsFile(content);
    const error = await connectError(target(file, { acceptNewHostKey }));
    expect(error).toBeInstanceOf(HostKeyError);
    expect(error.message).toBe(hostKeyErrorMessage({ status: "revoked", line: 1 }, serverName(), hostKey.blob, file));
    expect(readFileSync(file, "utf8")).toBe(content);
  });
});

describe("connection failures", () => {
  it("a key the server does not accept: ConnectError naming user, host, port and identity file", async () => {
    const file = knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`);
    const error = await connectError(target(file, { privateKey: wrongClientKey.privateKey, identityFile: wrongClientKey.path }));
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toBe(
      `SSH authentication failed for ${USER}@127.0.0.1:${server.port} with key ${wrongClientKey.path} (check --user and --identity; the host must have the matching public key in ~${USER}/.ssh/authorized_keys)`,
    );
    // the right key for another user fails the same way
    const otherUser = await connectError(target(file, { user: "nobody" }));
    expect(otherUser.message).toBe(
      `SSH authentication failed for nobody@127.0.0.1:${server.port} with key ${clientKey.path} (check --user and --identity; the host must have the matching public key in ~nobody/.ssh/authorized_keys)`,
    );
  });

  it("no key and no agent: ConnectError saying so", async () => {
    const file = knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`);
    const error = await connectError(target(file, { privateKey: undefined, identityFile: undefined }));
    expect(error.message).toBe(`SSH authentication failed for ${USER}@127.0.0.1:${server.port} with no key (check --user and --identity; the host must have the matching public key in ~${USER}/.ssh/authorized_keys)`);
  });

  it("a server that accepts the connection and never speaks SSH: the handshake times out, the socket is closed, and the second error ssh2 emits is handled", async () => {
    const sockets: Socket[] = [];
    // reads (and drops) what the client sends, so it sees the client close
    const silent = createServer((socket) => sockets.push(socket.resume()));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const error = await connectError(target(knownHostsFile(), { port, connectTimeoutMs: 400 }));
      expect(error).toBeInstanceOf(ConnectError);
      expect(error.message).toBe(`SSH handshake with 127.0.0.1:${port} timed out after 0.4 s`);
      await vi.waitFor(() => expect(sockets.map((socket) => socket.closed)).toEqual([true]), { timeout: 2_000 });
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });

  it("something else on the port: ConnectError with ssh2's reason", async () => {
    const web = createServer((socket) => socket.resume().end("HTTP/1.1 400 Bad Request\r\n\r\n"));
    await new Promise<void>((resolve) => web.listen(0, "127.0.0.1", resolve));
    const port = (web.address() as AddressInfo).port;
    try {
      const error = await connectError(target(knownHostsFile(), { port }));
      expect(error).toBeInstanceOf(ConnectError);
      expect(error.message).toBe(`SSH connection to 127.0.0.1:${port} failed: Connection lost before handshake`);
    } finally {
      await new Promise((resolve) => web.close(resolve));
    }
  });

  it("nothing listening on the port: ConnectError with ECONNREFUSED", async () => {
    const port = await freePort();
    const error = await connectError(target(knownHostsFile(), { port }));
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toBe(`cannot reach 127.0.0.1:${port}: ECONNREFUSED (check --host/--port, that the host is running and that the security group allows your address)`);
  });

  it("a passphrase-protected key without its passphrase: ConnectError naming the identity file", async () => {
    const file = knownHostsFile(`${knownHostsLine(serverName(), hostKey.blob)}\n`);
    const error = await connectError(target(file, { privateKey: encryptedClientKey.privateKey, identityFile: encryptedClientKey.path }));
    expect(error).toBeInstanceOf(ConnectError);
    expect(error.message).toBe(
      `cannot use identity ${encryptedClientKey.path}: Cannot parse privateKey: Encrypted private OpenSSH key detected, but no passphrase given (pass an unencrypted key with --identity, or load it into ssh-agent)`,
    );
  });
});
