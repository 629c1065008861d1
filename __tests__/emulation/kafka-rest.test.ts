/**
 * The produce transport (emulation/kafka-rest.ts) against plain local HTTP servers: the URL, the
 * headers on the wire, the keep-alive pool, and how each transport failure is classified (fatal,
 * retry without risk of duplicates, or retry that may duplicate).
 */
import { Agent, createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ProduceClient, produce, topicUrl } from "../../emulation/kafka-rest";
import { freePort } from "../support/net";

/** The v2 answer for a request body: one offset per record, from 0. */
const offsetsFor = (body: string) => JSON.stringify({ offsets: (JSON.parse(body) as { records: unknown[] }).records.map((_, offset) => ({ partition: 0, offset })) });

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve)))));
});

interface Seen {
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** An HTTP server answering each request with `answer` (200 and an offset per record by default); records requests and connections. */
async function startServer(answer?: (req: Seen, res: ServerResponse, socket: Socket) => void) {
  const requests: Seen[] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const seen = { url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
      requests.push(seen);
      if (answer) return answer(seen, res, req.socket);
      res.writeHead(200, { "Content-Type": "application/vnd.kafka.v2+json" }).end(offsetsFor(seen.body));
    });
  });
  server.on("connection", () => connections++);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, requests, connections: () => connections };
}

const transport = (timeoutMs = 2_000) => ({ agent: new Agent({ keepAlive: false }), timeoutMs });

describe("topicUrl", () => {
  it("appends /topics/<topic> to the invoke URL, without doubling its trailing slashes, the topic encoded", () => {
    expect(topicUrl("https://a.example/prod", "u.pin").href).toBe("https://a.example/prod/topics/u.pin");
    expect(topicUrl("https://a.example/prod//", "u.pin").href).toBe("https://a.example/prod/topics/u.pin");
    expect(topicUrl("https://a.example/prod/", "a b/c").href).toBe("https://a.example/prod/topics/a%20b%2Fc");
  });
});

describe("ProduceClient", () => {
  it("posts the v2 body with exactly the media, length and auth headers", async () => {
    const server = await startServer();
    const client = new ProduceClient(`${server.url}/prod/`, {
      concurrency: 1,
      timeoutMs: 2_000,
      authenticator: { headersFor: async () => ({ "x-api-key": "k-1" }) },
    });
    try {
      expect(await client.produce("u.pin", ['{"a":1}', '{"b":2}'])).toEqual({ kind: "offsets", errors: [null, null], positions: [{ partition: 0, offset: 0 }, { partition: 0, offset: 1 }] });
    } finally {
      client.close();
    }
    expect(server.requests).toHaveLength(1);
    const [request] = server.requests;
    expect(request.url).toBe("/prod/topics/u.pin");
    expect(request.body).toBe('{"records":[{"value":{"a":1}},{"value":{"b":2}}]}');
    expect(request.headers).toMatchObject({
      "content-type": "application/vnd.kafka.json.v2+json",
      accept: "application/vnd.kafka.v2+json",
      "content-length": String(Buffer.byteLength(request.body)),
      "x-api-key": "k-1",
    });
  });

  it("reuses its connections: sequential requests share one, concurrent ones never exceed the concurrency", async () => {
    const server = await startServer();
    const client = new ProduceClient(server.url, { concurrency: 2, timeoutMs: 2_000 });
    try {
      for (let i = 0; i < 3; i++) await client.produce("t", ["1"]);
      expect(server.connections()).toBe(1);
      await Promise.all(Array.from({ length: 6 }, () => client.produce("t", ["1"])));
      expect(server.connections()).toBe(2);
    } finally {
      client.close();
    }
  });

  it("a signing failure is fatal, with the first line of the reason, and nothing is sent", async () => {
    const server = await startServer();
    const client = new ProduceClient(server.url, { concurrency: 1, timeoutMs: 2_000, authenticator: { headersFor: async () => Promise.reject(new Error("expired token\nmore detail")) } });
    try {
      expect(await client.produce("t", ["1"])).toEqual({ kind: "fatal", reason: `cannot sign the request to ${server.url}: expired token (check the AWS credentials)` });
    } finally {
      client.close();
    }
    expect(server.requests).toEqual([]);
  });

  it("an https invoke URL is spoken to over TLS: a plain HTTP server there is unreachable, not a duplicate risk", async () => {
    const server = await startServer();
    const client = new ProduceClient(server.url.replace("http:", "https:"), { concurrency: 1, timeoutMs: 2_000 });
    try {
      const outcome = await client.produce("t", ["1"]);
      expect(outcome).toMatchObject({ kind: "retry", ambiguous: false, unreachable: true });
      expect((outcome as { reason: string }).reason).toMatch(/^https:\/\/127\.0\.0\.1:\d+: (EPROTO|ERR_SSL_WRONG_VERSION_NUMBER) \(/);
    } finally {
      client.close();
    }
    expect(server.requests).toEqual([]);
  });
});

describe("produce: transport failures", () => {
  it("nothing listening: a retry that cannot duplicate, the API unreachable", async () => {
    const port = await freePort();
    const url = new URL(`http://127.0.0.1:${port}/topics/t`);
    expect(await produce(url, "{}", 1, transport())).toEqual({
      kind: "retry",
      reason: `http://127.0.0.1:${port}: ECONNREFUSED (connect ECONNREFUSED 127.0.0.1:${port})`,
      ambiguous: false,
      unreachable: true,
    });
  });

  it("a host name that does not resolve is fatal", async () => {
    expect(await produce(new URL("http://nonexistent.invalid/topics/t"), "{}", 1, transport())).toEqual({ kind: "fatal", reason: "http://nonexistent.invalid: host not found (check the invoke URL)" });
  });

  it("no answer within the timeout after the request went out: a retry that may duplicate", async () => {
    const server = await startServer(() => {});
    expect(await produce(new URL(`${server.url}/topics/t`), "{}", 1, transport(300))).toEqual({ kind: "retry", reason: "no answer within 300 ms", ambiguous: true });
    expect(server.requests).toHaveLength(1);
  });

  it("a timed-out request's connection is closed, not left open for a late answer", async () => {
    let closed = false;
    const server = await startServer((_req, _res, socket) => socket.on("close", () => (closed = true)));
    await produce(new URL(`${server.url}/topics/t`), "{}", 1, transport(100));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(closed).toBe(true);
  });

  it("a connection reset after the request: a retry that may duplicate, naming the error", async () => {
    const server = await startServer((_req, _res, socket) => socket.resetAndDestroy());
    const outcome = await produce(new URL(`${server.url}/topics/t`), "{}", 1, transport());
    expect(outcome).toEqual({ kind: "retry", reason: "ECONNRESET (read ECONNRESET)", ambiguous: true });
  });

  it("a response cut off in its body: a retry that may duplicate", async () => {
    const server = await startServer((_req, res, socket) => {
      res.writeHead(200, { "Content-Type": "application/vnd.kafka.v2+json", "Content-Length": "100" });
      res.write('{"offsets":[');
      setTimeout(() => socket.destroy(), 50);
    });
    const outcome = await produce(new URL(`${server.url}/topics/t`), "{}", 1, transport());
    expect(outcome).toMatchObject({ kind: "retry", ambiguous: true });
    expect((outcome as { reason: string }).reason).toMatch(/^response aborted: /);
  });
});
