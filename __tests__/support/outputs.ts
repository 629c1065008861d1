/**
 * A complete, valid set of stack outputs as `cdktf deploy --outputs-file` would write them, for the
 * tests of every program that reads them. One fixture, so a new output in lib/contract.ts is added once.
 */
import type { StackOutputs } from "../../lib/contract";

export const SAMPLE_USER_ID = "0a1b2c3d4e5f";
export const SAMPLE_ACCOUNT = "123456789012";

/** Every output of a deployed default stack for `userId`, with `overrides` applied. */
export function sampleOutputs(overrides: Partial<StackOutputs> = {}, userId = SAMPLE_USER_ID): StackOutputs {
  const connectorName = `${userId}-connector`;
  return {
    invoke_url: "https://abc123.execute-api.us-east-1.amazonaws.com/prod",
    api_auth: "iam",
    api_exposure: "private",
    invoke_policy_arn: `arn:aws:iam::${SAMPLE_ACCOUNT}:policy/${userId}-invoke-ingest-api`,
    rest_proxy_nlb_dns: `${userId}-proxy-0123456789abcdef.elb.us-east-1.amazonaws.com`,
    client_public_dns: "ec2-3-4-5-6.compute-1.amazonaws.com",
    client_instance_id: "i-0123456789abcdef0",
    ssh_user: "ec2-user",
    msk_bootstrap_brokers_sasl_iam: "b-1.pipeline.kafka.us-east-1.amazonaws.com:9098,b-2.pipeline.kafka.us-east-1.amazonaws.com:9098",
    msk_kafka_version: "3.8.x",
    kafka_cli_version: "3.8.1",
    access_role_arn: `arn:aws:iam::${SAMPLE_ACCOUNT}:role/${userId}-ec2-access-role`,
    produce_role_arn: `arn:aws:iam::${SAMPLE_ACCOUNT}:role/${userId}-produce-role`,
    bucket_name: `user-${userId}-bucket`,
    region: "us-east-1",
    user_id: userId,
    topics: [`${userId}.pin`, `${userId}.geo`, `${userId}.user`],
    topic_partitions: 1,
    dead_letter_topic: `${userId}-dlq`,
    connector_name: connectorName,
    connector_arn: `arn:aws:kafkaconnect:us-east-1:${SAMPLE_ACCOUNT}:connector/${connectorName}/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0-2`,
    connector_log_group: `/aws/vendedlogs/mskconnect/${connectorName}`,
    dashboard_url: `https://us-east-1.console.aws.amazon.com/cloudwatch/home?region=us-east-1#dashboards:name=${userId}`,
    alarm_topic_arn: `arn:aws:sns:us-east-1:${SAMPLE_ACCOUNT}:${userId}-alarms`,
    ...overrides,
  };
}
