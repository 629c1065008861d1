/** Bucket, API Gateway logging role, existing roles and connectors, log policy room: aws-sdk-client-mock doubles with the SDK's own error classes. */
import { APIGatewayClient, GetAccountCommand } from "@aws-sdk/client-api-gateway";
import { CloudWatchLogsClient, DescribeResourcePoliciesCommand } from "@aws-sdk/client-cloudwatch-logs";
import { GetRoleCommand, IAMClient, NoSuchEntityException } from "@aws-sdk/client-iam";
import { KafkaConnectClient, ListConnectorsCommand } from "@aws-sdk/client-kafkaconnect";
import { HeadBucketCommand, NotFound, S3Client, S3ServiceException } from "@aws-sdk/client-s3";
import { mockClient } from "aws-sdk-client-mock";
import { beforeEach, describe, expect, it } from "vitest";
import { checkApiLoggingRole } from "../../doctor/aws/api-logging-role";
import { checkBucket } from "../../doctor/aws/bucket";
import { type DeployedStack, checkExistingConnectors, checkExistingRoles } from "../../doctor/aws/existing-resources";
import { POLICY_MAX_CHARACTERS, checkLogResourcePolicies } from "../../doctor/aws/log-resource-policy";
import { exampleConfig, resourcesOf, synthPipeline } from "../infra/helpers";

const ACCOUNT = "111122223333";
const USER = "12a3b4c5d6e7";
const s3 = mockClient(S3Client);
const apiGateway = mockClient(APIGatewayClient);
const iam = mockClient(IAMClient);
const kafkaConnect = mockClient(KafkaConnectClient);
const logs = mockClient(CloudWatchLogsClient);
beforeEach(() => [s3, apiGateway, iam, kafkaConnect, logs].forEach((mock) => mock.reset()));
const client = <T>(ctor: new (config: object) => T) => new ctor({ region: "us-east-1", credentials: { accessKeyId: "AKIDTEST", secretAccessKey: "test" } });

/** HEAD has no body: the SDK raises S3ServiceException named "Unknown" for 403 and 301 (observed with this client version against a local server). */
const headError = (status: number, headers: Record<string, string> = {}) =>
  Object.assign(new S3ServiceException({ name: "Unknown", $fault: "client", $metadata: { httpStatusCode: status } }), { $response: { statusCode: status, headers, body: undefined } });

describe("aws.bucket", () => {
  const BUCKET = `user-${USER}-bucket`;

  it("passes a free name (404 NotFound), asking with the expected owner", async () => {
    s3.on(HeadBucketCommand).rejects(new NotFound({ message: "UnknownError", $metadata: { httpStatusCode: 404 } }));
    expect(await checkBucket(client(S3Client), ACCOUNT, { name: BUCKET })).toMatchObject({ status: "ok", message: `${BUCKET} is free` });
    expect(s3.commandCalls(HeadBucketCommand)[0].args[0].input).toEqual({ Bucket: BUCKET, ExpectedBucketOwner: ACCOUNT });
  });

  it("fails a name another account holds (403), as AiCore's pre-created bucket, with a rename fix", async () => {
    s3.on(HeadBucketCommand).rejects(headError(403));
    const result = await checkBucket(client(S3Client), ACCOUNT, { name: BUCKET });
    expect(result.status).toBe("fail");
    expect(result.message).toContain("belongs to another account");
    expect(result.fix).toContain("set a different bucket name");
  });

  it("fails a bucket in another region (301), naming the region", async () => {
    s3.on(HeadBucketCommand).rejects(headError(301, { "x-amz-bucket-region": "eu-west-1" }));
    const result = await checkBucket(client(S3Client), ACCOUNT, { name: BUCKET });
    expect(result).toMatchObject({ status: "fail", message: `${BUCKET} exists in region eu-west-1: deploy would fail with BucketAlreadyExists` });
  });

  it("warns on our own bucket without --outputs, passes it when the outputs name it", async () => {
    s3.on(HeadBucketCommand).resolves({ BucketRegion: "us-east-1", $metadata: { httpStatusCode: 200 } });
    const unconfirmed = await checkBucket(client(S3Client), ACCOUNT, { name: BUCKET });
    expect(unconfirmed.status).toBe("warn");
    expect(unconfirmed.fix).toContain("pass --outputs");
    expect(await checkBucket(client(S3Client), ACCOUNT, { name: BUCKET, deployedBucket: BUCKET })).toMatchObject({ status: "ok", message: `${BUCKET} exists and is this stack's (per --outputs)` });
  });
});

