/**
 * A real systemd host reachable only over SSH, for the provisioning integration tests and bench.
 *
 * Boots the cached Debian bookworm rootfs that scripts/prereqs.d/20-systemd-host.sh builds, with
 * systemd-nspawn --volatile=overlay: every boot is a fresh host (writes go to a tmpfs layer), the
 * cache stays pristine. Each host has a network namespace of its own, joined to the machine by a
 * veth pair on a /30 of 10.254.0.0/16, so its services bind the addresses their config says (the
 * REST proxy 0.0.0.0:REST_PROXY_PORT) and hosts of parallel test files never share a port. Its
 * sshd listens on port 22 of the host's address and trusts a keypair generated for this run only.
 * Nothing on the machine's own /etc or services is touched. See docs/testing.md ("The systemd
 * test host").
 */
import { guardChildStreams } from "./child-streams";
import { type ChildProcess, execFile, spawn, spawnSync } from "node:child_process";
import { chmodSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { command, shellQuote } from "../../provision/remote";

/** Where the prereq script keeps the finished rootfs (a symlink to the current recipe's build). */
export const TEST_HOST_ROOTFS = "/var/cache/pipeline-test-host/current";
const READY_STAMP = ".pipeline-test-host-ready";
/** Running hosts, so a later run can stop hosts whose test process died without cleaning up. */
const REGISTRY_DIR = "/run/pipeline-test-hosts";
const MACHINE_PREFIX = "pipeline-test-";
const CGROUP_ROOTS = ["/sys/fs/cgroup/unified", "/sys/fs/cgroup/systemd"];
/** Test hosts' /30s are carved from 10.254.0.0/16, a range nothing else on the machine uses. */
const NET_PREFIX = "10.254";
const NETNS_PREFIX = "pth";
const FIX = "run `bash scripts/test-prereqs.sh` as root (it installs systemd-container and builds the rootfs once)";

export interface SshResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

export interface SshOptions {
  /** Log in as this user instead of ec2-user. */
  readonly user?: string;
  /** Written to the remote command's stdin. */
  readonly input?: string;
  /** Return non-zero exits instead of throwing. */
  readonly allowFailure?: boolean;
  readonly timeoutMs?: number;
}

export interface TestHost {
  /** The host's own address inside its network namespace (10.254.<n>.2). */
  readonly host: string;
  /** The machine's side of the veth (10.254.<n>.1): bind servers the host must reach here. */
  readonly gateway: string;
  readonly port: 22;
  readonly user: "ec2-user";
  /** The run's private key (ed25519); its public key is authorized for ec2-user and nosudo. */
  readonly identityFile: string;
  /** `10.254.<n>.2 ssh-ed25519 AAAA...`, the host key the boot started with. */
  readonly knownHostsEntry: string;
  /** A known_hosts file holding {@link knownHostsEntry}, used by {@link ssh}. */
  readonly knownHostsFile: string;
  readonly machine: string;
  /** A private temp dir of this host (keys, boot log); removed by {@link stop}. */
  readonly workDir: string;
  readonly bootLog: string;
  /** Runs argv on the host through the system ssh client; each word is quoted for the remote shell. */
  ssh(argv: readonly string[], options?: SshOptions): Promise<SshResult>;
  /** {@link ssh} with `sudo -n` in front. */
  sudo(argv: readonly string[], options?: SshOptions): Promise<SshResult>;
  /** Stops the container and removes everything the boot created. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartTestHostOptions {
  /** Give up on the boot after this long. @default 90_000 */
  readonly bootTimeoutMs?: number;
}

/** The host's network: a namespace and a veth pair on 10.254.<index>.0/30. */
interface HostNetwork {
  readonly netns: string;
  /** The machine's end of the veth; deleting it deletes the pair. */
  readonly hostVeth: string;
  readonly gateway: string;
  readonly address: string;
}

/**
 * Takes the first free /30 from a random start: `ip netns add` fails for a name that exists, so two
 * test processes never take the same one. A /30 whose address some interface already has is skipped.
 */
function createHostNetwork(): HostNetwork {
  const start = Math.floor(Math.random() * 256);
  for (let i = 0; i < 256; i++) {
    const index = (start + i) % 256;
    const network = { netns: `${NETNS_PREFIX}${index}`, hostVeth: `${NETNS_PREFIX}${index}-h`, gateway: `${NET_PREFIX}.${index}.1`, address: `${NET_PREFIX}.${index}.2` };
    if (spawnSync("ip", ["-4", "-o", "addr", "show", "to", `${NET_PREFIX}.${index}.0/30`], { encoding: "utf8" }).stdout.trim() !== "") continue;
    if (spawnSync("ip", ["netns", "add", network.netns]).status !== 0) continue;
    const guestVeth = `${NETNS_PREFIX}${index}-c`;
    const steps = [
      ["link", "add", network.hostVeth, "type", "veth", "peer", "name", guestVeth, "netns", network.netns],
      ["addr", "add", `${network.gateway}/30`, "dev", network.hostVeth],
      ["link", "set", network.hostVeth, "up"],
      ["-n", network.netns, "addr", "add", `${network.address}/30`, "dev", guestVeth],
      ["-n", network.netns, "link", "set", guestVeth, "up"],
      ["-n", network.netns, "link", "set", "lo", "up"],
    ];
    try {
      for (const step of steps) run("ip", step);
    } catch (err) {
      removeHostNetwork(network);
      throw err;
    }
    return network;
  }
  throw new Error(`no free /30 in ${NET_PREFIX}.0.0/16 for a test host (ip netns list shows them; a leftover ${NETNS_PREFIX}<n> is removed by the next test run once its owner is gone)`);
}

function removeHostNetwork(network: Pick<HostNetwork, "netns" | "hostVeth">): void {
  spawnSync("sh", ["-c", networkTeardown(network)], { stdio: "ignore" });
}

function networkTeardown(network: Pick<HostNetwork, "netns" | "hostVeth">): string {
  return `ip link del ${shellQuote(network.hostVeth)} 2>/dev/null; ip netns del ${shellQuote(network.netns)} 2>/dev/null; true`;
}

export async function startTestHost(options: StartTestHostOptions = {}): Promise<TestHost> {
  checkPrerequisites();
  stopOrphanedHosts();
  const machine = `${MACHINE_PREFIX}${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  const workDir = mkdtempSync(join(tmpdir(), `${machine}-`));
  const identityFile = join(workDir, "id_ed25519");
  run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", `${machine}-test-key`, "-f", identityFile]);
  // The authorized key is bind-mounted read-only for every user (sshd reads it as the user: 0755/0644).
  const keysDir = join(workDir, "authorized-keys");
  mkdirSync(keysDir);
  chmodSync(workDir, 0o755);
  writeFileSync(join(keysDir, "authorized_keys"), readFileSync(`${identityFile}.pub`), { mode: 0o644 });
  chmodSync(keysDir, 0o755);
  chmodSync(identityFile, 0o600);
  const port = 22;
  const network = createHostNetwork();
  const sshdConfig = join(workDir, "sshd-test.conf");
  writeFileSync(sshdConfig, ["AuthorizedKeysFile /etc/ssh/pipeline-test-keys/authorized_keys", "PasswordAuthentication no", ""].join("\n"), { mode: 0o644 });
  const hostKey = readFileSync(join(TEST_HOST_ROOTFS, "etc/ssh/ssh_host_ed25519_key.pub"), "utf8").trim().split(/\s+/).slice(0, 2).join(" ");
  const knownHostsEntry = `${network.address} ${hostKey}`;
  const knownHostsFile = join(workDir, "known_hosts");
  writeFileSync(knownHostsFile, `${knownHostsEntry}\n`);
  const bootLog = join(workDir, "boot.log");

  for (const root of CGROUP_ROOTS) mkdirSync(join(root, machine), { recursive: true });
  const nspawnArgs = [
    "-D", TEST_HOST_ROOTFS, "-b", `--machine=${machine}`, "--register=no", "--keep-unit", "--console=read-only", "--volatile=overlay",
    `--network-namespace-path=/run/netns/${network.netns}`,
    `--bind-ro=${sshdConfig}:/etc/ssh/sshd_config.d/10-pipeline-test.conf`,
    `--bind-ro=${keysDir}:/etc/ssh/pipeline-test-keys`,
  ];
  // The launching shell moves itself into the machine's own cgroups, then becomes nspawn, so
  // nspawn's payload/supervisor cgroups land there and can be removed after it exits.
  const enterCgroups = CGROUP_ROOTS.map((root) => `echo $$ > ${join(root, machine, "cgroup.procs")}`).join(" && ");
  let nspawn: ChildProcess;
  try {
    const logFd = openSync(bootLog, "a");
    nspawn = spawn("sh", ["-c", `${enterCgroups} && exec systemd-nspawn "$@"`, "sh", ...nspawnArgs], {
      detached: true, // setsid: nspawn gets its own session, away from the test runner's terminal
      stdio: ["ignore", logFd, logFd],
    });
    closeSync(logFd);
  } catch (err) {
    removeHostNetwork(network);
    throw err;
  }
  nspawn.unref();
  const nspawnPid = nspawn.pid!;
  let exited = false;
  nspawn.once("exit", () => (exited = true));
  mkdirSync(REGISTRY_DIR, { recursive: true });
  const record: HostRecord = { nspawnPid, ownerPid: process.pid, workDir, netns: network.netns, hostVeth: network.hostVeth };
  writeFileSync(join(REGISTRY_DIR, `${machine}.json`), JSON.stringify(record));

  let stopped = false;
  const stopSync = () => {
    if (stopped) return;
    stopped = true;
    spawnSync("bash", ["-c", stopScript(machine, record)], { stdio: "ignore", timeout: 30_000 });
  };
  process.once("exit", stopSync);

  const sshBase = (user: string) => [
    "-F", "/dev/null", "-p", String(port), "-i", identityFile, "-o", "IdentitiesOnly=yes", "-o", `UserKnownHostsFile=${knownHostsFile}`,
    "-o", "GlobalKnownHostsFile=/dev/null", "-o", "StrictHostKeyChecking=yes", "-o", "BatchMode=yes", "-o", "LogLevel=ERROR",
    "-o", "ConnectTimeout=5", `${user}@${network.address}`,
  ];
  const ssh = (argv: readonly string[], opts: SshOptions = {}): Promise<SshResult> =>
    new Promise((resolve, reject) => {
      const remote = command(argv);
      const child = guardChildStreams(execFile("ssh", [...sshBase(opts.user ?? "ec2-user"), remote], { timeout: opts.timeoutMs ?? 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
        const code = err ? (typeof err.code === "number" ? err.code : 255) : 0;
        if (code !== 0 && !opts.allowFailure) {
          reject(new Error(`ssh ${opts.user ?? "ec2-user"}@${machine}: \`${remote}\` exited ${code}${err?.killed ? " (timed out)" : ""}: ${stderr.trim() || stdout.trim()}`));
        } else {
          resolve({ code, stdout, stderr });
        }
      }));
      child.stdin?.end(opts.input ?? "");
    });

  const host: TestHost = {
    host: network.address,
    gateway: network.gateway,
    port,
    user: "ec2-user",
    identityFile,
    knownHostsEntry,
    knownHostsFile,
    machine,
    workDir,
    bootLog,
    ssh,
    sudo: (argv, opts) => ssh(["sudo", "-n", ...argv], opts),
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener("exit", stopSync);
      await new Promise<void>((resolve) => guardChildStreams(execFile("bash", ["-c", stopScript(machine, record)], { timeout: 30_000 }, () => resolve())));
    },
  };

  try {
    await waitUntilRunning(host, () => exited, options.bootTimeoutMs ?? 90_000);
  } catch (err) {
    const log = existsSync(bootLog) ? readFileSync(bootLog, "utf8").split("\n").slice(-30).join("\n") : "";
    await host.stop();
    throw new Error(`${(err as Error).message}\n--- last lines of the boot log ---\n${log}`);
  }
  return host;
}

