import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { REST_PROXY_PORT } from "../../lib/contract";
import { describe, expect, it } from "vitest";
import { ec2NoSshFromAnywhere } from "../../constructs/policies/ec2-no-ssh-from-anywhere";
import type { TerraformJson } from "../../constructs/policies";
import { findings } from "./support";

const FIX = "(restrict the source to your address as x.x.x.x/32 through clientHost.sshAllowedCidrs)";

describe("ec2-no-ssh-from-anywhere", () => {
  it("fails for an inline ingress block opening port 22 to 0.0.0.0/0", () => {
    const messages = findings(ec2NoSshFromAnywhere, (stack) => {
      new SecurityGroup(stack, "client", {
        ingress: [
          { fromPort: REST_PROXY_PORT, toPort: REST_PROXY_PORT, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] },
          { fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["203.0.113.10/32", "0.0.0.0/0"] },
        ],
      });
    });
    expect(messages).toEqual([`[ec2-no-ssh-from-anywhere] aws_security_group.client: ingress 1 allows tcp port 22 from 0.0.0.0/0 ${FIX}`]);
  });

  it("fails for a standalone rule whose port range includes 22 from ::/0", () => {
    const messages = findings(ec2NoSshFromAnywhere, (stack) => {
      new SecurityGroupRule(stack, "wide", { type: "ingress", securityGroupId: "sg-1", fromPort: 0, toPort: 1024, protocol: "6", ipv6CidrBlocks: ["::/0"] });
    });
    expect(messages).toEqual([`[ec2-no-ssh-from-anywhere] aws_security_group_rule.wide: allows tcp ports 0-1024, port 22 included, from ::/0 ${FIX}`]);
  });

  it("fails for a VPC ingress rule allowing all traffic from 0.0.0.0/0", () => {
    const messages = findings(ec2NoSshFromAnywhere, (stack) => {
      new VpcSecurityGroupIngressRule(stack, "all", { securityGroupId: "sg-1", ipProtocol: "-1", cidrIpv4: "0.0.0.0/0" });
    });
    expect(messages).toEqual([`[ec2-no-ssh-from-anywhere] aws_vpc_security_group_ingress_rule.all: allows all traffic, port 22 included, from 0.0.0.0/0 ${FIX}`]);
  });

  it("passes for SSH from one address, other ports from anywhere, UDP and egress", () => {
    const messages = findings(ec2NoSshFromAnywhere, (stack) => {
      new SecurityGroup(stack, "client", {
        ingress: [{ fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["203.0.113.10/32"] }],
        egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }],
      });
      new VpcSecurityGroupIngressRule(stack, "api", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: REST_PROXY_PORT, toPort: REST_PROXY_PORT, cidrIpv4: "0.0.0.0/0" });
      new VpcSecurityGroupIngressRule(stack, "ssh", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 22, toPort: 22, cidrIpv4: "203.0.113.10/32" });
      new SecurityGroupRule(stack, "udp", { type: "ingress", securityGroupId: "sg-1", fromPort: 22, toPort: 22, protocol: "udp", cidrBlocks: ["0.0.0.0/0"] });
      new SecurityGroupRule(stack, "egress", { type: "egress", securityGroupId: "sg-1", fromPort: 0, toPort: 65535, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] });
    });
    expect(messages).toEqual([]);
  });
});

/** The rule's findings on hand-written stack JSON (cases the provider classes would not let us write, and tables). */
function check(resource: TerraformJson["resource"]): string[] {
  return ec2NoSshFromAnywhere.check({ resource }).map((f) => f.message);
}

