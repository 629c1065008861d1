/**
 * bench:provision — a no-op re-run of the whole client-host play with our CLI, side by side with
 * an Ansible playbook doing equivalent work (bench/provision/playbook.yml), against the same
 * freshly booted systemd test host (see docs/testing.md). Target: ours ≤ 1/4 of Ansible's time.
 *
 * Usage: npm run bench:provision [-- --runs 5]     (root; needs the test host rootfs: bash scripts/test-prereqs.sh)
 * Installs Debian's ansible on first use (bench only; the tests never need it). Writes bench/provision/RESULTS.md.
 */
import { execFile, spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, release, totalmem, tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { artifactUrls } from "../../provision/client-host";
import { MANAGED_HEADER } from "../../provision/templates";
import { startArtifactMirror } from "../../__tests__/support/artifact-mirror";
import { describeRun, hostArgs, produceRoleOf, runProvision, writeFakeCluster, writeProvisionInputs } from "../../__tests__/support/provision-cli";
import { guardChildStreams } from "../../__tests__/support/child-streams";
import { startTestHost } from "../../__tests__/support/systemd-host";
import { REST_PROXY_PORT } from "../../lib/contract";

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const RUNS = Number(values.runs);
const VERSIONS = { kafka: "3.8.1", confluent: "8.0.0", mskIamAuth: "2.3.6" };
const INPUTS = {
  userId: "bench01",
  bootstrapServers: "b-1.bench.abc123.c2.kafka.us-east-1.amazonaws.com:9098,b-2.bench.abc123.c2.kafka.us-east-1.amazonaws.com:9098",
  roleArn: "arn:aws:iam::123456789012:role/bench01-ec2-access-role",
  versions: VERSIONS,
};
const TOPICS = ["pin", "geo", "user"].map((s) => `${INPUTS.userId}.${s}`);

const median = (xs: readonly number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

interface Timed {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

function timed(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, cwd: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = guardChildStreams(spawn(cmd, args, { env, cwd, stdio: ["ignore", "pipe", "pipe"] }));
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (c: string) => (stdout += c));
    child.stderr.setEncoding("utf8").on("data", (c: string) => (stderr += c));
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, stdout, stderr, seconds: (performance.now() - started) / 1000 }));
  });
}

