/** Builds pipeline stacks from variations of pipeline.example.yaml and reads the synthesized JSON back. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parse, stringify } from "yaml";
import { App, Testing } from "../../lib/cdktf";
import { parseConfig, type PipelineConfig } from "../../lib/config";
import { STACK_ID } from "../../lib/contract";
import type { TerraformJson as SynthesizedJson } from "../../lib/terraform-json";
import { referencedDocumentId } from "../../constructs/policies/policy-documents";
import { PipelineStack } from "../../constructs/pipeline-stack";
import { REPO_ROOT } from "../support/paths";

/** A writable scratch directory, removed by the returned cleanup. */
export function scratchDir(prefix: string): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A small but real zip (one stored entry), enough for TerraformAsset and Terraform's fileexists(). */
export function writeDummyZip(path: string): void {
  const name = Buffer.from("manifest.json");
  const data = Buffer.from("{}");
  const crc = crc32(data);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(data.length, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(data.length, 24);
  central.writeUInt16LE(name.length, 28);
  const centralOffset = local.length + name.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(centralOffset, 16);
  writeFileSync(path, Buffer.concat([local, name, data, central, name, end]));
}

function crc32(data: Buffer): number {
  let crc = ~0;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0xedb88320 & -(crc & 1));
  }
  return ~crc >>> 0;
}

/** pipeline.example.yaml as an object, edited by `edit`, validated like a real config file in the repository root. */
export function exampleConfig(edit: (doc: Record<string, any>) => void = () => {}): PipelineConfig {
  const doc = parse(readFileSync(join(REPO_ROOT, "pipeline.example.yaml"), "utf8")) as Record<string, any>;
  edit(doc);
  return parseConfig(stringify(doc), { source: "test.yaml", baseDir: REPO_ROOT });
}

/** The synthesized Terraform JSON of the pipeline stack (every block present), attributes indexed freely. */
export type TerraformJson = Required<SynthesizedJson<any>>;

export function synthPipeline(config: PipelineConfig): { stack: PipelineStack; tf: TerraformJson } {
  const { dir, cleanup } = scratchDir("infra-test-");
  try {
    const app = new App({ outdir: dir, skipValidation: false });
    const stack = new PipelineStack(app, STACK_ID, config);
    return { stack, tf: JSON.parse(Testing.synth(stack, true)) as TerraformJson };
  } finally {
    cleanup();
  }
}

/** Every resource of a type, by logical name. */
export function resourcesOf(tf: TerraformJson, type: string): Record<string, any> {
  return tf.resource[type] ?? {};
}

/** The one resource of a type (fails the test when there are zero or several). */
export function onlyResource(tf: TerraformJson, type: string): any {
  const all = Object.values(resourcesOf(tf, type));
  if (all.length !== 1) throw new Error(`expected exactly one ${type}, found ${all.length}`);
  return all[0];
}

/** Whether a logical name (`<construct path joined by _>_<hash>`) has `fragment` as whole path segments. */
function nameHas(name: string, fragment: string): boolean {
  return `_${name}_`.includes(`_${fragment}_`);
}

/** The one resource of a type whose construct path contains the segment(s) `fragment`. */
export function resourceNamed(tf: TerraformJson, type: string, fragment: string): any {
  const matches = Object.entries(resourcesOf(tf, type)).filter(([name]) => nameHas(name, fragment));
  if (matches.length !== 1) throw new Error(`expected one ${type} named *${fragment}*, found ${matches.map(([n]) => n).join(", ") || "none"}`);
  return matches[0][1];
}

/** The `"${type.name.attr}"` reference to a resource whose logical name contains `fragment`. */
export function refTo(tf: TerraformJson, type: string, fragment: string, attribute: string): string {
  const names = Object.keys(resourcesOf(tf, type)).filter((n) => nameHas(n, fragment));
  if (names.length > 1) throw new Error(`several ${type} named *${fragment}*: ${names.join(", ")}`);
  const name = names[0];
  if (!name) throw new Error(`no ${type} named *${fragment}*`);
  return `\${${type}.${name}.${attribute}}`;
}

export interface Statement {
  sid?: string;
  effect?: string;
  actions?: string[];
  resources?: string[];
  principals?: { type: string; identifiers: string[] }[];
  condition?: { test: string; variable: string; values: string[] }[];
}

/** The statements of the policy document a `${data.aws_iam_policy_document.X.json}` reference names. */
export function policyStatements(tf: TerraformJson, reference: string): Statement[] {
  const documentId = referencedDocumentId(reference);
  if (documentId === undefined) throw new Error(`not a policy document reference: ${reference}`);
  const document = tf.data?.aws_iam_policy_document?.[documentId];
  if (!document) throw new Error(`no policy document ${documentId}`);
  return document.statement as Statement[];
}
