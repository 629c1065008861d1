/** A short, human summary of a synthesized stack: resources by type, data sources, outputs. */
import type { TerraformJson } from "./terraform-json";

/** Managed resources (what `terraform plan` counts), by type. */
export function resourceCounts(stack: TerraformJson): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) counts.set(type, Object.keys(byName).length);
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** The number of managed resources, the N of `Plan: N to add`. */
export function managedResourceCount(stack: TerraformJson): number {
  return [...resourceCounts(stack).values()].reduce((sum, n) => sum + n, 0);
}

export function summarizeStack(stack: TerraformJson): string {
  const counts = resourceCounts(stack);
  const width = Math.max(...[...counts.keys()].map((t) => t.length));
  const lines = [`${managedResourceCount(stack)} resources:`];
  for (const [type, n] of counts) lines.push(`  ${type.padEnd(width)}  ${n}`);
  const dataTypes = Object.keys(stack.data ?? {}).sort();
  const dataCount = dataTypes.reduce((sum, t) => sum + Object.keys(stack.data![t]).length, 0);
  lines.push(`${dataCount} data sources (all offline): ${dataTypes.join(", ") || "none"}`);
  const outputs = Object.keys(stack.output ?? {});
  lines.push(`${outputs.length} outputs: ${outputs.join(", ")}`);
  return lines.join("\n");
}
