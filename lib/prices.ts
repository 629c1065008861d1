/**
 * The price table behind `synth --summary`'s monthly estimate: us-east-1, on demand, in USD.
 * Other regions cost more or less (MSK's kafka.t3.small is quoted at 0.063-0.072 elsewhere).
 * An estimate for planning, never a quote: check https://aws.amazon.com/pricing/ before relying on it.
 */

export const PRICES = {
  /** When the table was compiled, and from what. */
  date: "2026-11-27",
  region: "us-east-1",
  source:
    "MSK broker and MSK Connect prices: public third-party price tables (docs/cost.md; not confirmed against the live AWS Price List); " +
    "EC2, EBS gp3, public IPv4, NLB, S3 requests, API Gateway and CloudWatch: AWS's public pricing pages as quoted on that date",
  hoursPerMonth: 730,
  /** MSK broker-hour by instance type. */
  mskBrokerHour: { "kafka.t3.small": 0.0456, "kafka.m5.large": 0.21, "kafka.m7g.large": 0.204 } as Readonly<Record<string, number>>,
  /** MSK broker storage, per GB-month. */
  mskStorageGbMonth: 0.1,
  /** MSK Connect, per MCU-hour (1 MCU = 1 vCPU + 4 GiB). */
  mskConnectMcuHour: 0.11,
  /** EC2 instance-hour by instance type (Linux). */
  ec2Hour: { "t3.micro": 0.0104, "t3.small": 0.0208, "t3.medium": 0.0416, "t3.large": 0.0832 } as Readonly<Record<string, number>>,
  /** EBS gp3, per GB-month. */
  ebsGp3GbMonth: 0.08,
  /** A public IPv4 address, per hour (charged since 2024-02-01). */
  publicIpv4Hour: 0.005,
  /** Network Load Balancer, per hour, plus usage (NLCU-hours) not in the estimate. */
  nlbHour: 0.0225,
  /** CloudWatch: a dashboard per month (the first 3 per account are free), a standard-resolution alarm per month (the first 10 are free). */
  cloudwatchDashboardMonth: 3,
  cloudwatchAlarmMonth: 0.1,
  /** S3 Standard PUT, COPY, POST, LIST requests, per 1,000. */
  s3PutPer1000: 0.005,
  /** API Gateway REST API, per million requests (first 333 million per month). */
  apiGatewayRestPerMillion: 3.5,
} as const;

/**
 * S3 PUT-class requests per million records for a given flush.size: every object is a multipart
 * upload of three requests (initiate, upload part, complete), and a file holds at most flush.size records.
 */
export function s3PutRequestsPerMillionRecords(flushSize: number): number {
  return Math.ceil(1_000_000 / flushSize) * 3;
}

/** Their cost in USD. */
export function s3PutCostPerMillionRecords(flushSize: number): number {
  return (s3PutRequestsPerMillionRecords(flushSize) / 1000) * PRICES.s3PutPer1000;
}