async function waitUntilRunning(host: TestHost, exited: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let last = "";
  while (Date.now() < deadline) {
    if (exited()) throw new Error(`test host ${host.machine}: systemd-nspawn exited during boot (log: ${host.bootLog})`);
    const result = await host.ssh(["systemctl", "is-system-running", "--wait"], { allowFailure: true, timeoutMs: 30_000 });
    const state = result.stdout.trim();
    if (state === "running") return;
    if (state === "degraded") {
      const failed = await host.ssh(["systemctl", "--failed", "--no-legend", "--plain"], { allowFailure: true });
      console.warn(`test host ${host.machine} booted degraded; failed units:\n${failed.stdout.trim()}`);
      return;
    }
    last = state || result.stderr.trim();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`test host ${host.machine}: not running over SSH on port ${host.port} after ${timeoutMs} ms (last answer: ${last || "none"}); see docs/testing.md, "Debugging a failing boot"`);
}

function checkPrerequisites(): void {
  if (process.getuid?.() !== 0) throw new Error(`the systemd test host needs root (systemd-nspawn boots a container); run the tests as root`);
  for (const tool of ["systemd-nspawn", "ssh", "ssh-keygen", "ip"]) {
    if (spawnSync("sh", ["-c", `command -v ${tool}`]).status !== 0) throw new Error(`the systemd test host needs ${tool}, which is not installed; ${FIX}`);
  }
  if (!existsSync(join(TEST_HOST_ROOTFS, READY_STAMP))) throw new Error(`the systemd test host rootfs ${TEST_HOST_ROOTFS} is missing or unfinished; ${FIX}`);
}

