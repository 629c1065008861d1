/**
 * The stack's outputs: the contract between the infrastructure, the provisioner and the emulator.
 *
 * The stack declares exactly these outputs (with `staticId`, so the Terraform output names are
 * these keys); provisioning and emulation read them back from the file written by
 * `cdktf deploy --outputs-file <file>` (or `terraform output -json`) through {@link loadStackOutputs}.
 */
import { readFileSync } from "node:fs";

/** Output name → what it holds. The names are an API: renaming one breaks every reader. */
export const STACK_OUTPUTS = {
  invoke_url: "the API Gateway stage invoke URL, https://<api>.execute-api.<region>.amazonaws.com/<stage>",
  client_public_dns: "the public DNS name of the Kafka client host",
  client_instance_id: "the EC2 instance id of the Kafka client host",
  ssh_user: "the SSH login user of the client host",
  msk_bootstrap_brokers_sasl_iam: "the MSK bootstrap brokers for SASL/IAM over TLS (port 9098)",
  access_role_arn: "the ARN of <userId>-ec2-access-role, assumed by the Kafka clients through awsRoleArn",
  bucket_name: "the data bucket, user-<userId>-bucket",
  region: "the AWS region of the stack",
  user_id: "the user id that prefixes every name",
  topics: "the Kafka topic names, <userId>.<suffix>",
} as const;

export type StackOutputName = keyof typeof STACK_OUTPUTS;

export interface StackOutputs {
  readonly invoke_url: string;
  readonly client_public_dns: string;
  readonly client_instance_id: string;
  readonly ssh_user: string;
  readonly msk_bootstrap_brokers_sasl_iam: string;
  readonly access_role_arn: string;
  readonly bucket_name: string;
  readonly region: string;
  readonly user_id: string;
  readonly topics: readonly string[];
}

/** The id of the one stack in `main.ts`; `cdktf deploy --outputs-file` nests outputs under it. */
export const STACK_ID = "pipeline";

/** A one-line, actionable problem with an outputs file. */
export class OutputsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OutputsError";
  }
}

/**
 * Reads the outputs file and returns the named outputs, checking each is present and well-typed.
 *
 * Accepts the three shapes in use: `{ "pipeline": { name: value } }` (cdktf --outputs-file),
 * `{ name: { value, type, sensitive } }` (terraform output -json) and a flat `{ name: value }`.
 */
export function loadStackOutputs<K extends StackOutputName>(path: string, names: readonly K[]): Pick<StackOutputs, K> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === "ENOENT" ? "not found" : (err as Error).message;
    throw new OutputsError(`outputs file ${path}: ${reason} (run: npx cdktf deploy --outputs-file ${path})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new OutputsError(`outputs file ${path}: not JSON (it should be what cdktf deploy --outputs-file wrote)`);
  }
  return pickStackOutputs(parsed, names, path);
}

/** Validates already-parsed outputs; see {@link loadStackOutputs}. */
export function pickStackOutputs<K extends StackOutputName>(parsed: unknown, names: readonly K[], source: string): Pick<StackOutputs, K> {
  const flat = flattenOutputs(parsed);
  const result: Record<string, unknown> = {};
  for (const name of names) {
    const value = flat[name];
    const ok = name === "topics" ? Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === "string" && t !== "") : typeof value === "string" && value !== "";
    if (!ok) {
      const got = value === undefined ? "missing" : `got ${JSON.stringify(value)}`;
      throw new OutputsError(`outputs file ${source}: ${name} is ${got}, expected ${STACK_OUTPUTS[name]} (re-run npx cdktf deploy --outputs-file ${source})`);
    }
    result[name] = value;
  }
  return result as Pick<StackOutputs, K>;
}

function flattenOutputs(parsed: unknown): Record<string, unknown> {
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) return {};
  let record = parsed as Record<string, unknown>;
  const nested = record[STACK_ID];
  if (nested !== null && typeof nested === "object" && !Array.isArray(nested)) record = nested as Record<string, unknown>;
  const flat: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const isTerraformJson = value !== null && typeof value === "object" && !Array.isArray(value) && "value" in value && "type" in value;
    flat[key] = isTerraformJson ? (value as { value: unknown }).value : value;
  }
  return flat;
}
