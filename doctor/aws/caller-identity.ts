import { GetCallerIdentityCommand, type STSClient } from "@aws-sdk/client-sts";
import { type CheckInfo, type CheckResult, fail, ok } from "../check";
import { errorFacts } from "./errors";

export const CALLER_IDENTITY: CheckInfo = { id: "aws.identity", title: "AWS caller identity" };

export interface CallerIdentity {
  readonly account: string;
  readonly arn: string;
}

/** Who the credentials are; every later AWS check needs the account, so a failure ends the AWS checks. */
export async function checkCallerIdentity(sts: STSClient): Promise<{ result: CheckResult; identity?: CallerIdentity }> {
  try {
    const { Account, Arn } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Account || !Arn) return { result: fail(CALLER_IDENTITY, "STS answered without an account", "check the credentials' endpoint configuration (AWS_ENDPOINT_URL*)") };
    return { result: ok(CALLER_IDENTITY, `account ${Account} as ${Arn}`), identity: { account: Account, arn: Arn } };
  } catch (err) {
    const { name, message } = errorFacts(err);
    return { result: fail(CALLER_IDENTITY, `the credentials were refused: ${name}: ${message}`, "refresh them (aws sso login, or new access keys) and run doctor again") };
  }
}
