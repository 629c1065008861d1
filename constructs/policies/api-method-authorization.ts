import { finding, type PolicyRule } from "./rule";
import { addressOf, describe, isTrue, resourcesOfType } from "../../lib/terraform-json";

const ID = "api-method-authorization";

/** REST API `authorization` values that authenticate the caller. */
const REST_AUTHORIZERS = ["AWS_IAM", "CUSTOM", "COGNITO_USER_POOLS"];
/** HTTP/WebSocket API `authorization_type` values that authenticate the caller. */
const V2_AUTHORIZERS = ["AWS_IAM", "CUSTOM", "JWT"];
const FIX = "set authorization to AWS_IAM (api.auth: iam), use a Lambda or Cognito authorizer, or require an API key of a usage plan (api.auth: api-key)";

/**
 * cdk-nag APIGWAuthorization, widened to API keys: every API Gateway method (REST) and route (HTTP and
 * WebSocket) requires a caller identity. Accepted: IAM (SigV4), a Lambda (CUSTOM) or Cognito/JWT
 * authorizer, or `api_key_required` (a key of a usage plan: weaker, since the key is a shared secret
 * sent in a header, but it does refuse anonymous callers and puts them under the plan's throttle and quota).
 * A CORS preflight `OPTIONS` method needs no exception here: this project has none; a stack that adds
 * one suppresses the rule with its reason.
 */
export const apiMethodAuthorization: PolicyRule = {
  id: ID,
  description: "Every API Gateway method requires AWS_IAM, a custom or Cognito/JWT authorizer, or an API key.",
  check(tf) {
    const rest = resourcesOfType(tf, "aws_api_gateway_method").flatMap((method) => {
      const authorization = String(method.block.authorization ?? "").toUpperCase();
      if (REST_AUTHORIZERS.includes(authorization) || isTrue(method.block.api_key_required)) return [];
      return [finding(ID, addressOf(method), `${describe(method.block.http_method)} has authorization ${describe(method.block.authorization)} and no api_key_required, so anyone may call it`, FIX)];
    });
    const v2 = resourcesOfType(tf, "aws_apigatewayv2_route").flatMap((route) => {
      const authorization = String(route.block.authorization_type ?? "NONE").toUpperCase();
      if (V2_AUTHORIZERS.includes(authorization) || isTrue(route.block.api_key_required)) return [];
      return [finding(ID, addressOf(route), `route ${describe(route.block.route_key)} has authorization_type ${describe(route.block.authorization_type)} and no api_key_required, so anyone may call it`, FIX)];
    });
    return [...rest, ...v2];
  },
};
