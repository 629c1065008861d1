/**
 * The Kafka REST v2 double of the tests as a separate process, so serving requests does not take
 * CPU time from the emulator's event loop. Started with fork(); talks over IPC:
 * sends `{ port }` when listening, answers "stats" with `{ written, requests }`, exits on "stop".
 *
 * Usage: rest-server.ts [topics, comma-separated] [iam]
 * With `iam` it verifies every request's SigV4 signature (service execute-api, region us-east-1)
 * against the credentials in its environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN),
 * the test credentials the benchmark gives both processes.
 */
import { startKafkaRestDouble, type DoubleAuth } from "../../__tests__/emulation/kafka-rest-double";

export const BENCH_REGION = "us-east-1";

const topics = (process.argv[2] ?? "bench.pin,bench.geo,bench.user").split(",");
const auth: DoubleAuth | undefined =
  process.argv[3] === "iam"
    ? {
        mode: "iam",
        region: BENCH_REGION,
        credentials: {
          accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? "",
          secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? "",
          ...(process.env.AWS_SESSION_TOKEN ? { sessionToken: process.env.AWS_SESSION_TOKEN } : {}),
        },
      }
    : undefined;
const rest = await startKafkaRestDouble({ topics, keepValues: false, ...(auth ? { auth } : {}) });
process.send?.({ port: rest.port });
process.on("message", (message) => {
  if (message === "stats") process.send?.({ written: rest.written, requests: rest.requests });
  if (message === "stop") void rest.close().then(() => process.exit(0));
});
