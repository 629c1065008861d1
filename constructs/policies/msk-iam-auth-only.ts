import { finding, type PolicyFinding, type PolicyRule } from "./rule";
import { addressOf, attributeAt, describe, isTrue, resourcesOfType } from "../../lib/terraform-json";

const ID = "msk-iam-auth-only";

/**
 * Clients authenticate with IAM only (the seed's client.properties uses AWS_MSK_IAM): anonymous access,
 * SASL/SCRAM passwords and TLS client certificates each open a door the IAM policies do not guard.
 */
export const mskIamAuthOnly: PolicyRule = {
  id: ID,
  description: "Every MSK cluster enables SASL/IAM client authentication and no other: no unauthenticated clients, no SASL/SCRAM, no TLS client certificates.",
  check(tf) {
    return resourcesOfType(tf, "aws_msk_cluster").flatMap(({ type, logicalId, block }) => {
      const address = addressOf({ type, logicalId });
      const findings: PolicyFinding[] = [];
      const iam = attributeAt(block, "client_authentication.sasl.iam");
      if (!isTrue(iam)) findings.push(finding(ID, address, `client_authentication.sasl.iam is ${describe(iam)}`, "set it to true"));
      if (isTrue(attributeAt(block, "client_authentication.unauthenticated"))) {
        findings.push(finding(ID, address, "client_authentication.unauthenticated is true", "set it to false or leave it out"));
      }
      if (isTrue(attributeAt(block, "client_authentication.sasl.scram"))) {
        findings.push(finding(ID, address, "client_authentication.sasl.scram is true", "set it to false or leave it out: clients authenticate with IAM only"));
      }
      const certificateAuthorities = attributeAt(block, "client_authentication.tls.certificate_authority_arns");
      if (certificateAuthorities !== undefined && !(Array.isArray(certificateAuthorities) && certificateAuthorities.length === 0)) {
        findings.push(finding(ID, address, `client_authentication.tls.certificate_authority_arns is ${describe(certificateAuthorities)}`, "remove the tls block: clients authenticate with IAM only"));
      }
      return findings;
    });
  },
};
