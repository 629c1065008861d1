import type { PolicyRule } from "./rule";
import { REST_PROXY_PORT } from "../../lib/contract";
import { worldOpenIngressFindings } from "./world-open-ingress";

const ID = "ec2-no-rest-proxy-from-anywhere";

const FIX = `admit the REST proxy port only from the private link's load balancer (api.exposure: private), or acknowledge the seed's layout with api.exposure: public and api.acknowledgePublicProxy: true`;

/**
 * The REST proxy (Confluent kafka-rest on port 8082) has no authentication of its own: whoever reaches
 * it can produce, create consumers and read every record. No ingress may open that port (alone, by a
 * port range or as all traffic) to 0.0.0.0/0 or ::/0, in any of the provider's three forms: inline
 * `ingress` blocks, `aws_security_group_rule` and `aws_vpc_security_group_ingress_rule`.
 */
export const ec2NoRestProxyFromAnywhere: PolicyRule = {
  id: ID,
  description: `No security group ingress opens the REST proxy port ${REST_PROXY_PORT} (directly, by range or as all traffic) to 0.0.0.0/0 or ::/0.`,
  check: (tf) => worldOpenIngressFindings(tf, ID, REST_PROXY_PORT, FIX),
};
