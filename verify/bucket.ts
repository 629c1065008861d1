/**
 * The bucket, through the AWS SDK v3 S3 client: list a topic's objects under the sink's layout and
 * stream objects through a scanner. The SDK resolves the endpoint itself (AWS_ENDPOINT_URL_S3,
 * AWS_ENDPOINT_URL); with a custom endpoint, path-style addressing is forced so any S3-compatible
 * store works.
 */
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import { type SinkObjectName, parseSinkKey, topicPrefix } from "./sink-keys";

export interface ListedObject extends SinkObjectName {
  readonly key: string;
  /** Changes when the object is rewritten, so a cached scan is not reused. */
  readonly etag: string;
  readonly size: number;
}

export interface UnparsedKey {
  readonly key: string;
  readonly reason: string;
}

/** Whether the SDK will use a custom S3 endpoint from the environment. */
export function customS3Endpoint(env: NodeJS.ProcessEnv): string | undefined {
  if (env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === "true") return undefined;
  return env.AWS_ENDPOINT_URL_S3 || env.AWS_ENDPOINT_URL || undefined;
}

export function createS3Client(region: string, env: NodeJS.ProcessEnv): S3Client {
  return new S3Client({ region, ...(customS3Endpoint(env) ? { forcePathStyle: true } : {}) });
}

/** ListObjectsV2 pages read at most for one topic (1,000 keys a page): a bound, not a limit met in practice. */
const MAX_LIST_PAGES = 100_000;

export async function listTopic(client: S3Client, bucket: string, topic: string): Promise<{ objects: ListedObject[]; unparsed: UnparsedKey[] }> {
  const objects: ListedObject[] = [];
  const unparsed: UnparsedKey[] = [];
  let token: string | undefined;
  for (let page = 0; page < MAX_LIST_PAGES; page++) {
    const answer = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: topicPrefix(topic), ContinuationToken: token }));
    for (const item of answer.Contents ?? []) {
      if (!item.Key) continue;
      const parsed = parseSinkKey(item.Key, topic);
      if (parsed.ok) objects.push({ ...parsed.name, key: item.Key, etag: item.ETag ?? "", size: item.Size ?? 0 });
      else unparsed.push({ key: item.Key, reason: parsed.reason });
    }
    if (!answer.IsTruncated || !answer.NextContinuationToken) return { objects, unparsed };
    token = answer.NextContinuationToken;
  }
  throw new Error(`listing s3://${bucket}/${topicPrefix(topic)} did not end after ${MAX_LIST_PAGES} pages`);
}

/** The object's bytes as a stream. */
export async function openObject(client: S3Client, bucket: string, key: string): Promise<AsyncIterable<Uint8Array>> {
  const answer = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  if (!answer.Body) throw new Error(`s3://${bucket}/${key}: empty response body`);
  return answer.Body as AsyncIterable<Uint8Array>;
}

/** Runs `work` over `items` with at most `limit` in flight; results in input order. */
export async function mapConcurrent<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const at = next++;
      results[at] = await work(items[at] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
