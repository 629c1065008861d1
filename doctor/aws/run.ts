/** The account checks in order, each with the client it needs; later checks use what earlier ones learnt. */
import { APIGatewayClient } from "@aws-sdk/client-api-gateway";
import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { EC2Client } from "@aws-sdk/client-ec2";
import { IAMClient } from "@aws-sdk/client-iam";
import { KafkaConnectClient } from "@aws-sdk/client-kafkaconnect";
import { S3Client } from "@aws-sdk/client-s3";
import { STSClient } from "@aws-sdk/client-sts";
import type { PipelineConfig } from "../../lib/config";
import type { CheckResult } from "../check";
import { checkApiLoggingRole } from "./api-logging-role";
import { checkBucket } from "./bucket";
import { checkCallerIdentity } from "./caller-identity";
import type { Credentials } from "./credentials";
import { type DeployedStack, checkExistingConnectors, checkExistingRoles } from "./existing-resources";
import { checkInstanceTypes } from "./instance-types";
import { checkLogResourcePolicies } from "./log-resource-policy";
import { checkRegionEnabled } from "./region";
import { checkZones } from "./zones";

export interface AwsClients {
  readonly sts: STSClient;
  /** EC2 in a region every account has, for DescribeRegions. */
  readonly ec2Home: EC2Client;
  readonly ec2: EC2Client;
  readonly s3: S3Client;
  readonly iam: IAMClient;
  readonly apiGateway: APIGatewayClient;
  readonly kafkaConnect: KafkaConnectClient;
  readonly logs: CloudWatchLogsClient;
}

/** The partition's always-enabled region: account-wide questions go there, since the configured region may be disabled. */
export function homeRegion(region: string): string {
  if (region.startsWith("us-gov-")) return "us-gov-west-1";
  if (region.startsWith("cn-")) return "cn-north-1";
  return "us-east-1";
}

export function createAwsClients(region: string, credentials: Credentials): AwsClients {
  const home = homeRegion(region);
  // one retry at most: doctor reports a failure rather than waiting out the default backoff
  const common = { credentials, maxAttempts: 2 };
  return {
    sts: new STSClient({ ...common, region: home }),
    ec2Home: new EC2Client({ ...common, region: home }),
    ec2: new EC2Client({ ...common, region }),
    s3: new S3Client({ ...common, region }),
    iam: new IAMClient({ ...common, region: home }),
    apiGateway: new APIGatewayClient({ ...common, region }),
    kafkaConnect: new KafkaConnectClient({ ...common, region }),
    logs: new CloudWatchLogsClient({ ...common, region }),
  };
}

export interface AwsCheckInput {
  readonly config: Pick<PipelineConfig, "userId" | "region" | "availabilityZones" | "clientHost" | "msk" | "api">;
  readonly bucketName: string;
  /** What --outputs says this config's stack owns, when given and about this userId. */
  readonly deployed?: DeployedStack & { readonly bucketName: string };
}

export async function runAwsChecks(clients: AwsClients, input: AwsCheckInput): Promise<CheckResult[]> {
  const { config, deployed } = input;
  const identity = await checkCallerIdentity(clients.sts);
  if (!identity.identity) return [identity.result];
  const { account } = identity.identity;
  const results: CheckResult[] = [identity.result];

  const region = await checkRegionEnabled(clients.ec2Home, config.region);
  results.push(region.result);
  if (region.enabled) {
    const zones = await checkZones(clients.ec2, config.region, config.availabilityZones);
    results.push(zones.result);
    if (zones.resolved) {
      results.push(await checkInstanceTypes(clients.ec2, { clientType: config.clientHost.instanceType, brokerType: config.msk.brokerInstanceType, zones: zones.resolved }));
    }
  }
  results.push(await checkBucket(clients.s3, account, { name: input.bucketName, ...(deployed ? { deployedBucket: deployed.bucketName } : {}) }));
  if (region.enabled) results.push(await checkApiLoggingRole(clients.apiGateway, config.api.manageAccountLoggingRole, config.userId));
  results.push(await checkExistingRoles(clients.iam, config.userId, deployed));
  if (region.enabled) {
    results.push(await checkExistingConnectors(clients.kafkaConnect, config.userId, deployed));
    results.push(await checkLogResourcePolicies(clients.logs, { region: config.region, account, userId: config.userId }));
  }
  return results;
}
