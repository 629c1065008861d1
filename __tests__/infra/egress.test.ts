/**
 * The egress rules the stack suites do not compare whole: the client host's (downloads, STS and the
 * brokers: every protocol to every IPv4 address, one rule, no IPv6) and the private link's load
 * balancer's (the proxy port to the host's group only).
 */
import { describe, expect, it } from "vitest";
import { exampleConfig, refTo, resourcesOf, synthPipeline } from "./helpers";

const { tf } = synthPipeline(exampleConfig());

/** The egress rules of a security group, each with every attribute but its description. */
function egressOf(groupFragment: string): Record<string, unknown>[] {
  const group = refTo(tf, "aws_security_group", groupFragment, "id");
  return Object.values(resourcesOf(tf, "aws_vpc_security_group_egress_rule"))
    .filter((rule) => rule.security_group_id === group)
    .map(({ description: _description, ...rule }) => rule);
}

describe("egress", () => {
  it("the client host: every protocol to every IPv4 address, in one rule", () => {
    expect(egressOf("client-sg")).toEqual([{ security_group_id: refTo(tf, "aws_security_group", "client-sg", "id"), ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" }]);
  });

  it("the private link's load balancer: the proxy port to the host's group, nothing else", () => {
    expect(egressOf("nlb-sg")).toEqual([
      { security_group_id: refTo(tf, "aws_security_group", "nlb-sg", "id"), ip_protocol: "tcp", from_port: 8082, to_port: 8082, referenced_security_group_id: refTo(tf, "aws_security_group", "client-sg", "id") },
    ]);
  });
});
