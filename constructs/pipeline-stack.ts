/**
 * The whole pipeline as one stack, composed from a validated {@link PipelineConfig}: network,
 * MSK, the data bucket, the client host and its roles, the S3 sink connector and the ingestion API,
 * with the outputs of {@link stackOutputsSchema} (the contract read by provisioning, emulation and verify).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Construct } from "constructs";
import { AwsProvider } from "./aws";
import { type PipelineConfig, bucketName, deadLetterTopicName, topicNames } from "../lib/config";
import { App, S3Backend, TerraformOutput, TerraformStack } from "../lib/cdktf";
import type { TerraformJson } from "../lib/terraform-json";
import { SENSITIVE_OUTPUTS, STACK_ID, STACK_OUTPUT_NAMES, type StackOutputName, type StackOutputs, outputDescription } from "../lib/contract";
import { AccessRoles } from "./access-roles";
import { resourceNames, sinkConsumerGroup } from "../lib/names";
import { DataBucket } from "./data-bucket";
import { IngestApi, RestProxyBackend } from "./ingest-api";
import { KafkaClientHost } from "./kafka-client-host";
import { KafkaCluster } from "./kafka-cluster";
import { Monitoring } from "./monitoring";
import { Network } from "./network";
import { addPolicyChecks, isPolicyViolation, type PolicySuppression } from "./policies";
import { CommandFailure } from "../lib/cli-run";
import { PrivateLink } from "./private-link";
import { S3SinkConnector } from "./s3-sink-connector";

/** Why the seed's layout may break the ingestion rules: the config's explicit acknowledgement. */
export const SEED_MODE_REASON = "api.exposure is public and api.acknowledgePublicProxy is true in the config (the seed's layout)";

/** The suppressions a config that deliberately opens the stack gets, each with its audit reason. */
export function policySuppressions(config: Pick<PipelineConfig, "clientHost" | "api">): PolicySuppression[] {
  const suppressions: PolicySuppression[] = [];
  if (config.clientHost.allowSshFromAnywhere) suppressions.push({ ruleId: "ec2-no-ssh-from-anywhere", reason: "clientHost.allowSshFromAnywhere is true in the config" });
  // the config loader refuses public exposure and auth none without the acknowledgement; checked again here
  const seedMode = config.api.exposure === "public" && config.api.acknowledgePublicProxy;
  if (seedMode) suppressions.push({ ruleId: "ec2-no-rest-proxy-from-anywhere", reason: SEED_MODE_REASON });
  if (seedMode && config.api.auth === "none") suppressions.push({ ruleId: "api-method-authorization", reason: `api.auth is none and ${SEED_MODE_REASON}` });
  return suppressions;
}

/**
 * Keeps the state in S3 (encrypted, with S3 native locking unless turned off) instead of cdktf's
 * local file. cdktf 0.21's S3Backend predates `use_lockfile` (Terraform >= 1.10), hence the override.
 */
export function stateBackend(stack: TerraformStack, state: PipelineConfig["state"], stackRegion: string): S3Backend {
  const backend = new S3Backend(stack, { bucket: state.bucket!, key: state.key!, region: state.region ?? stackRegion, encrypt: true });
  if (state.useLockfile) backend.addOverride("use_lockfile", true);
  return backend;
}

export class PipelineStack extends TerraformStack {
  readonly network: Network;
  readonly kafka: KafkaCluster;
  readonly bucket: DataBucket;
  readonly roles: AccessRoles;
  readonly host: KafkaClientHost;
  readonly connector: S3SinkConnector;
  readonly api: IngestApi;
  readonly monitoring: Monitoring;
  /** The VPC link and internal NLB in front of the REST proxy; absent in the seed's public layout. */
  readonly privateLink?: PrivateLink;