describe("ec2-no-ssh-from-anywhere: port ranges, protocols and sources", () => {
  const rule = (from: unknown, to: unknown, protocol: unknown = "tcp") => ({ type: "ingress", from_port: from, to_port: to, protocol, cidr_blocks: ["0.0.0.0/0"] });

  it("counts a range as open exactly when 22 is inside it, boundaries included", () => {
    const messages = check({
      aws_security_group_rule: {
        at: rule(22, 22),
        ends_at: rule(21, 22),
        starts_at: rule(22, 23),
        all_ports: rule(0, 65535),
        below: rule(0, 21),
        above: rule(23, 65535),
        web: rule(8080, 8090),
      },
    });
    expect(messages).toEqual([
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.at: allows tcp port 22 from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.ends_at: allows tcp ports 21-22, port 22 included, from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.starts_at: allows tcp ports 22-23, port 22 included, from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.all_ports: allows tcp ports 0-65535, port 22 included, from 0.0.0.0/0 ${FIX}`,
    ]);
  });

  it("counts all-traffic protocols (-1, all, any case) and TCP by name or number; not UDP or ICMP", () => {
    const messages = check({
      aws_security_group_rule: {
        minus_one: rule(0, 0, "-1"),
        minus_one_number: rule(0, 0, -1),
        all: rule(0, 0, "ALL"),
        tcp_upper: rule(22, 22, "TCP"),
        six: rule(22, 22, 6),
        udp: rule(22, 22, "udp"),
        seventeen: rule(0, 65535, "17"),
        icmp: rule(-1, -1, "icmp"),
      },
    });
    expect(messages).toEqual([
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.minus_one: allows all traffic, port 22 included, from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.minus_one_number: allows all traffic, port 22 included, from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.all: allows all traffic, port 22 included, from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.tcp_upper: allows tcp port 22 from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.six: allows tcp port 22 from 0.0.0.0/0 ${FIX}`,
    ]);
  });

  it("counts ports it cannot resolve as possibly open", () => {
    const messages = check({ aws_security_group_rule: { ref: rule("${var.from}", 22), both: rule("${var.from}", "${var.to}") } });
    expect(messages).toEqual([
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.ref: allows tcp ports \${var.from}-22, possibly including 22, from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.both: allows tcp ports \${var.from}-\${var.to}, possibly including 22, from 0.0.0.0/0 ${FIX}`,
    ]);
    expect(check({ aws_security_group_rule: { to_ref: rule(22, "${var.to}") } })).toHaveLength(1);
  });

  it("counts every way to write the whole internet, IPv4 and IPv6, in every rule form; not a wide but finite range", () => {
    const messages = check({
      aws_security_group: {
        inline_v6: { ingress: [{ from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["10.0.0.0/8"], ipv6_cidr_blocks: ["::0/0"] }] },
        inline_lone: { ingress: { from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: "0.0.0.0/0" } },
      },
      aws_security_group_rule: { v6: { ...rule(22, 22), cidr_blocks: [], ipv6_cidr_blocks: ["2001:db8::/32", "::/0"] } },
      aws_vpc_security_group_ingress_rule: {
        v4: { ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "0.0.0.0/0" },
        v6: { ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv6: "::/0" },
        half: { ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "0.0.0.0/1" },
        v6_half: { ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv6: "::/1" },
      },
    });
    expect(messages).toEqual([
      `[ec2-no-ssh-from-anywhere] aws_security_group.inline_v6: ingress 0 allows tcp port 22 from ::0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group.inline_lone: ingress 0 allows tcp port 22 from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_security_group_rule.v6: allows tcp port 22 from ::/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_vpc_security_group_ingress_rule.v4: allows tcp port 22 from 0.0.0.0/0 ${FIX}`,
      `[ec2-no-ssh-from-anywhere] aws_vpc_security_group_ingress_rule.v6: allows tcp port 22 from ::/0 ${FIX}`,
    ]);
  });

  it("ignores egress, in every rule form", () => {
    expect(
      check({
        aws_security_group: { out: { egress: [{ from_port: 0, to_port: 0, protocol: "-1", cidr_blocks: ["0.0.0.0/0"], ipv6_cidr_blocks: ["::/0"] }] } },
        aws_security_group_rule: { out: { ...rule(0, 0, "-1"), type: "egress", ipv6_cidr_blocks: ["::/0"] } },
        aws_vpc_security_group_egress_rule: { out: { ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" } },
      }),
    ).toEqual([]);
  });
});