describe("aws.api-logging-role", () => {
  const foreignRole = `arn:aws:iam::${ACCOUNT}:role/platform-team-apigw-logs`;

  it("fails when another role is set and the stack would replace it", async () => {
    apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: foreignRole, throttleSettings: { burstLimit: 5000, rateLimit: 10000 } });
    const result = await checkApiLoggingRole(client(APIGatewayClient), true, USER);
    expect(result.status).toBe("fail");
    expect(result.message).toContain(`the account already uses ${foreignRole}`);
    expect(result.fix).toBe("set api.manageAccountLoggingRole: false to keep and use that role");
    expect(apiGateway.commandCalls(GetAccountCommand)[0].args[0].input).toEqual({});
  });

  it("passes another role when the stack leaves it alone, and this stack's own role", async () => {
    apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: foreignRole });
    expect((await checkApiLoggingRole(client(APIGatewayClient), false, USER)).status).toBe("ok");
    apiGateway.on(GetAccountCommand).resolves({ cloudwatchRoleArn: `arn:aws:iam::${ACCOUNT}:role/${USER}-apigateway-cloudwatch` });
    expect((await checkApiLoggingRole(client(APIGatewayClient), true, USER)).status).toBe("ok");
  });

  it("fails when no role is set and the stack will not set one", async () => {
    apiGateway.on(GetAccountCommand).resolves({ throttleSettings: { burstLimit: 5000, rateLimit: 10000 } });
    expect((await checkApiLoggingRole(client(APIGatewayClient), false, USER)).fix).toBe("set api.manageAccountLoggingRole: true");
    expect((await checkApiLoggingRole(client(APIGatewayClient), true, USER)).status).toBe("ok");
  });
});

describe("aws.existing-roles", () => {
  const roleArn = (name: string) => `arn:aws:iam::${ACCOUNT}:role/${name}`;
  const role = (name: string) => ({ Role: { RoleName: name, Arn: roleArn(name), Path: "/", RoleId: "AROATEST", CreateDate: new Date("2026-11-01T00:00:00Z") } });
  const deployed: DeployedStack = { userId: USER, roleArns: [roleArn(`${USER}-ec2-access-role`), roleArn(`${USER}-produce-role`)], connectorArn: "arn:aws:kafkaconnect:us-east-1:111122223333:connector/12a3b4c5d6e7-connector/abc" };

  it("asks for exactly the stack's five role names and passes when none exist", async () => {
    iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: "The role with name x cannot be found.", $metadata: { httpStatusCode: 404 } }));
    expect((await checkExistingRoles(client(IAMClient), USER, undefined)).status).toBe("ok");
    const asked = iam.commandCalls(GetRoleCommand).map((call) => call.args[0].input as { RoleName: string });
    expect(asked).toHaveLength(5);
    expect(asked.map((input) => Object.keys(input))).toEqual(Array(5).fill(["RoleName"]));
    // the names the synthesized stack gives its roles, not the doctor's own list of them
    const { tf } = synthPipeline(exampleConfig((doc) => (doc.userId = USER)));
    const synthesized = Object.values(resourcesOf(tf, "aws_iam_role")).map((r) => r.name as string);
    expect(asked.map((input) => input.RoleName).sort()).toEqual(synthesized.sort());
  });

  it("warns when AiCore's access role exists and no --outputs claim it", async () => {
    iam.on(GetRoleCommand).rejects(new NoSuchEntityException({ message: "not found", $metadata: { httpStatusCode: 404 } }));
    iam.on(GetRoleCommand, { RoleName: `${USER}-ec2-access-role` }).resolves(role(`${USER}-ec2-access-role`));
    const result = await checkExistingRoles(client(IAMClient), USER, undefined);
    expect(result.status).toBe("warn");
    expect(result.message).toBe(`${USER}-ec2-access-role already exists: a previous deploy of this userId, or a role AiCore created; a fresh deploy stops with EntityAlreadyExists`);
  });

  it("passes existing roles the outputs say are this stack's", async () => {
    iam.on(GetRoleCommand).callsFake((input: { RoleName: string }) => role(input.RoleName));
    expect(await checkExistingRoles(client(IAMClient), USER, deployed)).toMatchObject({ status: "ok" });
  });
});

