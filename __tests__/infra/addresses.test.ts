/**
 * What a real account keys on, pinned for the default stack: every resource's Terraform address (a
 * changed construct ID or scope makes Terraform destroy the resource and create a new one, losing
 * a cluster's data or a bucket's objects), and the names and Name tags operators find them by in
 * the console, the alarms and the runbooks. A change here is a migration, and must be one on purpose.
 */
import { describe, expect, it } from "vitest";
import { loadBalancerName } from "../../constructs/private-link";
import { exampleConfig, synthPipeline } from "./helpers";

const { tf } = synthPipeline(exampleConfig());

const ADDRESSES = [
    "aws_api_gateway_account.ingest-api_account_A7925749",
    "aws_api_gateway_deployment.ingest-api_deployment_D9F6338E",
    "aws_api_gateway_integration.ingest-api_topic-0a1b2c3d4e5fgeo-integration_B9CA9FBA",
    "aws_api_gateway_integration.ingest-api_topic-0a1b2c3d4e5fpin-integration_A637E51C",
    "aws_api_gateway_integration.ingest-api_topic-0a1b2c3d4e5fuser-integration_22844174",
    "aws_api_gateway_method.ingest-api_topic-0a1b2c3d4e5fgeo-method_CFA6DBC8",
    "aws_api_gateway_method.ingest-api_topic-0a1b2c3d4e5fpin-method_5620FC6D",
    "aws_api_gateway_method.ingest-api_topic-0a1b2c3d4e5fuser-method_7437C585",
    "aws_api_gateway_method_settings.ingest-api_throttling_D0C0D262",
    "aws_api_gateway_resource.ingest-api_topic-0a1b2c3d4e5fgeo_E8746FEC",
    "aws_api_gateway_resource.ingest-api_topic-0a1b2c3d4e5fpin_2FE6D52C",
    "aws_api_gateway_resource.ingest-api_topic-0a1b2c3d4e5fuser_2EF0F63B",
    "aws_api_gateway_resource.ingest-api_topics-resource_33AF7BE1",
    "aws_api_gateway_rest_api.ingest-api_rest-api_91D9A67F",
    "aws_api_gateway_stage.ingest-api_stage_23536621",
    "aws_api_gateway_vpc_link.private-link_vpc-link_91FF56D5",
    "aws_cloudwatch_dashboard.monitoring_dashboard_4CE328EF",
    "aws_cloudwatch_log_group.ingest-api_access-logs_5AF27D54",
    "aws_cloudwatch_log_group.kafka_broker-logs_0E99DC72",
    "aws_cloudwatch_log_group.s3-sink_worker-logs_F25600A8",
    "aws_cloudwatch_metric_alarm.monitoring_api-5xx-alarm_2B2C28BB",
    "aws_cloudwatch_metric_alarm.monitoring_broker-1-disk-alarm_E448B7CD",
    "aws_cloudwatch_metric_alarm.monitoring_broker-2-disk-alarm_048D8B01",
    "aws_cloudwatch_metric_alarm.monitoring_connector-errors-alarm_C0FDEEB1",
    "aws_cloudwatch_metric_alarm.monitoring_connector-tasks-alarm_79B7B3D8",
    "aws_cloudwatch_metric_alarm.monitoring_host-status-alarm_D17B014C",
    "aws_iam_instance_profile.access-roles_instance-profile_323AF2BE",
    "aws_iam_policy.ingest-api_invoke-policy_6320665D",
    "aws_iam_role.access-roles_access-role_CC30EE45",
    "aws_iam_role.access-roles_instance-role_6BD89625",
    "aws_iam_role.access-roles_produce-role_9D7B1D3A",
    "aws_iam_role.ingest-api_cloudwatch-role_98BE7C39",
    "aws_iam_role.s3-sink_execution-role_5B448F89",
    "aws_iam_role_policy.access-roles_access-kafka_BCF4820E",
    "aws_iam_role_policy.access-roles_instance-assume-access_10C3B2EA",
    "aws_iam_role_policy.access-roles_produce-kafka_5B2141C0",
    "aws_iam_role_policy.s3-sink_execution-permissions_507FE139",
    "aws_iam_role_policy_attachment.ingest-api_cloudwatch-role-policy_41ACE0BD",
    "aws_instance.client-host_instance_78ADB1CF",
    "aws_internet_gateway.network_internet-gateway_E855E801",
    "aws_key_pair.client-host_key-pair_D4214D4E",
    "aws_launch_template.client-host_launch-template_B4A45256",
    "aws_lb.private-link_nlb_25C9B950",
    "aws_lb_listener.private-link_listener_FAD58319",
    "aws_lb_target_group.private-link_target-group_9B56B69B",
    "aws_lb_target_group_attachment.private-link_target_06E2EA3F",
    "aws_msk_cluster.kafka_cluster_4FCB1297",
    "aws_msk_configuration.kafka_configuration_C55C58D5",
    "aws_mskconnect_connector.s3-sink_connector_E0113516",
    "aws_mskconnect_custom_plugin.s3-sink_plugin_BFD4DEED",
    "aws_mskconnect_worker_configuration.s3-sink_worker-configuration_F4399786",
    "aws_route.network_internet-route_FCF2471F",
    "aws_route_table.network_private-routes_E5BE4D6F",
    "aws_route_table.network_public-routes_309B7EF4",
    "aws_route_table_association.network_private-subnet-0-routes_8D7FE4ED",
    "aws_route_table_association.network_private-subnet-1-routes_48B9B3A5",
    "aws_route_table_association.network_public-subnet-routes_55AEC0E8",
    "aws_s3_bucket.data-bucket_D46037D5",
    "aws_s3_bucket_lifecycle_configuration.data-bucket_lifecycle_DA3F37BF",
    "aws_s3_bucket_ownership_controls.data-bucket_ownership_01FFB6DD",
    "aws_s3_bucket_policy.data-bucket_policy_17D97B1C",
    "aws_s3_bucket_public_access_block.data-bucket_public-access_683B1AEB",
    "aws_s3_bucket_server_side_encryption_configuration.data-bucket_encryption_6EF9CB39",
    "aws_s3_object.s3-sink_plugin-object_DC739E92",
    "aws_security_group.network_client-sg_E4652070",
    "aws_security_group.network_connector-sg_EDDFD028",
    "aws_security_group.network_msk-sg_7B734E76",
    "aws_security_group.private-link_nlb-sg_0D7BB5CE",
    "aws_sns_topic.monitoring_alarm-topic_837B5484",
    "aws_subnet.network_private-subnet-0_0C797916",
    "aws_subnet.network_private-subnet-1_F0ACDF2C",
    "aws_subnet.network_public-subnet_542E2DBF",
    "aws_vpc.network_vpc_4E8F0223",
    "aws_vpc_endpoint.network_s3-endpoint_3093E6A5",
    "aws_vpc_security_group_egress_rule.network_client-egress_9A623CE2",
    "aws_vpc_security_group_egress_rule.network_connector-to-msk_16CFD434",
    "aws_vpc_security_group_egress_rule.network_connector-to-s3_EF55C85A",
    "aws_vpc_security_group_egress_rule.private-link_nlb-to-host_EE2878EC",
    "aws_vpc_security_group_ingress_rule.network_client-ssh-0_37E202A3",
    "aws_vpc_security_group_ingress_rule.network_msk-from-client_65D230EB",
    "aws_vpc_security_group_ingress_rule.network_msk-from-connector_BA7C1FF2",
    "aws_vpc_security_group_ingress_rule.private-link_host-from-nlb_31541429",
];

