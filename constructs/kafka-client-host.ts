/**
 * The Kafka client host: an Amazon Linux 2023 instance in the public subnet that runs the Kafka
 * CLI and the Confluent REST proxy. It is launched from a launch template that resolves the AMI
 * from the public SSM parameter at launch (no data source, so plans need no AWS call) and carries
 * the IMDSv2 requirement and the encrypted root volume.
 */
import { Construct } from "constructs";
import { Instance, KeyPair, LaunchTemplate, type IamInstanceProfile, type LaunchTemplateBlockDeviceMappings, type LaunchTemplateMetadataOptions, type SecurityGroup, type Subnet } from "./aws";
import { Token } from "../lib/cdktf";
import { DEFAULTS } from "../lib/defaults";

/** Amazon Linux 2023's root device. */
const AL2023_ROOT_DEVICE = "/dev/xvda";

export interface KafkaClientHostProps {
  /** The host's Name tag (the seed names it after the user id), and the prefix of its key pair and launch template. */
  readonly namePrefix: string;
  /** A public subnet; the host gets a public address there. */
  readonly subnet: Subnet;
  readonly securityGroup: SecurityGroup;
  /** The instance profile the host's processes get credentials from. */
  readonly instanceProfile: IamInstanceProfile;
  /** The operator's OpenSSH public key; only the public half ever reaches AWS or the state. */
  readonly sshPublicKey: string;
  /**
   * The public SSM parameter holding the AMI id, resolved by EC2 at launch.
   * @default /aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64
   */
  readonly amiSsmParameter?: string;
  /**
   * The instance type.
   * @default t3.small, the smallest size with room for the REST proxy's JVM
   */
  readonly instanceType?: string;
  /**
   * The root volume size.
   * @default 20 GiB
   */
  readonly rootVolumeSizeGiB?: number;
}

/** Instance metadata only through IMDSv2 session tokens, one network hop (no containers need it). */
export function secureMetadataOptions(): LaunchTemplateMetadataOptions {
  return { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "disabled" };
}

/** An encrypted gp3 root volume that goes away with the instance. */
export function encryptedRootVolume(sizeGiB: number): LaunchTemplateBlockDeviceMappings {
  return { deviceName: AL2023_ROOT_DEVICE, ebs: { volumeSize: sizeGiB, volumeType: "gp3", encrypted: "true", deleteOnTermination: "true" } };
}

export class KafkaClientHost extends Construct {
  readonly keyPair: KeyPair;
  readonly launchTemplate: LaunchTemplate;
  readonly instance: Instance;

  constructor(scope: Construct, id: string, props: KafkaClientHostProps) {
    super(scope, id);
    const amiSsmParameter = props.amiSsmParameter ?? DEFAULTS.clientHost.amiSsmParameter;
    this.keyPair = new KeyPair(this, "key-pair", { keyName: `${props.namePrefix}-operator`, publicKey: props.sshPublicKey });
    // the root volume lives here, not on aws_instance: with an SSM-resolved image the provider
    // would otherwise look the image id up and fail at apply (terraform-provider-aws#43488)
    this.launchTemplate = new LaunchTemplate(this, "launch-template", {
      name: `${props.namePrefix}-client`,
      imageId: `resolve:ssm:${amiSsmParameter}`,
      instanceType: props.instanceType ?? DEFAULTS.clientHost.instanceType,
      keyName: this.keyPair.keyName,
      iamInstanceProfile: { arn: props.instanceProfile.arn },
      metadataOptions: secureMetadataOptions(),
      blockDeviceMappings: [encryptedRootVolume(props.rootVolumeSizeGiB ?? DEFAULTS.clientHost.rootVolumeSizeGiB)],
      tagSpecifications: [{ resourceType: "volume", tags: { Name: `${props.namePrefix}-client` } }],
    });
    this.instance = new Instance(this, "instance", {
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      subnetId: props.subnet.id,
      vpcSecurityGroupIds: [props.securityGroup.id],
      associatePublicIpAddress: true,
      // the seed: "this EC2 should have the same name as your UserId"
      tags: { Name: props.namePrefix },
    });
  }

  /** The host's public DNS name, the REST proxy's address for API Gateway. */
  get publicDns(): string {
    return this.instance.publicDns;
  }
}