describe("aws.existing-connector", () => {
  const connector = { connectorName: `${USER}-connector`, connectorArn: `arn:aws:kafkaconnect:us-east-1:${ACCOUNT}:connector/${USER}-connector/abc`, connectorState: "RUNNING" as const };

  it("warns about a connector of this userId without --outputs, listing by name prefix", async () => {
    kafkaConnect.on(ListConnectorsCommand).resolves({ connectors: [connector] });
    const result = await checkExistingConnectors(client(KafkaConnectClient), USER, undefined);
    expect(result.status).toBe("warn");
    expect(result.message).toContain(`${USER}-connector already exists`);
    expect(kafkaConnect.commandCalls(ListConnectorsCommand)[0].args[0].input).toEqual({ connectorNamePrefix: `${USER}-` });
  });

  it("passes no connector, and the connector the outputs name", async () => {
    kafkaConnect.on(ListConnectorsCommand).resolves({ connectors: [] });
    expect((await checkExistingConnectors(client(KafkaConnectClient), USER, undefined)).status).toBe("ok");
    kafkaConnect.on(ListConnectorsCommand).resolves({ connectors: [connector] });
    expect((await checkExistingConnectors(client(KafkaConnectClient), USER, { userId: USER, roleArns: [], connectorArn: connector.connectorArn })).status).toBe("ok");
  });
});

describe("aws.log-resource-policy", () => {
  const facts = { region: "us-east-1", account: ACCOUNT, userId: USER };
  const deliveryPolicy = (length: number) => {
    const head = '{"Version":"2012-10-17","Statement":[{"Sid":"AWSLogDeliveryWrite","Effect":"Allow","Principal":{"Service":"delivery.logs.amazonaws.com"},"Action":["logs:CreateLogStream","logs:PutLogEvents"],"Resource":[';
    const tail = "]}]}";
    const arns: string[] = [];
    for (let i = 0; head.length + tail.length + arns.join(",").length < length - 120; i++) arns.push(`"arn:aws:logs:us-east-1:${ACCOUNT}:log-group:/aws/msk/old-${i}:log-stream:*"`);
    return { policyName: "AWSLogDeliveryWrite20150319", policyDocument: head + arns.join(",") + tail, lastUpdatedTime: 1760000000000, policyScope: "ACCOUNT" as const };
  };

  it("fails when this stack's two log groups would push the delivery policy past 5,120 characters", async () => {
    logs.on(DescribeResourcePoliciesCommand).resolves({ resourcePolicies: [deliveryPolicy(POLICY_MAX_CHARACTERS - 100)] });
    const result = await checkLogResourcePolicies(client(CloudWatchLogsClient), facts);
    expect(result.status).toBe("fail");
    expect(result.message).toContain("broker and connector log delivery would fail");
    expect(logs.commandCalls(DescribeResourcePoliciesCommand)[0].args[0].input).toEqual({});
  });

  it("fails when the account already has 10 other resource policies", async () => {
    logs.on(DescribeResourcePoliciesCommand).resolves({ resourcePolicies: Array.from({ length: 10 }, (_, i) => ({ policyName: `route53-${i}`, policyDocument: "{}" })) });
    expect((await checkLogResourcePolicies(client(CloudWatchLogsClient), facts)).status).toBe("fail");
  });

  it("passes a policy with room", async () => {
    logs.on(DescribeResourcePoliciesCommand).resolves({ resourcePolicies: [deliveryPolicy(1500)] });
    const result = await checkLogResourcePolicies(client(CloudWatchLogsClient), facts);
    expect(result.status).toBe("ok");
    expect(result.message).toMatch(/^AWSLogDeliveryWrite20150319 uses \d+ of 5120 characters, about \d+ after this stack's/);
  });
});
