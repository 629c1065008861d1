import { finding, type PolicyFinding, type PolicyRule } from "./rule";
import { addressOf, attributeAt, describe, isFalse, resourcesOfType } from "../../lib/terraform-json";

const ID = "msk-tls-in-transit";

/** cdk-nag MSKClientToBrokerTLS + MSKBrokerToBrokerTLS. The provider's TLS default is not trusted: it must be explicit. */
export const mskTlsInTransit: PolicyRule = {
  id: ID,
  description: 'Every MSK cluster sets client_broker to "TLS" explicitly and keeps in-cluster encryption on.',
  check(tf) {
    return resourcesOfType(tf, "aws_msk_cluster").flatMap(({ type, logicalId, block }) => {
      const address = addressOf({ type, logicalId });
      const findings: PolicyFinding[] = [];
      const clientBroker = attributeAt(block, "encryption_info.encryption_in_transit.client_broker");
      if (clientBroker !== "TLS") {
        findings.push(finding(ID, address, `encryption_info.encryption_in_transit.client_broker is ${describe(clientBroker)}`, 'set it to "TLS"'));
      }
      const inCluster = attributeAt(block, "encryption_info.encryption_in_transit.in_cluster");
      if (isFalse(inCluster)) {
        findings.push(finding(ID, address, "encryption_info.encryption_in_transit.in_cluster is false", "set it to true or leave it out"));
      }
      return findings;
    });
  },
};