function run(cmd: string, args: readonly string[]): void {
  const result = spawnSync(cmd, args, { encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed: ${result.stderr || result.error?.message}`);
}

/** Stops hosts registered by test processes that no longer exist. */
function stopOrphanedHosts(): void {
  if (!existsSync(REGISTRY_DIR)) return;
  for (const entry of readdirSync(REGISTRY_DIR)) {
    if (!entry.startsWith(MACHINE_PREFIX) || !entry.endsWith(".json")) continue;
    const machine = entry.slice(0, -".json".length);
    let record: HostRecord;
    try {
      record = JSON.parse(readFileSync(join(REGISTRY_DIR, entry), "utf8"));
    } catch {
      continue;
    }
    if (isAlive(record.ownerPid)) continue;
    spawnSync("bash", ["-c", stopScript(machine, record)], { stdio: "ignore", timeout: 30_000 });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A running host as the registry records it, for its own stop and for the orphan sweep. */
interface HostRecord {
  readonly nspawnPid: number;
  readonly ownerPid: number;
  readonly workDir: string;
  readonly netns: string;
  readonly hostVeth: string;
}

/**
 * The one stop procedure (used by stop(), the exit hook and the orphan sweep): SIGTERM to nspawn
 * powers the container off cleanly; if it has not exited after 20 s, every process left in the
 * machine's cgroups is killed. Then the cgroups are removed deepest-first, with the veth pair and
 * the network namespace, nspawn's propagation dir, the registry entry and the work dir.
 */
function stopScript(machine: string, { nspawnPid, workDir, netns, hostVeth }: HostRecord): string {
  const cgroups = CGROUP_ROOTS.map((root) => shellQuote(join(root, machine))).join(" ");
  return `
    # alive and still nspawn (an exited child stays a zombie until node reaps it, which a sync stop blocks)
    is_nspawn() { [ "$(cat /proc/${nspawnPid}/comm 2>/dev/null)" = systemd-nspawn ] && [ "$(awk '{print $3}' /proc/${nspawnPid}/stat 2>/dev/null)" != Z ]; }
    if is_nspawn; then
      kill -TERM ${nspawnPid} 2>/dev/null
      for _ in $(seq 200); do is_nspawn || break; sleep 0.1; done
    fi
    for cg in ${cgroups}; do
      [ -d "$cg" ] || continue
      for _ in $(seq 50); do
        pids=$(find "$cg" -name cgroup.procs -exec cat {} + 2>/dev/null)
        [ -z "$pids" ] && break
        kill -KILL $pids 2>/dev/null
        sleep 0.1
      done
      find "$cg" -depth -type d -exec rmdir {} \\; 2>/dev/null
    done
    ${networkTeardown({ netns, hostVeth })}
    rm -rf ${shellQuote(`/run/systemd/nspawn/propagate/${machine}`)} ${shellQuote(join(REGISTRY_DIR, `${machine}.json`))} ${shellQuote(workDir)}
    true
  `;
}
