/**
 * The pipeline's CloudWatch dashboard and alarms: one dashboard named after the user id that reads
 * the path left to right (API, client host and load balancer, MSK, the S3 sink connector), and
 * alarms on the failures that stop records reaching S3, published to one SNS topic with an
 * optional e-mail subscription. Every metric names this stack's own resources.
 */
import { Construct } from "constructs";
import { CloudwatchDashboard, CloudwatchMetricAlarm, SnsTopic, SnsTopicSubscription } from "./aws";
import { DEFAULTS } from "../lib/defaults";
import type { IngestApi } from "./ingest-api";
import type { KafkaClientHost } from "./kafka-client-host";
import type { KafkaCluster } from "./kafka-cluster";
import type { S3SinkConnector } from "./s3-sink-connector";

/** A network load balancer in front of the REST proxy, by the `arn_suffix` values CloudWatch uses as dimensions. */
export interface MonitoredLoadBalancer {
  /** The load balancer's `arn_suffix` (`net/<name>/<id>`). */
  readonly loadBalancerArnSuffix: string;
  /** The REST proxy target group's `arn_suffix` (`targetgroup/<name>/<id>`). */
  readonly targetGroupArnSuffix: string;
}

export interface MonitoringProps {
  /** Names the dashboard, and prefixes the SNS topic and every alarm. */
  readonly name: string;
  /** The stack's region: the dashboard's widgets read it and the console URL names it. */
  readonly region: string;
  readonly api: Pick<IngestApi, "restApi" | "stage">;
  readonly host: KafkaClientHost;
  readonly cluster: KafkaCluster;
  readonly connector: S3SinkConnector;
  /**
   * Running tasks below this count raise the connector alarm (the S3 sink runs `tasks.max` tasks).
   * @default 3, the default tasks.max
   */
  readonly expectedRunningTasks?: number;
  /**
   * The network load balancer in front of the REST proxy, when there is one; its healthy hosts get a widget.
   * @default - no load balancer widget
   */
  readonly loadBalancer?: MonitoredLoadBalancer;
  /**
   * An address the alarm topic e-mails (AWS asks the recipient to confirm the subscription).
   * @default - no subscription; subscribe to the topic yourself
   */
  readonly alarmEmail?: string;
  /**
   * Alarm when more than this share of API requests fail with a 5XX, in percent over 5 minutes.
   * @default 5
   */
  readonly api5xxRatePercent?: number;
  /**
   * Alarm when a broker's data volume is fuller than this, in percent.
   * @default 80
   */
  readonly brokerDiskUsedPercent?: number;
}

/** One CloudWatch metric as a dashboard widget and an alarm name it. */
export interface MetricSpec {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Readonly<Record<string, string>>;
  readonly stat: string;
  readonly label?: string;
}

/** The dashboard's metric array form: `[namespace, name, dim1, value1, ..., { stat, label }]`. */
export function dashboardMetric(metric: MetricSpec): unknown[] {
  return [metric.namespace, metric.metricName, ...Object.entries(metric.dimensions).flat(), { stat: metric.stat, ...(metric.label ? { label: metric.label } : {}) }];
}

interface WidgetSpec {
  readonly title: string;
  readonly metrics: readonly MetricSpec[];
}

const WIDGET_WIDTH = 6;
const WIDGET_HEIGHT = 6;
const PERIOD_SECONDS = 300;

/** The dashboard body: one row per stage of the path, widgets left to right, 4 to a row. */
export function dashboardBody(region: string, rows: readonly (readonly WidgetSpec[])[]): string {
  const widgets = rows.flatMap((row, y) =>
    row.map((widget, x) => ({
      type: "metric",
      x: x * WIDGET_WIDTH,
      y: y * WIDGET_HEIGHT,
      width: WIDGET_WIDTH,
      height: WIDGET_HEIGHT,
      properties: { title: widget.title, region, view: "timeSeries", stacked: false, period: PERIOD_SECONDS, metrics: widget.metrics.map(dashboardMetric) },
    })),
  );
  return JSON.stringify({ widgets });
}

