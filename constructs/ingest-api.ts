/**
 * The ingestion API: a regional REST API named `<userId>` in front of the REST proxy on the client
 * host, deployed to one stage with access logs and throttling, and authenticated (IAM or API keys).
 *
 * By default it reaches the proxy through a VPC link and an internal NLB ({@link PrivateLink}) and
 * serves only `POST /topics/<topic>` for the pipeline's topics. The seed's layout, `ANY /{proxy+}`
 * to `http://<public DNS>:8082/{proxy}` (its "HTTP proxy integration"), remains available as
 * {@link RestProxyBackend.seedPublicProxy}.
 */
import { Construct } from "constructs";
import {
  ApiGatewayAccount,
  ApiGatewayApiKey,
  ApiGatewayDeployment,
  ApiGatewayIntegration,
  ApiGatewayMethod,
  ApiGatewayMethodSettings,
  ApiGatewayResource,
  ApiGatewayRestApi,
  ApiGatewayStage,
  ApiGatewayUsagePlan,
  ApiGatewayUsagePlanKey,
  CloudwatchLogGroup,
  IamPolicy,
  IamRole,
  IamRolePolicyAttachment,
} from "./aws";
import { Fn } from "../lib/cdktf";
import { type ApiAuthMode, type ApiQuotaPeriod, REST_PROXY_PORT } from "../lib/contract";
import { DEFAULTS } from "../lib/defaults";
import { resourceNames } from "../lib/names";
import { partitionOf, policyDocument, serviceTrustStatement } from "./iam";
import type { KafkaClientHost } from "./kafka-client-host";
import type { PrivateLink } from "./private-link";

/**
 * Where the API sends requests: through a private link (the default layout), or over the internet
 * to the host's public DNS name (the seed's layout).
 */
export class RestProxyBackend {
  /**
   * Through the VPC link and the internal NLB. The API then serves only `POST /topics/<topic>` for
   * the configured topics, each a literal resource, so any other path or topic is refused by API
   * Gateway itself (403 Missing Authentication Token) and never reaches the proxy.
   */
  static privateLink(link: PrivateLink): RestProxyBackend {
    return new RestProxyBackend("private-link", link, undefined);
  }

  /**
   * The seed's layout: `ANY /{proxy+}` to `http://<public DNS>:8082/{proxy}` over the internet, which
   * needs the proxy port open to the world. Kept only for the acknowledged `api.exposure: public`.
   */
  static seedPublicProxy(host: KafkaClientHost): RestProxyBackend {
    return new RestProxyBackend("public-host", undefined, host);
  }

  private constructor(
    readonly kind: "private-link" | "public-host",
    readonly link: PrivateLink | undefined,
    readonly host: KafkaClientHost | undefined,
  ) {}
}

/** One route of the API: its resource, method and integration. */
export interface ApiRoute {
  /** The resource path, e.g. `/topics/<topic>` or `/{proxy+}`. */
  readonly path: string;
  readonly resource: ApiGatewayResource;
  readonly method: ApiGatewayMethod;
  readonly integration: ApiGatewayIntegration;
}