/** `name` (or `cluster_name`, `key_name`, `bucket`, `alarm_name`, `dashboard_name`) and the Name tag. */
const NAMES: Record<string, { name?: string; tag?: string }> = {
    "aws_api_gateway_rest_api.ingest-api_rest-api_91D9A67F": { name: "0a1b2c3d4e5f" },
    "aws_api_gateway_vpc_link.private-link_vpc-link_91FF56D5": { name: "0a1b2c3d4e5f-rest-proxy" },
    "aws_cloudwatch_dashboard.monitoring_dashboard_4CE328EF": { name: "0a1b2c3d4e5f" },
    "aws_cloudwatch_log_group.ingest-api_access-logs_5AF27D54": { name: "/aws/apigateway/0a1b2c3d4e5f/access" },
    "aws_cloudwatch_log_group.kafka_broker-logs_0E99DC72": { name: "/aws/vendedlogs/msk/0a1b2c3d4e5f-cluster" },
    "aws_cloudwatch_log_group.s3-sink_worker-logs_F25600A8": { name: "/aws/vendedlogs/mskconnect/0a1b2c3d4e5f-connector" },
    "aws_cloudwatch_metric_alarm.monitoring_api-5xx-alarm_2B2C28BB": { name: "0a1b2c3d4e5f-api-5xx-rate" },
    "aws_cloudwatch_metric_alarm.monitoring_broker-1-disk-alarm_E448B7CD": { name: "0a1b2c3d4e5f-broker-1-disk" },
    "aws_cloudwatch_metric_alarm.monitoring_broker-2-disk-alarm_048D8B01": { name: "0a1b2c3d4e5f-broker-2-disk" },
    "aws_cloudwatch_metric_alarm.monitoring_connector-errors-alarm_C0FDEEB1": { name: "0a1b2c3d4e5f-connector-errored-tasks" },
    "aws_cloudwatch_metric_alarm.monitoring_connector-tasks-alarm_79B7B3D8": { name: "0a1b2c3d4e5f-connector-running-tasks" },
    "aws_cloudwatch_metric_alarm.monitoring_host-status-alarm_D17B014C": { name: "0a1b2c3d4e5f-client-host-status-check" },
    "aws_iam_instance_profile.access-roles_instance-profile_323AF2BE": { name: "0a1b2c3d4e5f-client-instance-profile" },
    "aws_iam_policy.ingest-api_invoke-policy_6320665D": { name: "0a1b2c3d4e5f-invoke-ingest-api" },
    "aws_iam_role.access-roles_access-role_CC30EE45": { name: "0a1b2c3d4e5f-ec2-access-role" },
    "aws_iam_role.access-roles_instance-role_6BD89625": { name: "0a1b2c3d4e5f-client-instance-role" },
    "aws_iam_role.access-roles_produce-role_9D7B1D3A": { name: "0a1b2c3d4e5f-produce-role" },
    "aws_iam_role.ingest-api_cloudwatch-role_98BE7C39": { name: "0a1b2c3d4e5f-apigateway-cloudwatch" },
    "aws_iam_role.s3-sink_execution-role_5B448F89": { name: "0a1b2c3d4e5f-connector-role" },
    "aws_iam_role_policy.access-roles_access-kafka_BCF4820E": { name: "kafka-cluster" },
    "aws_iam_role_policy.access-roles_instance-assume-access_10C3B2EA": { name: "assume-access-role" },
    "aws_iam_role_policy.access-roles_produce-kafka_5B2141C0": { name: "kafka-produce" },
    "aws_iam_role_policy.s3-sink_execution-permissions_507FE139": { name: "s3-sink" },
    "aws_instance.client-host_instance_78ADB1CF": { tag: "0a1b2c3d4e5f" },
    "aws_internet_gateway.network_internet-gateway_E855E801": { tag: "0a1b2c3d4e5f-igw" },
    "aws_key_pair.client-host_key-pair_D4214D4E": { name: "0a1b2c3d4e5f-operator" },
    "aws_launch_template.client-host_launch-template_B4A45256": { name: "0a1b2c3d4e5f-client" },
    "aws_lb.private-link_nlb_25C9B950": { name: "0a1b2c3d4e5f-rest-proxy", tag: "0a1b2c3d4e5f-rest-proxy" },
    "aws_lb_target_group.private-link_target-group_9B56B69B": { name: "0a1b2c3d4e5f-rest-proxy" },
    "aws_msk_cluster.kafka_cluster_4FCB1297": { name: "0a1b2c3d4e5f-cluster" },
    "aws_msk_configuration.kafka_configuration_C55C58D5": { name: "0a1b2c3d4e5f-cluster-config" },
    "aws_mskconnect_connector.s3-sink_connector_E0113516": { name: "0a1b2c3d4e5f-connector" },
    "aws_mskconnect_custom_plugin.s3-sink_plugin_BFD4DEED": { name: "0a1b2c3d4e5f-plugin" },
    "aws_mskconnect_worker_configuration.s3-sink_worker-configuration_F4399786": { name: "0a1b2c3d4e5f-worker-config" },
    "aws_route_table.network_private-routes_E5BE4D6F": { tag: "0a1b2c3d4e5f-private" },
    "aws_route_table.network_public-routes_309B7EF4": { tag: "0a1b2c3d4e5f-public" },
    "aws_s3_bucket.data-bucket_D46037D5": { name: "user-0a1b2c3d4e5f-bucket" },
    "aws_security_group.network_client-sg_E4652070": { name: "0a1b2c3d4e5f-client", tag: "0a1b2c3d4e5f-client" },
    "aws_security_group.network_connector-sg_EDDFD028": { name: "0a1b2c3d4e5f-connector", tag: "0a1b2c3d4e5f-connector" },
    "aws_security_group.network_msk-sg_7B734E76": { name: "0a1b2c3d4e5f-msk", tag: "0a1b2c3d4e5f-msk" },
    "aws_security_group.private-link_nlb-sg_0D7BB5CE": { name: "0a1b2c3d4e5f-rest-proxy-nlb", tag: "0a1b2c3d4e5f-rest-proxy-nlb" },
    "aws_sns_topic.monitoring_alarm-topic_837B5484": { name: "0a1b2c3d4e5f-alarms" },
    "aws_subnet.network_private-subnet-0_0C797916": { tag: "0a1b2c3d4e5f-private-us-east-1a" },
    "aws_subnet.network_private-subnet-1_F0ACDF2C": { tag: "0a1b2c3d4e5f-private-us-east-1b" },
    "aws_subnet.network_public-subnet_542E2DBF": { tag: "0a1b2c3d4e5f-public" },
    "aws_vpc.network_vpc_4E8F0223": { tag: "0a1b2c3d4e5f-vpc" },
    "aws_vpc_endpoint.network_s3-endpoint_3093E6A5": { tag: "0a1b2c3d4e5f-s3" },
};

