/**
 * The aws provider classes the constructs use, each loaded by its deep path with require().
 *
 * Why not `import`: every module here is CommonJS, and an ESM import of one makes Node scan its
 * source again for named exports (cjs-module-lexer) and keep that copy; require() loads it once.
 * Why source maps are off while loading: each generated module embeds a base64 source map as
 * large as its code, and with source maps on (tsx turns them on) Node decodes and caches every
 * one at load time. Together that is about 45 MiB less peak memory and a second less per synth
 * (bench/synth); the package root (12 s, 750 MB) is never touched. Types come from the same modules.
 */
import { createRequire } from "node:module";

const load = createRequire(import.meta.url);
const sourceMapsWereEnabled = process.sourceMapsEnabled;
process.setSourceMapsEnabled(false);

export const { ApiGatewayAccount } = load("@cdktf/provider-aws/lib/api-gateway-account") as typeof import("@cdktf/provider-aws/lib/api-gateway-account");
export type ApiGatewayAccount = import("@cdktf/provider-aws/lib/api-gateway-account").ApiGatewayAccount;
export const { ApiGatewayApiKey } = load("@cdktf/provider-aws/lib/api-gateway-api-key") as typeof import("@cdktf/provider-aws/lib/api-gateway-api-key");
export type ApiGatewayApiKey = import("@cdktf/provider-aws/lib/api-gateway-api-key").ApiGatewayApiKey;
export const { ApiGatewayDeployment } = load("@cdktf/provider-aws/lib/api-gateway-deployment") as typeof import("@cdktf/provider-aws/lib/api-gateway-deployment");
export type ApiGatewayDeployment = import("@cdktf/provider-aws/lib/api-gateway-deployment").ApiGatewayDeployment;
export const { ApiGatewayIntegration } = load("@cdktf/provider-aws/lib/api-gateway-integration") as typeof import("@cdktf/provider-aws/lib/api-gateway-integration");
export type ApiGatewayIntegration = import("@cdktf/provider-aws/lib/api-gateway-integration").ApiGatewayIntegration;
export const { ApiGatewayMethod } = load("@cdktf/provider-aws/lib/api-gateway-method") as typeof import("@cdktf/provider-aws/lib/api-gateway-method");
export type ApiGatewayMethod = import("@cdktf/provider-aws/lib/api-gateway-method").ApiGatewayMethod;
export const { ApiGatewayMethodSettings } = load("@cdktf/provider-aws/lib/api-gateway-method-settings") as typeof import("@cdktf/provider-aws/lib/api-gateway-method-settings");
export type ApiGatewayMethodSettings = import("@cdktf/provider-aws/lib/api-gateway-method-settings").ApiGatewayMethodSettings;
export const { ApiGatewayResource } = load("@cdktf/provider-aws/lib/api-gateway-resource") as typeof import("@cdktf/provider-aws/lib/api-gateway-resource");
export type ApiGatewayResource = import("@cdktf/provider-aws/lib/api-gateway-resource").ApiGatewayResource;
export const { ApiGatewayRestApi } = load("@cdktf/provider-aws/lib/api-gateway-rest-api") as typeof import("@cdktf/provider-aws/lib/api-gateway-rest-api");
export type ApiGatewayRestApi = import("@cdktf/provider-aws/lib/api-gateway-rest-api").ApiGatewayRestApi;
export const { ApiGatewayStage } = load("@cdktf/provider-aws/lib/api-gateway-stage") as typeof import("@cdktf/provider-aws/lib/api-gateway-stage");
export type ApiGatewayStage = import("@cdktf/provider-aws/lib/api-gateway-stage").ApiGatewayStage;
export const { ApiGatewayUsagePlan } = load("@cdktf/provider-aws/lib/api-gateway-usage-plan") as typeof import("@cdktf/provider-aws/lib/api-gateway-usage-plan");
export type ApiGatewayUsagePlan = import("@cdktf/provider-aws/lib/api-gateway-usage-plan").ApiGatewayUsagePlan;
export const { ApiGatewayUsagePlanKey } = load("@cdktf/provider-aws/lib/api-gateway-usage-plan-key") as typeof import("@cdktf/provider-aws/lib/api-gateway-usage-plan-key");
export type ApiGatewayUsagePlanKey = import("@cdktf/provider-aws/lib/api-gateway-usage-plan-key").ApiGatewayUsagePlanKey;
export const { ApiGatewayVpcLink } = load("@cdktf/provider-aws/lib/api-gateway-vpc-link") as typeof import("@cdktf/provider-aws/lib/api-gateway-vpc-link");
export type ApiGatewayVpcLink = import("@cdktf/provider-aws/lib/api-gateway-vpc-link").ApiGatewayVpcLink;
export const { CloudwatchLogGroup } = load("@cdktf/provider-aws/lib/cloudwatch-log-group") as typeof import("@cdktf/provider-aws/lib/cloudwatch-log-group");
export type CloudwatchLogGroup = import("@cdktf/provider-aws/lib/cloudwatch-log-group").CloudwatchLogGroup;
export const { DataAwsIamPolicyDocument } = load("@cdktf/provider-aws/lib/data-aws-iam-policy-document") as typeof import("@cdktf/provider-aws/lib/data-aws-iam-policy-document");
export type DataAwsIamPolicyDocument = import("@cdktf/provider-aws/lib/data-aws-iam-policy-document").DataAwsIamPolicyDocument;
export type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
export const { IamInstanceProfile } = load("@cdktf/provider-aws/lib/iam-instance-profile") as typeof import("@cdktf/provider-aws/lib/iam-instance-profile");
export type IamInstanceProfile = import("@cdktf/provider-aws/lib/iam-instance-profile").IamInstanceProfile;
export const { IamPolicy } = load("@cdktf/provider-aws/lib/iam-policy") as typeof import("@cdktf/provider-aws/lib/iam-policy");
export type IamPolicy = import("@cdktf/provider-aws/lib/iam-policy").IamPolicy;
export const { IamRole } = load("@cdktf/provider-aws/lib/iam-role") as typeof import("@cdktf/provider-aws/lib/iam-role");
export type IamRole = import("@cdktf/provider-aws/lib/iam-role").IamRole;
export const { IamRolePolicy } = load("@cdktf/provider-aws/lib/iam-role-policy") as typeof import("@cdktf/provider-aws/lib/iam-role-policy");
export type IamRolePolicy = import("@cdktf/provider-aws/lib/iam-role-policy").IamRolePolicy;
export const { IamRolePolicyAttachment } = load("@cdktf/provider-aws/lib/iam-role-policy-attachment") as typeof import("@cdktf/provider-aws/lib/iam-role-policy-attachment");
export type IamRolePolicyAttachment = import("@cdktf/provider-aws/lib/iam-role-policy-attachment").IamRolePolicyAttachment;
export const { Instance } = load("@cdktf/provider-aws/lib/instance") as typeof import("@cdktf/provider-aws/lib/instance");
export type Instance = import("@cdktf/provider-aws/lib/instance").Instance;
export const { InternetGateway } = load("@cdktf/provider-aws/lib/internet-gateway") as typeof import("@cdktf/provider-aws/lib/internet-gateway");
export type InternetGateway = import("@cdktf/provider-aws/lib/internet-gateway").InternetGateway;
export const { KeyPair } = load("@cdktf/provider-aws/lib/key-pair") as typeof import("@cdktf/provider-aws/lib/key-pair");
export type KeyPair = import("@cdktf/provider-aws/lib/key-pair").KeyPair;
export const { LaunchTemplate } = load("@cdktf/provider-aws/lib/launch-template") as typeof import("@cdktf/provider-aws/lib/launch-template");
export type LaunchTemplate = import("@cdktf/provider-aws/lib/launch-template").LaunchTemplate;
export type { LaunchTemplateBlockDeviceMappings, LaunchTemplateMetadataOptions } from "@cdktf/provider-aws/lib/launch-template";
export const { Lb } = load("@cdktf/provider-aws/lib/lb") as typeof import("@cdktf/provider-aws/lib/lb");
export type Lb = import("@cdktf/provider-aws/lib/lb").Lb;
export const { LbListener } = load("@cdktf/provider-aws/lib/lb-listener") as typeof import("@cdktf/provider-aws/lib/lb-listener");
export type LbListener = import("@cdktf/provider-aws/lib/lb-listener").LbListener;
export const { LbTargetGroup } = load("@cdktf/provider-aws/lib/lb-target-group") as typeof import("@cdktf/provider-aws/lib/lb-target-group");
export type LbTargetGroup = import("@cdktf/provider-aws/lib/lb-target-group").LbTargetGroup;
export const { LbTargetGroupAttachment } = load("@cdktf/provider-aws/lib/lb-target-group-attachment") as typeof import("@cdktf/provider-aws/lib/lb-target-group-attachment");
export type LbTargetGroupAttachment = import("@cdktf/provider-aws/lib/lb-target-group-attachment").LbTargetGroupAttachment;
export const { MskCluster } = load("@cdktf/provider-aws/lib/msk-cluster") as typeof import("@cdktf/provider-aws/lib/msk-cluster");
export type MskCluster = import("@cdktf/provider-aws/lib/msk-cluster").MskCluster;
export const { MskConfiguration } = load("@cdktf/provider-aws/lib/msk-configuration") as typeof import("@cdktf/provider-aws/lib/msk-configuration");
export type MskConfiguration = import("@cdktf/provider-aws/lib/msk-configuration").MskConfiguration;
export const { MskconnectConnector } = load("@cdktf/provider-aws/lib/mskconnect-connector") as typeof import("@cdktf/provider-aws/lib/mskconnect-connector");
export type MskconnectConnector = import("@cdktf/provider-aws/lib/mskconnect-connector").MskconnectConnector;
export const { MskconnectCustomPlugin } = load("@cdktf/provider-aws/lib/mskconnect-custom-plugin") as typeof import("@cdktf/provider-aws/lib/mskconnect-custom-plugin");
export type MskconnectCustomPlugin = import("@cdktf/provider-aws/lib/mskconnect-custom-plugin").MskconnectCustomPlugin;
export const { MskconnectWorkerConfiguration } = load("@cdktf/provider-aws/lib/mskconnect-worker-configuration") as typeof import("@cdktf/provider-aws/lib/mskconnect-worker-configuration");
export type MskconnectWorkerConfiguration = import("@cdktf/provider-aws/lib/mskconnect-worker-configuration").MskconnectWorkerConfiguration;
export const { AwsProvider } = load("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
export type AwsProvider = import("@cdktf/provider-aws/lib/provider").AwsProvider;
export const { Route } = load("@cdktf/provider-aws/lib/route") as typeof import("@cdktf/provider-aws/lib/route");
export type Route = import("@cdktf/provider-aws/lib/route").Route;
export const { RouteTable } = load("@cdktf/provider-aws/lib/route-table") as typeof import("@cdktf/provider-aws/lib/route-table");
export type RouteTable = import("@cdktf/provider-aws/lib/route-table").RouteTable;
export const { RouteTableAssociation } = load("@cdktf/provider-aws/lib/route-table-association") as typeof import("@cdktf/provider-aws/lib/route-table-association");
export type RouteTableAssociation = import("@cdktf/provider-aws/lib/route-table-association").RouteTableAssociation;
export const { S3Bucket } = load("@cdktf/provider-aws/lib/s3-bucket") as typeof import("@cdktf/provider-aws/lib/s3-bucket");
export type S3Bucket = import("@cdktf/provider-aws/lib/s3-bucket").S3Bucket;
export const { S3BucketOwnershipControls } = load("@cdktf/provider-aws/lib/s3-bucket-ownership-controls") as typeof import("@cdktf/provider-aws/lib/s3-bucket-ownership-controls");
export type S3BucketOwnershipControls = import("@cdktf/provider-aws/lib/s3-bucket-ownership-controls").S3BucketOwnershipControls;
export const { S3BucketPolicy } = load("@cdktf/provider-aws/lib/s3-bucket-policy") as typeof import("@cdktf/provider-aws/lib/s3-bucket-policy");
export type S3BucketPolicy = import("@cdktf/provider-aws/lib/s3-bucket-policy").S3BucketPolicy;
export const { S3BucketPublicAccessBlock } = load("@cdktf/provider-aws/lib/s3-bucket-public-access-block") as typeof import("@cdktf/provider-aws/lib/s3-bucket-public-access-block");
export type S3BucketPublicAccessBlock = import("@cdktf/provider-aws/lib/s3-bucket-public-access-block").S3BucketPublicAccessBlock;
export const { S3BucketServerSideEncryptionConfigurationA } = load("@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration") as typeof import("@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration");
export type S3BucketServerSideEncryptionConfigurationA = import("@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration").S3BucketServerSideEncryptionConfigurationA;
export const { S3Object } = load("@cdktf/provider-aws/lib/s3-object") as typeof import("@cdktf/provider-aws/lib/s3-object");
export type S3Object = import("@cdktf/provider-aws/lib/s3-object").S3Object;
export const { SecurityGroup } = load("@cdktf/provider-aws/lib/security-group") as typeof import("@cdktf/provider-aws/lib/security-group");
export type SecurityGroup = import("@cdktf/provider-aws/lib/security-group").SecurityGroup;
export const { Subnet } = load("@cdktf/provider-aws/lib/subnet") as typeof import("@cdktf/provider-aws/lib/subnet");
export type Subnet = import("@cdktf/provider-aws/lib/subnet").Subnet;
export const { Vpc } = load("@cdktf/provider-aws/lib/vpc") as typeof import("@cdktf/provider-aws/lib/vpc");
export type Vpc = import("@cdktf/provider-aws/lib/vpc").Vpc;
export const { VpcEndpoint } = load("@cdktf/provider-aws/lib/vpc-endpoint") as typeof import("@cdktf/provider-aws/lib/vpc-endpoint");
export type VpcEndpoint = import("@cdktf/provider-aws/lib/vpc-endpoint").VpcEndpoint;
export const { VpcSecurityGroupEgressRule } = load("@cdktf/provider-aws/lib/vpc-security-group-egress-rule") as typeof import("@cdktf/provider-aws/lib/vpc-security-group-egress-rule");
export type VpcSecurityGroupEgressRule = import("@cdktf/provider-aws/lib/vpc-security-group-egress-rule").VpcSecurityGroupEgressRule;
export const { VpcSecurityGroupIngressRule } = load("@cdktf/provider-aws/lib/vpc-security-group-ingress-rule") as typeof import("@cdktf/provider-aws/lib/vpc-security-group-ingress-rule");
export type VpcSecurityGroupIngressRule = import("@cdktf/provider-aws/lib/vpc-security-group-ingress-rule").VpcSecurityGroupIngressRule;

export const { CloudwatchDashboard } = load("@cdktf/provider-aws/lib/cloudwatch-dashboard") as typeof import("@cdktf/provider-aws/lib/cloudwatch-dashboard");
export type CloudwatchDashboard = import("@cdktf/provider-aws/lib/cloudwatch-dashboard").CloudwatchDashboard;
export const { CloudwatchMetricAlarm } = load("@cdktf/provider-aws/lib/cloudwatch-metric-alarm") as typeof import("@cdktf/provider-aws/lib/cloudwatch-metric-alarm");
export type CloudwatchMetricAlarm = import("@cdktf/provider-aws/lib/cloudwatch-metric-alarm").CloudwatchMetricAlarm;
export const { SnsTopic } = load("@cdktf/provider-aws/lib/sns-topic") as typeof import("@cdktf/provider-aws/lib/sns-topic");
export type SnsTopic = import("@cdktf/provider-aws/lib/sns-topic").SnsTopic;
export const { SnsTopicSubscription } = load("@cdktf/provider-aws/lib/sns-topic-subscription") as typeof import("@cdktf/provider-aws/lib/sns-topic-subscription");
export type SnsTopicSubscription = import("@cdktf/provider-aws/lib/sns-topic-subscription").SnsTopicSubscription;
export const { S3BucketLifecycleConfiguration } = load("@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration") as typeof import("@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration");
export type S3BucketLifecycleConfiguration = import("@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration").S3BucketLifecycleConfiguration;

process.setSourceMapsEnabled(sourceMapsWereEnabled);
