/**
 * `npx zx provision/host.mjs`: configures the client host from the stack outputs and the
 * pipeline config. The only provisioning module that reads argv and the environment.
 */
import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { DEFAULT_CONFIG_FILE, loadConfig, topicNames } from "../lib/config";
import { OutputsError, loadStackOutputs } from "../lib/contract";
import { CLIENT_HOST_OUTPUTS, TAGS, clientHostPlay, clientHostSettings, kafkaVersionNotice } from "./client-host";
import { exitCode, recapLine, runPlay } from "./engine";
import { UsageError, booleanFlag, integerFlag, parseFlags, stringFlag } from "../lib/cli-args";
import { errorText, exitCodeOf } from "../lib/cli-run";
import ssh2 from "ssh2";
import { ConnectError, SshHost } from "./ssh";

export const USAGE = `Usage: npx zx provision/host.mjs [options]   (or: node provision/host.mjs [options])

Makes the client host a Kafka client with MSK IAM auth and a running Confluent REST proxy,
changing only what differs. The host and every cluster fact (brokers, Kafka version, topics,
roles, region) come from the stack outputs; the host's own software versions and artifact
mirrors from the pipeline config.

Options:
  --outputs FILE          stack outputs written by cdktf deploy --outputs-file (default: outputs.json)
  --config FILE           pipeline config (default: $PIPELINE_CONFIG, else ${DEFAULT_CONFIG_FILE})
  --host HOST             connect here instead of the outputs' client_public_dns
  --port N                SSH port (default: 22)
  --user USER             SSH user instead of the outputs' ssh_user
  --identity FILE         SSH private key (default: ~/.ssh/id_ed25519)
  --known-hosts FILE      known_hosts file to verify the host key against (default: .provision/known_hosts)
  --accept-new-host-key   trust an unknown host key and record it (a changed key is always refused)
  --check                 gather facts and report what would change; write nothing (exit 3 if anything would)
  --diff                  show a unified diff of every file that changes (or would), secrets masked
  --tags a,b              run only these parts: ${TAGS.join(", ")} (alias: --only)
  --verbose               print each change, handler notes and SSH round trips
  --help                  this text

Output: one "ok|changed|failed|skipped: [host] operation" line per operation, then a recap.
Exit: 0 nothing failed; 1 an operation or the connection failed; 2 bad flags or input (config, outputs,\nidentity); 3 --check found pending changes (terraform plan -detailed-exitcode says 2 for that; here 2 is bad input).`;

export interface CliEnvironment {
  readonly cwd: string;
  readonly home: string;
  /** SSH_AUTH_SOCK, when an agent runs. */
  readonly sshAuthSock?: string;
  /** PIPELINE_CONFIG: the config file when --config is not given. */
  readonly pipelineConfig?: string;
  /** Asks for a secret on the terminal; absent when there is no terminal (CI, a pipe). */
  readonly askPassphrase?: (prompt: string) => Promise<string>;
  readonly stdout: (line: string) => void;
  readonly stderr: (line: string) => void;
}

const FLAGS = {
  outputs: stringFlag(),
  config: stringFlag(),
  host: stringFlag(),
  port: integerFlag({ min: 1, max: 65535, example: "22" }),
  user: stringFlag(),
  identity: stringFlag(),
  "known-hosts": stringFlag(),
  "accept-new-host-key": booleanFlag(),
  check: booleanFlag(),
  diff: booleanFlag(),
  tags: stringFlag(),
  only: stringFlag(),
  verbose: booleanFlag(),
  help: booleanFlag({ short: "h" }),
};

/** The flags as options, defaults applied; --tags and --only both select tags, comma-separated. */
export function parseCommandLine(args: readonly string[]) {
  const flags = parseFlags(args, FLAGS);
  const tagList = [flags.tags, flags.only].filter((v): v is string => v !== undefined).flatMap((v) => v.split(",").map((t) => t.trim()).filter(Boolean));
  for (const tag of tagList) {
    if (!(TAGS as readonly string[]).includes(tag)) throw new UsageError(`--tags: got ${JSON.stringify(tag)}, expected any of ${TAGS.join(", ")}`);
  }
  return {
    outputs: flags.outputs ?? "outputs.json",
    config: flags.config,
    host: flags.host,
    port: flags.port ?? 22,
    user: flags.user,
    identity: flags.identity,
    knownHosts: flags["known-hosts"] ?? ".provision/known_hosts",
    acceptNewHostKey: flags["accept-new-host-key"] ?? false,
    check: flags.check ?? false,
    diff: flags.diff ?? false,
    verbose: flags.verbose ?? false,
    help: flags.help ?? false,
    tags: tagList.length > 0 ? new Set(tagList) : undefined,
  };
}

