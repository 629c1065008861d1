/** Kafka REST doubles for a test file, closed after each test (kept out of kafka-rest-double.ts, which the benchmarks load without vitest). */
import { afterEach } from "vitest";
import { startKafkaRestDouble, type KafkaRestDouble, type KafkaRestDoubleOptions } from "./kafka-rest-double";

/**
 * For a test file: a function that starts a double for `topics` (options merged in), every double it
 * started being closed after each test.
 */
export function kafkaRestDoublesPerTest(topics: readonly string[]): (options?: Partial<KafkaRestDoubleOptions>) => Promise<KafkaRestDouble> {
  const started: KafkaRestDouble[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((rest) => rest.close()));
  });
  return async (options = {}) => {
    const rest = await startKafkaRestDouble({ topics, ...options });
    started.push(rest);
    return rest;
  };
}
