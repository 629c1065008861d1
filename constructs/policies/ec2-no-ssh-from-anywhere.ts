import { finding, type PolicyFinding, type PolicyRule } from "./rule";
import { addressOf, blockList, resourcesOfType, stringList, type TerraformBlock } from "../../lib/terraform-json";

const ID = "ec2-no-ssh-from-anywhere";

const SSH_PORT = 22;
const EVERYWHERE = ["0.0.0.0/0", "::/0", "::0/0"];
const FIX = "restrict the source to your address as x.x.x.x/32 through clientHost.sshAllowedCidrs";

/**
 * cdk-nag EC2RestrictedSSH, across the three ways the provider expresses an ingress rule:
 * inline `ingress` blocks, `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule`.
 */
export const ec2NoSshFromAnywhere: PolicyRule = {
  id: ID,
  description: "No security group ingress opens port 22 (directly, by range or as all traffic) to 0.0.0.0/0 or ::/0.",
  check(tf) {
    const findings: PolicyFinding[] = [];
    for (const group of resourcesOfType(tf, "aws_security_group")) {
      blockList(group.block.ingress).forEach((rule, index) => {
        const open = openToWorld(rule, rule.protocol, [...stringList(rule.cidr_blocks), ...stringList(rule.ipv6_cidr_blocks)]);
        if (open) findings.push(finding(ID, addressOf(group), `ingress ${index} allows ${open}`, FIX));
      });
    }
    for (const rule of resourcesOfType(tf, "aws_security_group_rule")) {
      if (rule.block.type !== "ingress") continue;
      const open = openToWorld(rule.block, rule.block.protocol, [...stringList(rule.block.cidr_blocks), ...stringList(rule.block.ipv6_cidr_blocks)]);
      if (open) findings.push(finding(ID, addressOf(rule), `allows ${open}`, FIX));
    }
    for (const rule of resourcesOfType(tf, "aws_vpc_security_group_ingress_rule")) {
      const open = openToWorld(rule.block, rule.block.ip_protocol, [...stringList(rule.block.cidr_ipv4), ...stringList(rule.block.cidr_ipv6)]);
      if (open) findings.push(finding(ID, addressOf(rule), `allows ${open}`, FIX));
    }
    return findings;
  },
};

/** What the rule lets in from the whole internet, e.g. `tcp port 22 from 0.0.0.0/0`, when that includes SSH. */
function openToWorld(rule: TerraformBlock, protocol: unknown, sources: readonly string[]): string | undefined {
  const world = sources.find((source) => EVERYWHERE.includes(source));
  const traffic = sshTraffic(rule, protocol);
  return world !== undefined && traffic !== undefined ? `${traffic} from ${world}` : undefined;
}

function sshTraffic(rule: TerraformBlock, protocol: unknown): string | undefined {
  const name = String(protocol).toLowerCase();
  if (name === "-1" || name === "all") return "all traffic, port 22 included,";
  if (name !== "tcp" && name !== "6") return undefined;
  const from = Number(rule.from_port);
  const to = Number(rule.to_port);
  // a port given as an unresolved reference cannot be ruled out, so it counts as open
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `tcp ports ${rule.from_port}-${rule.to_port}, possibly including 22,`;
  if (from === SSH_PORT && to === SSH_PORT) return "tcp port 22";
  return from <= SSH_PORT && SSH_PORT <= to ? `tcp ports ${from}-${to}, port 22 included,` : undefined;
}
