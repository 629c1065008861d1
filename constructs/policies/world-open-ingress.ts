/**
 * The shared reading of the network rules that keep one port off the internet (SSH, the REST
 * proxy): every ingress that admits `port` (alone, by a range or as all traffic) from 0.0.0.0/0 or
 * ::/0, in any of the provider's three forms: inline `ingress` blocks, `aws_security_group_rule`
 * and `aws_vpc_security_group_ingress_rule`.
 */
import { addressOf, blockList, resourcesOfType, stringList, type TerraformBlock, type TerraformJson } from "../../lib/terraform-json";
import { finding, type PolicyFinding } from "./rule";

const EVERYWHERE = ["0.0.0.0/0", "::/0", "::0/0"];

/** One finding per ingress that opens `port` to the whole internet, each naming what it allows. */
export function worldOpenIngressFindings(tf: TerraformJson, ruleId: string, port: number, fix: string): PolicyFinding[] {
  const findings: PolicyFinding[] = [];
  for (const group of resourcesOfType(tf, "aws_security_group")) {
    blockList(group.block.ingress).forEach((rule, index) => {
      const open = openToWorld(rule, rule.protocol, [...stringList(rule.cidr_blocks), ...stringList(rule.ipv6_cidr_blocks)], port);
      if (open) findings.push(finding(ruleId, addressOf(group), `ingress ${index} allows ${open}`, fix));
    });
  }
  for (const rule of resourcesOfType(tf, "aws_security_group_rule")) {
    if (rule.block.type !== "ingress") continue;
    const open = openToWorld(rule.block, rule.block.protocol, [...stringList(rule.block.cidr_blocks), ...stringList(rule.block.ipv6_cidr_blocks)], port);
    if (open) findings.push(finding(ruleId, addressOf(rule), `allows ${open}`, fix));
  }
  for (const rule of resourcesOfType(tf, "aws_vpc_security_group_ingress_rule")) {
    const open = openToWorld(rule.block, rule.block.ip_protocol, [...stringList(rule.block.cidr_ipv4), ...stringList(rule.block.cidr_ipv6)], port);
    if (open) findings.push(finding(ruleId, addressOf(rule), `allows ${open}`, fix));
  }
  return findings;
}

/** What the rule lets in from the whole internet, e.g. `tcp port 22 from 0.0.0.0/0`, when that includes `port`. */
function openToWorld(rule: TerraformBlock, protocol: unknown, sources: readonly string[], port: number): string | undefined {
  const world = sources.find((source) => EVERYWHERE.includes(source));
  const traffic = trafficTo(rule, protocol, port);
  return world !== undefined && traffic !== undefined ? `${traffic} from ${world}` : undefined;
}

function trafficTo(rule: TerraformBlock, protocol: unknown, port: number): string | undefined {
  const name = String(protocol).toLowerCase();
  if (name === "-1" || name === "all") return `all traffic, port ${port} included,`;
  if (name !== "tcp" && name !== "6") return undefined;
  const from = Number(rule.from_port);
  const to = Number(rule.to_port);
  // a port given as an unresolved reference cannot be ruled out, so it counts as open
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `tcp ports ${rule.from_port}-${rule.to_port}, possibly including ${port},`;
  if (from === port && to === port) return `tcp port ${port}`;
  return from <= port && port <= to ? `tcp ports ${from}-${to}, port ${port} included,` : undefined;
}
