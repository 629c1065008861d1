import { finding, type PolicyFinding, type PolicyRule } from "./rule";
import { REST_PROXY_PORT } from "../../lib/contract";
import { addressOf, blockList, resourcesOfType, stringList, type TerraformBlock } from "../../lib/terraform-json";

const ID = "ec2-no-rest-proxy-from-anywhere";

const EVERYWHERE = ["0.0.0.0/0", "::/0", "::0/0"];
const FIX = `admit the REST proxy port only from the private link's load balancer (api.exposure: private), or acknowledge the seed's layout with api.exposure: public and api.acknowledgePublicProxy: true`;

/**
 * The REST proxy (Confluent kafka-rest on port 8082) has no authentication of its own: whoever reaches
 * it can produce, create consumers and read every record. No ingress may open that port (alone, by a
 * port range or as all traffic) to 0.0.0.0/0 or ::/0, in any of the provider's three forms: inline
 * `ingress` blocks, `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule`.
 */
export const ec2NoRestProxyFromAnywhere: PolicyRule = {
  id: ID,
  description: `No security group ingress opens the REST proxy port ${REST_PROXY_PORT} (directly, by range or as all traffic) to 0.0.0.0/0 or ::/0.`,
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

/** What the rule lets in from the whole internet, e.g. `tcp port 8082 from 0.0.0.0/0`, when that includes the proxy port. */
function openToWorld(rule: TerraformBlock, protocol: unknown, sources: readonly string[]): string | undefined {
  const world = sources.find((source) => EVERYWHERE.includes(source));
  const traffic = proxyTraffic(rule, protocol);
  return world !== undefined && traffic !== undefined ? `${traffic} from ${world}` : undefined;
}

function proxyTraffic(rule: TerraformBlock, protocol: unknown): string | undefined {
  const name = String(protocol).toLowerCase();
  if (name === "-1" || name === "all") return `all traffic, port ${REST_PROXY_PORT} included,`;
  if (name !== "tcp" && name !== "6") return undefined;
  const from = Number(rule.from_port);
  const to = Number(rule.to_port);
  // a port given as an unresolved reference cannot be ruled out, so it counts as open
  if (!Number.isFinite(from) || !Number.isFinite(to)) return `tcp ports ${rule.from_port}-${rule.to_port}, possibly including ${REST_PROXY_PORT},`;
  if (from === REST_PROXY_PORT && to === REST_PROXY_PORT) return `tcp port ${REST_PROXY_PORT}`;
  return from <= REST_PROXY_PORT && REST_PROXY_PORT <= to ? `tcp ports ${from}-${to}, port ${REST_PROXY_PORT} included,` : undefined;
}
