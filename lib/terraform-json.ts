/**
 * The synthesized Terraform JSON (`stack.toTerraform()` or the parsed `cdk.tf.json`): its one type,
 * used by the stack, the policy rules, the summary and the tests, and read-only helpers over it.
 *
 * Policy rules work on the synthesized JSON rather than on construct objects so that they see
 * exactly what Terraform will see, whichever construct (or escape hatch) produced a resource.
 */

/** A Terraform resource or data block: snake_case attributes, references as `"${type.id.attr}"` strings. */
export type TerraformBlock = Readonly<Record<string, unknown>>;

/** A stack output as synthesized. */
export interface TerraformOutputBlock {
  readonly value: unknown;
  readonly description?: string;
  readonly sensitive?: boolean;
}

/**
 * The synthesized stack: `{ resource: { <type>: { <logicalId>: {...} } }, data: {...}, output: {...} }`.
 * `Block` is the type of a resource or data block; tests that index freely into attributes use `any`.
 */
export interface TerraformJson<Block = TerraformBlock> {
  readonly resource?: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly data?: Readonly<Record<string, Readonly<Record<string, Block>>>>;
  readonly output?: Readonly<Record<string, TerraformOutputBlock>>;
  readonly provider?: Readonly<Record<string, readonly Block[]>>;
  readonly locals?: Readonly<Record<string, unknown>>;
  readonly terraform?: Block;
}

/** One resource of the stack with its Terraform address parts. */
export interface StackResource {
  readonly type: string;
  readonly logicalId: string;
  readonly block: TerraformBlock;
}

/** The Terraform address of a resource: `aws_s3_bucket.data_bucket_1A2B`. */
export function addressOf(resource: Pick<StackResource, "type" | "logicalId">): string {
  return `${resource.type}.${resource.logicalId}`;
}

/** Every resource of the given type, in synthesis order. */
export function resourcesOfType(tf: TerraformJson, type: string): StackResource[] {
  return Object.entries(tf.resource?.[type] ?? {}).map(([logicalId, block]) => ({ type, logicalId, block }));
}

/** Every data source of the given type, in synthesis order. */
export function dataSourcesOfType(tf: TerraformJson, type: string): StackResource[] {
  return Object.entries(tf.data?.[type] ?? {}).map(([logicalId, block]) => ({ type, logicalId, block }));
}

/**
 * A nested block such as `metadata_options`. cdktf renders single blocks as objects, but
 * hand-written overrides may use Terraform JSON's list form; both read the same here.
 */
export function nestedBlock(value: unknown): TerraformBlock | undefined {
  const block = Array.isArray(value) ? value[0] : value;
  return block !== null && typeof block === "object" ? (block as TerraformBlock) : undefined;
}

/** A repeated block (`ingress`, `statement`, `inline_policy`) as a list, whichever form it was written in. */
export function blockList(value: unknown): TerraformBlock[] {
  // undefined and null fall to the filter like any other non-block
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.filter((item): item is TerraformBlock => item !== null && typeof item === "object");
}

/** Reads a dotted attribute path through nested blocks. */
export function attributeAt(block: TerraformBlock | undefined, path: string): unknown {
  let value: unknown = block;
  for (const key of path.split(".")) {
    const next = nestedBlock(value);
    if (next === undefined) return undefined;
    value = next[key];
  }
  return value;
}

/** Terraform accepts `true` and `"true"` alike for booleans. */
export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function isFalse(value: unknown): boolean {
  return value === false || value === "false";
}

/** A string list attribute; a lone string counts as a one-element list, other values are dropped. */
export function stringList(value: unknown): string[] {
  // undefined and null fall to the filter like any other non-scalar
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.filter((item) => typeof item === "string" || typeof item === "number" || typeof item === "boolean").map(String);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * True when `value` is a reference to resource `<type>.<logicalId>` (any of `attributes`), as cdktf
 * renders it: `"${aws_s3_bucket.data_1A2B.id}"`, possibly inside a longer template string.
 * Data sources (`data.<type>...`) of the same type are not this resource.
 */
export function refersTo(value: unknown, target: Pick<StackResource, "type" | "logicalId">, attributes: readonly string[]): boolean {
  if (typeof value !== "string") return false;
  const pattern = new RegExp(`\\$\\{[^}]*(?<![\\w.])${escapeRegExp(target.type)}\\.${escapeRegExp(target.logicalId)}\\.(?:${attributes.map(escapeRegExp).join("|")})\\b`);
  return pattern.test(value);
}

/** The value as it appears in a message: strings quoted, absent values as "not set". */
export function describe(value: unknown): string {
  if (value === undefined || value === null) return "not set";
  return JSON.stringify(value);
}
