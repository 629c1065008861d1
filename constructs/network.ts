/**
 * The pipeline's network: one VPC, a public subnet for the Kafka client host, one private subnet
 * per availability zone for the MSK brokers and the MSK Connect workers, an S3 gateway endpoint so
 * the private subnets reach S3 without a NAT, and the three security groups with standalone rules.
 */
import { Construct } from "constructs";
import { InternetGateway, Route, RouteTable, RouteTableAssociation, SecurityGroup, Subnet, Vpc, VpcEndpoint, VpcSecurityGroupEgressRule, VpcSecurityGroupIngressRule } from "./aws";
import { KAFKA_IAM_PORT, REST_PROXY_PORT } from "../lib/contract";
import { DEFAULTS } from "../lib/defaults";
import { zonePlacement } from "../lib/zones";

export interface NetworkProps {
  /** Prefixes every Name tag and security group name. */
  readonly namePrefix: string;
  /** The region, for the S3 endpoint's service name. */
  readonly region: string;
  /**
   * The zones of the private subnets, one subnet each; the public subnet goes into the first.
   * All names (`us-east-1a`) or all IDs (`use1-az1`, placed with `availability_zone_id`).
   */
  readonly availabilityZones: readonly string[];
  /**
   * The VPC's address block.
   * @default 10.20.0.0/16
   */
  readonly vpcCidr?: string;
  /**
   * The public subnet's block, inside `vpcCidr`.
   * @default 10.20.0.0/24
   */
  readonly publicSubnetCidr?: string;
  /**
   * One block per availability zone, inside `vpcCidr`; extra blocks are ignored.
   * @default 10.20.10.0/24, 10.20.11.0/24, 10.20.12.0/24
   */
  readonly privateSubnetCidrs?: readonly string[];
  /** The blocks allowed to SSH to the client host (port 22). */
  readonly sshAllowedCidrs: readonly string[];
  /**
   * Who may call the REST proxy port directly, by address block. Only the seed's layout needs one
   * (["0.0.0.0/0"]: API Gateway's internet HTTP proxy integration has no fixed source range); the
   * private layout admits the port from the VPC link's load balancer by security group instead.
   * @default - nobody: no address block reaches the REST proxy port
   */
  readonly restProxyAllowedCidrs?: readonly string[];
}

/** The address plan with its defaults applied; a pure function so tests can check it alone. */
export function networkDefaults(props: NetworkProps): Required<Pick<NetworkProps, "vpcCidr" | "publicSubnetCidr" | "privateSubnetCidrs" | "restProxyAllowedCidrs">> {
  return {
    vpcCidr: props.vpcCidr ?? DEFAULTS.network.vpcCidr,
    publicSubnetCidr: props.publicSubnetCidr ?? DEFAULTS.network.publicSubnetCidr,
    privateSubnetCidrs: props.privateSubnetCidrs ?? DEFAULTS.network.privateSubnetCidrs,
    restProxyAllowedCidrs: props.restProxyAllowedCidrs ?? [],
  };
}

export class Network extends Construct {
  readonly vpc: Vpc;
  readonly publicSubnet: Subnet;
  /** One per availability zone, in the order of `availabilityZones`. */
  readonly privateSubnets: Subnet[];
  readonly s3Endpoint: VpcEndpoint;
  /** On the client host: SSH from the allowed blocks, the REST proxy port (from the private link's NLB, or the seed's blocks), all egress. */
  readonly clientSecurityGroup: SecurityGroup;
  /** On the MSK brokers: SASL/IAM from the client host and the connector only. */
  readonly mskSecurityGroup: SecurityGroup;
  /** On the MSK Connect workers: egress to the brokers and to S3 through the endpoint. */
  readonly connectorSecurityGroup: SecurityGroup;

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    const { vpcCidr, publicSubnetCidr, privateSubnetCidrs, restProxyAllowedCidrs } = networkDefaults(props);
    const name = (suffix: string) => ({ Name: `${props.namePrefix}-${suffix}` });

    // public DNS hostnames: the API integration and the operator reach the host by its public DNS name
    this.vpc = new Vpc(this, "vpc", { cidrBlock: vpcCidr, enableDnsSupport: true, enableDnsHostnames: true, tags: name("vpc") });

