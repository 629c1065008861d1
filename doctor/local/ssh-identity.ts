/**
 * The private key provision will log in with must belong to the public key the stack installs on
 * the host; otherwise the host is up after a 40-minute deploy and refuses every login.
 */
import ssh2 from "ssh2";
import { type CheckInfo, type CheckResult, fail, ok, warn } from "../check";
import { sameOpenSshPublicKey } from "../../lib/placeholders";
import { openSshFingerprint } from "./ssh-keys";

// ssh2 is CommonJS and Node's ESM loader sees only its default export
const { utils } = ssh2;

export const SSH_IDENTITY: CheckInfo = { id: "local.ssh-identity", title: "SSH identity matches the configured public key" };

export interface SshIdentityInput {
  /** The private key file provision uses (--identity, default ~/.ssh/id_ed25519). */
  readonly identityPath: string;
  /** Its content, or undefined when it does not exist. */
  readonly identity: Buffer | undefined;
  /** SSH_AUTH_SOCK is set: provision can fall back to ssh-agent. */
  readonly agentAvailable: boolean;
  /** clientHost.sshPublicKey, as the config resolved it. */
  readonly configuredPublicKey: string;
}

export function checkSshIdentity(input: SshIdentityInput): CheckResult {
  const { identityPath, configuredPublicKey } = input;
  if (!input.identity) {
    const message = `${identityPath} does not exist`;
    const fix = "pass the private key of clientHost.sshPublicKey with --identity <file> (provision takes the same flag)";
    return input.agentAvailable ? warn(SSH_IDENTITY, `${message}; provision would try ssh-agent, which doctor cannot inspect`, fix) : fail(SSH_IDENTITY, message, fix);
  }
  const parsed = utils.parseKey(input.identity);
  if (parsed instanceof Error) {
    if (/encrypted/i.test(parsed.message)) {
      return warn(SSH_IDENTITY, `cannot check, ${identityPath} is passphrase-protected`, `compare yourself: ssh-keygen -y -f ${identityPath} should print the key of clientHost.sshPublicKey (${openSshFingerprint(configuredPublicKey)})`);
    }
    return fail(SSH_IDENTITY, `${identityPath} is not an SSH private key (${parsed.message})`, "pass the private key file with --identity <file>, not the .pub file");
  }
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (!key.isPrivateKey()) return fail(SSH_IDENTITY, `${identityPath} is a public key`, "pass the private key file with --identity <file>, not the .pub file");
  const derived = `${key.type} ${key.getPublicSSH().toString("base64")}`;
  if (!sameOpenSshPublicKey(derived, configuredPublicKey)) {
    return fail(
      SSH_IDENTITY,
      `${identityPath} is key ${openSshFingerprint(derived)}, but clientHost.sshPublicKey is ${openSshFingerprint(configuredPublicKey)}: provision could not log in`,
      `point clientHost.sshPublicKey at ${identityPath}.pub, or pass the matching private key with --identity <file>`,
    );
  }
  return ok(SSH_IDENTITY, `${identityPath} matches clientHost.sshPublicKey (${openSshFingerprint(derived)})`);
}