/** Runs the CLI; returns the exit code. Bad input is one line on stderr, never a stack trace. */
export async function main(args: readonly string[], env: CliEnvironment): Promise<number> {
  try {
    return await provision(args, env);
  } catch (err) {
    // one line, no stack trace: 2 for bad usage or input, 1 for a failure (lib/cli-run.ts)
    env.stderr(errorText("provision", err));
    return exitCodeOf(err);
  }
}

async function provision(args: readonly string[], env: CliEnvironment): Promise<number> {
  const options = parseCommandLine(args);
  if (options.help) {
    env.stdout(USAGE);
    return 0;
  }
  const config = loadConfig(resolve(env.cwd, options.config ?? env.pipelineConfig ?? DEFAULT_CONFIG_FILE));
  const outputsFile = resolve(env.cwd, options.outputs);
  const outputs = loadStackOutputs(outputsFile, CLIENT_HOST_OUTPUTS);
  if (outputs.user_id !== config.userId) {
    throw new OutputsError(`outputs file ${options.outputs}: user_id is ${JSON.stringify(outputs.user_id)} but the config's userId is ${JSON.stringify(config.userId)} (pass the outputs of this config's stack, or fix userId)`);
  }
  const settings = clientHostSettings(config, outputs);
  const notice = kafkaVersionNotice(config, outputs, options.outputs);
  if (notice) env.stderr(notice);
  const undeployed = topicNames(config).filter((topic) => !outputs.topics.includes(topic));
  if (undeployed.length > 0) {
    env.stderr(`warning: topics ${undeployed.join(", ")} are in the config but not in the stack outputs; provisioning the deployed topics only (run npx cdktf deploy to add them)`);
  }
  const sshUser = options.user ?? outputs.ssh_user;

  const identityFile = options.identity ? resolve(env.cwd, options.identity) : resolve(env.home, ".ssh/id_ed25519");
  const identity = await loadIdentity(identityFile, env);
  const host = await SshHost.connect({
    host: options.host ?? outputs.client_public_dns,
    port: options.port,
    user: sshUser,
    ...identity,
    ...(env.sshAuthSock ? { agent: env.sshAuthSock } : {}),
    knownHostsFile: resolve(env.cwd, options.knownHosts),
    acceptNewHostKey: options.acceptNewHostKey,
  });
  try {
    const recap = await runPlay(host, clientHostPlay(settings), {
      check: options.check,
      diff: options.diff,
      tags: options.tags,
      verbose: options.verbose,
      print: env.stdout,
    });
    env.stdout(recapLine(host.name, recap));
    if (options.verbose) env.stdout(`ssh: connections=1 round_trips=${host.roundTrips}`);
    return exitCode(recap, options.check);
  } finally {
    await host.close();
  }
}

/**
 * The private key to log in with, and its passphrase when it is encrypted (asked on the terminal).
 * Returns nothing when the file is absent or encrypted without a terminal but an ssh-agent can
 * log in instead; otherwise a missing, unreadable or locked key is one clear line.
 */
async function loadIdentity(identityFile: string, env: CliEnvironment): Promise<{ privateKey?: Buffer; passphrase?: string; identityFile?: string }> {
  let kind: "file" | "directory" | "missing";
  try {
    kind = statSync(identityFile).isDirectory() ? "directory" : "file";
  } catch {
    kind = "missing";
  }
  if (kind === "directory") {
    throw new UsageError(`--identity ${identityFile} is a directory, expected a private key file (e.g. --identity ~/.ssh/id_ed25519)`);
  }
  if (kind === "missing") {
    if (env.sshAuthSock) return {};
    throw new UsageError(`identity file ${identityFile} not found (pass the private key of the stack's key pair with --identity <file>, or run ssh-agent)`);
  }
  const privateKey = readFileSync(identityFile);
  if (!isEncryptedKey(privateKey)) return { privateKey, identityFile };
  if (!env.askPassphrase) {
    if (env.sshAuthSock) return {};
    throw new ConnectError(`identity ${identityFile} is passphrase-protected and there is no terminal to ask for it (load it into ssh-agent with ssh-add ${identityFile} and run with SSH_AUTH_SOCK set)`);
  }
  const passphrase = await env.askPassphrase(`Enter passphrase for ${identityFile}: `);
  const parsed = ssh2.utils.parseKey(privateKey, passphrase);
  if (parsed instanceof Error) throw new ConnectError(`identity ${identityFile}: wrong passphrase (${parsed.message}); try again, or load the key into ssh-agent with ssh-add`);
  return { privateKey, passphrase, identityFile };
}

function isEncryptedKey(privateKey: Buffer): boolean {
  const parsed = ssh2.utils.parseKey(privateKey);
  return parsed instanceof Error && /passphrase|encrypted/i.test(parsed.message);
}
