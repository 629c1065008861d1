import { type CheckInfo, type CheckResult, skip } from "../check";
import { errorFacts } from "./errors";

export const AWS_CREDENTIALS: CheckInfo = { id: "aws.credentials", title: "AWS credentials" };

/** What an SDK credential provider resolves to; only its presence matters here. */
export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export type CredentialProvider = () => Promise<Credentials>;

/** The standard chain can wait on SSO or instance metadata; doctor should not hang on it. */
const RESOLVE_TIMEOUT_MS = 10_000;

/** Resolves the standard credential chain once; none found is a skip of every AWS check, not a failure. */
export async function resolveCredentials(provider: CredentialProvider, timeoutMs = RESOLVE_TIMEOUT_MS): Promise<{ credentials: Credentials } | { result: CheckResult }> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
  });
  try {
    return { credentials: await Promise.race([provider(), timeout]) };
  } catch (err) {
    return {
      result: skip(
        AWS_CREDENTIALS,
        `no AWS credentials found (${errorFacts(err).message.split("\n")[0]}): the account checks did not run`,
        "provide credentials the standard way (aws configure sso then export AWS_PROFILE=<profile>, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) and run doctor again",
      ),
    };
  } finally {
    clearTimeout(timer);
  }
}
