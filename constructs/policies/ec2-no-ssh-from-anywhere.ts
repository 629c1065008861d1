import type { PolicyRule } from "./rule";
import { worldOpenIngressFindings } from "./world-open-ingress";

const ID = "ec2-no-ssh-from-anywhere";

const SSH_PORT = 22;
const FIX = "restrict the source to your address as x.x.x.x/32 through clientHost.sshAllowedCidrs";

/**
 * cdk-nag EC2RestrictedSSH, across the three ways the provider expresses an ingress rule
 * (see world-open-ingress.ts).
 */
export const ec2NoSshFromAnywhere: PolicyRule = {
  id: ID,
  description: "No security group ingress opens port 22 (directly, by range or as all traffic) to 0.0.0.0/0 or ::/0.",
  check: (tf) => worldOpenIngressFindings(tf, ID, SSH_PORT, FIX),
};
