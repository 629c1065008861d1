import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { SecurityGroupRule } from "@cdktf/provider-aws/lib/security-group-rule";
import { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { describe, expect, it } from "vitest";
import { ec2NoRestProxyFromAnywhere } from "../../constructs/policies/ec2-no-rest-proxy-from-anywhere";
import { REST_PROXY_PORT } from "../../lib/contract";
import { findings } from "./support";

const FIX =
  "(admit the REST proxy port only from the private link's load balancer (api.exposure: private), or acknowledge the seed's layout with api.exposure: public and api.acknowledgePublicProxy: true)";
const RULE = "[ec2-no-rest-proxy-from-anywhere]";

describe("ec2-no-rest-proxy-from-anywhere", () => {
  it("guards port 8082 itself: a rule at, starting at or ending at 8082 fails over IPv4 and IPv6, its neighbours 8081 and 8083 pass", () => {
    // hand-written JSON with the port as a number, so the rule is checked against 8082 and not against its own constant
    const ipv4 = (from: number, to: number) => ({ type: "ingress", protocol: "tcp", from_port: from, to_port: to, cidr_blocks: ["0.0.0.0/0"] });
    const ipv6 = (from: number, to: number) => ({ ip_protocol: "tcp", from_port: from, to_port: to, cidr_ipv6: "::/0" });
    const messages = ec2NoRestProxyFromAnywhere
      .check({
        resource: {
          aws_security_group_rule: { at: ipv4(8082, 8082), starts_at: ipv4(8082, 9000), ends_at: ipv4(8000, 8082), below: ipv4(8081, 8081), above: ipv4(8083, 8083), around: ipv4(8000, 8081) },
          aws_vpc_security_group_ingress_rule: { at6: ipv6(8082, 8082), starts_at6: ipv6(8082, 8083), below6: ipv6(8080, 8081), above6: ipv6(8083, 65535) },
        },
      })
      .map((f) => f.message);
    expect(messages).toEqual([
      `${RULE} aws_security_group_rule.at: allows tcp port 8082 from 0.0.0.0/0 ${FIX}`,
      `${RULE} aws_security_group_rule.starts_at: allows tcp ports 8082-9000, port 8082 included, from 0.0.0.0/0 ${FIX}`,
      `${RULE} aws_security_group_rule.ends_at: allows tcp ports 8000-8082, port 8082 included, from 0.0.0.0/0 ${FIX}`,
      `${RULE} aws_vpc_security_group_ingress_rule.at6: allows tcp port 8082 from ::/0 ${FIX}`,
      `${RULE} aws_vpc_security_group_ingress_rule.starts_at6: allows tcp ports 8082-8083, port 8082 included, from ::/0 ${FIX}`,
    ]);
  });

  it("fails for the seed's VPC ingress rule: tcp 8082 from 0.0.0.0/0", () => {
    const messages = findings(ec2NoRestProxyFromAnywhere, (stack) => {
      new VpcSecurityGroupIngressRule(stack, "proxy", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: REST_PROXY_PORT, toPort: REST_PROXY_PORT, cidrIpv4: "0.0.0.0/0" });
    });
    expect(messages).toEqual([`${RULE} aws_vpc_security_group_ingress_rule.proxy: allows tcp port 8082 from 0.0.0.0/0 ${FIX}`]);
  });

  it("fails for a VPC ingress rule from ::/0 over IPv6", () => {
    const messages = findings(ec2NoRestProxyFromAnywhere, (stack) => {
      new VpcSecurityGroupIngressRule(stack, "proxy6", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: REST_PROXY_PORT, toPort: REST_PROXY_PORT, cidrIpv6: "::/0" });
    });
    expect(messages).toEqual([`${RULE} aws_vpc_security_group_ingress_rule.proxy6: allows tcp port 8082 from ::/0 ${FIX}`]);
  });

  it("fails for an inline ingress range covering 8082, and for all traffic, naming each block", () => {
    const messages = findings(ec2NoRestProxyFromAnywhere, (stack) => {
      new SecurityGroup(stack, "client", {
        ingress: [
          { fromPort: 22, toPort: 22, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] },
          { fromPort: 8000, toPort: 8999, protocol: "tcp", cidrBlocks: ["10.0.0.0/8", "0.0.0.0/0"] },
          { fromPort: 0, toPort: 0, protocol: "-1", ipv6CidrBlocks: ["::/0"] },
        ],
      });
    });
    expect(messages).toEqual([
      `${RULE} aws_security_group.client: ingress 1 allows tcp ports 8000-8999, port 8082 included, from 0.0.0.0/0 ${FIX}`,
      `${RULE} aws_security_group.client: ingress 2 allows all traffic, port 8082 included, from ::/0 ${FIX}`,
    ]);
  });

  it("fails for a standalone aws_security_group_rule with protocol 6 ending exactly at 8082", () => {
    const messages = findings(ec2NoRestProxyFromAnywhere, (stack) => {
      new SecurityGroupRule(stack, "wide", { type: "ingress", securityGroupId: "sg-1", fromPort: 1024, toPort: REST_PROXY_PORT, protocol: "6", cidrBlocks: ["0.0.0.0/0"] });
    });
    expect(messages).toEqual([`${RULE} aws_security_group_rule.wide: allows tcp ports 1024-8082, port 8082 included, from 0.0.0.0/0 ${FIX}`]);
  });

  it("passes for 8082 from a security group or the VPC, neighbouring ports from anywhere, UDP and egress", () => {
    const messages = findings(ec2NoRestProxyFromAnywhere, (stack) => {
      new VpcSecurityGroupIngressRule(stack, "from-nlb", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: REST_PROXY_PORT, toPort: REST_PROXY_PORT, referencedSecurityGroupId: "sg-nlb" });
      new VpcSecurityGroupIngressRule(stack, "from-vpc", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: REST_PROXY_PORT, toPort: REST_PROXY_PORT, cidrIpv4: "10.20.0.0/16" });
      new VpcSecurityGroupIngressRule(stack, "below", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 8000, toPort: 8081, cidrIpv4: "0.0.0.0/0" });
      new VpcSecurityGroupIngressRule(stack, "above", { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort: 8083, toPort: 9000, cidrIpv6: "::/0" });
      new SecurityGroupRule(stack, "udp", { type: "ingress", securityGroupId: "sg-1", fromPort: REST_PROXY_PORT, toPort: REST_PROXY_PORT, protocol: "udp", cidrBlocks: ["0.0.0.0/0"] });
      new SecurityGroupRule(stack, "egress", { type: "egress", securityGroupId: "sg-1", fromPort: 0, toPort: 65535, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] });
      new SecurityGroup(stack, "client", { egress: [{ fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] });
    });
    expect(messages).toEqual([]);
  });
});
