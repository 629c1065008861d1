/**
 * IAM policy documents as the rules see them, whether a resource carries literal JSON
 * (`JSON.stringify` output, possibly with `${...}` references inside strings) or references
 * an `aws_iam_policy_document` data source whose `statement` blocks are in the stack JSON.
 */
import { blockList, type TerraformBlock, type TerraformJson, stringList } from "../../lib/terraform-json";

export interface PolicyPrincipal {
  /** `*`, `AWS`, `Service` or `Federated`. */
  readonly type: string;
  readonly identifiers: readonly string[];
}

export interface PolicyCondition {
  readonly test: string;
  readonly variable: string;
  readonly values: readonly string[];
}

/** A statement in one shape for both sources; `undefined` lists mean the element is absent. */
export interface PolicyStatement {
  readonly effect: "Allow" | "Deny";
  readonly actions?: readonly string[];
  readonly notActions?: readonly string[];
  readonly resources?: readonly string[];
  readonly notResources?: readonly string[];
  readonly principals?: readonly PolicyPrincipal[];
  readonly conditions: readonly PolicyCondition[];
}

export type PolicyReading = { readonly statements: readonly PolicyStatement[] } | { readonly unreadable: string };

const DOCUMENT_REFERENCE = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(?:json|minified_json)\}$/;

/** The logical id of the `aws_iam_policy_document` a policy attribute references, if it is such a reference. */
export function referencedDocumentId(policy: unknown): string | undefined {
  return typeof policy === "string" ? DOCUMENT_REFERENCE.exec(policy)?.[1] : undefined;
}

/** Reads a policy attribute (`policy`, `inline_policy.policy`, a bucket policy) into statements. */
export function readPolicy(tf: TerraformJson, policy: unknown, seen: ReadonlySet<string> = new Set()): PolicyReading {
  if (typeof policy !== "string" || policy.trim() === "") return { unreadable: "the policy is empty" };
  const documentId = referencedDocumentId(policy);
  if (documentId !== undefined) {
    const document = tf.data?.aws_iam_policy_document?.[documentId];
    if (document === undefined) return { unreadable: `data.aws_iam_policy_document.${documentId} is not in this stack` };
    if (seen.has(documentId)) return { unreadable: `data.aws_iam_policy_document.${documentId} includes itself` };
    return readDocumentDataSource(tf, document, new Set([...seen, documentId]));
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(policy);
  } catch {
    return { unreadable: "the policy is neither JSON nor a reference to an aws_iam_policy_document" };
  }
  if (parsed === null || typeof parsed !== "object" || !("Statement" in parsed)) return { unreadable: "the policy JSON has no Statement" };
  const statements = (parsed as { Statement: unknown }).Statement;
  return { statements: (Array.isArray(statements) ? statements : [statements]).filter(isObject).map(fromJsonStatement) };
}

/** The statements of an `aws_iam_policy_document` data source, including the documents it merges in. */
export function readDocumentDataSource(tf: TerraformJson, document: TerraformBlock, seen: ReadonlySet<string> = new Set()): PolicyReading {
  const statements: PolicyStatement[] = [];
  for (const included of [...stringList(document.source_policy_documents), ...stringList(document.override_policy_documents)]) {
    const reading = readPolicy(tf, included, seen);
    if ("unreadable" in reading) return reading;
    statements.push(...reading.statements);
  }
  statements.push(...blockList(document.statement).map(fromDataStatement));
  return { statements };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function optionalList(value: unknown): string[] | undefined {
  return value === undefined || value === null ? undefined : stringList(value);
}

function fromDataStatement(block: TerraformBlock): PolicyStatement {
  const principals = blockList(block.principals).map((p) => ({ type: String(p.type), identifiers: stringList(p.identifiers) }));
  return {
    effect: block.effect === "Deny" ? "Deny" : "Allow",
    actions: optionalList(block.actions),
    notActions: optionalList(block.not_actions),
    resources: optionalList(block.resources),
    notResources: optionalList(block.not_resources),
    principals: principals.length > 0 ? principals : undefined,
    conditions: blockList(block.condition).map((c) => ({ test: String(c.test), variable: String(c.variable), values: stringList(c.values) })),
  };
}

function fromJsonStatement(statement: Record<string, unknown>): PolicyStatement {
  return {
    effect: statement.Effect === "Deny" ? "Deny" : "Allow",
    actions: optionalList(statement.Action),
    notActions: optionalList(statement.NotAction),
    resources: optionalList(statement.Resource),
    notResources: optionalList(statement.NotResource),
    principals: jsonPrincipals(statement.Principal),
    conditions: jsonConditions(statement.Condition),
  };
}

function jsonPrincipals(principal: unknown): PolicyPrincipal[] | undefined {
  if (principal === undefined) return undefined;
  if (principal === "*") return [{ type: "*", identifiers: ["*"] }];
  if (!isObject(principal)) return [];
  return Object.entries(principal).map(([type, identifiers]) => ({ type, identifiers: stringList(identifiers) }));
}

function jsonConditions(condition: unknown): PolicyCondition[] {
  if (!isObject(condition)) return [];
  return Object.entries(condition).flatMap(([test, variables]) =>
    isObject(variables) ? Object.entries(variables).map(([variable, values]) => ({ test, variable, values: stringList(values) })) : [],
  );
}

/** True when the statement applies to every principal (`"*"` or `{"AWS": "*"}`). */
export function appliesToEveryone(statement: PolicyStatement): boolean {
  return (statement.principals ?? []).some((p) => (p.type === "*" || p.type === "AWS") && p.identifiers.includes("*"));
}