    const gateway = new InternetGateway(this, "internet-gateway", { vpcId: this.vpc.id, tags: name("igw") });
    this.publicSubnet = new Subnet(this, "public-subnet", {
      vpcId: this.vpc.id,
      cidrBlock: publicSubnetCidr,
      ...zonePlacement(props.availabilityZones[0]),
      // the host asks for its public address itself; nothing else here should get one by accident
      mapPublicIpOnLaunch: false,
      tags: name("public"),
    });
    const publicRoutes = new RouteTable(this, "public-routes", { vpcId: this.vpc.id, tags: name("public") });
    new Route(this, "internet-route", { routeTableId: publicRoutes.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: gateway.id });
    new RouteTableAssociation(this, "public-subnet-routes", { subnetId: this.publicSubnet.id, routeTableId: publicRoutes.id });

    // private subnets have no internet route: the brokers and workers only talk to each other and to S3
    const privateRoutes = new RouteTable(this, "private-routes", { vpcId: this.vpc.id, tags: name("private") });
    this.privateSubnets = props.availabilityZones.map((zone, i) => {
      const subnet = new Subnet(this, `private-subnet-${i}`, { vpcId: this.vpc.id, cidrBlock: privateSubnetCidrs[i], ...zonePlacement(zone), tags: name(`private-${zone}`) });
      new RouteTableAssociation(this, `private-subnet-${i}-routes`, { subnetId: subnet.id, routeTableId: privateRoutes.id });
      return subnet;
    });

    this.s3Endpoint = new VpcEndpoint(this, "s3-endpoint", {
      vpcId: this.vpc.id,
      serviceName: `com.amazonaws.${props.region}.s3`,
      vpcEndpointType: "Gateway",
      routeTableIds: [publicRoutes.id, privateRoutes.id],
      tags: name("s3"),
    });

    const group = (gid: string, suffix: string, description: string) =>
      new SecurityGroup(this, gid, { name: `${props.namePrefix}-${suffix}`, description, vpcId: this.vpc.id, tags: name(suffix) });
    this.clientSecurityGroup = group("client-sg", "client", "Kafka client host: SSH from the operator, REST proxy for API Gateway");
    this.mskSecurityGroup = group("msk-sg", "msk", "MSK brokers: SASL/IAM from the client host and MSK Connect");
    this.connectorSecurityGroup = group("connector-sg", "connector", "MSK Connect workers: to the brokers and S3");

    props.sshAllowedCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `client-ssh-${i}`, {
        securityGroupId: this.clientSecurityGroup.id,
        description: "SSH from the operator",
        ipProtocol: "tcp",
        fromPort: 22,
        toPort: 22,
        cidrIpv4: cidr,
      });
    });
    restProxyAllowedCidrs.forEach((cidr, i) => {
      new VpcSecurityGroupIngressRule(this, `client-rest-proxy-${i}`, {
        securityGroupId: this.clientSecurityGroup.id,
        description: "REST proxy for the API Gateway HTTP proxy integration",
        ipProtocol: "tcp",
        fromPort: REST_PROXY_PORT,
        toPort: REST_PROXY_PORT,
        cidrIpv4: cidr,
      });
    });
    // the host downloads Kafka, Confluent and the IAM jar, and calls STS and the brokers
    new VpcSecurityGroupEgressRule(this, "client-egress", {
      securityGroupId: this.clientSecurityGroup.id,
      description: "downloads, STS and the brokers",
      ipProtocol: "-1",
      cidrIpv4: "0.0.0.0/0",
    });

    const kafkaFrom = (rid: string, source: SecurityGroup, description: string) =>
      new VpcSecurityGroupIngressRule(this, rid, {
        securityGroupId: this.mskSecurityGroup.id,
        description,
        ipProtocol: "tcp",
        fromPort: KAFKA_IAM_PORT,
        toPort: KAFKA_IAM_PORT,
        referencedSecurityGroupId: source.id,
      });
    kafkaFrom("msk-from-client", this.clientSecurityGroup, "SASL/IAM from the Kafka client host");
    kafkaFrom("msk-from-connector", this.connectorSecurityGroup, "SASL/IAM from MSK Connect");

    new VpcSecurityGroupEgressRule(this, "connector-to-msk", {
      securityGroupId: this.connectorSecurityGroup.id,
      description: "SASL/IAM to the brokers",
      ipProtocol: "tcp",
      fromPort: KAFKA_IAM_PORT,
      toPort: KAFKA_IAM_PORT,
      referencedSecurityGroupId: this.mskSecurityGroup.id,
    });
    new VpcSecurityGroupEgressRule(this, "connector-to-s3", {
      securityGroupId: this.connectorSecurityGroup.id,
      description: "HTTPS to S3 through the gateway endpoint",
      ipProtocol: "tcp",
      fromPort: 443,
      toPort: 443,
      prefixListId: this.s3Endpoint.prefixListId,
    });
  }
}
