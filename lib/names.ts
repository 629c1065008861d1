/**
 * The physical names the stack gives its resources, once: the constructs create them, `doctor`
 * looks for them in the account and `verify` reads the connector's consumer group. Each takes the
 * prefix the stack uses, the userId.
 */

export function resourceNames(prefix: string) {
  return {
    instanceRole: `${prefix}-client-instance-role`,
    accessRole: `${prefix}-ec2-access-role`,
    produceRole: `${prefix}-produce-role`,
    connectorRole: `${prefix}-connector-role`,
    apiCloudWatchRole: `${prefix}-apigateway-cloudwatch`,
    connector: `${prefix}-connector`,
    // under /aws/vendedlogs/ the account's CloudWatch Logs resource policy (5,120 characters) needs no entry per group
    brokerLogGroup: `/aws/vendedlogs/msk/${prefix}-cluster`,
    connectorLogGroup: `/aws/vendedlogs/mskconnect/${prefix}-connector`,
  } as const;
}

/** Kafka Connect names a sink connector's consumer group `connect-<connector name>`. */
export function sinkConsumerGroup(connectorName: string): string {
  return `connect-${connectorName}`;
}