function resources(): [string, Record<string, any>][] {
  return Object.entries(tf.resource).flatMap(([type, byId]) => Object.entries(byId as Record<string, Record<string, any>>).map(([id, body]): [string, Record<string, any>] => [`${type}.${id}`, body]));
}

describe("what a real account keys on", () => {
  it("every resource's Terraform address, exactly: no resource renamed, added or dropped by accident", () => {
    expect(resources().map(([address]) => address)).toEqual(ADDRESSES);
  });

  it("every name and Name tag, exactly: each prefixed with the user id, as the runbooks and alarms expect", () => {
    const seen: Record<string, { name?: string; tag?: string }> = {};
    for (const [address, body] of resources()) {
      const name = body.name ?? body.cluster_name ?? body.key_name ?? body.bucket ?? body.alarm_name ?? body.dashboard_name;
      const shown = typeof name === "string" && !name.startsWith("${") ? { name } : {};
      const tag = body.tags?.Name;
      if (shown.name !== undefined || tag !== undefined) seen[address] = { ...shown, ...(tag === undefined ? {} : { tag }) };
    }
    expect(seen).toEqual(NAMES);
  });

  it("security group descriptions, exactly: AWS replaces a group whose description changes, and cannot while an ENI uses it", () => {
    const descriptions = Object.fromEntries(resources().filter(([address]) => address.startsWith("aws_security_group.")).map(([address, body]) => [address, body.description]));
    expect(descriptions).toEqual({
      "aws_security_group.network_client-sg_E4652070": "Kafka client host: SSH from the operator, REST proxy for API Gateway",
      "aws_security_group.network_connector-sg_EDDFD028": "MSK Connect workers: to the brokers and S3",
      "aws_security_group.network_msk-sg_7B734E76": "MSK brokers: SASL/IAM from the client host and MSK Connect",
      "aws_security_group.private-link_nlb-sg_0D7BB5CE": "Internal NLB of the API Gateway VPC link: forwards to the REST proxy only",
    });
  });
});

describe("load balancer and target group names (32 characters, no trailing hyphen)", () => {
  it("keeps the hyphens inside a prefix, and drops every hyphen the cut leaves at its end", () => {
    expect(loadBalancerName("team-a", "nlb")).toBe("team-a-nlb");
    // 21 characters of the prefix fit beside "-rest-proxy"; the cut ends in two hyphens
    expect(loadBalancerName(`${"a".repeat(19)}--${"b".repeat(8)}`, "rest-proxy")).toBe(`${"a".repeat(19)}-rest-proxy`);
  });
});
