/**
 * The private path from API Gateway to the REST proxy: an API Gateway VPC link (REST APIs' v1 links
 * need a network load balancer) to an internal NLB in the private subnets, which forwards the proxy
 * port to the client host. The host admits the port only from the NLB's security group, so nothing
 * on the internet reaches the REST proxy; API Gateway is the only way in.
 */
import { Construct } from "constructs";
import { ApiGatewayVpcLink, Lb, LbListener, LbTargetGroup, LbTargetGroupAttachment, SecurityGroup, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule, type Subnet, type Vpc } from "./aws";
import { REST_PROXY_PORT } from "../lib/contract";
import { DEFAULTS } from "../lib/defaults";
import type { KafkaClientHost } from "./kafka-client-host";

/** Load balancer and target group names: at most 32 letters, digits and hyphens, not ending in a hyphen. */
export function loadBalancerName(namePrefix: string, suffix: string): string {
  const room = 32 - suffix.length - 1;
  return `${namePrefix.slice(0, room).replace(/-+$/, "")}-${suffix}`;
}

export interface PrivateLinkProps {
  /** Prefixes the names of the load balancer, its target group, its security group and the VPC link. */
  readonly namePrefix: string;
  readonly vpc: Vpc;
  /**
   * The private subnets the internal NLB lives in; the host's zone must be among them (cross-zone
   * load balancing is on, so the NLB's nodes in the other zones reach the host as well).
   */
  readonly subnets: readonly Subnet[];
  /** The host whose REST proxy receives the traffic, registered by instance id. */
  readonly host: KafkaClientHost;
  /** The host's security group: it gets the one ingress rule for the proxy port, from the NLB's group. */
  readonly hostSecurityGroup: SecurityGroup;
  /**
   * The port of the REST proxy on the host, and of the NLB's listener.
   * @default 8082, the contract's REST_PROXY_PORT
   */
  readonly port?: number;
  /**
   * The HTTP path the NLB probes on the REST proxy; a target that does not answer 200 gets no traffic.
   * @default "/", which the Confluent REST proxy answers with {}
   */
  readonly healthCheckPath?: string;
}

export class PrivateLink extends Construct {
  /** On the NLB: no ingress rule (only the VPC link's PrivateLink traffic reaches it), egress to the host's proxy port. */
  readonly securityGroup: SecurityGroup;
  readonly loadBalancer: Lb;
  readonly targetGroup: LbTargetGroup;
  readonly listener: LbListener;
  readonly vpcLink: ApiGatewayVpcLink;
  /** The proxy port the listener and the target share. */
  readonly port: number;

  constructor(scope: Construct, id: string, props: PrivateLinkProps) {
    super(scope, id);
    const port = (this.port = props.port ?? REST_PROXY_PORT);

    this.securityGroup = new SecurityGroup(this, "nlb-sg", {
      name: `${props.namePrefix}-rest-proxy-nlb`,
      description: "Internal NLB of the API Gateway VPC link: forwards to the REST proxy only",
      vpcId: props.vpc.id,
      tags: { Name: `${props.namePrefix}-rest-proxy-nlb` },
    });
    new VpcSecurityGroupEgressRule(this, "nlb-to-host", {
      securityGroupId: this.securityGroup.id,
      description: "REST proxy traffic and health checks to the client host",
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: props.hostSecurityGroup.id,
    });
    new VpcSecurityGroupIngressRule(this, "host-from-nlb", {
      securityGroupId: props.hostSecurityGroup.id,
      description: "REST proxy from the internal NLB of the API Gateway VPC link",
      ipProtocol: "tcp",
      fromPort: port,
      toPort: port,
      referencedSecurityGroupId: this.securityGroup.id,
    });

    this.loadBalancer = new Lb(this, "nlb", {
      name: loadBalancerName(props.namePrefix, "rest-proxy"),
      loadBalancerType: "network",
      internal: true,
      subnets: props.subnets.map((subnet) => subnet.id),
      securityGroups: [this.securityGroup.id],
      // the VPC link's traffic arrives over PrivateLink; AWS's setup guide turns its inbound evaluation off,
      // and the group has no ingress rule, so nothing else in the VPC can reach the listener
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off",
      // the host lives in one zone; the NLB's nodes in the other zones must still reach it
      enableCrossZoneLoadBalancing: true,
      tags: { Name: `${props.namePrefix}-rest-proxy` },
    });
    this.targetGroup = new LbTargetGroup(this, "target-group", {
      name: loadBalancerName(props.namePrefix, "rest-proxy"),
      port,
      protocol: "TCP",
      targetType: "instance",
      vpcId: props.vpc.id,
      healthCheck: { enabled: true, protocol: "HTTP", port: "traffic-port", path: props.healthCheckPath ?? DEFAULTS.api.healthCheckPath, matcher: "200", interval: 30, healthyThreshold: 3, unhealthyThreshold: 3 },
    });
    new LbTargetGroupAttachment(this, "target", { targetGroupArn: this.targetGroup.arn, targetId: props.host.instance.id, port });
    this.listener = new LbListener(this, "listener", {
      loadBalancerArn: this.loadBalancer.arn,
      port,
      protocol: "TCP",
      defaultAction: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
    });
    this.vpcLink = new ApiGatewayVpcLink(this, "vpc-link", {
      name: `${props.namePrefix}-rest-proxy`,
      description: "API Gateway to the REST proxy's internal NLB",
      targetArns: [this.loadBalancer.arn],
      // the link is usable once the NLB forwards somewhere
      dependsOn: [this.listener],
    });
  }

  /** The NLB's DNS name, resolvable inside the VPC; the integrations' URIs use it. */
  get dnsName(): string {
    return this.loadBalancer.dnsName;
  }

  /** The backend URL of a REST proxy path through this link: `http://<NLB DNS>:<port><path>`. */
  uri(path: string): string {
    return `http://${this.dnsName}:${this.port}${path}`;
  }
}