export interface IngestApiProps {
  /** The API's name (the seed names it after the user id) and the prefix of its log group, role, policy and key. */
  readonly apiName: string;
  /** Where requests go; see {@link RestProxyBackend}. */
  readonly backend: RestProxyBackend;
  /** The Kafka topics producers may post to: one `POST /topics/<topic>` route each, and the invoke policy's resources. */
  readonly topics: readonly string[];
  /**
   * How callers authenticate: `iam` (every method requires SigV4, and the construct creates a managed
   * policy allowing exactly the produce routes), `api-key` (every method requires an API key of a usage
   * plan with throttling and a quota) or `none` (anyone may call; only for the seed's layout).
   * @default iam
   */
  readonly auth?: ApiAuthMode;
  /**
   * api-key mode: the requests one key may make per `quotaPeriod`.
   * @default 1000000
   */
  readonly quotaLimit?: number;
  /**
   * api-key mode: the period of the usage plan's quota.
   * @default DAY
   */
  readonly quotaPeriod?: ApiQuotaPeriod;
  /**
   * The stage, the last segment of the invoke URL.
   * @default prod
   */
  readonly stageName?: string;
  /**
   * Steady-state requests per second across the stage (and per key in api-key mode).
   * @default 1000
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst size across the stage (and per key in api-key mode).
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

/** The produce path of a topic, as the Kafka REST v2 API names it. */
export function produceRoutePath(topic: string): string {
  return `/topics/${topic}`;
}

/**
 * The `execute-api:Invoke` resources of the produce routes of one stage:
 * `<stage execution ARN>/POST/topics/<topic>`, i.e. `arn:<partition>:execute-api:<region>:<account>:<api id>/<stage>/POST/topics/<topic>`.
 */
export function invokeResources(stageExecutionArn: string, topics: readonly string[]): string[] {
  return topics.map((topic) => `${stageExecutionArn}/POST${produceRoutePath(topic)}`);
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
  /** Every route, in creation order: `POST /topics/<topic>` per topic, or the seed's `ANY /{proxy+}`. */
  readonly routes: readonly ApiRoute[];
  /** The `/topics` parent resource of the produce routes; absent in the seed's layout. */
  readonly topicsResource?: ApiGatewayResource;
  readonly deployment: ApiGatewayDeployment;
  readonly accessLogGroup: CloudwatchLogGroup;
  readonly stage: ApiGatewayStage;
  /** How callers authenticate. */
  readonly auth: ApiAuthMode;
  /** The account-level CloudWatch role setting, when managed here. */
  readonly account?: ApiGatewayAccount;
  /** iam mode: the managed policy allowing `execute-api:Invoke` on exactly the produce routes of the stage. */
  readonly invokePolicy?: IamPolicy;
  /** api-key mode: the producers' key, in a usage plan with throttling and a quota. */
  readonly apiKey?: ApiGatewayApiKey;
  readonly usagePlan?: ApiGatewayUsagePlan;

  constructor(scope: Construct, id: string, props: IngestApiProps) {
    super(scope, id);
    const auth = (this.auth = props.auth ?? DEFAULTS.api.auth);
    if (props.topics.length === 0) throw new Error("IngestApi: got no topics, expected at least one (each topic is one POST /topics/<topic> route)");
    this.restApi = new ApiGatewayRestApi(this, "rest-api", {
      name: props.apiName,
      description: "Pinterest pipeline ingestion: proxies to the Kafka REST proxy",
      endpointConfiguration: { types: ["REGIONAL"] },
    });
    const methodAuth = { authorization: auth === "iam" ? "AWS_IAM" : "NONE", apiKeyRequired: auth === "api-key" };
    const { link, host } = props.backend;
    if (link) {
      this.topicsResource = new ApiGatewayResource(this, "topics-resource", { restApiId: this.restApi.id, parentId: this.restApi.rootResourceId, pathPart: "topics" });
      this.routes = this.produceRoutes(link, this.topicsResource, props.topics, methodAuth);
    } else {
      this.routes = [this.seedProxyRoute(host!, methodAuth)];
    }

    // a new deployment whenever a route, its authorization or its backend changes (the host's DNS name changes when it is replaced)
    this.deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: this.restApi.id,
      triggers: {
        redeployment: Fn.sha1(
          Fn.jsonencode([
            // no null here: cdktf renders a null list element as nothing, which Terraform cannot parse
            ...(this.topicsResource ? [this.topicsResource.id] : []),
            ...this.routes.map(({ resource, method, integration }) => [
              resource.id,
              method.id,
              method.authorization,
              method.apiKeyRequired,
              integration.id,
              integration.uri,
              integration.connectionType,
              integration.connectionId,
            ]),
          ]),
        ),
      },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: this.routes.flatMap(({ method, integration }) => [method, integration]),
    });