/** The CloudWatch console URL of a dashboard. */
export function dashboardUrl(region: string, dashboardName: string): string {
  return `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}#dashboards:name=${dashboardName}`;
}

export class Monitoring extends Construct {
  readonly dashboard: CloudwatchDashboard;
  readonly alarmTopic: SnsTopic;
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const api = { ApiName: props.api.restApi.name, Stage: props.api.stage.stageName };
    const instance = { InstanceId: props.host.instance.id };
    const clusterName = props.cluster.cluster.clusterName;
    const brokerIds = Array.from({ length: props.cluster.brokerCount }, (_, i) => String(i + 1));
    const broker = (brokerId: string) => ({ "Cluster Name": clusterName, "Broker ID": brokerId });
    const connector = { ConnectorName: props.connector.connector.name };

    const metric = (namespace: string, metricName: string, dimensions: Record<string, string>, stat: string, label?: string): MetricSpec => ({ namespace, metricName, dimensions, stat, label });
    const apiMetric = (name: string, stat: string, label?: string) => metric("AWS/ApiGateway", name, api, stat, label);
    const connectMetric = (name: string, stat: string, label?: string) => metric("AWS/KafkaConnect", name, connector, stat, label);

    const hostRow: WidgetSpec[] = [
      { title: "Client host CPU (%)", metrics: [metric("AWS/EC2", "CPUUtilization", instance, "Average")] },
      { title: "Client host status checks failed", metrics: [metric("AWS/EC2", "StatusCheckFailed", instance, "Maximum")] },
    ];
    if (props.loadBalancer) {
      const target = { TargetGroup: props.loadBalancer.targetGroupArnSuffix, LoadBalancer: props.loadBalancer.loadBalancerArnSuffix };
      hostRow.push({ title: "REST proxy healthy hosts (NLB)", metrics: [metric("AWS/NetworkELB", "HealthyHostCount", target, "Minimum")] });
    }
    const rows: WidgetSpec[][] = [
      [
        { title: "API requests", metrics: [apiMetric("Count", "Sum", "requests")] },
        { title: "API 4XX", metrics: [apiMetric("4XXError", "Sum", "4XX")] },
        { title: "API 5XX", metrics: [apiMetric("5XXError", "Sum", "5XX")] },
        { title: "API latency (ms)", metrics: [apiMetric("Latency", "Average", "average"), apiMetric("Latency", "p99", "p99")] },
      ],
      hostRow,
      [
        { title: "MSK bytes in per broker", metrics: brokerIds.map((id) => metric("AWS/Kafka", "BytesInPerSec", broker(id), "Average", `broker ${id}`)) },
        { title: "MSK data disk used per broker (%)", metrics: brokerIds.map((id) => metric("AWS/Kafka", "KafkaDataLogsDiskUsed", broker(id), "Maximum", `broker ${id}`)) },
      ],
      [
        { title: "Connector running tasks", metrics: [connectMetric("RunningTaskCount", "Minimum")] },
        { title: "Connector records read and sent (per second)", metrics: [connectMetric("SinkRecordReadRate", "Average", "read"), connectMetric("SinkRecordSendRate", "Average", "sent")] },
        { title: "Connector errored tasks", metrics: [connectMetric("ErroredTaskCount", "Maximum")] },
      ],
    ];
    this.dashboard = new CloudwatchDashboard(this, "dashboard", { dashboardName: props.name, dashboardBody: dashboardBody(props.region, rows) });

    this.alarmTopic = new SnsTopic(this, "alarm-topic", { name: `${props.name}-alarms`, displayName: `${props.name} pipeline alarms` });
    if (props.alarmEmail !== undefined) {
      new SnsTopicSubscription(this, "alarm-email", { topicArn: this.alarmTopic.arn, protocol: "email", endpoint: props.alarmEmail });
    }

