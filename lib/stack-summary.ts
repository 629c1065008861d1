/**
 * A short, human summary of a synthesized stack: resources by type, data sources, outputs, the
 * names a user looks for, and an estimate of the monthly cost.
 */
import { PRICES } from "./prices";
import { attributeAt, nestedBlock, type TerraformJson } from "./terraform-json";

/** Managed resources (what `terraform plan` counts), by type. */
export function resourceCounts(stack: TerraformJson): Map<string, number> {
  const counts = new Map<string, number>();
  for (const [type, byName] of Object.entries(stack.resource ?? {})) counts.set(type, Object.keys(byName).length);
  return new Map([...counts].sort(([a], [b]) => a.localeCompare(b)));
}

/** The number of managed resources, the N of `Plan: N to add`. */
export function managedResourceCount(stack: TerraformJson): number {
  return [...resourceCounts(stack).values()].reduce((sum, n) => sum + n, 0);
}

export function summarizeStack(stack: TerraformJson): string {
  const counts = resourceCounts(stack);
  const width = Math.max(...[...counts.keys()].map((t) => t.length));
  const lines = [`${managedResourceCount(stack)} resources:`];
  for (const [type, n] of counts) lines.push(`  ${type.padEnd(width)}  ${n}`);
  const dataTypes = Object.keys(stack.data ?? {}).sort();
  const dataCount = dataTypes.reduce((sum, t) => sum + Object.keys(stack.data![t]).length, 0);
  lines.push(`${dataCount} data sources (all offline): ${dataTypes.join(", ") || "none"}`);
  const outputs = Object.keys(stack.output ?? {});
  lines.push(`${outputs.length} outputs: ${outputs.join(", ")}`);
  return lines.join("\n");
}

/** The names a user looks for in the console, by what they are. */
export function namedResources(stack: TerraformJson): [string, string][] {
  const values = (type: string, attribute: (block: Record<string, unknown>) => unknown): string[] =>
    Object.values(stack.resource?.[type] ?? {})
      .map((block) => attribute(block as Record<string, unknown>))
      .filter((value): value is string => typeof value === "string");
  const rows: [string, string[]][] = [
    ["bucket", values("aws_s3_bucket", (b) => b.bucket)],
    ["MSK cluster", values("aws_msk_cluster", (b) => b.cluster_name)],
    ["IAM roles", values("aws_iam_role", (b) => b.name)],
    ["API", values("aws_api_gateway_rest_api", (b) => b.name)],
    ["connector", values("aws_mskconnect_connector", (b) => b.name)],
    ["client host (Name)", values("aws_instance", (b) => (b.tags as Record<string, unknown> | undefined)?.Name)],
    ["load balancer", values("aws_lb", (b) => b.name)],
    ["dashboard", values("aws_cloudwatch_dashboard", (b) => b.dashboard_name)],
    ["alarm topic", values("aws_sns_topic", (b) => b.name)],
    ["log groups", values("aws_cloudwatch_log_group", (b) => b.name)],
  ];
  return rows.filter(([, names]) => names.length > 0).map(([what, names]) => [what, names.join(", ")]);
}

/** One line of the monthly estimate; `usd` undefined when the price table lacks the item. */
export interface CostLine {
  readonly item: string;
  readonly basis: string;
  readonly usd: number | undefined;
}

const money = (usd: number) => usd.toFixed(2);

