/** The summary's cost estimate and the placeholder warnings, on small hand-written inputs. */
import { describe, expect, it } from "vitest";
import { placeholderWarnings } from "../../lib/placeholders";
import { PRICES, s3PutCostPerMillionRecords, s3PutRequestsPerMillionRecords } from "../../lib/prices";
import { monthlyCost, namedResources } from "../../lib/stack-summary";
import type { TerraformJson } from "../../lib/terraform-json";

describe("price table", () => {
  it("carries its date, region and source", () => {
    expect(PRICES.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.region).toBe("us-east-1");
    expect(PRICES.source.length).toBeGreaterThan(20);
  });

  it("counts three PUT-class requests per S3 object: USD 15 per million records at flush.size 1, 1.5 cents at 1000", () => {
    expect(s3PutRequestsPerMillionRecords(1)).toBe(3_000_000);
    expect(s3PutRequestsPerMillionRecords(1000)).toBe(3_000);
    expect(s3PutCostPerMillionRecords(1)).toBeCloseTo(15, 6);
    expect(s3PutCostPerMillionRecords(1000)).toBeCloseTo(0.015, 6);
  });
});

describe("monthly cost", () => {
  const stack: TerraformJson = {
    resource: {
      aws_msk_cluster: { c: { number_of_broker_nodes: 2, broker_node_group_info: { instance_type: "kafka.m9.huge", storage_info: { ebs_storage_info: { volume_size: 50 } } } } },
      aws_lb: { nlb: { name: "u-nlb", load_balancer_type: "network" }, alb: { name: "u-alb", load_balancer_type: "application" } },
    },
  };

  it("prices a network load balancer where there is one", () => {
    const nlb = monthlyCost(stack).filter((l) => l.item === "network load balancer");
    expect(nlb).toHaveLength(1);
    expect(nlb[0].usd).toBeCloseTo(730 * PRICES.nlbHour, 6);
  });

  it("says so instead of guessing when an instance type is not in the table", () => {
    const brokers = monthlyCost(stack).find((l) => l.item === "MSK brokers");
    expect(brokers).toMatchObject({ basis: "2 x kafka.m9.huge x 730 h x USD ?", usd: undefined });
    expect(monthlyCost(stack).find((l) => l.item === "MSK broker storage")?.usd).toBeCloseTo(10, 6);
  });

  it("names the load balancers among the named resources", () => {
    // the cluster has no name here, so only the load balancers are listed
    expect(namedResources(stack)).toEqual([["load balancer", "u-nlb, u-alb"]]);
  });
});

describe("placeholder warnings", () => {
  const own = { userId: "5e6f7a8b9c0d", clientHost: { sshAllowedCidrs: ["100.64.7.9/32"], sshPublicKey: "ssh-ed25519 AAAAown" } };

  it("warns about nothing in a real config", () => {
    expect(placeholderWarnings(own, ["ssh-ed25519 AAAAexample example\n"])).toEqual([]);
  });

  it("warns about each documentation range, the example user id and the example key", () => {
    const warnings = placeholderWarnings(
      { userId: "0a1b2c3d4e5f", clientHost: { sshAllowedCidrs: ["192.0.2.7/32", "10.0.0.0/8", "198.51.100.0/25"], sshPublicKey: "ssh-ed25519 AAAAexample example" } },
      ["ssh-ed25519 AAAAexample example\n"],
    );
    expect(warnings).toEqual([
      'userId is the example\'s placeholder "0a1b2c3d4e5f" (set your own AiCore user id)',
      "clientHost.sshAllowedCidrs.0 192.0.2.7/32 is in the documentation range 192.0.2.0/24, which no real host uses (set your public address as x.x.x.x/32)",
      "clientHost.sshAllowedCidrs.2 198.51.100.0/25 is in the documentation range 198.51.100.0/24, which no real host uses (set your public address as x.x.x.x/32)",
      "clientHost.sshPublicKey is the example key from example-keys/ (point it at your own .pub file, e.g. ~/.ssh/id_ed25519.pub)",
    ]);
  });
});
