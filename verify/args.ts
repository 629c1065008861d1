/**
 * The command line of `npm run verify`: flags, validation, usage. Pure; every bad flag is one
 * {@link UsageError} line naming the flag, the value and the fix (exit 2).
 */
import { booleanFlag, integerFlag, parseFlags, repeatedStringFlag, stringFlag, UsageError } from "../lib/cli-args";
import { VERIFY_DEFAULTS } from "./defaults";

export { UsageError };

export const USAGE = `Usage: npm run verify -- --receipts FILE|DIR [--receipts ...] [options]

Proves that every record the REST proxy acknowledged (the receipts npm run emulate -- run wrote)
reached s3://<bucket>/topics/<topic>/partition=<p>/ through the S3 sink, and when some did not,
names the hop where they stop.

Options:
  --outputs FILE        stack outputs written by cdktf deploy --outputs-file (default: ${VERIFY_DEFAULTS.outputsFile})
  --receipts PATH       a receipts file, or a directory of them; repeat for more (required)
  --wait DURATION       keep looking until everything is delivered or this long has passed: 90s, 5m, 1h (default: one look)
  --json                print one JSON document instead of the table (schema: docs/verify.md)
  --host HOST           SSH to this host instead of the outputs' client_public_dns (consumer-group check)
  --port N              SSH port (default: ${VERIFY_DEFAULTS.ssh.port})
  --user USER           SSH user instead of the outputs' ssh_user
  --identity FILE       SSH private key (default: ${VERIFY_DEFAULTS.ssh.identityFile}); without one the consumer-group check is skipped
  --known-hosts FILE    known_hosts with the client host's key (default: ${VERIFY_DEFAULTS.ssh.knownHostsFile}, which the provisioner fills)
  --help                this text

S3 is reached with the standard AWS credential chain; AWS_ENDPOINT_URL_S3 (or AWS_ENDPOINT_URL) points
it at any S3-compatible store (path-style addressing is then used).

Exit codes: 0 every acknowledged record delivered, 1 records missing or different (or a runtime error), 2 bad input.`;

export interface VerifyOptions {
  readonly help: boolean;
  readonly outputs: string;
  readonly receipts: string[];
  readonly waitMs: number;
  readonly json: boolean;
  readonly host: string | undefined;
  readonly port: number;
  readonly user: string | undefined;
  readonly identity: string | undefined;
  readonly knownHosts: string;
}

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 } as const;

/** `90s`, `5m`, `1h`, `500ms`; a bare number is seconds. Undefined when it does not parse. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(text.trim());
  if (!match) return undefined;
  return Math.round(Number(match[1]) * UNIT_MS[(match[2] ?? "s") as keyof typeof UNIT_MS]);
}

const FLAGS = {
  outputs: stringFlag(),
  receipts: repeatedStringFlag(),
  wait: stringFlag(),
  json: booleanFlag(),
  host: stringFlag(),
  port: integerFlag({ min: 1, max: 65535, example: "22" }),
  user: stringFlag(),
  identity: stringFlag(),
  "known-hosts": stringFlag(),
  help: booleanFlag({ short: "h" }),
};

export function parseVerifyArgs(args: readonly string[]): VerifyOptions {
  const values = parseFlags(args, FLAGS);
  const help = values.help ?? false;
  const receipts = values.receipts ?? [];
  if (!help && receipts.length === 0) throw new UsageError("--receipts: missing; pass the receipts file (or directory) that npm run emulate -- run wrote, e.g. --receipts receipts.ndjson");
  let waitMs: number = VERIFY_DEFAULTS.waitMs;
  if (values.wait !== undefined) {
    const parsed = parseDuration(values.wait);
    if (parsed === undefined || parsed > VERIFY_DEFAULTS.maxWaitMs) {
      throw new UsageError(`--wait: got ${JSON.stringify(values.wait)}, expected a duration up to 24h such as 90s, 5m or 1h`);
    }
    waitMs = parsed;
  }
  return {
    help,
    outputs: values.outputs ?? VERIFY_DEFAULTS.outputsFile,
    receipts,
    waitMs,
    json: values.json ?? false,
    host: values.host,
    port: values.port ?? VERIFY_DEFAULTS.ssh.port,
    user: values.user,
    identity: values.identity,
    knownHosts: values["known-hosts"] ?? VERIFY_DEFAULTS.ssh.knownHostsFile,
  };
}
