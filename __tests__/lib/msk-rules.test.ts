/** lib/msk-rules: MSK's sizing rules, shared by the config loader and the KafkaCluster construct. */
import { describe, expect, it, vi } from "vitest";
import { brokerCountProblem, defaultBrokerCount, replicationFactorProblem } from "../../lib/msk-rules";

describe("defaultBrokerCount", () => {
  it("is one broker per zone, as pipeline.example.yaml documents", () => {
    expect(defaultBrokerCount(2)).toBe(2);
    expect(defaultBrokerCount(3)).toBe(3);
  });
});

describe("defaultBrokerCount with another brokersPerZone", () => {
  it("multiplies, not divides, by brokersPerZone", async () => {
    vi.resetModules();
    vi.doMock("../../lib/defaults", async (original) => {
      const { DEFAULTS: base } = await original<typeof import("../../lib/defaults")>();
      return { DEFAULTS: { ...base, msk: { ...base.msk, brokersPerZone: 2 } } };
    });
    try {
      const rules = await import("../../lib/msk-rules");
      expect(rules.defaultBrokerCount(3)).toBe(6);
    } finally {
      vi.doUnmock("../../lib/defaults");
      vi.resetModules();
    }
  });
});

describe("brokerCountProblem", () => {
  it("accepts multiples of the zone count", () => {
    expect(brokerCountProblem(2, 2)).toBeUndefined();
    expect(brokerCountProblem(4, 2)).toBeUndefined();
    expect(brokerCountProblem(3, 3)).toBeUndefined();
  });

  it("refuses counts just past a multiple, naming the zones and the multiples", () => {
    expect(brokerCountProblem(3, 2)).toBe("got 3, expected a multiple of the 2 availability zones (MSK spreads brokers evenly; use 2, 4, ...)");
    expect(brokerCountProblem(1, 2)).toBe("got 1, expected a multiple of the 2 availability zones (MSK spreads brokers evenly; use 2, 4, ...)");
    expect(brokerCountProblem(4, 3)).toBe("got 4, expected a multiple of the 3 availability zones (MSK spreads brokers evenly; use 3, 6, ...)");
  });

  it("leaves a zone count of zero or less to the zone check", () => {
    expect(brokerCountProblem(3, 0)).toBeUndefined();
    expect(brokerCountProblem(3, -2)).toBeUndefined();
    // one zone: every count is a multiple
    expect(brokerCountProblem(3, 1)).toBeUndefined();
  });
});

describe("replicationFactorProblem", () => {
  it("accepts up to the broker count and refuses one more", () => {
    expect(replicationFactorProblem(2, 3)).toBeUndefined();
    expect(replicationFactorProblem(3, 3)).toBeUndefined();
    expect(replicationFactorProblem(4, 3)).toBe("got 4, expected at most the broker count 3 (a topic cannot have more replicas than brokers)");
  });
});
