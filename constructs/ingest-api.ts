/**
 * The ingestion API: a regional REST API named `<userId>` whose `{proxy+}` resource forwards every
 * method and path to the REST proxy on the client host (`http://<public DNS>:8082/{proxy}`, the
 * seed's "HTTP proxy integration"), deployed to one stage with access logs and throttling.
 */
import { Construct } from "constructs";
import { ApiGatewayAccount, ApiGatewayDeployment, ApiGatewayIntegration, ApiGatewayMethod, ApiGatewayMethodSettings, ApiGatewayResource, ApiGatewayRestApi, ApiGatewayStage, CloudwatchLogGroup, IamRole, IamRolePolicyAttachment } from "./aws";
import { Fn } from "../lib/cdktf";
import { REST_PROXY_PORT } from "../lib/contract";
import { DEFAULTS } from "../lib/defaults";
import { partitionOf, policyDocument, serviceTrustStatement } from "./iam";
import type { KafkaClientHost } from "./kafka-client-host";

export interface IngestApiProps {
  /** The API's name (the seed names it after the user id) and the prefix of its log group and role. */
  readonly apiName: string;
  /** The host whose REST proxy receives the requests. */
  readonly host: KafkaClientHost;
  /**
   * The stage, the last segment of the invoke URL.
   * @default prod
   */
  readonly stageName?: string;
  /**
   * Steady-state requests per second across the stage.
   * @default 1000
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst size across the stage.
   * @default 2000
   */
  readonly throttlingBurstLimit?: number;
  /**
   * How long CloudWatch keeps the access logs.
   * @default 30 days
   */
  readonly accessLogRetentionDays?: number;
  /**
   * Whether to set the region's account-wide API Gateway CloudWatch role, which stage access
   * logging requires. Turn it off when the account already has one (it is one setting per region).
   * @default true
   */
  readonly manageAccountCloudWatchRole?: boolean;
}

/** The backend URI of the HTTP proxy integration; API Gateway fills `{proxy}` from the request path. */
export function restProxyUri(publicDns: string): string {
  return `http://${publicDns}:${REST_PROXY_PORT}/{proxy}`;
}

/** One JSON line per request in the access log. */
export function accessLogFormat(): string {
  return JSON.stringify({
    requestId: "$context.requestId",
    ip: "$context.identity.sourceIp",
    requestTime: "$context.requestTime",
    httpMethod: "$context.httpMethod",
    path: "$context.path",
    status: "$context.status",
    responseLength: "$context.responseLength",
    integrationStatus: "$context.integration.status",
    integrationLatency: "$context.integration.latency",
    error: "$context.error.message",
  });
}

export class IngestApi extends Construct {
  readonly restApi: ApiGatewayRestApi;
  readonly proxyResource: ApiGatewayResource;
  readonly method: ApiGatewayMethod;
  readonly integration: ApiGatewayIntegration;
  readonly deployment: ApiGatewayDeployment;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly stage: ApiGatewayStage;
  /** The account-level CloudWatch role setting, when managed here. */
  readonly account?: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    this.restApi = new ApiGatewayRestApi(this, "rest-api", {
      name: props.apiName,
      description: "Pinterest pipeline ingestion: proxies to the Kafka REST proxy",
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    this.proxyResource = new ApiGatewayResource(this, "proxy-resource", { restApiId: this.restApi.id, parentId: this.restApi.rootResourceId, pathPart: "{proxy+}" });
    this.method = new ApiGatewayMethod(this, "proxy-method", {
      restApiId: this.restApi.id,
      resourceId: this.proxyResource.id,
      httpMethod: "ANY",
      authorization: "NONE",
      requestParameters: { "method.request.path.proxy": true },
    });
    this.integration = new ApiGatewayIntegration(this, "proxy-integration", {
      restApiId: this.restApi.id,
      resourceId: this.proxyResource.id,
      httpMethod: this.method.httpMethod,
      type: "HTTP_PROXY",
      integrationHttpMethod: "ANY",
      uri: restProxyUri(props.host.publicDns),
      requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
      passthroughBehavior: "WHEN_NO_MATCH",
    });
    // a new deployment whenever the route or its backend changes (the host's DNS name changes when it is replaced)
    this.deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: this.restApi.id,
      triggers: { redeployment: Fn.sha1(Fn.jsonencode([this.proxyResource.id, this.method.id, this.integration.id, this.integration.uri])) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: [this.method, this.integration],
    });

    if (props.manageAccountCloudWatchRole ?? DEFAULTS.api.manageAccountLoggingRole) {
      const role = new IamRole(this, "cloudwatch-role", {
        name: `${props.apiName}-apigateway-cloudwatch`,
        description: "API Gateway account setting: lets stages write access logs",
        assumeRolePolicy: policyDocument(this, "cloudwatch-trust", [serviceTrustStatement("apigateway.amazonaws.com")]).json,
      });
      const attachment = new IamRolePolicyAttachment(this, "cloudwatch-role-policy", {
        role: role.name,
        policyArn: `arn:${partitionOf(role.arn)}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
      });
      this.account = new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: role.arn, resetOnDelete: true, dependsOn: [attachment] });
    }

    this.accessLogGroup = new CloudwatchLogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.apiName}/access`,
      retentionInDays: props.accessLogRetentionDays ?? DEFAULTS.api.accessLogRetentionDays,
    });
    const stageName = props.stageName ?? DEFAULTS.api.stageName;
    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: this.restApi.id,
      deploymentId: this.deployment.id,
      stageName,
      accessLogSettings: { destinationArn: this.accessLogGroup.arn, format: accessLogFormat() },
      ...(this.account ? { dependsOn: [this.account] } : {}),
    });
    new ApiGatewayMethodSettings(this, "throttling", {
      restApiId: this.restApi.id,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: {
        throttlingRateLimit: props.throttlingRateLimit ?? DEFAULTS.api.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit ?? DEFAULTS.api.throttlingBurstLimit,
        metricsEnabled: true,
        // execution logs would go to a log group API Gateway creates without retention; access logs suffice
        loggingLevel: "OFF",
      },
    });
  }

  /** `https://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }
}
