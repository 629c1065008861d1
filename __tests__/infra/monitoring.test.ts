/**
 * The dashboard and the alarms compared whole for the default stack. stack.test.ts checks which
 * metrics and alarms exist; this pins what an operator relies on when the pager goes off: the
 * dashboard's layout (one row per stage, in path order), each metric's statistic and label, and
 * every attribute of every alarm (period, evaluation periods, missing-data treatment, both actions).
 */
import { describe, expect, it } from "vitest";
import { dashboardBody } from "../../constructs/monitoring";
import { exampleConfig, onlyResource, refTo, resourcesOf, synthPipeline } from "./helpers";

const { stack, tf } = synthPipeline(exampleConfig());
const USER = "0a1b2c3d4e5f";

const apiName = refTo(tf, "aws_api_gateway_rest_api", "rest-api", "name");
const stage = refTo(tf, "aws_api_gateway_stage", "stage", "stage_name");
const instance = refTo(tf, "aws_instance", "client-host", "id");
const cluster = refTo(tf, "aws_msk_cluster", "kafka_cluster", "cluster_name");
const connector = refTo(tf, "aws_mskconnect_connector", "s3-sink", "name");
const topicArn = refTo(tf, "aws_sns_topic", "alarm-topic", "arn");

/** A widget as the dashboard's JSON has it: 6 by 6, five-minute time series, unstacked. */
function widget(x: number, y: number, title: string, metrics: unknown[][]) {
  return { type: "metric", x, y, width: 6, height: 6, properties: { title, region: "us-east-1", view: "timeSeries", stacked: false, period: 300, metrics } };
}

describe("the dashboard", () => {
  it("every widget whole: one row per stage (API, host, MSK, connector), 6 units wide, left to right", () => {
    const api = ["ApiName", apiName, "Stage", stage];
    const brokerMetric = (name: string, stat: string, id: string) => ["AWS/Kafka", name, "Cluster Name", cluster, "Broker ID", id, { stat, label: `broker ${id}` }];
    expect(JSON.parse(onlyResource(tf, "aws_cloudwatch_dashboard").dashboard_body)).toEqual({
      widgets: [
        widget(0, 0, "API requests", [["AWS/ApiGateway", "Count", ...api, { stat: "Sum", label: "requests" }]]),
        widget(6, 0, "API 4XX", [["AWS/ApiGateway", "4XXError", ...api, { stat: "Sum", label: "4XX" }]]),
        widget(12, 0, "API 5XX", [["AWS/ApiGateway", "5XXError", ...api, { stat: "Sum", label: "5XX" }]]),
        widget(18, 0, "API latency (ms)", [
          ["AWS/ApiGateway", "Latency", ...api, { stat: "Average", label: "average" }],
          ["AWS/ApiGateway", "Latency", ...api, { stat: "p99", label: "p99" }],
        ]),
        widget(0, 6, "Client host CPU (%)", [["AWS/EC2", "CPUUtilization", "InstanceId", instance, { stat: "Average" }]]),
        widget(6, 6, "Client host status checks failed", [["AWS/EC2", "StatusCheckFailed", "InstanceId", instance, { stat: "Maximum" }]]),
        widget(12, 6, "REST proxy healthy hosts (NLB)", [
          ["AWS/NetworkELB", "HealthyHostCount", "TargetGroup", refTo(tf, "aws_lb_target_group", "private-link", "arn_suffix"), "LoadBalancer", refTo(tf, "aws_lb", "private-link", "arn_suffix"), { stat: "Minimum" }],
        ]),
        widget(0, 12, "MSK bytes in per broker", [brokerMetric("BytesInPerSec", "Average", "1"), brokerMetric("BytesInPerSec", "Average", "2")]),
        widget(6, 12, "MSK data disk used per broker (%)", [brokerMetric("KafkaDataLogsDiskUsed", "Maximum", "1"), brokerMetric("KafkaDataLogsDiskUsed", "Maximum", "2")]),
        widget(0, 18, "Connector running tasks", [["AWS/KafkaConnect", "RunningTaskCount", "ConnectorName", connector, { stat: "Minimum" }]]),
        widget(6, 18, "Connector records read and sent (per second)", [
          ["AWS/KafkaConnect", "SinkRecordReadRate", "ConnectorName", connector, { stat: "Average", label: "read" }],
          ["AWS/KafkaConnect", "SinkRecordSendRate", "ConnectorName", connector, { stat: "Average", label: "sent" }],
        ]),
        widget(12, 18, "Connector errored tasks", [["AWS/KafkaConnect", "ErroredTaskCount", "ConnectorName", connector, { stat: "Maximum" }]]),
      ],
    });
  });

  it("places widgets by their row and column alone (a fifth widget in a row starts at x = 24)", () => {
    const metric = { namespace: "N", metricName: "M", dimensions: { D: "v" }, stat: "Sum" };
    const row = Array.from({ length: 5 }, (_, i) => ({ title: `w${i}`, metrics: [metric] }));
    const placed = JSON.parse(dashboardBody("eu-west-1", [[], row])).widgets.map((w: { x: number; y: number; properties: { region: string } }) => [w.x, w.y, w.properties.region]);
    expect(placed).toEqual([[0, 6, "eu-west-1"], [6, 6, "eu-west-1"], [12, 6, "eu-west-1"], [18, 6, "eu-west-1"], [24, 6, "eu-west-1"]]);
  });
});

