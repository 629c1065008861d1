import { ApiGatewayMethod } from "@cdktf/provider-aws/lib/api-gateway-method";
import { Apigatewayv2Route } from "@cdktf/provider-aws/lib/apigatewayv2-route";
import { describe, expect, it } from "vitest";
import { apiMethodAuthorization } from "../../constructs/policies/api-method-authorization";
import { findings } from "./support";

const METHOD = { restApiId: "abc123", resourceId: "res123" } as const;
const FIX = "(set authorization to AWS_IAM (api.auth: iam), use a Lambda or Cognito authorizer, or require an API key of a usage plan (api.auth: api-key))";

describe("api-method-authorization", () => {
  it("fails for the seed's ANY method without authorization", () => {
    const messages = findings(apiMethodAuthorization, (stack) => new ApiGatewayMethod(stack, "proxy", { ...METHOD, httpMethod: "ANY", authorization: "NONE" }));
    expect(messages).toEqual([`[api-method-authorization] aws_api_gateway_method.proxy: "ANY" has authorization "NONE" and no api_key_required, so anyone may call it ${FIX}`]);
  });

  it("fails for a method whose api_key_required is false, and for an HTTP API route without an authorizer", () => {
    const messages = findings(apiMethodAuthorization, (stack) => {
      new ApiGatewayMethod(stack, "post", { ...METHOD, httpMethod: "POST", authorization: "NONE", apiKeyRequired: false });
      new Apigatewayv2Route(stack, "route", { apiId: "api123", routeKey: "POST /topics/x" });
    });
    expect(messages).toEqual([
      `[api-method-authorization] aws_api_gateway_method.post: "POST" has authorization "NONE" and no api_key_required, so anyone may call it ${FIX}`,
      `[api-method-authorization] aws_apigatewayv2_route.route: route "POST /topics/x" has authorization_type not set and no api_key_required, so anyone may call it ${FIX}`,
    ]);
  });

  it("passes for IAM, an API key, a Lambda or Cognito authorizer, and a JWT route", () => {
    const messages = findings(apiMethodAuthorization, (stack) => {
      new ApiGatewayMethod(stack, "iam", { ...METHOD, httpMethod: "POST", authorization: "AWS_IAM" });
      new ApiGatewayMethod(stack, "key", { ...METHOD, httpMethod: "POST", authorization: "NONE", apiKeyRequired: true });
      new ApiGatewayMethod(stack, "lambda", { ...METHOD, httpMethod: "GET", authorization: "CUSTOM", authorizerId: "auth1" });
      new ApiGatewayMethod(stack, "cognito", { ...METHOD, httpMethod: "PUT", authorization: "COGNITO_USER_POOLS", authorizerId: "auth2" });
      new Apigatewayv2Route(stack, "jwt", { apiId: "api123", routeKey: "POST /x", authorizationType: "JWT", authorizerId: "auth3" });
    });
    expect(messages).toEqual([]);
  });
});
