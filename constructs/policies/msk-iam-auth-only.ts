import { finding, type PolicyFinding, type PolicyRule } from "./rule";
import { addressOf, attributeAt, describe, isTrue, resourcesOfType } from "../../lib/terraform-json";

const ID = "msk-iam-auth-only";

/** Clients authenticate with IAM (the seed's client.properties uses AWS_MSK_IAM); anonymous access stays off. */
export const mskIamAuthOnly: PolicyRule = {
  id: ID,
  description: "Every MSK cluster enables SASL/IAM client authentication and does not allow unauthenticated clients.",
  check(tf) {
    return resourcesOfType(tf, "aws_msk_cluster").flatMap(({ type, logicalId, block }) => {
      const address = addressOf({ type, logicalId });
      const findings: PolicyFinding[] = [];
      const iam = attributeAt(block, "client_authentication.sasl.iam");
      if (!isTrue(iam)) findings.push(finding(ID, address, `client_authentication.sasl.iam is ${describe(iam)}`, "set it to true"));
      if (isTrue(attributeAt(block, "client_authentication.unauthenticated"))) {
        findings.push(finding(ID, address, "client_authentication.unauthenticated is true", "set it to false or leave it out"));
      }
      return findings;
    });
  },
};