describe("the alarms", () => {
  /** An alarm as synthesized: both actions notify the alarm topic, one evaluation period of 5 minutes unless said. */
  function alarm(suffix: string, fields: Record<string, unknown>) {
    return { alarm_name: `${USER}-${suffix}`, alarm_actions: [topicArn], ok_actions: [topicArn], period: 300, evaluation_periods: 1, ...fields };
  }

  it("every alarm whole", () => {
    const byName = Object.fromEntries(Object.values(resourcesOf(tf, "aws_cloudwatch_metric_alarm")).map((a) => [a.alarm_name, a]));
    const brokerDisk = (id: string) =>
      alarm(`broker-${id}-disk`, {
        alarm_description: `Broker ${id}'s data volume is more than 80% full: raise msk.ebsVolumeSizeGiB or shorten retention`,
        namespace: "AWS/Kafka",
        metric_name: "KafkaDataLogsDiskUsed",
        dimensions: { "Cluster Name": cluster, "Broker ID": id },
        statistic: "Maximum",
        comparison_operator: "GreaterThanThreshold",
        threshold: 80,
        treat_missing_data: "notBreaching",
      });
    expect(byName).toEqual({
      [`${USER}-api-5xx-rate`]: alarm("api-5xx-rate", {
        alarm_description: "More than 5% of API requests failed with a 5XX in 5 minutes: is the REST proxy up and reaching MSK?",
        namespace: "AWS/ApiGateway",
        metric_name: "5XXError",
        dimensions: { ApiName: apiName, Stage: stage },
        statistic: "Average",
        comparison_operator: "GreaterThanThreshold",
        threshold: 0.05,
        treat_missing_data: "notBreaching",
      }),
      [`${USER}-connector-running-tasks`]: alarm("connector-running-tasks", {
        alarm_description: "The S3 sink runs fewer than its 3 tasks: records are not reaching S3 (see the connector's worker logs)",
        namespace: "AWS/KafkaConnect",
        metric_name: "RunningTaskCount",
        dimensions: { ConnectorName: connector },
        statistic: "Minimum",
        comparison_operator: "LessThanThreshold",
        threshold: 3,
        evaluation_periods: 2,
        treat_missing_data: "breaching",
      }),
      [`${USER}-connector-errored-tasks`]: alarm("connector-errored-tasks", {
        alarm_description: "An S3 sink task failed: records are not reaching S3 (see the connector's worker logs)",
        namespace: "AWS/KafkaConnect",
        metric_name: "ErroredTaskCount",
        dimensions: { ConnectorName: connector },
        statistic: "Maximum",
        comparison_operator: "GreaterThanThreshold",
        threshold: 0,
        treat_missing_data: "notBreaching",
      }),
      [`${USER}-broker-1-disk`]: brokerDisk("1"),
      [`${USER}-broker-2-disk`]: brokerDisk("2"),
      [`${USER}-client-host-status-check`]: alarm("client-host-status-check", {
        alarm_description: "The client host (REST proxy) fails its EC2 status checks: the API cannot reach Kafka",
        namespace: "AWS/EC2",
        metric_name: "StatusCheckFailed",
        dimensions: { InstanceId: instance },
        statistic: "Maximum",
        comparison_operator: "GreaterThanOrEqualToThreshold",
        threshold: 1,
        period: 60,
        evaluation_periods: 2,
        treat_missing_data: "notBreaching",
      }),
    });
  });

  it("are the construct's alarms, in the order made", () => {
    expect(stack.monitoring.alarms.map((made) => made.node.id)).toEqual([
      "api-5xx-alarm", "connector-tasks-alarm", "connector-errors-alarm", "broker-1-disk-alarm", "broker-2-disk-alarm", "host-status-alarm",
    ]);
  });
});