function ensureAnsible(): string {
  const version = () => spawnSync("ansible-playbook", ["--version"], { encoding: "utf8" });
  let probe = version();
  if (probe.status !== 0) {
    if (process.getuid?.() !== 0) throw new Error("ansible-playbook is not installed (bench baseline): run as root, or apt-get install -y ansible");
    console.error("bench:provision: installing Debian's ansible (apt-get install -y ansible), once");
    const install = spawnSync("apt-get", ["install", "-y", "-qq", "ansible"], { stdio: "inherit", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    if (install.status !== 0) throw new Error("apt-get install -y ansible failed (run apt-get update first?)");
    probe = version();
  }
  return probe.stdout.split("\n")[0].trim();
}

const ansibleRecap = (stdout: string) => {
  const match = /ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)\s+skipped=(\d+)/.exec(stdout);
  return match ? { ok: Number(match[1]), changed: Number(match[2]), unreachable: Number(match[3]), failed: Number(match[4]), skipped: Number(match[5]) } : undefined;
};

async function gitCommit(): Promise<string> {
  return new Promise((resolve) => void guardChildStreams(execFile("git", ["rev-parse", "--short", "HEAD"], { cwd: here }, (err, out) => resolve(err ? "unknown" : out.trim()))));
}

async function main(): Promise<void> {
  const ansibleVersion = ensureAnsible();
  const dir = mkdtempSync(join(tmpdir(), "bench-provision-"));
  const host = await startTestHost();
  const mirror = await startArtifactMirror(host.gateway);
  try {
    const artifacts = await mirror.publish(VERSIONS);
    const files = writeProvisionInputs(dir, host, { ...INPUTS, artifacts });
    await writeFakeCluster(host, { produceRoleArn: produceRoleOf(INPUTS) });
    const ours = (...extra: string[]) => runProvision([...hostArgs(host, files, host.knownHostsFile), ...extra]);

    console.error("bench:provision: converging the fresh test host with our CLI");
    const converge = await ours();
    if (converge.code !== 0) throw new Error(`converging the test host failed: ${describeRun(converge)}`);

    const urls = artifactUrls({
      kafkaCliVersion: VERSIONS.kafka,
      confluentVersion: VERSIONS.confluent,
      mskIamAuthVersion: VERSIONS.mskIamAuth,
      artifacts: { ...artifacts },
    });
    writeFileSync(
      join(dir, "vars.json"),
      JSON.stringify({
        managed_header: MANAGED_HEADER,
        role_arn: INPUTS.roleArn,
        bootstrap_servers: INPUTS.bootstrapServers,
        rest_port: REST_PROXY_PORT,
        ssh_user: host.user,
        kafka_version: VERSIONS.kafka,
        confluent_version: VERSIONS.confluent,
        msk_iam_auth_version: VERSIONS.mskIamAuth,
        kafka_url: urls.kafka,
        confluent_url: urls.confluent,
        msk_iam_auth_url: urls.mskIamAuth,
        msk_iam_auth_sha256: artifacts.mskIamAuthSha256,
        topics: TOPICS,
        partitions: 1,
      }),
    );
    writeFileSync(
      join(dir, "inventory.ini"),
      `client ansible_host=${host.host} ansible_port=${host.port} ansible_user=${host.user} ansible_ssh_private_key_file=${host.identityFile} ansible_python_interpreter=/usr/bin/python3\n`,
    );
    writeFileSync(
      join(dir, "ansible.cfg"),
      [
        "[defaults]",
        `inventory = ${join(dir, "inventory.ini")}`,
        "host_key_checking = True",
        "retry_files_enabled = False",
        "forks = 1",
        "[ssh_connection]",
        "pipelining = True",
        `ssh_args = -o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=${host.knownHostsFile} -o IdentitiesOnly=yes`,
        `control_path_dir = ${join(dir, "cp")}`,
        "",
      ].join("\n"),
    );
    const ansibleEnv = { ...process.env, ANSIBLE_CONFIG: join(dir, "ansible.cfg"), ANSIBLE_NOCOLOR: "1" };
    const ansible = (...extra: string[]) => timed("ansible-playbook", [join(here, "playbook.yml"), "--extra-vars", `@${join(dir, "vars.json")}`, ...extra], ansibleEnv, here);

    // The playbook must find nothing to change on the host our CLI converged: same files, same state.
    const equivalence = await ansible("--diff");
    const recap = ansibleRecap(equivalence.stdout);
    if (equivalence.code !== 0 || recap?.changed !== 0) {
      throw new Error(`the Ansible playbook is not equivalent: on a host our CLI converged it reported ${JSON.stringify(recap)}:\n${equivalence.stdout}\n${equivalence.stderr}`);
    }

    const oursSeconds: number[] = [];
    const ansibleSeconds: number[] = [];
    let oursRoundTrips = 0;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const run = await ours("--verbose");
      oursSeconds.push((performance.now() - started) / 1000);
      if (run.code !== 0 || run.recap?.changed !== 0) throw new Error(`our no-op re-run changed something: ${describeRun(run)}`);
      oursRoundTrips = run.roundTrips ?? 0;
      const baseline = await ansible();
      if (baseline.code !== 0 || ansibleRecap(baseline.stdout)?.changed !== 0) throw new Error(`the Ansible no-op run changed something:\n${baseline.stdout}`);
      ansibleSeconds.push(baseline.seconds);
      console.error(`run ${i + 1}/${RUNS}: ours ${oursSeconds[i].toFixed(2)} s, ansible ${baseline.seconds.toFixed(2)} s`);
    }
    const verbose = await ansible("-vvv");
    const ansibleRoundTrips = verbose.stdout.split("\n").filter((line) => /SSH: EXEC ssh /.test(line)).length;
    // Where Ansible's time goes: one more no-op run with the profile_tasks callback (slowest tasks first).
    const profiled = await timed(
      "ansible-playbook",
      [join(here, "playbook.yml"), "--extra-vars", `@${join(dir, "vars.json")}`],
      { ...ansibleEnv, ANSIBLE_CALLBACKS_ENABLED: "ansible.posix.profile_tasks" },
      here,
    );
    const slowest = profiled.stdout
      .split("\n")
      .map((line) => /^(.+?) -+ (\d+\.\d+)s$/.exec(line.trim()))
      .filter((m): m is RegExpExecArray => m !== null)
      .slice(0, 5)
      .map((m) => `${m[1].trim()} ${m[2]} s`);

    const oursMedian = median(oursSeconds);
    const ansibleMedian = median(ansibleSeconds);
    const ratio = oursMedian / ansibleMedian;
    const cpu = cpus()[0]?.model ?? "unknown CPU";
    const report = `# bench:provision — no-op re-run of the client-host play

Command: \`npm run bench:provision -- --runs ${RUNS}\` (bench/provision/run.ts). Commit ${await gitCommit()}, ${new Date().toISOString().slice(0, 10)}.
Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Linux ${release()}, Node ${process.version}, ${ansibleVersion}.
Target: a freshly booted systemd test host (Debian bookworm, systemd-nspawn, sshd on 127.0.0.1), converged once by our CLI;
then ${RUNS} alternating no-op runs of each tool against it. Wall-clock time of the whole command (process start to exit).

| | median of ${RUNS} (s) | runs (s) | SSH connections | SSH round trips |
|---|---:|---|---:|---:|
| ours: \`node provision/host.mjs\` | ${oursMedian.toFixed(2)} | ${oursSeconds.map((s) => s.toFixed(2)).join(", ")} | 1 | ${oursRoundTrips} (commands sent, from \`--verbose\`) |
| Ansible: \`ansible-playbook bench/provision/playbook.yml\` | ${ansibleMedian.toFixed(2)} | ${ansibleSeconds.map((s) => s.toFixed(2)).join(", ")} | 1 (ControlPersist) | ${ansibleRoundTrips} (\`SSH: EXEC\` lines of \`-vvv\`) |

Ours / Ansible: **${ratio.toFixed(2)}** (target ≤ 0.25: ${ratio <= 0.25 ? "met" : "NOT met"}).

Ansible's slowest tasks in one more no-op run (profile_tasks): ${slowest.join("; ") || "n/a"}.

Equivalence: the playbook renders the same four files from the same variables (\`bench/provision/templates/\`), checks the
same packages (apt module), stats the versioned directories and flips the same symlinks, verifies the jar's sha256
(get_url), lists topics with the same kafka-topics.sh command as the SSH user and creates the missing ones, and keeps
kafka-rest enabled and started, with the same handlers. Before timing, the bench runs it once on the host our CLI
converged and requires changed=0, so both tools manage byte-identical files. Ansible settings: pipelining on,
ControlMaster/ControlPersist 60 s (its connection survives between runs; ours reconnects every run), \`gather_subset: min\`.
`;
    writeFileSync(join(here, "RESULTS.md"), report);
    console.log(report);
  } finally {
    await host.stop();
    await mirror.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
