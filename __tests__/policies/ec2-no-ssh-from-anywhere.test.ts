import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { REST_PROXY_PORT } from "../../lib/contract";
import { describe, expect, it } from "vitest";
import { ec2NoSshFromAnywhere } from "../../constructs/policies/ec2-no-ssh-from-anywhere";
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
