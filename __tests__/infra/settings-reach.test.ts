/**
 * Every tunable setting reaches the attribute it is for. The example config holds the defaults, so a
 * construct that ignored its prop and used the default would pass every suite built on it: here each
 * setting differs from its default (the first test proves it), and each is found where it belongs.
 */
import { describe, expect, it } from "vitest";
import { DEFAULTS } from "../../lib/defaults";
import { exampleConfig, onlyResource, resourceNamed, synthPipeline } from "./helpers";

const SETTINGS = {
  clientHost: { instanceType: "t3.medium", amiSsmParameter: "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64", rootVolumeSizeGiB: 32 },
  msk: { brokerInstanceType: "kafka.m5.large", ebsVolumeSizeGiB: 100, logRetentionDays: 14 },
  topics: { partitions: 4 },
  connector: { kafkaConnectVersion: "2.7.1", flushSize: 500, rotateScheduleIntervalMs: 30_000, tasksMax: 2, mcuCount: 2, workerCount: 3, logRetentionDays: 30 },
  api: { stageName: "live", throttlingRateLimit: 50, throttlingBurstLimit: 100, accessLogRetentionDays: 90, auth: "api-key", quotaLimit: 5000, quotaPeriod: "WEEK" },
} as const;

const { tf } = synthPipeline(
  exampleConfig((doc) => {
    for (const [section, values] of Object.entries(SETTINGS)) Object.assign(doc[section], values);
  }),
);

describe("every setting reaches its resource", () => {
  it("each setting here differs from its default (else this suite could not tell them apart)", () => {
    const same = Object.entries(SETTINGS).flatMap(([section, values]) =>
      Object.entries(values).filter(([key, value]) => (DEFAULTS as unknown as Record<string, Record<string, unknown>>)[section][key] === value).map(([key]) => `${section}.${key}`),
    );
    expect(same).toEqual([]);
  });

  it("clientHost: instance type, image parameter and root volume size on the launch template", () => {
    const template = onlyResource(tf, "aws_launch_template");
    expect(template.instance_type).toBe("t3.medium");
    expect(template.image_id).toBe("resolve:ssm:/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-6.1-arm64");
    expect(template.block_device_mappings).toEqual([{ device_name: "/dev/xvda", ebs: { volume_size: 32, volume_type: "gp3", encrypted: "true", delete_on_termination: "true" } }]);
  });

  it("msk: broker size and volume on the cluster, broker log retention, partitions in the server properties", () => {
    const groupInfo = onlyResource(tf, "aws_msk_cluster").broker_node_group_info;
    expect(groupInfo.instance_type).toBe("kafka.m5.large");
    expect(groupInfo.storage_info).toEqual({ ebs_storage_info: { volume_size: 100 } });
    expect(resourceNamed(tf, "aws_cloudwatch_log_group", "broker-logs").retention_in_days).toBe(14);
    expect(onlyResource(tf, "aws_msk_configuration").server_properties.split("\n")).toContain("num.partitions=4");
  });

  it("connector: version, capacity, log retention, and the sink's flush size, rotation and tasks", () => {
    const connector = onlyResource(tf, "aws_mskconnect_connector");
    expect(connector.kafkaconnect_version).toBe("2.7.1");
    expect(connector.capacity).toEqual({ provisioned_capacity: { mcu_count: 2, worker_count: 3 } });
    expect(connector.connector_configuration).toMatchObject({ "flush.size": "500", "rotate.schedule.interval.ms": "30000", "tasks.max": "2" });
    expect(resourceNamed(tf, "aws_cloudwatch_log_group", "worker-logs").retention_in_days).toBe(30);
    expect(resourceNamed(tf, "aws_cloudwatch_metric_alarm", "connector-tasks-alarm").threshold).toBe(2);
  });

  it("api: stage name, access log retention, throttling on the stage and on the usage plan, the key's quota", () => {
    expect(onlyResource(tf, "aws_api_gateway_stage").stage_name).toBe("live");
    expect(resourceNamed(tf, "aws_cloudwatch_log_group", "access-logs").retention_in_days).toBe(90);
    expect(onlyResource(tf, "aws_api_gateway_method_settings").settings).toEqual({ throttling_rate_limit: 50, throttling_burst_limit: 100, metrics_enabled: true, logging_level: "OFF" });
    const plan = onlyResource(tf, "aws_api_gateway_usage_plan");
    expect(plan.throttle_settings).toEqual({ rate_limit: 50, burst_limit: 100 });
    expect(plan.quota_settings).toEqual({ limit: 5000, period: "WEEK" });
  });
});