    const alarm = (alarmId: string, settings: { suffix: string; description: string; metric: MetricSpec; comparison: string; threshold: number; periodSeconds?: number; evaluationPeriods?: number; missingData: "breaching" | "notBreaching" }) => {
      const created = new CloudwatchMetricAlarm(this, alarmId, {
        alarmName: `${props.name}-${settings.suffix}`,
        alarmDescription: settings.description,
        namespace: settings.metric.namespace,
        metricName: settings.metric.metricName,
        dimensions: { ...settings.metric.dimensions },
        statistic: settings.metric.stat,
        period: settings.periodSeconds ?? PERIOD_SECONDS,
        evaluationPeriods: settings.evaluationPeriods ?? 1,
        comparisonOperator: settings.comparison,
        threshold: settings.threshold,
        treatMissingData: settings.missingData,
        alarmActions: [this.alarmTopic.arn],
        okActions: [this.alarmTopic.arn],
      });
      this.alarms.push(created);
      return created;
    };

    const api5xxPercent = props.api5xxRatePercent ?? DEFAULTS.monitoring.api5xxRatePercent;
    // 5XXError's average over a period is the share of requests that failed with a 5XX
    alarm("api-5xx-alarm", {
      suffix: "api-5xx-rate",
      description: `More than ${api5xxPercent}% of API requests failed with a 5XX in 5 minutes: is the REST proxy up and reaching MSK?`,
      metric: apiMetric("5XXError", "Average"),
      comparison: "GreaterThanThreshold",
      threshold: api5xxPercent / 100,
      missingData: "notBreaching",
    });
    const expectedTasks = props.expectedRunningTasks ?? DEFAULTS.connector.tasksMax;
    // no data means no running connector, which is what this alarm is for
    alarm("connector-tasks-alarm", {
      suffix: "connector-running-tasks",
      description: `The S3 sink runs fewer than its ${expectedTasks} tasks: records are not reaching S3 (see the connector's worker logs)`,
      metric: connectMetric("RunningTaskCount", "Minimum"),
      comparison: "LessThanThreshold",
      threshold: expectedTasks,
      evaluationPeriods: 2,
      missingData: "breaching",
    });
    alarm("connector-errors-alarm", {
      suffix: "connector-errored-tasks",
      description: "An S3 sink task failed: records are not reaching S3 (see the connector's worker logs)",
      metric: connectMetric("ErroredTaskCount", "Maximum"),
      comparison: "GreaterThanThreshold",
      threshold: 0,
      missingData: "notBreaching",
    });
    const diskPercent = props.brokerDiskUsedPercent ?? DEFAULTS.monitoring.brokerDiskUsedPercent;
    for (const brokerId of brokerIds) {
      alarm(`broker-${brokerId}-disk-alarm`, {
        suffix: `broker-${brokerId}-disk`,
        description: `Broker ${brokerId}'s data volume is more than ${diskPercent}% full: raise msk.ebsVolumeSizeGiB or shorten retention`,
        metric: metric("AWS/Kafka", "KafkaDataLogsDiskUsed", broker(brokerId), "Maximum"),
        comparison: "GreaterThanThreshold",
        threshold: diskPercent,
        missingData: "notBreaching",
      });
    }
    alarm("host-status-alarm", {
      suffix: "client-host-status-check",
      description: "The client host (REST proxy) fails its EC2 status checks: the API cannot reach Kafka",
      metric: metric("AWS/EC2", "StatusCheckFailed", instance, "Maximum"),
      comparison: "GreaterThanOrEqualToThreshold",
      threshold: 1,
      periodSeconds: 60,
      evaluationPeriods: 2,
      missingData: "notBreaching",
    });
  }

  /** The dashboard's console URL. */
  url(region: string): string {
    return dashboardUrl(region, this.dashboard.dashboardName);
  }
}