/** The configured stack's fixed monthly cost, item by item, from {@link PRICES} (us-east-1, on demand). */
export function monthlyCost(stack: TerraformJson): CostLine[] {
  const hours = PRICES.hoursPerMonth;
  const lines: CostLine[] = [];
  const blocks = (type: string) => Object.values(stack.resource?.[type] ?? {}) as Record<string, any>[];
  for (const cluster of blocks("aws_msk_cluster")) {
    const brokers = Number(cluster.number_of_broker_nodes);
    const group = nestedBlock(cluster.broker_node_group_info) as Record<string, any> | undefined;
    const type = String(group?.instance_type);
    const price = PRICES.mskBrokerHour[type];
    lines.push({ item: "MSK brokers", basis: `${brokers} x ${type} x ${hours} h x USD ${price ?? "?"}`, usd: price === undefined ? undefined : brokers * hours * price });
    const volume = Number(attributeAt(group, "storage_info.ebs_storage_info.volume_size") ?? 0);
    lines.push({ item: "MSK broker storage", basis: `${brokers} x ${volume} GB x USD ${PRICES.mskStorageGbMonth}`, usd: brokers * volume * PRICES.mskStorageGbMonth });
  }
  for (const connector of blocks("aws_mskconnect_connector")) {
    const provisioned = attributeAt(connector as never, "capacity.provisioned_capacity") as Record<string, any> | undefined;
    const mcus = Number(provisioned?.mcu_count ?? 1) * Number(provisioned?.worker_count ?? 1);
    lines.push({ item: "MSK Connect", basis: `${mcus} MCU x ${hours} h x USD ${PRICES.mskConnectMcuHour}`, usd: provisioned ? mcus * hours * PRICES.mskConnectMcuHour : undefined });
  }
  const templates = blocks("aws_launch_template");
  for (const instance of blocks("aws_instance")) {
    const template = templates[0];
    const type = String(instance.instance_type ?? template?.instance_type);
    const price = PRICES.ec2Hour[type];
    lines.push({ item: "client host", basis: `1 x ${type} x ${hours} h x USD ${price ?? "?"}`, usd: price === undefined ? undefined : hours * price });
    const root = Number(attributeAt(nestedBlock(template?.block_device_mappings) as never, "ebs.volume_size") ?? 0);
    lines.push({ item: "client host volume", basis: `${root} GB gp3 x USD ${PRICES.ebsGp3GbMonth}`, usd: root * PRICES.ebsGp3GbMonth });
    if (instance.associate_public_ip_address === true) lines.push({ item: "public IPv4 address", basis: `1 x ${hours} h x USD ${PRICES.publicIpv4Hour}`, usd: hours * PRICES.publicIpv4Hour });
  }
  const nlbs = blocks("aws_lb").filter((lb) => lb.load_balancer_type === "network");
  if (nlbs.length > 0) lines.push({ item: "network load balancer", basis: `${nlbs.length} x ${hours} h x USD ${PRICES.nlbHour} (+ NLCU usage)`, usd: nlbs.length * hours * PRICES.nlbHour });
  const natGateways = blocks("aws_nat_gateway").length;
  lines.push({ item: "network", basis: natGateways === 0 ? "VPC, subnets, S3 gateway endpoint: no NAT gateway, no charge" : `${natGateways} NAT gateway(s) not priced here`, usd: natGateways === 0 ? 0 : undefined });
  const dashboards = blocks("aws_cloudwatch_dashboard").length;
  const alarms = blocks("aws_cloudwatch_metric_alarm").length;
  if (dashboards + alarms > 0) {
    lines.push({
      item: "CloudWatch",
      basis: `${dashboards} dashboard x USD ${PRICES.cloudwatchDashboardMonth} + ${alarms} alarms x USD ${PRICES.cloudwatchAlarmMonth} (less within the free tier)`,
      usd: dashboards * PRICES.cloudwatchDashboardMonth + alarms * PRICES.cloudwatchAlarmMonth,
    });
  }
  return lines;
}

/** The estimate as printed by `synth --summary`. */
export function summarizeCost(stack: TerraformJson): string {
  const lines = monthlyCost(stack);
  const width = Math.max(...lines.map((l) => l.item.length));
  const basisWidth = Math.max(...lines.map((l) => l.basis.length));
  const known = lines.filter((l) => l.usd !== undefined);
  const total = known.reduce((sum, l) => sum + l.usd!, 0);
  const out = [`estimated monthly cost (an estimate: ${PRICES.region} on-demand prices of ${PRICES.date} from lib/prices.ts; other regions differ):`];
  for (const l of lines) out.push(`  ${l.item.padEnd(width)}  ${l.basis.padEnd(basisWidth)}  ${l.usd === undefined ? "price unknown (add it to lib/prices.ts)" : `USD ${money(l.usd).padStart(7)}`}`);
  out.push(`  ${"total".padEnd(width)}  ${"".padEnd(basisWidth)}  USD ${money(total).padStart(7)} a month while it runs${known.length < lines.length ? " (without the unknown items)" : ""}`);
  out.push(`  plus usage: API Gateway USD ${PRICES.apiGatewayRestPerMillion} per million requests, S3 USD ${PRICES.s3PutPer1000} per 1,000 PUT-class requests (docs/cost.md), S3 storage, CloudWatch Logs`);
  return out.join("\n");
}

/** The named resources as printed by `synth --summary`. */
export function summarizeNames(stack: TerraformJson): string {
  const rows = namedResources(stack);
  const width = Math.max(...rows.map(([what]) => what.length));
  return ["named resources:", ...rows.map(([what, names]) => `  ${what.padEnd(width)}  ${names}`)].join("\n");
}
