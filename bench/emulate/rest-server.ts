/**
 * The Kafka REST v2 double of the tests as a separate process, so serving requests does not take
 * CPU time from the emulator's event loop. Started with fork(); talks over IPC:
 * sends `{ port }` when listening, answers "stats" with `{ written, requests }`, exits on "stop".
 */
import { startKafkaRestDouble } from "../../__tests__/emulation/kafka-rest-double";

const topics = (process.argv[2] ?? "bench.pin,bench.geo,bench.user").split(",");
const rest = await startKafkaRestDouble({ topics, keepValues: false });
process.send?.({ port: rest.port });
process.on("message", (message) => {
  if (message === "stats") process.send?.({ written: rest.written, requests: rest.requests });
  if (message === "stop") void rest.close().then(() => process.exit(0));
});