    if (props.manageAccountCloudWatchRole ?? DEFAULTS.api.manageAccountLoggingRole) {
      const role = new IamRole(this, "cloudwatch-role", {
        name: resourceNames(props.apiName).apiCloudWatchRole,
        description: "API Gateway account setting: lets stages write access logs",
        assumeRolePolicy: policyDocument(this, "cloudwatch-trust", [serviceTrustStatement("apigateway.amazonaws.com")]).json,
      });
      const attachment = new IamRolePolicyAttachment(this, "cloudwatch-role-policy", {
        role: role.name,
        policyArn: `arn:${partitionOf(role.arn)}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs`,
      });
      // no reset_on_delete (deprecated in provider 5.x): destroy leaves the region's role setting as it is
      this.account = new ApiGatewayAccount(this, "account", { cloudwatchRoleArn: role.arn, dependsOn: [attachment] });
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

    const throttle = { rateLimit: props.throttlingRateLimit ?? DEFAULTS.api.throttlingRateLimit, burstLimit: props.throttlingBurstLimit ?? DEFAULTS.api.throttlingBurstLimit };
    if (auth === "iam") {
      const document = policyDocument(this, "invoke-policy-document", [
        { sid: "InvokeProduceRoutes", effect: "Allow", actions: ["execute-api:Invoke"], resources: invokeResources(this.stage.executionArn, props.topics) },
      ]);
      this.invokePolicy = new IamPolicy(this, "invoke-policy", {
        name: `${props.apiName}-invoke-ingest-api`,
        description: "Produce through the ingestion API: POST /topics/<topic> on its stage, nothing else",
        policy: document.json,
      });
    }
    if (auth === "api-key") {
      this.apiKey = new ApiGatewayApiKey(this, "api-key", { name: `${props.apiName}-producer`, description: "Producers of the Pinterest pipeline (x-api-key)", enabled: true });
      this.usagePlan = new ApiGatewayUsagePlan(this, "usage-plan", {
        name: `${props.apiName}-producers`,
        description: "Throttle and quota per producer key",
        apiStages: [{ apiId: this.restApi.id, stage: this.stage.stageName }],
        throttleSettings: throttle,
        quotaSettings: { limit: props.quotaLimit ?? DEFAULTS.api.quotaLimit, period: props.quotaPeriod ?? DEFAULTS.api.quotaPeriod },
      });
      new ApiGatewayUsagePlanKey(this, "usage-plan-key", { keyId: this.apiKey.id, keyType: "API_KEY", usagePlanId: this.usagePlan.id });
    }
  }

  /** `POST /topics/<topic>` per topic, each a literal resource under `/topics`, through the VPC link. */
  private produceRoutes(link: PrivateLink, topicsResource: ApiGatewayResource, topics: readonly string[], methodAuth: { authorization: string; apiKeyRequired: boolean }): ApiRoute[] {
    return topics.map((topic) => {
      const path = produceRoutePath(topic);
      const resource = new ApiGatewayResource(this, `topic-${topic}`, { restApiId: this.restApi.id, parentId: topicsResource.id, pathPart: topic });
      const method = new ApiGatewayMethod(this, `topic-${topic}-method`, { restApiId: this.restApi.id, resourceId: resource.id, httpMethod: "POST", ...methodAuth });
      const integration = new ApiGatewayIntegration(this, `topic-${topic}-integration`, {
        restApiId: this.restApi.id,
        resourceId: resource.id,
        httpMethod: method.httpMethod,
        type: "HTTP_PROXY",
        integrationHttpMethod: "POST",
        uri: link.uri(path),
        connectionType: "VPC_LINK",
        connectionId: link.vpcLink.id,
        passthroughBehavior: "WHEN_NO_MATCH",
      });
      return { path, resource, method, integration };
    });
  }

  /** The seed's `ANY /{proxy+}` to the host's public DNS name; its construct ids are the seed stack's. */
  private seedProxyRoute(host: KafkaClientHost, methodAuth: { authorization: string; apiKeyRequired: boolean }): ApiRoute {
    const resource = new ApiGatewayResource(this, "proxy-resource", { restApiId: this.restApi.id, parentId: this.restApi.rootResourceId, pathPart: "{proxy+}" });
    const method = new ApiGatewayMethod(this, "proxy-method", {
      restApiId: this.restApi.id,
      resourceId: resource.id,
      httpMethod: "ANY",
      ...methodAuth,
      requestParameters: { "method.request.path.proxy": true },
    });
    const integration = new ApiGatewayIntegration(this, "proxy-integration", {
      restApiId: this.restApi.id,
      resourceId: resource.id,
      httpMethod: method.httpMethod,
      type: "HTTP_PROXY",
      integrationHttpMethod: "ANY",
      uri: restProxyUri(host.publicDns),
      requestParameters: { "integration.request.path.proxy": "method.request.path.proxy" },
      passthroughBehavior: "WHEN_NO_MATCH",
    });
    return { path: "/{proxy+}", resource, method, integration };
  }

  /** `https://<api>.execute-api.<region>.amazonaws.com/<stage>`. */
  get invokeUrl(): string {
    return this.stage.invokeUrl;
  }
}