  constructor(scope: Construct, id: string, config: PipelineConfig) {
    super(scope, id);
    const prefix = config.userId;
    const topicPattern = `${config.userId}.*`;
    const publicProxy = config.api.exposure === "public";

    if (config.state.backend === "s3") stateBackend(this, config.state, config.region);

    new AwsProvider(this, "aws", {
      region: config.region,
      ...(Object.keys(config.tags).length > 0 ? { defaultTags: [{ tags: { ...config.tags } }] } : {}),
    });

    this.network = new Network(this, "network", {
      namePrefix: prefix,
      region: config.region,
      availabilityZones: config.availabilityZones,
      vpcCidr: config.network.vpcCidr,
      publicSubnetCidr: config.network.publicSubnetCidr,
      privateSubnetCidrs: config.network.privateSubnetCidrs,
      sshAllowedCidrs: config.clientHost.sshAllowedCidrs,
      // the seed's layout: API Gateway's HTTP proxy integration reaches the host over the internet
      restProxyAllowedCidrs: publicProxy ? ["0.0.0.0/0"] : [],
    });
    this.kafka = new KafkaCluster(this, "kafka", {
      namePrefix: prefix,
      kafkaVersion: config.msk.kafkaVersion,
      subnets: this.network.privateSubnets,
      securityGroup: this.network.mskSecurityGroup,
      brokerInstanceType: config.msk.brokerInstanceType,
      brokerCount: config.msk.brokerCount,
      ebsVolumeSizeGiB: config.msk.ebsVolumeSizeGiB,
      defaultReplicationFactor: config.msk.defaultReplicationFactor,
      defaultPartitions: config.topics.partitions,
      logRetentionDays: config.msk.logRetentionDays,
    });
    this.bucket = new DataBucket(this, "data-bucket", { bucketName: bucketName(config), forceDestroy: config.bucket.forceDestroy });
    this.roles = new AccessRoles(this, "access-roles", {
      namePrefix: prefix,
      cluster: this.kafka,
      topicPattern,
      produceTopics: topicNames(config),
      operatorScope: { deadLetterTopic: deadLetterTopicName(config), sinkConsumerGroup: sinkConsumerGroup(resourceNames(prefix).connector) },
    });
    this.host = new KafkaClientHost(this, "client-host", {
      namePrefix: prefix,
      subnet: this.network.publicSubnet,
      securityGroup: this.network.clientSecurityGroup,
      instanceProfile: this.roles.instanceProfile,
      sshPublicKey: config.clientHost.sshPublicKey,
      amiSsmParameter: config.clientHost.amiSsmParameter,
      instanceType: config.clientHost.instanceType,
      rootVolumeSizeGiB: config.clientHost.rootVolumeSizeGiB,
    });
    this.connector = new S3SinkConnector(this, "s3-sink", {
      namePrefix: prefix,
      region: config.region,
      cluster: this.kafka,
      bucket: this.bucket,
      subnets: this.network.privateSubnets,
      securityGroup: this.network.connectorSecurityGroup,
      s3Endpoint: this.network.s3Endpoint,
      topicPattern,
      deadLetterTopic: deadLetterTopicName(config),
      pluginZipPath: config.connector.pluginZipPath,
      pluginVersion: config.software.s3SinkPluginVersion,
      kafkaConnectVersion: config.connector.kafkaConnectVersion,
      flushSize: config.connector.flushSize,
      rotateScheduleIntervalMs: config.connector.rotateScheduleIntervalMs,
      tasksMax: config.connector.tasksMax,
      mcuCount: config.connector.mcuCount,
      workerCount: config.connector.workerCount,
      logRetentionDays: config.connector.logRetentionDays,
    });
    if (!publicProxy) {
      this.privateLink = new PrivateLink(this, "private-link", {
        namePrefix: prefix,
        vpc: this.network.vpc,
        subnets: this.network.privateSubnets,
        host: this.host,
        hostSecurityGroup: this.network.clientSecurityGroup,
      });
    }
    this.api = new IngestApi(this, "ingest-api", {
      apiName: prefix,
      backend: this.privateLink ? RestProxyBackend.privateLink(this.privateLink) : RestProxyBackend.seedPublicProxy(this.host),
      topics: topicNames(config),
      auth: config.api.auth,
      quotaLimit: config.api.quotaLimit,
      quotaPeriod: config.api.quotaPeriod,
      stageName: config.api.stageName,
      throttlingRateLimit: config.api.throttlingRateLimit,
      throttlingBurstLimit: config.api.throttlingBurstLimit,
      accessLogRetentionDays: config.api.accessLogRetentionDays,
      manageAccountCloudWatchRole: config.api.manageAccountLoggingRole,
    });
    this.monitoring = new Monitoring(this, "monitoring", {
      name: prefix,
      region: config.region,
      api: this.api,
      host: this.host,
      cluster: this.kafka,
      connector: this.connector,
      expectedRunningTasks: config.connector.tasksMax,
      alarmEmail: config.monitoring.alarmEmail,
      api5xxRatePercent: config.monitoring.api5xxRatePercent,
      brokerDiskUsedPercent: config.monitoring.brokerDiskUsedPercent,
      ...(this.privateLink
        ? { loadBalancer: { loadBalancerArnSuffix: this.privateLink.loadBalancer.arnSuffix, targetGroupArnSuffix: this.privateLink.targetGroup.arnSuffix } }
        : {}),
    });

    const values: { readonly [K in StackOutputName]: StackOutputs[K] | undefined } = {
      invoke_url: this.api.invokeUrl,
      api_auth: this.api.auth,
      api_key: this.api.apiKey?.value,
      api_exposure: config.api.exposure,
      invoke_policy_arn: this.api.invokePolicy?.arn,
      rest_proxy_nlb_dns: this.privateLink?.dnsName,
      client_public_dns: this.host.publicDns,
      client_instance_id: this.host.instance.id,
      ssh_user: config.clientHost.sshUser,
      msk_bootstrap_brokers_sasl_iam: this.kafka.bootstrapBrokersSaslIam,
      msk_kafka_version: config.msk.kafkaVersion,
      kafka_cli_version: config.software.kafkaCliVersion,
      access_role_arn: this.roles.accessRole.arn,
      produce_role_arn: this.roles.produceRole.arn,
      bucket_name: this.bucket.bucketName,
      region: config.region,
      user_id: config.userId,
      topics: topicNames(config),
      topic_partitions: config.topics.partitions,
      dead_letter_topic: deadLetterTopicName(config),
      connector_name: this.connector.connector.name,
      connector_arn: this.connector.connector.arn,
      connector_log_group: this.connector.logGroup.name,
      dashboard_url: this.monitoring.url(config.region),
      alarm_topic_arn: this.monitoring.alarmTopic.arn,
    };
    for (const name of STACK_OUTPUT_NAMES) {
      const value = values[name];
      // optional outputs exist only in the configurations that have them
      if (value === undefined) continue;
      // Stryker disable next-line BooleanLiteral: a construct directly under the stack gets its id as its logical id either way; staticId states that the output names are the contract's
      new TerraformOutput(this, name, { value, description: outputDescription(name), staticId: true, ...(SENSITIVE_OUTPUTS.has(name) ? { sensitive: true } : {}) });
    }

    addPolicyChecks(this, { suppressions: policySuppressions(config) });
  }
}

export interface SynthesizedPipeline {
  readonly stack: PipelineStack;
  /** The stack's directory: `cdk.tf.json` and its assets, what Terraform runs in. */
  readonly stackDir: string;
  /** The parsed `cdk.tf.json`. */
  readonly terraform: TerraformJson;
}

/**
 * Synthesizes the one pipeline stack, as `cdktf synth` does, into `outdir` (cdktf's own default,
 * `cdktf.out` or $CDKTF_OUTDIR, when absent). A policy finding aborts it with a
 * {@link CommandFailure} carrying the findings (an expected failure, not a crash).
 */
export function synthesizePipeline(config: PipelineConfig, outdir?: string): SynthesizedPipeline {
  const app = new App(outdir === undefined ? {} : { outdir });
  const stack = new PipelineStack(app, STACK_ID, config);
  try {
    app.synth();
  } catch (err) {
    if (isPolicyViolation(err)) throw new CommandFailure(err.message);
    throw err;
  }
  const stackDir = join(app.outdir, "stacks", STACK_ID);
  return { stack, stackDir, terraform: JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) };
}
